package org.rnn4j.nn;

import org.rnn4j.matrix.Matrix;

/**
 * Variable-length batches. Sequence b of a time-major batch holds {@code lengths[b]} real steps
 * (1 ≤ length ≤ T); the steps after it are padding. A layer run with lengths still computes every step,
 * but takes each sequence's final state at its own last step (t = length − 1) and, in backward,
 * injects the final state's gradient there. Padding therefore never reaches a final state, and as long
 * as the output gradient at padded steps is zero (the loss mask), padding gets no gradient either.
 */
public final class SequenceLengths {
    private SequenceLengths() {
    }

    /** Checks lengths (null means all T) and returns a private copy. */
    public static int[] check(int[] lengths, int steps, int batch) {
        if (lengths == null) {
            return null;
        }
        if (lengths.length != batch) {
            throw new IllegalArgumentException(lengths.length + " sequence lengths given for a batch of " + batch);
        }
        for (int b = 0; b < batch; b++) {
            if (lengths[b] < 1 || lengths[b] > steps) {
                throw new IllegalArgumentException("sequence " + b + " has length " + lengths[b] + "; lengths must be in [1, "
                        + steps + "] (T = " + steps + ")");
            }
        }
        return lengths.clone();
    }

    /** The last step of row b: T − 1 without lengths. */
    static int lastStep(int[] lengths, int steps, int b) {
        return lengths == null ? steps - 1 : lengths[b] - 1;
    }

    /** out row b = src row b of step {@code lastStep(b)}, for a time-major (T·B × W) matrix. */
    static void gatherLast(Matrix src, int[] lengths, int steps, int batch, Matrix out, int outCol) {
        int w = src.cols;
        for (int b = 0; b < batch; b++) {
            int t = lastStep(lengths, steps, b);
            System.arraycopy(src.data, src.offset + (t * batch + b) * w, out.data, out.offset + b * out.cols + outCol, w);
        }
    }

    /**
     * carry row b (columns [0, width)) += d row b (columns [dCol, dCol + width)) for the rows whose last
     * step is t: the final state's gradient entering the backward recurrence at each sequence's own end.
     */
    static void inject(int t, int[] lengths, Matrix d, int dCol, float[] carry, int width) {
        for (int b = 0; b < lengths.length; b++) {
            if (lengths[b] - 1 == t) {
                int src = d.offset + b * d.cols + dCol;
                for (int k = 0; k < width; k++) {
                    carry[b * width + k] += d.data[src + k];
                }
            }
        }
    }

    /**
     * dst = src with each sequence's real steps in reverse order: step t of row b goes to step
     * length_b − 1 − t; padded steps stay where they are. Its own inverse.
     */
    static void reverse(Matrix src, Matrix dst, int[] lengths, int steps, int batch) {
        int w = src.cols;
        for (int b = 0; b < batch; b++) {
            int len = lengths == null ? steps : lengths[b];
            for (int t = 0; t < steps; t++) {
                int to = t < len ? len - 1 - t : t;
                System.arraycopy(src.data, src.offset + (t * batch + b) * w, dst.data, dst.offset + (to * batch + b) * w, w);
            }
        }
    }
}
