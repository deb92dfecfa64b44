package org.rnn4j.plot;

/** Escaping for text placed in HTML or SVG (XML) content and attribute values. */
final class Markup {
    private Markup() {
    }

    /** Replaces {@code & < > " '} by entities, so the text can appear in element content and quoted attributes. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
