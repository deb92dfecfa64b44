package org.rnn4j.nn;

import java.util.HashMap;
import java.util.Map;
import org.rnn4j.matrix.Matrix;

/**
 * Reusable work buffers of a layer, keyed by name. A buffer's backing array only grows, so a layer run
 * on windows of varying length allocates once for the largest and never inside its step loop.
 */
final class StepBuffers {
    private final Map<String, float[]> arrays = new HashMap<>();

    /** A (rows × cols) matrix over the named buffer, grown if needed; its contents are unspecified. */
    Matrix matrix(String name, int rows, int cols) {
        int n = Math.multiplyExact(rows, cols);
        float[] a = arrays.get(name);
        if (a == null || a.length < n) {
            a = new float[n];
            arrays.put(name, a);
        }
        return Matrix.view(a, 0, rows, cols);
    }

    /** Views of each step's (B × cols) block of a time-major (T·B × cols) matrix. */
    static Matrix[] stepViews(Matrix m, int steps, int batch) {
        Matrix[] views = new Matrix[steps];
        for (int t = 0; t < steps; t++) {
            views[t] = m.rows(t * batch, batch);
        }
        return views;
    }
}
