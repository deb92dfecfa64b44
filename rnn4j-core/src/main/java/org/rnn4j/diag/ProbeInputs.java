package org.rnn4j.diag;

import java.util.Arrays;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.model.RecurrentStack;
import org.rnn4j.model.RecurrentState;

/** Conversions from the library's float matrices and states to the per-sequence double arrays of a {@link StackProbe}. */
final class ProbeInputs {
    private ProbeInputs() {
    }

    static Cell[] cells(RecurrentStack stack) {
        Cell[] cells = new Cell[stack.numLayers()];
        for (int l = 0; l < cells.length; l++) {
            cells[l] = Cell.of(stack.layer(l));
        }
        return cells;
    }

    /** [b][t] rows of a time-major (T·B × C) matrix, for t &lt; len_b. */
    static double[][][] rows(Matrix m, int steps, int batch, int[] lengths) {
        double[][][] r = new double[batch][][];
        for (int b = 0; b < batch; b++) {
            r[b] = new double[lengths[b]][m.cols];
            for (int t = 0; t < lengths[b]; t++) {
                for (int c = 0; c < m.cols; c++) {
                    r[b][t][c] = m.get(t * batch + b, c);
                }
            }
        }
        return r;
    }

    /** [layer][b] (S) rows of a state. */
    static double[][][] perLayer(RecurrentState s, RecurrentStack stack, int batch) {
        if (s.numLayers() != stack.numLayers()) {
            throw new IllegalArgumentException("state has " + s.numLayers() + " layers but the stack has " + stack.numLayers());
        }
        double[][][] r = new double[s.numLayers()][batch][];
        for (int l = 0; l < r.length; l++) {
            Matrix m = s.layer(l);
            m.requireShape(batch, stack.layer(l).stateSize(), "state of layer " + l);
            for (int b = 0; b < batch; b++) {
                r[l][b] = new double[m.cols];
                for (int c = 0; c < m.cols; c++) {
                    r[l][b][c] = m.get(b, c);
                }
            }
        }
        return r;
    }

    static int[] filled(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }
}
