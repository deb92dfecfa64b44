package org.rnn4j.model;

import java.util.Arrays;

/**
 * B token sequences of different lengths as one time-major array: token {@code t·B + b} is step t of
 * sequence b for t &lt; {@code lengths[b]}; the steps after a sequence's end hold {@link #PAD} and are
 * never read as data. T = {@link #steps()} is the longest length (0 when every sequence is empty).
 *
 * @param tokens (T·B) time-major ids
 * @param lengths (B) real length of each sequence, 0 ≤ length ≤ T
 */
public record PaddedSequences(int batch, int steps, int[] tokens, int[] lengths) {
    /** The id written at padded steps (any valid id would do: padded steps never reach a loss or a state). */
    public static final int PAD = 0;

    public PaddedSequences {
        if (batch < 1 || steps < 0) {
            throw new IllegalArgumentException("batch must be positive and steps non-negative, got B=" + batch + ", T="
                    + steps);
        }
        if (tokens.length != (long) steps * batch) {
            throw new IllegalArgumentException(tokens.length + " tokens given for T=" + steps + ", B=" + batch
                    + " (T·B = " + (long) steps * batch + ")");
        }
        if (lengths.length != batch) {
            throw new IllegalArgumentException(lengths.length + " lengths given for a batch of " + batch);
        }
        for (int b = 0; b < batch; b++) {
            if (lengths[b] < 0 || lengths[b] > steps) {
                throw new IllegalArgumentException("sequence " + b + " has length " + lengths[b] + " outside [0, " + steps
                        + "] (T = " + steps + ")");
            }
        }
        tokens = tokens.clone();
        lengths = lengths.clone();
    }

    /** Pads the given sequences (at least one) to the longest, time-major. */
    public static PaddedSequences of(int[]... sequences) {
        if (sequences.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one sequence");
        }
        int batch = sequences.length;
        int steps = 0;
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            lengths[b] = sequences[b].length;
            steps = Math.max(steps, lengths[b]);
        }
        int[] tokens = new int[Math.multiplyExact(steps, batch)];
        Arrays.fill(tokens, PAD);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < lengths[b]; t++) {
                tokens[t * batch + b] = sequences[b][t];
            }
        }
        return new PaddedSequences(batch, steps, tokens, lengths);
    }

    /** Step t of sequence b. */
    public int token(int t, int b) {
        return tokens[t * batch + b];
    }

    /** Sequence b without its padding. */
    public int[] sequence(int b) {
        int[] s = new int[lengths[b]];
        for (int t = 0; t < s.length; t++) {
            s[t] = tokens[t * batch + b];
        }
        return s;
    }

    /** The array accessors return copies: a record of arrays stays immutable. */
    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    @Override
    public int[] lengths() {
        return lengths.clone();
    }

    /** Sequences b0 .. b1−1, with the same T. */
    PaddedSequences rows(int b0, int b1) {
        int n = b1 - b0;
        int[] tok = new int[steps * n];
        for (int t = 0; t < steps; t++) {
            System.arraycopy(tokens, t * batch + b0, tok, t * n, n);
        }
        return new PaddedSequences(n, steps, tok, java.util.Arrays.copyOfRange(lengths, b0, b1));
    }

    /** Throws unless every token is in [0, vocabSize); {@code what} names the sequences in the message. */
    void checkIds(int vocabSize, String what) {
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < lengths[b]; t++) {
                int id = tokens[t * batch + b];
                if (id < 0 || id >= vocabSize) {
                    throw new IllegalArgumentException(what + " " + b + " has id " + id + " at position " + t
                            + ", outside the vocabulary of " + vocabSize + " tokens");
                }
            }
        }
    }
}
