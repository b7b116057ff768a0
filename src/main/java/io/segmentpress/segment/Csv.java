package io.segmentpress.segment;

/**
 * CSV cells as RFC 4180 wants them, and safe to open in a spreadsheet: a cell starting with
 * {@code = + - @}, a tab or a carriage return is prefixed with an apostrophe so it is shown, not
 * run as a formula (visitor ids come from the public tracker and are attacker controlled).
 */
final class Csv {

    private Csv() {
    }

    static String row(String... cells) {
        StringBuilder row = new StringBuilder(64);
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                row.append(',');
            }
            row.append(cell(cells[i]));
        }
        return row.append("\r\n").toString();
    }

    static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String text = value;
        char first = text.charAt(0);
        if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
            text = "'" + text;
        }
        if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
