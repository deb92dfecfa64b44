package org.rnn4j.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.diag.DiagFixtures.Kind;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.RecurrentStack;
import org.rnn4j.nn.LstmLayer;
import org.rnn4j.nn.Parameter;

/** Saturation shares and memory-gate statistics on layers pushed into known regimes by their biases. */
class SaturationTest {
    private static final int T = 5;
    private static final int B = 2;
    private static final int D = 2;
    private static final int H = 4;

    @Test
    void lstmForgetGateOpenOrShut() {
        for (float bias : new float[] {10f, -10f}) {
            Rng rng = new Rng(1);
            RecurrentStack stack = DiagFixtures.stack(Kind.LSTM, 1, D, H, 0.1f, rng);
            ((LstmLayer) stack.layer(0)).setForgetGateBias(bias);
            Saturation.LayerSaturation s = Saturation.measure(probe(stack, rng, null)).get(0);
            assertEquals(List.of("i", "f", "g", "o", "tanh(c)"), s.parts());
            Saturation.GateStatistics f = s.memoryGate();
            assertEquals("f", f.gate());
            for (int t = 0; t < T; t++) {
                assertEquals(1.0, s.share()[1][t], "forget gate saturated at step " + t);
                assertEquals(0.0, s.share()[2][t], "g stays in its linear range at step " + t);
                if (bias > 0) {
                    assertTrue(f.mean()[t] > 0.9999 && f.quantiles()[0][t] > 0.9999, "f ≈ 1 at step " + t);
                } else {
                    assertTrue(f.mean()[t] < 1e-4 && f.quantiles()[4][t] < 1e-4, "f ≈ 0 at step " + t);
                }
            }
        }
    }

    @Test
    void gruUpdateGateStatisticsAndVariableLengths() {
        Rng rng = new Rng(2);
        RecurrentStack stack = DiagFixtures.stack(Kind.GRU, 1, D, H, 0.1f, rng);
        Parameter biasIh = stack.parameters().get(2);
        for (int k = 0; k < H; k++) {
            biasIh.value.set(0, H + k, k - 1.5f); // b_iz = −1.5, −0.5, 0.5, 1.5 across the units
        }
        Saturation.LayerSaturation s = Saturation.measure(probe(stack, rng, new int[] {4, 2})).get(0);
        assertEquals(List.of("r", "z", "n"), s.parts());
        Saturation.GateStatistics z = s.memoryGate();
        assertEquals("z", z.gate());
        double[] levels = Saturation.quantileLevels();
        for (int t = 0; t < 4; t++) {
            assertEquals(0.5, z.mean()[t], 0.05, "z spread symmetrically around 1/2 at step " + t);
            for (int q = 1; q < levels.length; q++) {
                assertTrue(z.quantiles()[q][t] >= z.quantiles()[q - 1][t]);
            }
            assertTrue(z.quantiles()[0][t] < 0.25 && z.quantiles()[4][t] > 0.75);
        }
        assertTrue(Double.isNaN(z.mean()[4]) && Double.isNaN(s.share()[0][4]), "no sequence reaches step 4");
    }

    @Test
    void deadReluAndSaturatedSigmoid() {
        Rng rng = new Rng(3);
        RecurrentStack relu = DiagFixtures.stack(Kind.RNN_RELU, 1, D, H, 0.1f, rng);
        relu.parameters().get(2).value.fill(-5f); // every pre-activation negative: every unit dead
        Saturation.LayerSaturation r = Saturation.measure(probe(relu, rng, null)).get(0);
        assertNull(r.memoryGate());
        for (int t = 0; t < T; t++) {
            assertEquals(1.0, r.share()[0][t]);
        }
        RecurrentStack sigmoid = DiagFixtures.stack(Kind.RNN_SIGMOID, 1, D, H, 0.1f, rng);
        Matrix bias = sigmoid.parameters().get(2).value;
        bias.set(0, 0, 8f);  // σ(8) = 0.99966: |2y − 1| > 0.99
        bias.set(0, 1, -8f);
        bias.set(0, 2, 3f);  // σ(3) = 0.953: not saturated
        Saturation.LayerSaturation s = Saturation.measure(probe(sigmoid, rng, null)).get(0);
        for (int t = 0; t < T; t++) {
            assertEquals(0.5, s.share()[0][t], "two of four units at step " + t);
        }
        assertEquals(0.75, Saturation.measure(probe(sigmoid, rng, null), 0.8).get(0).share()[0][0], "a lower limit");
    }

    @Test
    void quantilesInterpolateBetweenOrderStatistics() {
        double[] v = {1, 2, 3, 4, 5};
        assertEquals(1.2, Saturation.quantile(v, 0.05), 1e-12);
        assertEquals(2.0, Saturation.quantile(v, 0.25), 1e-12);
        assertEquals(3.0, Saturation.quantile(v, 0.5), 1e-12);
        assertEquals(4.8, Saturation.quantile(v, 0.95), 1e-12);
        assertEquals(7.0, Saturation.quantile(new double[] {7}, 0.95), 0);
    }

    private static StackProbe probe(RecurrentStack stack, Rng rng, int[] lengths) {
        StackProbe.Builder b = StackProbe.builder(stack).input(DiagFixtures.uniform(T * B, D, 1f, rng), T, B);
        if (lengths != null) {
            b.lengths(lengths);
        }
        return b.build();
    }
}
