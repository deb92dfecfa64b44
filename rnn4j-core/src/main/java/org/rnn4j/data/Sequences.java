package org.rnn4j.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The input sequences of a dataset, all of one {@link Kind}: token ids with a {@link Vocabulary}, or
 * {@code D} real features per step. Sequence {@code i} has {@link #length(int) T_i >= 1} steps.
 *
 * <pre>
 *   TEXT      "abc"               one token per code point, character-level vocabulary
 *   TOKENS    ["the", "cat"]      one token per string, word-level vocabulary (&lt;unk&gt; for unseen tokens)
 *   FEATURES  [0.5, -1] or [[0.5, 1], [0, 2]]   D features per step, the same D for every step
 * </pre>
 * Vocabularies built here are deterministic: the distinct code points sorted ({@link Vocabulary#ofCharacters}),
 * or {@code <unk>} then the tokens by descending count and then by string ({@link Vocabulary#ofWordTokens}
 * with minimum count 1). Immutable; accessors return copies.
 */
public final class Sequences {
    /** What a step of the sequences is. */
    public enum Kind {
        /** A Unicode code point of a text, encoded with a character-level vocabulary. */
        TEXT,
        /** A string token of a given token list, encoded with a word-level vocabulary. */
        TOKENS,
        /** A vector of {@code D} real numbers. */
        FEATURES
    }

    private final Kind kind;
    private final Vocabulary vocabulary; // TEXT, TOKENS; null for FEATURES
    private final int featureSize;       // D for FEATURES; 0 otherwise
    private final int[][] tokens;        // (n)(T_i) ids; null for FEATURES
    private final float[][] features;    // (n)(T_i*D) step-major; null for TEXT and TOKENS

    private Sequences(Kind kind, Vocabulary vocabulary, int featureSize, int[][] tokens, float[][] features) {
        this.kind = kind;
        this.vocabulary = vocabulary;
        this.featureSize = featureSize;
        this.tokens = tokens;
        this.features = features;
    }

    /**
     * Texts at character level, with the vocabulary of all their characters.
     *
     * @throws IllegalArgumentException if there are no texts or one is empty
     */
    public static Sequences ofText(List<String> texts) {
        checkNotEmpty(texts, "texts");
        return ofText(texts, Vocabulary.ofCharacters(String.join("", texts)));
    }

    /**
     * Texts encoded with a given character-level vocabulary (e.g. a trained model's).
     *
     * @throws IllegalArgumentException if a text is empty or has characters outside the vocabulary
     */
    public static Sequences ofText(List<String> texts, Vocabulary vocabulary) {
        checkNotEmpty(texts, "texts");
        checkLevel(vocabulary, TokenLevel.CHAR, "text");
        int[][] ids = new int[texts.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocabulary.encode(texts.get(i));
        }
        return new Sequences(Kind.TEXT, vocabulary, 0, ids, null);
    }

    /**
     * Token lists, with a word-level vocabulary of all their tokens.
     *
     * @throws IllegalArgumentException if there are no lists or one is empty
     */
    public static Sequences ofTokens(List<List<String>> tokenLists) {
        checkNotEmpty(tokenLists, "token lists");
        List<String> all = new ArrayList<>();
        tokenLists.forEach(all::addAll);
        return ofTokens(tokenLists, Vocabulary.ofWordTokens(all, 1));
    }

    /** Token lists encoded with a given word-level vocabulary; unknown tokens become {@code <unk>}. */
    public static Sequences ofTokens(List<List<String>> tokenLists, Vocabulary vocabulary) {
        checkNotEmpty(tokenLists, "token lists");
        checkLevel(vocabulary, TokenLevel.WORD, "token-list");
        int[][] ids = new int[tokenLists.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocabulary.encodeWords(tokenLists.get(i));
        }
        return new Sequences(Kind.TOKENS, vocabulary, 0, ids, null);
    }

    /**
     * Sequences already encoded with {@code vocabulary}: {@link Kind#TEXT} for a character-level one,
     * {@link Kind#TOKENS} for a word-level one. The arrays are copied.
     *
     * @throws IllegalArgumentException if a sequence is empty or has an id outside {@code [0, V)}
     */
    public static Sequences ofIds(Vocabulary vocabulary, List<int[]> ids) {
        Objects.requireNonNull(vocabulary, "vocabulary");
        checkNotEmpty(ids, "id sequences");
        int[][] copy = new int[ids.size()][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = ids.get(i).clone();
            for (int t = 0; t < copy[i].length; t++) {
                if (copy[i][t] < 0 || copy[i][t] >= vocabulary.size()) {
                    throw new IllegalArgumentException("sequence " + i + " step " + t + " has token id " + copy[i][t]
                            + ", outside the vocabulary [0, " + vocabulary.size() + ")");
                }
            }
        }
        Kind kind = vocabulary.level() == TokenLevel.CHAR ? Kind.TEXT : Kind.TOKENS;
        return new Sequences(kind, vocabulary, 0, copy, null);
    }

    /**
     * Real-valued sequences: {@code steps.get(i)[t]} is the feature vector of step {@code t} of sequence
     * {@code i}; every vector has the same length {@code D >= 1}. The arrays are copied.
     *
     * @throws IllegalArgumentException if a sequence is empty, the vector lengths differ, or a value is not finite
     */
    public static Sequences ofFeatures(List<float[][]> steps) {
        checkNotEmpty(steps, "feature sequences");
        int d = steps.get(0)[0].length;
        if (d < 1) {
            throw new IllegalArgumentException("sequence 0 step 0 has no features: give at least one number per step");
        }
        float[][] flat = new float[steps.size()][];
        for (int i = 0; i < flat.length; i++) {
            float[][] sequence = steps.get(i);
            flat[i] = new float[sequence.length * d];
            for (int t = 0; t < sequence.length; t++) {
                if (sequence[t].length != d) {
                    throw new IllegalArgumentException("sequence " + i + " step " + t + " has " + sequence[t].length
                            + " features but sequence 0 step 0 has " + d + ": every step needs the same number");
                }
                for (int k = 0; k < d; k++) {
                    if (!Float.isFinite(sequence[t][k])) {
                        throw new IllegalArgumentException("sequence " + i + " step " + t + " feature " + k + " is "
                                + sequence[t][k] + ": features must be finite");
                    }
                }
                System.arraycopy(sequence[t], 0, flat[i], t * d, d);
            }
        }
        return new Sequences(Kind.FEATURES, null, d, null, flat);
    }

    /** Flat feature sequences, {@code (T_i*D)} each, already checked; not copied. */
    static Sequences ofFlatFeatures(int featureSize, float[][] flat) {
        return new Sequences(Kind.FEATURES, null, featureSize, null, flat);
    }

    private static void checkNotEmpty(List<?> sequences, String what) {
        Objects.requireNonNull(sequences, what);
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("no " + what + ": give at least one");
        }
        for (int i = 0; i < sequences.size(); i++) {
            Object s = sequences.get(i);
            int length = s instanceof String text ? text.length() : s instanceof List<?> list ? list.size()
                    : s instanceof int[] ids ? ids.length : s instanceof float[][] steps ? steps.length : -1;
            if (length == 0) {
                throw new IllegalArgumentException("sequence " + i + " of the " + what
                        + " is empty: every sequence needs at least one step");
            }
        }
    }

    private static void checkLevel(Vocabulary vocabulary, TokenLevel level, String what) {
        Objects.requireNonNull(vocabulary, "vocabulary");
        if (vocabulary.level() != level) {
            throw new IllegalArgumentException(what + " inputs need a " + level.jsonName() + "-level vocabulary, got a "
                    + vocabulary.level().jsonName() + "-level one");
        }
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the steps are token ids (TEXT or TOKENS). */
    public boolean hasTokens() {
        return kind != Kind.FEATURES;
    }

    /**
     * The vocabulary of the token ids.
     *
     * @throws IllegalStateException for {@link Kind#FEATURES}
     */
    public Vocabulary vocabulary() {
        if (vocabulary == null) {
            throw new IllegalStateException("real-valued sequences have no vocabulary: their inputs are "
                    + featureSize + " numbers per step");
        }
        return vocabulary;
    }

    /** {@code D}, the features per step, or 0 for token sequences. */
    public int featureSize() {
        return featureSize;
    }

    /** {@code n}, the number of sequences. */
    public int size() {
        return hasTokens() ? tokens.length : features.length;
    }

    /** {@code T_i}, the steps of sequence {@code i}. */
    public int length(int i) {
        return hasTokens() ? tokens[i].length : features[i].length / featureSize;
    }

    /** The longest sequence's length. */
    public int maxLength() {
        int max = 0;
        for (int i = 0; i < size(); i++) {
            max = Math.max(max, length(i));
        }
        return max;
    }

    /**
     * A copy of the token ids of sequence {@code i}.
     *
     * @throws IllegalStateException for {@link Kind#FEATURES}
     */
    public int[] tokens(int i) {
        if (!hasTokens()) {
            throw new IllegalStateException("real-valued sequences have no tokens: read features(i)");
        }
        return tokens[i].clone();
    }

    /**
     * A copy of the features of sequence {@code i}, step-major: {@code [t*D + d]}, length {@code T_i*D}.
     *
     * @throws IllegalStateException for token sequences
     */
    public float[] features(int i) {
        if (hasTokens()) {
            throw new IllegalStateException("token sequences have no features: read tokens(i)");
        }
        return features[i].clone();
    }

    /** Sequence {@code i} as text: the decoded characters or tokens, or the numbers (for messages). */
    public String describe(int i) {
        if (hasTokens()) {
            return vocabulary.decode(tokens[i]);
        }
        return Arrays.toString(features[i]);
    }

    /** The sequences at {@code indices}, in that order, with the same vocabulary. */
    public Sequences subset(int[] indices) {
        if (hasTokens()) {
            int[][] picked = new int[indices.length][];
            for (int k = 0; k < indices.length; k++) {
                picked[k] = tokens[Objects.checkIndex(indices[k], tokens.length)];
            }
            return new Sequences(kind, vocabulary, 0, picked, null);
        }
        float[][] picked = new float[indices.length][];
        for (int k = 0; k < indices.length; k++) {
            picked[k] = features[Objects.checkIndex(indices[k], features.length)];
        }
        return new Sequences(kind, null, featureSize, null, picked);
    }

    /**
     * The sequences at {@code indices} (batch column {@code b} is sequence {@code indices[b]}) padded to the
     * longest, time-major; see {@link PaddedInputs}.
     *
     * @throws IllegalArgumentException if {@code indices} is empty
     */
    public PaddedInputs pad(int[] indices) {
        int batch = indices.length;
        if (batch == 0) {
            throw new IllegalArgumentException("a batch needs at least one sequence, got no indices");
        }
        int[] lengths = new int[batch];
        int steps = 0;
        for (int b = 0; b < batch; b++) {
            lengths[b] = length(Objects.checkIndex(indices[b], size()));
            steps = Math.max(steps, lengths[b]);
        }
        if (hasTokens()) {
            int[] out = new int[Math.multiplyExact(steps, batch)]; // PAD_TOKEN is 0
            for (int b = 0; b < batch; b++) {
                int[] seq = tokens[indices[b]];
                for (int t = 0; t < seq.length; t++) {
                    out[t * batch + b] = seq[t];
                }
            }
            return new PaddedInputs(steps, batch, 0, lengths, out, null);
        }
        int d = featureSize;
        float[] out = new float[Math.multiplyExact(Math.multiplyExact(steps, batch), d)];
        for (int b = 0; b < batch; b++) {
            float[] seq = features[indices[b]];
            for (int t = 0; t < lengths[b]; t++) {
                System.arraycopy(seq, t * d, out, (t * batch + b) * d, d);
            }
        }
        return new PaddedInputs(steps, batch, d, lengths, null, out);
    }

    @Override
    public String toString() {
        return "Sequences[" + kind + ", " + size() + " sequences"
                + (hasTokens() ? ", " + vocabulary : ", D=" + featureSize) + "]";
    }
}
