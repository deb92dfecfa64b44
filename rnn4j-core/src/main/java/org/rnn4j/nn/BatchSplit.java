package org.rnn4j.nn;

import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Matrix;

/**
 * How the recurrent layers share a batch's step loop across the kernel threads: the B sequences of a
 * batch are independent until the weight gradients, so each part runs every step for a contiguous
 * range of rows, with no synchronisation between steps (one fork and join per pass). Results do not
 * depend on the split beyond float rounding: the recurrent products then run on fewer rows, which
 * may take another path through the matrix kernels.
 */
final class BatchSplit {
    /** Rows per part below which a split costs more than it saves. */
    static final int MIN_ROWS = 8;

    private BatchSplit() {
    }

    /** Parts for a batch of B sequences: the kernel threads, as long as each gets {@value #MIN_ROWS} rows. */
    static int parts(int batch) {
        return Math.max(1, Math.min(Kernels.parallelism(), batch / MIN_ROWS));
    }

    /** The first row of part {@code part} of {@code parts} (part = parts gives B). */
    static int first(int batch, int parts, int part) {
        return (int) ((long) batch * part / parts);
    }

    /** Rows r0 .. r0+rows−1 of a (B × C) matrix, as a view. */
    static Matrix rows(Matrix m, int r0, int rows) {
        if (r0 == 0 && rows == m.rows) {
            return m;
        }
        return Matrix.view(m.data, m.offset + r0 * m.cols, rows, m.cols);
    }

    /**
     * Row-range views of a layer's per-step buffers ({@link StepBuffers#stepViews}), one array per buffer
     * (slot) and part, made when the buffers, the part or its rows change and kept across passes, so that
     * the step loops allocate nothing. {@link #reserve} runs before the parts start; each part then reads
     * and writes only its own entries.
     */
    static final class Views {
        private final int slots;
        private Matrix[][] from = new Matrix[0][];  // per slot·part: the step views the entry was made from
        private Matrix[][] views = new Matrix[0][]; // per slot·part: their rows b0 .. b0+rows−1
        private int[] first = new int[0];

        Views(int slots) {
            this.slots = slots;
        }

        /** Room for {@code parts} parts; call before {@link Kernels#parallel}. */
        void reserve(int parts) {
            int n = slots * parts;
            if (views.length < n) {
                from = java.util.Arrays.copyOf(from, n);
                views = java.util.Arrays.copyOf(views, n);
                first = java.util.Arrays.copyOf(first, n);
            }
        }

        /** Rows b0 .. b0+rows−1 of every step of {@code steps}, for buffer {@code slot} and part {@code part}. */
        Matrix[] rows(int slot, int part, Matrix[] steps, int b0, int rows) {
            if (b0 == 0 && rows == steps[0].rows) {
                return steps;
            }
            int i = part * slots + slot;
            Matrix[] v = views[i];
            if (from[i] != steps || first[i] != b0 || v[0].rows != rows) {
                v = new Matrix[steps.length];
                for (int t = 0; t < steps.length; t++) {
                    v[t] = BatchSplit.rows(steps[t], b0, rows);
                }
                views[i] = v;
                from[i] = steps;
                first[i] = b0;
            }
            return v;
        }
    }
}
