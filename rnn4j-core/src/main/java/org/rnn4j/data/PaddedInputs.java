package org.rnn4j.data;

import java.util.Objects;

/**
 * The inputs of one batch of {@code B} sequences of different lengths, padded to the longest
 * ({@code T} steps) and laid out time-major:
 * <pre>
 *   tokens[t*B + b]             token at step t of sequence b, or {@link #PAD_TOKEN} when t &gt;= lengths[b]   // (T*B)
 *   features[(t*B + b)*D + d]   feature d at step t of sequence b, or 0 when t &gt;= lengths[b]             // (T*B*D)
 *   lengths[b]                  the real steps of sequence b, 1 &lt;= lengths[b] &lt;= T                       // (B)
 * </pre>
 * Exactly one of {@code tokens} and {@code features} is non-null; {@code featureSize} is {@code D} for
 * features and 0 for tokens. The padding token 0 is a real token id: read {@link #lengths()} (or
 * {@link #isStep(int, int)}) to know where each sequence ends. Targets of padded steps are
 * {@link #IGNORED_TARGET}. The arrays are not copied; do not modify them.
 */
public record PaddedInputs(int steps, int batchSize, int featureSize, int[] lengths, int[] tokens,
                           float[] features) {
    /** The token id written at padded steps (ignore it: it is also a real token). */
    public static final int PAD_TOKEN = 0;
    /** The class target of a padded step in {@link TaggingBatch} and {@link PairBatch}: ignore it in the loss. */
    public static final int IGNORED_TARGET = -1;

    public PaddedInputs {
        Objects.requireNonNull(lengths, "lengths");
        if (steps < 1 || batchSize < 1) {
            throw new IllegalArgumentException("a padded batch has at least 1 step and 1 sequence, got T=" + steps
                    + ", B=" + batchSize);
        }
        if (lengths.length != batchSize) {
            throw new IllegalArgumentException("lengths has " + lengths.length + " entries but B is " + batchSize);
        }
        if ((tokens == null) == (features == null)) {
            throw new IllegalArgumentException("give either tokens or features, not "
                    + (tokens == null ? "neither" : "both"));
        }
        if (tokens != null && (featureSize != 0 || tokens.length != steps * batchSize)) {
            throw new IllegalArgumentException("tokens must have T*B = " + steps * batchSize
                    + " entries and featureSize 0, got " + tokens.length + " and " + featureSize);
        }
        if (features != null && (featureSize < 1 || features.length != (long) steps * batchSize * featureSize)) {
            throw new IllegalArgumentException("features must have T*B*D = " + steps + "*" + batchSize + "*" + featureSize
                    + " entries with D >= 1, got " + features.length);
        }
        for (int b = 0; b < batchSize; b++) {
            if (lengths[b] < 1 || lengths[b] > steps) {
                throw new IllegalArgumentException("lengths[" + b + "] is " + lengths[b] + ", outside [1, T=" + steps + "]");
            }
        }
    }

    /** Whether the inputs are token ids (else feature vectors). */
    public boolean hasTokens() {
        return tokens != null;
    }

    /** The token at step {@code t} of sequence {@code b}. */
    public int token(int t, int b) {
        return tokens[t * batchSize + b];
    }

    /** Feature {@code d} at step {@code t} of sequence {@code b}. */
    public float feature(int t, int b, int d) {
        return features[(t * batchSize + b) * featureSize + d];
    }

    /** Whether step {@code t} of sequence {@code b} is real (not padding). */
    public boolean isStep(int t, int b) {
        return t < lengths[b];
    }
}
