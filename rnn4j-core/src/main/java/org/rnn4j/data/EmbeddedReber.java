package org.rnn4j.data;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Strings of the embedded Reber grammar, the long-time-lag benchmark of Fahlman (1991) used as
 * Experiment 1 of Hochreiter &amp; Schmidhuber (1997): rnn4j's built-in training corpus, because
 * predicting the second-to-last symbol needs a memory of the second one across the whole inner string.
 *
 * <h2>The Reber grammar</h2>
 * Reber (1967); the transition graph as drawn by Fahlman (1991) and in Hochreiter &amp; Schmidhuber
 * (1997), Fig. 3. A string starts with {@code B}, walks the graph, and ends with {@code E}:
 * <pre>
 *   node 0 --T--> 1    node 0 --P--> 2
 *   node 1 --S--> 1    node 1 --X--> 3
 *   node 2 --T--> 2    node 2 --V--> 4
 *   node 3 --X--> 2    node 3 --S--> 5
 *   node 4 --P--> 3    node 4 --V--> 5
 *   node 5 --E--> end
 * </pre>
 * e.g. {@code BTXSE}, {@code BPVVE}, {@code BTSSXXTVVE}, {@code BPTVPSE}.
 *
 * <h2>The embedded Reber grammar</h2>
 * {@code B T <Reber string> T E} or {@code B P <Reber string> P E}, over the seven symbols
 * {@value #ALPHABET}; e.g. {@code BTBTXSETE}, {@code BPBPVVEPE}. The second-to-last symbol repeats the
 * second. Generation chooses each of the two edges leaving a node (and the outer {@code T}/{@code P})
 * with probability 1/2, as in both papers.
 *
 * <p>All randomness comes from the {@link RandomGenerator} passed in, or a {@link SplittableRandom}
 * made from the seed given, so a corpus is reproducible.
 *
 * <ul>
 *   <li>A. S. Reber, Implicit learning of artificial grammars, J. Verbal Learning and Verbal
 *       Behavior 6(6), 1967.</li>
 *   <li>S. E. Fahlman, The recurrent cascade-correlation architecture, NIPS 3, 1991.</li>
 *   <li>S. Hochreiter, J. Schmidhuber, Long short-term memory, Neural Computation 9(8), 1997, Section 5.1.</li>
 * </ul>
 */
public final class EmbeddedReber {
    /** The symbols of the grammar. */
    public static final String ALPHABET = "BTPSXVE";
    /** Strings in the built-in training corpus ({@code rnn4j train} without a text file). */
    public static final int DEFAULT_STRINGS = 2000;

    private static final int END = 6;
    // Inner Reber graph: the symbols leaving node k, and the node each leads to (END after E).
    private static final char[][] EDGE_SYMBOLS = {{'T', 'P'}, {'S', 'X'}, {'T', 'V'}, {'X', 'S'}, {'P', 'V'}, {'E'}};
    private static final int[][] EDGE_TARGETS = {{1, 2}, {1, 3}, {2, 4}, {2, 5}, {3, 5}, {END}};

    private EmbeddedReber() {
    }

    /** One embedded Reber string, e.g. {@code BPBTSXSEPE}. */
    public static String generate(RandomGenerator random) {
        char branch = random.nextBoolean() ? 'T' : 'P';
        return "B" + branch + generateReber(random) + branch + "E";
    }

    /** One (inner) Reber string, e.g. {@code BTSXSE}. */
    public static String generateReber(RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        StringBuilder sb = new StringBuilder("B");
        int node = 0;
        while (node != END) {
            int edge = EDGE_SYMBOLS[node].length == 1 ? 0 : random.nextInt(2);
            sb.append(EDGE_SYMBOLS[node][edge]);
            node = EDGE_TARGETS[node][edge];
        }
        return sb.toString();
    }

    /**
     * {@code count} embedded Reber strings, each followed by {@code '\n'}, from
     * {@code new SplittableRandom(seed)}: the same seed always gives the same text.
     */
    public static String corpus(int count, long seed) {
        return corpus(count, new SplittableRandom(seed));
    }

    /** {@code count} embedded Reber strings drawn from {@code random}, each followed by {@code '\n'}. */
    public static String corpus(int count, RandomGenerator random) {
        if (count < 1) {
            throw new IllegalArgumentException("the number of Reber strings must be at least 1, got " + count);
        }
        StringBuilder sb = new StringBuilder(count * 16);
        for (int i = 0; i < count; i++) {
            sb.append(generate(random)).append('\n');
        }
        return sb.toString();
    }

    /** Whether {@code s} is a whole embedded Reber string (no newline). */
    public static boolean isValid(CharSequence s) {
        Parser p = new Parser();
        return p.accept(s) == s.length() && p.isComplete();
    }

    /** Whether {@code s} is the start of some embedded Reber string (the empty string is). */
    public static boolean isValidPrefix(CharSequence s) {
        return new Parser().accept(s) == s.length();
    }

    /** The length of the longest prefix of {@code s} that starts some embedded Reber string. */
    public static int validPrefixLength(CharSequence s) {
        return new Parser().accept(s);
    }

    /**
     * The symbols that may follow {@code prefix} in an embedded Reber string, in the order of
     * {@link #ALPHABET}: {@code {B}} for the empty prefix, {@code {T, P}} after {@code "B"}, and the empty
     * set after a complete string.
     *
     * @throws IllegalArgumentException if {@code prefix} does not start any embedded Reber string
     */
    public static Set<Character> legalNext(CharSequence prefix) {
        Parser p = new Parser();
        int accepted = p.accept(prefix);
        String expected = p.expected();
        if (accepted < prefix.length()) {
            String allowed = expected.isEmpty() ? "nothing may follow a complete string"
                    : "expected " + String.join(" or ", expected.split("")) + " after \""
                            + prefix.subSequence(0, accepted) + "\"";
            throw new IllegalArgumentException("\"" + prefix + "\" is not the start of an embedded Reber string: "
                    + "symbol " + accepted + " is '" + prefix.charAt(accepted) + "' but " + allowed);
        }
        Set<Character> next = new LinkedHashSet<>();
        for (char c : ALPHABET.toCharArray()) {
            if (expected.indexOf(c) >= 0) {
                next.add(c);
            }
        }
        return Collections.unmodifiableSet(next);
    }

    /**
     * The share of {@code strings} that are valid embedded Reber strings (e.g. the lines of sampled text).
     *
     * @throws IllegalArgumentException if there are no strings
     */
    public static double validFraction(Collection<? extends CharSequence> strings) {
        if (strings.isEmpty()) {
            throw new IllegalArgumentException("no strings to score: give at least one");
        }
        long valid = strings.stream().filter(EmbeddedReber::isValid).count();
        return (double) valid / strings.size();
    }

    /** A recognizer of the embedded grammar; every state has distinct outgoing symbols, so it is deterministic. */
    private static final class Parser {
        private static final int OUTER_B = 0, BRANCH = 1, INNER_B = 2, INNER = 3, CLOSE = 4, OUTER_E = 5, DONE = 6;
        private int phase = OUTER_B;
        private int node;     // the inner graph node, while phase == INNER
        private char branch;  // T or P, chosen by the second symbol

        /** Feeds symbols while legal; returns how many were accepted. */
        int accept(CharSequence s) {
            for (int i = 0; i < s.length(); i++) {
                if (!step(s.charAt(i))) {
                    return i;
                }
            }
            return s.length();
        }

        boolean isComplete() {
            return phase == DONE;
        }

        /** The symbols legal now, e.g. "TP"; empty when complete. */
        String expected() {
            return switch (phase) {
                case OUTER_B, INNER_B -> "B";
                case BRANCH -> "TP";
                case INNER -> new String(EDGE_SYMBOLS[node]);
                case CLOSE -> String.valueOf(branch);
                case OUTER_E -> "E";
                default -> "";
            };
        }

        private boolean step(char c) {
            switch (phase) {
                case OUTER_B, INNER_B, OUTER_E -> {
                    if (c != expected().charAt(0)) {
                        return false;
                    }
                    phase = phase == OUTER_B ? BRANCH : phase == INNER_B ? INNER : DONE;
                    node = 0;
                }
                case BRANCH -> {
                    if (c != 'T' && c != 'P') {
                        return false;
                    }
                    branch = c;
                    phase = INNER_B;
                }
                case INNER -> {
                    int edge = new String(EDGE_SYMBOLS[node]).indexOf(c);
                    if (edge < 0) {
                        return false;
                    }
                    node = EDGE_TARGETS[node][edge];
                    if (node == END) {
                        phase = CLOSE;
                    }
                }
                case CLOSE -> {
                    if (c != branch) {
                        return false;
                    }
                    phase = OUTER_E;
                }
                default -> {
                    return false;
                }
            }
            return true;
        }
    }
}
