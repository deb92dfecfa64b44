package org.rnn4j.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnn4j.diag.DiagFixtures.Kind;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.CellType;
import org.rnn4j.model.RecurrentStack;
import org.rnn4j.model.RecurrentState;

/**
 * The probe's double re-run against the library's own float layers: the states after every step, and
 * the backward pass (∂L/∂x and ∂L/∂s_{−1} of a random linear loss Σ dOut·h + Σ dFinal·s_final) through
 * two layers of every cell, with and without variable lengths. Float32 forward values agree to about
 * 1e-6; the tolerances (1e-4 relative to the largest value) leave room for the float layers' rounding.
 */
class StackProbeTest {
    private static final int T = 6;
    private static final int B = 3;
    private static final int D = 4;
    private static final int H = 3;

    @ParameterizedTest
    @EnumSource(Kind.class)
    void agreesWithTheLibraryLayers(Kind kind) {
        check(kind, null);
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RNN_TANH", "LSTM", "GRU"})
    void agreesWithTheLibraryLayersOnVariableLengths(Kind kind) {
        check(kind, new int[] {6, 2, 4});
    }

    private void check(Kind kind, int[] lengths) {
        Rng rng = new Rng(40 + kind.ordinal());
        RecurrentStack stack = DiagFixtures.stack(kind, 2, D, H, 0.7f, rng);
        Matrix x = DiagFixtures.uniform(T * B, D, 1f, rng);
        RecurrentState s0 = DiagFixtures.randomState(stack, B, 0.8f, rng);
        Matrix dOut = DiagFixtures.uniform(T * B, H, 1f, rng);
        if (lengths != null) { // padded steps read nothing
            for (int b = 0; b < B; b++) {
                for (int t = lengths[b]; t < T; t++) {
                    for (int k = 0; k < H; k++) {
                        dOut.set(t * B + b, k, 0f);
                    }
                }
            }
        }
        RecurrentState dFinal = DiagFixtures.randomState(stack, B, 1f, rng);

        StackProbe probe = StackProbe.builder(stack).input(x, T, B).initialState(s0).outputGradient(dOut)
                .finalStateGradient(dFinal).lengths(lengths == null ? ProbeInputs.filled(B, T) : lengths).build();

        RecurrentState state = s0.copy();
        stack.forward(x, T, B, state, null, lengths);
        RecurrentState after = stack.newState(B);
        for (int t = 0; t < T; t++) {
            stack.copyStateAfter(t, after);
            for (int l = 0; l < 2; l++) {
                for (int b = 0; b < B; b++) {
                    if (t < probe.length(b)) {
                        assertClose(row(after.layer(l), b), probe.state(l, b, t), 1e-5, kind + " state l" + l + " t" + t);
                    }
                }
            }
        }
        Matrix dX = stack.backward(dOut, dFinal);
        Matrix probeDx = probe.inputGradient();
        double scale = 1e-4 * Math.max(1, maxAbs(dX));
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < probe.length(b); t++) {
                for (int d = 0; d < D; d++) {
                    assertEquals(dX.get(t * B + b, d), probeDx.get(t * B + b, d), scale, kind + " dx[" + t + "," + b + "]");
                }
            }
        }
        for (int l = 0; l < 2; l++) {
            Matrix g = stack.initialStateGradient().layer(l);
            for (int b = 0; b < B; b++) {
                assertClose(row(g, b), probe.stateGradient(l, b, -1), 1e-4, kind + " ds0 layer " + l);
            }
        }
    }

    @Test
    void jacobianProductsAreAdjoint() {
        for (Kind kind : Kind.values()) {
            Rng rng = new Rng(7);
            RecurrentStack stack = DiagFixtures.stack(kind, 1, D, H, 0.9f, rng);
            StackProbe probe = StackProbe.builder(stack).input(DiagFixtures.uniform(T * B, D, 1f, rng), T, B)
                    .initialState(DiagFixtures.randomState(stack, B, 0.5f, rng)).build();
            for (JacobianProduct.Part part : JacobianProduct.Part.values()) {
                JacobianProduct j = probe.jacobian(0, 1, 5, 1, part);
                double[] u = JacobianProduct.randomUnit(j.dimension(), rng);
                double[] v = JacobianProduct.randomUnit(j.dimension(), rng);
                double uJv = Vectors.dot(u, j.apply(v));
                double jtuV = Vectors.dot(j.applyTranspose(u), v);
                assertEquals(uJv, jtuV, 1e-12 * Math.max(1, Math.abs(uJv)), kind + " " + part);
            }
        }
    }

    @Test
    void hiddenPartIsTheHBlockOfTheLstmStateJacobian() {
        Rng rng = new Rng(8);
        RecurrentStack stack = DiagFixtures.stack(Kind.LSTM, 1, D, H, 0.9f, rng);
        StackProbe probe = StackProbe.builder(stack).input(DiagFixtures.uniform(T * B, D, 1f, rng), T, B).build();
        double[][] full = DiagFixtures.dense(probe.jacobian(0, 0, 4, 0, JacobianProduct.Part.STATE));
        double[][] hh = DiagFixtures.dense(probe.jacobian(0, 0, 4, 0, JacobianProduct.Part.HIDDEN));
        assertEquals(2 * H, full.length);
        for (int r = 0; r < H; r++) {
            for (int c = 0; c < H; c++) {
                assertEquals(full[r][c], hh[r][c], 1e-14);
            }
        }
    }

    @Test
    void refusesWhatItCannotMeasure() {
        Rng rng = new Rng(9);
        RecurrentStack bi = RecurrentStack.builder(CellType.GRU, D, H).bidirectional().build();
        Matrix x = new Matrix(T * B, D);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StackProbe.builder(bi).input(x, T, B).build());
        assertTrue(e.getMessage().contains("bidirectional"), e.getMessage());
        StackProbe noLoss = StackProbe.builder(DiagFixtures.stack(Kind.GRU, 1, D, H, 0.5f, rng)).input(x, T, B).build();
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> GradientFlow.measure(noLoss));
        assertTrue(s.getMessage().contains("no loss"), s.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> StackProbe.builder(DiagFixtures.stack(Kind.GRU, 1, D, H, 0.5f, rng)).input(x, T, B + 1).build());
    }

    private static double[] row(Matrix m, int r) {
        double[] v = new double[m.cols];
        for (int c = 0; c < m.cols; c++) {
            v[c] = m.get(r, c);
        }
        return v;
    }

    private static double maxAbs(Matrix m) {
        double x = 0;
        for (int i = 0; i < m.size(); i++) {
            x = Math.max(x, Math.abs(m.data[m.offset + i]));
        }
        return x;
    }

    static void assertClose(double[] expected, double[] actual, double relTol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], relTol * Math.max(1, scale), what + "[" + i + "]");
        }
    }
}
