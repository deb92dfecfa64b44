package org.rnn4j.data;

import java.util.List;
import java.util.Locale;

/** Message helpers that show characters unambiguously: {@code 'é' (U+00E9)}, {@code '\n' (U+000A)}. */
final class Chars {
    /** How many items a message lists before it says "and N more". */
    static final int MAX_LISTED = 10;

    private Chars() {
    }

    /** One code point as {@code 'Z' (U+005A)}; control characters are escaped or left out of the quotes. */
    static String describe(int codePoint) {
        String hex = String.format(Locale.ROOT, "U+%04X", codePoint);
        String shown = switch (codePoint) {
            case '\n' -> "'\\n' ";
            case '\r' -> "'\\r' ";
            case '\t' -> "'\\t' ";
            default -> isShowable(codePoint) ? "'" + new String(Character.toChars(codePoint)) + "' " : "";
        };
        return shown + "(" + hex + ")";
    }

    private static boolean isShowable(int codePoint) {
        boolean loneSurrogate = Character.isBmpCodePoint(codePoint) && Character.isSurrogate((char) codePoint);
        return Character.isDefined(codePoint) && !Character.isISOControl(codePoint) && !loneSurrogate;
    }

    /** A token for a message: double-quoted, with newline, carriage return and tab escaped. */
    static String quote(String token) {
        return "\"" + token.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "\"";
    }

    /** Joins at most {@link #MAX_LISTED} items with ", ", then "and N more". */
    static String list(List<String> items) {
        StringBuilder sb = new StringBuilder();
        int shown = Math.min(items.size(), MAX_LISTED);
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(items.get(i));
        }
        if (items.size() > shown) {
            sb.append(" and ").append(items.size() - shown).append(" more");
        }
        return sb.toString();
    }
}
