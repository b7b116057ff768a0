package io.segmentpress.common.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

import io.segmentpress.common.Hashes;

/**
 * Key material: generation, hashing and comparison. Keys carry 192 random bits, so a single
 * SHA-256 is enough to make the stored hash useless to someone who reads the database.
 */
public final class Keys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int RANDOM_CHARS = 33; // 33 base62 characters ≈ 196 bits

    private Keys() {
    }

    public static String generate(KeyKind kind) {
        StringBuilder key = new StringBuilder(kind.prefix());
        for (int i = 0; i < RANDOM_CHARS; i++) {
            key.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return key.toString();
    }

    public static String hash(String key) {
        return HexFormat.of().formatHex(Hashes.sha256(key));
    }

    /** Compares two secrets in time that does not depend on where they differ. */
    public static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(Hashes.sha256(a), Hashes.sha256(b));
    }

    /** The last characters of a key, safe to show so that a person can tell keys apart. */
    public static String hint(String key) {
        return key.substring(key.length() - 4);
    }

}
