package org.rnn4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The word tokenizer of word-level vocabularies: it cuts text into words, punctuation and newlines,
 * and joins tokens back into readable text.
 *
 * <h2>Tokenizing</h2>
 * The text is read code point by code point:
 * <ul>
 *   <li>A <b>word</b> is a maximal run of letters, digits and combining marks
 *       ({@link Character#isLetterOrDigit(int)}, Unicode categories Mn and Mc), which may contain
 *       <em>inner</em> apostrophes ({@code '} or {@code ’}) with a letter, digit or mark on both sides:
 *       {@code don't}, {@code o’clock}, {@code 1990s} are single words; in {@code dogs'} and
 *       {@code 'tis} the apostrophe is its own token.</li>
 *   <li>Words are <b>lower-cased</b> with {@link Locale#ROOT}, so that {@code The} and {@code the}
 *       share one token and one embedding (the usual choice for small word-level corpora, as in the
 *       Penn Treebank language-modelling set); generated text is therefore all lower case.</li>
 *   <li>A <b>newline</b> {@code '\n'} is kept as the token {@code "\n"} ({@link #NEWLINE}), so that generated
 *       text has line structure (a blank line is two newline tokens).</li>
 *   <li>Other whitespace (including {@code '\r'} and no-break spaces) and other control characters
 *       only separate tokens and are dropped.</li>
 *   <li>Every other code point (punctuation, symbols, emoji) is a token of its own:
 *       {@code "well-known!"} is {@code well, -, known, !}.</li>
 * </ul>
 *
 * <h2>Joining</h2>
 * {@link #detokenize(List)} puts one space between tokens, except: none at the start, before or
 * after a newline; none before closing punctuation {@code . , ; : ! ? ) ] } % … ’ ”} and the
 * apostrophe {@code '}; none after opening brackets {@code ( [ { “ ‘}; none on either side of
 * {@code -} and {@code /}; and a straight double quote {@code "} alternates between opening (no space
 * after) and closing (no space before). Joining is readable, not an exact inverse: the case and the
 * original spacing are gone.
 */
public final class WordTokenizer {
    /** The token that stands for a line break. */
    public static final String NEWLINE = "\n";

    private static final String NO_SPACE_BEFORE = ".,;:!?)]}%…’”'";
    private static final String NO_SPACE_AFTER = "([{“‘";
    private static final String NO_SPACE_AROUND = "-/";

    private WordTokenizer() {
    }

    /** The tokens of {@code text}, in order (see the class comment for the rules). */
    public static List<String> tokenize(CharSequence text) {
        List<String> tokens = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            int cp = Character.codePointAt(text, i);
            int next = i + Character.charCount(cp);
            if (cp == '\n') {
                tokens.add(NEWLINE);
            } else if (Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.isISOControl(cp)) {
                // separates tokens; dropped
            } else if (isWordPart(cp)) {
                int end = next;
                while (end < n) {
                    int c = Character.codePointAt(text, end);
                    int after = end + Character.charCount(c);
                    if (isWordPart(c)) {
                        end = after;
                    } else if (isApostrophe(c) && after < n && isWordPart(Character.codePointAt(text, after))) {
                        end = after; // inner apostrophe: a word part follows, and one precedes
                    } else {
                        break;
                    }
                }
                tokens.add(text.subSequence(i, end).toString().toLowerCase(Locale.ROOT));
                next = end;
            } else {
                tokens.add(new String(Character.toChars(cp)));
            }
            i = next;
        }
        return tokens;
    }

    /** The tokens joined into text with the spacing rules of the class comment. */
    public static String detokenize(List<String> tokens) {
        StringBuilder sb = new StringBuilder();
        boolean spaceAllowed = false; // false at the start, after a newline and after opening marks
        boolean insideQuote = false;
        for (String token : tokens) {
            boolean spaceBefore = spaceAllowed;
            boolean spaceAfter = true;
            if (token.equals(NEWLINE)) {
                spaceBefore = false;
                spaceAfter = false;
            } else if (token.equals("\"")) {
                if (insideQuote) {
                    spaceBefore = false;
                } else {
                    spaceAfter = false;
                }
                insideQuote = !insideQuote;
            } else if (isOneOf(token, NO_SPACE_AROUND)) {
                spaceBefore = false;
                spaceAfter = false;
            } else {
                if (isOneOf(token, NO_SPACE_BEFORE)) {
                    spaceBefore = false;
                }
                if (isOneOf(token, NO_SPACE_AFTER)) {
                    spaceAfter = false;
                }
            }
            if (spaceBefore) {
                sb.append(' ');
            }
            sb.append(token);
            spaceAllowed = spaceAfter;
        }
        return sb.toString();
    }

    private static boolean isWordPart(int cp) {
        int type = Character.getType(cp);
        return Character.isLetterOrDigit(cp)
                || type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
    }

    private static boolean isApostrophe(int cp) {
        return cp == '\'' || cp == '\u2019';
    }

    private static boolean isOneOf(String token, String marks) {
        return token.length() == 1 && marks.indexOf(token.charAt(0)) >= 0;
    }
}
