package org.rnn4j.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Comparisons of matrices for tests. */
public final class MatrixAssertions {
    private MatrixAssertions() {
    }

    /**
     * Same shape, and every element within {@code relTol} of the largest expected magnitude (at least
     * 1e-3, so that near-zero matrices are compared absolutely). For two computations of the same values
     * whose sums run in different orders.
     */
    public static void assertCloseToScale(Matrix expected, Matrix actual, double relTol, String what) {
        assertEquals(expected.rows, actual.rows, what + ": rows");
        assertEquals(expected.cols, actual.cols, what + ": columns");
        int n = expected.rows * expected.cols;
        double scale = 1e-3;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, Math.abs(expected.data[expected.offset + i]));
        }
        for (int i = 0; i < n; i++) {
            float e = expected.data[expected.offset + i];
            float a = actual.data[actual.offset + i];
            assertTrue(Math.abs(e - a) <= relTol * scale, what + "[" + i + "]: expected " + e + ", got " + a);
        }
    }
}
