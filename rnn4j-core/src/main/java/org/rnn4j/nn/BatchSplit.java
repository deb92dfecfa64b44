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
}
