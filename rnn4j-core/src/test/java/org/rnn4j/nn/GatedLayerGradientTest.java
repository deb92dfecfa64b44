package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.diag.GradientChecker;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;

/**
 * The LSTM and GRU layers: gradient checks of every parameter, the input and the (non-zero) initial
 * state, step-by-step generation against forward, forward against a naive double-precision reference,
 * and one tiny case of each worked out by hand from PyTorch's equations, because a reference could be
 * wrong too.
 * Loss for the gradient checks: a random linear function Σ out·R + Σ state_T·S, so every output and
 * every final-state element (including LSTM's c) matters.
 *
 * <p>Tolerance: {@link GradientChecker}'s default relative 1e-2, but with the absolute floor raised from
 * 1e-3 to {@link #FLOOR} = 1e-2. The loss sums T·B·H + B·S float32 values, so it carries a rounding noise
 * of about 1e-7 (in a loss of order 1–10), which the difference quotient divides by 2ε = 2e-2: the numeric
 * derivative is only good to about 1e-5 absolute. Against a floor of 1e-3 that is a relative error of
 * up to 1e-2 on the smallest gradients (measured: 0.0087 for GRU and 0.0070 for LSTM with the vector
 * product, 0.016 for LSTM with the scalar one, all on W_hh elements below 1e-3), i.e. no margin at all.
 * With the floor at 1e-2 the measured maximum is about 2e-3 on every backend, and a wrong gradient still
 * shows as an error of order 1 on every element it touches.
 */
class GatedLayerGradientTest {
    private static final int D = 5;
    private static final int H = 6;
    private static final float LN2 = (float) Math.log(2);
    private static final float LN3 = (float) Math.log(3);
    private static final double FLOOR = 1e-2;

    static RecurrentLayer layer(String cell, int inputSize, int hiddenSize) {
        return switch (cell) {
            case "lstm" -> new LstmLayer("rnn.", 0, "", inputSize, hiddenSize);
            case "gru" -> new GruLayer("rnn.", 0, "", inputSize, hiddenSize);
            default -> throw new IllegalArgumentException(cell);
        };
    }

    static RecurrentLayer randomLayer(String cell, Rng rng) {
        RecurrentLayer layer = layer(cell, D, H);
        for (Parameter p : layer.parameters()) {
            rng.fillUniform(p.value, -0.7f, 0.7f);
        }
        return layer;
    }

