package io.segmentpress.brief;

import java.util.Arrays;

/**
 * Sums per {@code long} key, kept in dense columns behind an open-addressing hash index: the
 * demand pass adds to a few of these for every read and segment, so an update must not box a key
 * or allocate. Each key gets a row number (0, 1, 2… in insertion order) that stays valid as the
 * table grows.
 */
final class KeyedSums {

    private long[] slotKeys;
    /** Row + 1 per slot; 0 marks an empty slot. */
    private int[] slotRows;
    private int shift;
    private long[] keys;
    private final long[][] columns;
    private int size;

    KeyedSums(int columnCount) {
        slotKeys = new long[1024];
        slotRows = new int[1024];
        shift = Long.SIZE - 10;
        keys = new long[512];
        columns = new long[columnCount][512];
    }

    /** The row of {@code key}, added with zero sums when it is new. */
    int row(long key) {
        int mask = slotRows.length - 1;
        int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
        while (true) {
            int row = slotRows[slot] - 1;
            if (row < 0) {
                return insert(slot, key);
            }
            if (slotKeys[slot] == key) {
                return row;
            }
            slot = (slot + 1) & mask;
        }
    }

    void add(int row, int column, long amount) {
        columns[column][row] += amount;
    }

    long get(int row, int column) {
        return columns[column][row];
    }

    long key(int row) {
        return keys[row];
    }

    int size() {
        return size;
    }

    private int insert(int slot, long key) {
        int row = size++;
        if (row == keys.length) {
            keys = Arrays.copyOf(keys, row * 2);
            for (int c = 0; c < columns.length; c++) {
                columns[c] = Arrays.copyOf(columns[c], row * 2);
            }
        }
        keys[row] = key;
        slotKeys[slot] = key;
        slotRows[slot] = row + 1;
        if (size * 2 > slotRows.length) {
            rehash();
        }
        return row;
    }

    private void rehash() {
        slotKeys = new long[slotKeys.length * 2];
        slotRows = new int[slotRows.length * 2];
        shift--;
        int mask = slotRows.length - 1;
        for (int row = 0; row < size; row++) {
            int slot = (int) ((keys[row] * 0x9E3779B97F4A7C15L) >>> shift);
            while (slotRows[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slotKeys[slot] = keys[row];
            slotRows[slot] = row + 1;
        }
    }
}
