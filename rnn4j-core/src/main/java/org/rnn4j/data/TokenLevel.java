package org.rnn4j.data;

import java.util.Locale;

/**
 * What one token of a {@link Vocabulary} is: one Unicode code point, or one word of the
 * {@link WordTokenizer}. Model files store it by its {@link #jsonName()} ({@code "char"} or {@code "word"}).
 */
public enum TokenLevel {
    /** One token per Unicode code point (a supplementary character such as an emoji is one token). */
    CHAR("char"),
    /** One token per word, punctuation mark or newline, as cut by {@link WordTokenizer}. */
    WORD("word");

    private final String jsonName;

    TokenLevel(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name stored in model files: {@code "char"} or {@code "word"}. */
    public String jsonName() {
        return jsonName;
    }

    /**
     * The level stored under {@code name} in a model file (case-insensitive).
     *
     * @throws IllegalArgumentException if the name is neither {@code "char"} nor {@code "word"}
     */
    public static TokenLevel fromJsonName(String name) {
        if (name != null) {
            String lower = name.toLowerCase(Locale.ROOT);
            for (TokenLevel level : values()) {
                if (level.jsonName.equals(lower)) {
                    return level;
                }
            }
        }
        throw new IllegalArgumentException(
                "unknown vocabulary level " + (name == null ? "null" : "\"" + name + "\"")
                        + ": expected \"char\" or \"word\"");
    }

    /** How tokens of this level are called in messages: "characters" or "word tokens". */
    String unitName() {
        return this == CHAR ? "characters" : "word tokens";
    }
}