    @ParameterizedTest(name = "{0} T={1} B={2}")
    @CsvSource({"lstm, 4, 3", "lstm, 1, 3", "lstm, 4, 1", "gru, 4, 3", "gru, 1, 3", "gru, 4, 1"})
    void gradients(String cell, int steps, int batch) {
        Rng rng = new Rng(17 + steps * 10 + batch);
        RecurrentLayer layer = randomLayer(cell, rng);
        int s = layer.stateSize();
        Parameter x = LayerGradientTest.wrap("input", steps * batch, D, rng);
        Parameter state0 = LayerGradientTest.wrap("state0", batch, s, rng);
        Matrix r = new Matrix(steps * batch, H);
        Matrix sT = new Matrix(batch, s);
        rng.fillUniform(r, -1f, 1f);
        rng.fillUniform(sT, -1f, 1f);
        List<Parameter> all = new ArrayList<>(layer.parameters());
        all.add(x);
        all.add(state0);
        GradientChecker.Report report = new GradientChecker().floor(FLOOR).check(new GradientChecker.Objective() {
            @Override
            public double loss() {
                Matrix out = layer.forward(x.value, steps, batch, state0.value);
                return Kernels.dot(out, r) + Kernels.dot(layer.finalState(), sT);
            }

            @Override
            public double lossAndGradient() {
                all.forEach(Parameter::zeroGrad);
                double l = loss();
                Kernels.addInPlace(x.grad, layer.backward(r, sT));
                Kernels.addInPlace(state0.grad, layer.initialStateGradient());
                return l;
            }
        }, all);
        assertTrue(report.passed(), cell + " T=" + steps + " B=" + batch + ": " + report.summary());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru"})
    void nullGradientsMeanZero(String cell) {
        Rng rng = new Rng(23);
        RecurrentLayer layer = randomLayer(cell, rng);
        Matrix x = new Matrix(3 * 2, D);
        Matrix state0 = new Matrix(2, layer.stateSize());
        rng.fillUniform(x, -1f, 1f);
        rng.fillUniform(state0, -1f, 1f);
        Matrix dOut = new Matrix(3 * 2, H);
        rng.fillUniform(dOut, -1f, 1f);
        layer.forward(x, 3, 2, state0);
        float[] withZeros = layer.backward(dOut, new Matrix(2, layer.stateSize())).toArray();
        float[] withNull = layer.backward(dOut, null).toArray();
        assertArrayEquals(withZeros, withNull);
        float[] onlyState = layer.backward(null, state0).toArray();
        assertArrayEquals(onlyState, layer.backward(new Matrix(3 * 2, H), state0).toArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru"})
    void stepByStepEqualsForward(String cell) {
        int steps = 5;
        int batch = 3;
        Rng rng = new Rng(29);
        RecurrentLayer layer = randomLayer(cell, rng);
        Matrix x = new Matrix(steps * batch, D);
        Matrix state0 = new Matrix(batch, layer.stateSize());
        rng.fillUniform(x, -1f, 1f);
        rng.fillUniform(state0, -1f, 1f);
        Matrix out = layer.forward(x, steps, batch, state0).copy();
        Matrix last = layer.finalState().copy();
        Matrix state = state0.copy();
        for (int t = 0; t < steps; t++) {
            Matrix h = layer.step(x.rows(t * batch, batch), state);
            assertClose(out.rows(t * batch, batch), h, 1e-5, cell + " h at step " + t);
        }
        assertClose(last, state, 1e-5, cell + " final state");
        assertClose(last, layer.finalState(), 0, cell + " step() must not touch the forward caches");
    }

    /**
     * Forward against a naive element-by-element reference written straight from the equations in
     * double, with H > 1 so that the layout of the gate blocks (rows g·H + k) is exercised.
     */
    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru"})
    void forwardMatchesNaiveReference(String cell) {
        int steps = 4;
        int batch = 3;
        Rng rng = new Rng(31);
        RecurrentLayer layer = randomLayer(cell, rng);
        Matrix x = new Matrix(steps * batch, D);
        Matrix state0 = new Matrix(batch, layer.stateSize());
        rng.fillUniform(x, -1f, 1f);
        rng.fillUniform(state0, -1f, 1f);
        Matrix out = layer.forward(x, steps, batch, state0);
        List<Parameter> p = layer.parameters();
        double[][] state = new double[batch][layer.stateSize()];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < layer.stateSize(); j++) {
                state[b][j] = state0.get(b, j);
            }
        }
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                Matrix xt = x.rows(t * batch + b, 1);
                double[] next = cell.equals("lstm") ? lstmReference(p, xt, state[b]) : gruReference(p, xt, state[b]);
                state[b] = next;
                for (int k = 0; k < H; k++) {
                    assertEquals(next[k], out.get(t * batch + b, k), 1e-5, cell + " h[t=" + t + ", b=" + b + ", " + k + "]");
                }
            }
        }
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < layer.stateSize(); j++) {
                assertEquals(state[b][j], layer.finalState().get(b, j), 1e-5, cell + " final state[" + b + ", " + j + "]");
            }
        }
    }

    /** Pre-activation of gate g, unit k: W_ih[gH+k]·x + b_ih[gH+k], or the same for the hidden side. */
    private static double affine(Parameter w, Parameter bias, int row, Matrix v, double[] vd) {
        double s = bias.value.get(0, row);
        for (int j = 0; j < w.value.cols; j++) {
            s += w.value.get(row, j) * (v != null ? v.get(0, j) : vd[j]);
        }
        return s;
    }

    private static double sigmoid(double a) {
        return 1 / (1 + Math.exp(-a));
    }

    /** One LSTM step for one sequence: [h | c] → [h | c]. Gate order i, f, g, o. */
    private static double[] lstmReference(List<Parameter> p, Matrix x, double[] hc) {
        double[] next = new double[2 * H];
        for (int k = 0; k < H; k++) {
            double[] a = new double[4];
            for (int g = 0; g < 4; g++) {
                a[g] = affine(p.get(0), p.get(2), g * H + k, x, null) + affine(p.get(1), p.get(3), g * H + k, null, hc);
            }
            double c = sigmoid(a[1]) * hc[H + k] + sigmoid(a[0]) * Math.tanh(a[2]);
            next[k] = sigmoid(a[3]) * Math.tanh(c);
            next[H + k] = c;
        }
        return next;
    }

    /** One GRU step for one sequence: h → h. Gate order r, z, n. */
    private static double[] gruReference(List<Parameter> p, Matrix x, double[] h) {
        double[] next = new double[H];
        for (int k = 0; k < H; k++) {
            double r = sigmoid(affine(p.get(0), p.get(2), k, x, null) + affine(p.get(1), p.get(3), k, null, h));
            double z = sigmoid(affine(p.get(0), p.get(2), H + k, x, null) + affine(p.get(1), p.get(3), H + k, null, h));
            double n = Math.tanh(affine(p.get(0), p.get(2), 2 * H + k, x, null)
                    + r * affine(p.get(1), p.get(3), 2 * H + k, null, h));
            next[k] = (1 - z) * n + z * h[k];
        }
        return next;
    }

    /**
     * D = H = 1, T = 2, B = 1, weights chosen so that every gate is σ(0) = 1/2, σ(±ln 3) = 3/4 or 1/4,
     * tanh(ln 2) = 3/5 or tanh(±ln 3) = ±4/5. Gate order i, f, g, o.
     * <pre>
     *   t=0: x=1, h=0, c=2·ln3 − 0.6
     *        a = W_ih·1 + b_ih + b_hh = [0, 0, ln2, ln3]  →  i=1/2, f=1/2, g=3/5, o=3/4
     *        c = ½(2·ln3 − 0.6) + ½·⅗ = ln3,  h = ¾·tanh(ln3) = ¾·⅘ = 0.6
     *   t=1: x=0, h=0.6
     *        a = W_hh·0.6 + b_ih + b_hh = [ln3, −ln3, −ln3, −ln3 + ln3]  →  i=3/4, f=1/4, g=−4/5, o=1/2
     *        c = ¼·ln3 + ¾·(−⅘) = ¼·ln3 − 0.6 ≈ −0.3253469,  h = ½·tanh(c) ≈ −0.1571668
     * </pre>
     */
    @Test
    void lstmWorkedByHand() {
        LstmLayer lstm = new LstmLayer("rnn.", 0, "", 1, 1);
        float u = LN3 / 0.6f;
        set(lstm.weightIh, 0, 0, LN2, 0);
        set(lstm.weightHh, u, -u, -u, -u);
        set(lstm.biasIh, 0.5f, -0.25f, 0, LN3 - 1);
        set(lstm.biasHh, -0.5f, 0.25f, 0, 1);
        Matrix out = lstm.forward(Matrix.of(2, 1, 1, 0), 2, 1, Matrix.of(1, 2, 0, 2 * LN3 - 0.6f));
        double c1 = 0.25 * Math.log(3) - 0.6;
        assertEquals(0.6, out.get(0, 0), 1e-6, "h_0");
        assertEquals(-0.3253469, c1, 1e-7, "the worked value of c_1");
        assertEquals(-0.1571668, out.get(1, 0), 1e-6, "h_1");
        assertEquals(-0.1571668, lstm.finalState().get(0, 0), 1e-6, "final h");
        assertEquals(c1, lstm.finalState().get(0, 1), 1e-6, "final c");
    }

    /**
     * D = H = 1, T = 2, B = 1. Gate order r, z, n; r multiplies W_hn·h + b_hn (not b_in).
     * <pre>
     *   t=0: x=1, h=0.5
     *        a_r = (ln3 + 0.15) − 0.4 + 1·0.5 − 0.25 = ln3          →  r = 3/4
     *        a_z = (ln3 − 0.15) + 0.65 − 1·0.5 − ln3 = 0            →  z = 1/2
     *        hn  = 2·0.5 + 1 = 2,  a_n = −0.35 + (ln3 − 1.15) + ¾·2 = ln3  →  n = 4/5
     *        h   = ½·⅘ + ½·½ = 0.65
     *   t=1: x=0, h=0.65
     *        a_r = −0.4 + 0.65 − 0.25 = 0                            →  r = 1/2
     *        a_z = 0.65 − 0.65 − ln3 = −ln3                          →  z = 1/4
     *        hn  = 2·0.65 + 1 = 2.3,  a_n = (ln3 − 1.15) + ½·2.3 = ln3  →  n = 4/5
     *        h   = ¾·⅘ + ¼·0.65 = 0.7625
     * </pre>
     * (Cho et al.'s original n = tanh(W_in x + b_in + W_hn (r⊙h) + b_hn) would give a_n = ln3 + 0.25 at t=0.)
     */
    @Test
    void gruWorkedByHand() {
        GruLayer gru = new GruLayer("rnn.", 0, "", 1, 1);
        set(gru.weightIh, LN3 + 0.15f, LN3 - 0.15f, -0.35f);
        set(gru.weightHh, 1, -1, 2);
        set(gru.biasIh, -0.4f, 0.65f, LN3 - 1.15f);
        set(gru.biasHh, -0.25f, -LN3, 1);
        Matrix out = gru.forward(Matrix.of(2, 1, 1, 0), 2, 1, Matrix.of(1, 1, 0.5f));
        assertEquals(0.65, out.get(0, 0), 1e-6, "h_0");
        assertEquals(0.7625, out.get(1, 0), 1e-6, "h_1");
        assertEquals(0.7625, gru.finalState().get(0, 0), 1e-6, "final h");
    }

    @Test
    void parametersHavePyTorchNamesShapesAndOrder() {
        RecurrentLayer lstm = new LstmLayer("rnn.", 2, "_reverse", D, H);
        RecurrentLayer gru = new GruLayer("rnn.", 0, "", D, H);
        assertEquals("[rnn.weight_ih_l2_reverse[24, 5], rnn.weight_hh_l2_reverse[24, 6], "
                + "rnn.bias_ih_l2_reverse[24], rnn.bias_hh_l2_reverse[24]]", lstm.parameters().toString());
        assertEquals("[rnn.weight_ih_l0[18, 5], rnn.weight_hh_l0[18, 6], rnn.bias_ih_l0[18], rnn.bias_hh_l0[18]]",
                gru.parameters().toString());
        assertEquals(2 * H, lstm.stateSize());
        assertEquals(H, gru.stateSize());
    }

    @Test
    void forgetGateBiasSetsOnlyTheFBlock() {
        LstmLayer lstm = new LstmLayer("rnn.", 0, "", 1, 2);
        lstm.biasIh.value.fill(0.3f);
        lstm.biasHh.value.fill(0.3f);
        lstm.setForgetGateBias(1f);
        assertArrayEquals(new float[] {0.3f, 0.3f, 1f, 1f, 0.3f, 0.3f, 0.3f, 0.3f}, lstm.biasIh.value.toArray());
        assertArrayEquals(new float[] {0.3f, 0.3f, 0f, 0f, 0.3f, 0.3f, 0.3f, 0.3f}, lstm.biasHh.value.toArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru"})
    void lifecycleMisuseIsExplained(String cell) {
        RecurrentLayer layer = layer(cell, D, H);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> layer.backward(null, null));
        assertTrue(e.getMessage().startsWith("backward() called before forward()"), e.getMessage());
        assertThrows(IllegalStateException.class, layer::finalState);
        layer.forward(new Matrix(2, D), 2, 1, new Matrix(1, layer.stateSize()));
        e = assertThrows(IllegalStateException.class, layer::initialStateGradient);
        assertTrue(e.getMessage().startsWith("initialStateGradient() called before backward()"), e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(new Matrix(2, D), 2, 1, new Matrix(1, H + 1)));
        assertTrue(bad.getMessage().contains("initial state"), bad.getMessage());
    }

    private static void set(Parameter p, float... values) {
        assertEquals(p.size(), values.length, p.name());
        System.arraycopy(values, 0, p.value.data, p.value.offset, values.length);
    }

    private static void assertClose(Matrix expected, Matrix actual, double tol, String what) {
        assertEquals(expected.shape(), actual.shape(), what);
        for (int i = 0; i < expected.size(); i++) {
            float e = expected.data[expected.offset + i];
            float a = actual.data[actual.offset + i];
            assertTrue(Math.abs(e - a) <= tol, what + "[" + i + "]: expected " + e + ", got " + a);
        }
    }
}
