package org.rnn4j.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.matrix.Activation;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.CellType;
import org.rnn4j.model.RecurrentStack;
import org.rnn4j.nn.ElmanLayer;
import org.rnn4j.nn.Init;

/**
 * The seeds' worked example: "the distance between steps t and k is around 10, while the weight u_ii is
 * around two … the gradient would be magnified by 2^10 = 1024". An Elman layer with W_hh = 2·I and
 * W_ih = I, driven by a constant input for 11 steps (so that t − k = 10 from the last step to the first),
 * the loss reading only the last step:
 * <ul>
 *   <li>a tiny input keeps tanh in its linear regime (f' ≈ 1): every Jacobian is ≈ 2·I, the gradient
 *       grows ×2 per step back, 1024 at lag 10, and the bound (‖W_hh‖γ)^τ = 2^τ is attained;</li>
 *   <li>an input of 3 saturates tanh (|h| &gt; 0.99, f' ≈ 2e-4): the same weight now makes the
 *       gradient vanish, by more than 20 orders of magnitude over 10 steps.</li>
 * </ul>
 */
class SeedsExampleTest {
    private static final int STEPS = 11; // h_0 … h_10: lag 10 from the last step back to the first

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void linearRegimeMultipliesTheGradientBy1024OverTenSteps(int h) {
        StackProbe probe = probe(h, Activation.TANH, 2f, 1e-6f);
        double sigma = probe.jacobian(0, 0, 10, 0, JacobianProduct.Part.STATE).spectralNorm(new Rng(1)).value();
        assertEquals(1024, sigma, 0.05, "‖∂h_10/∂h_0‖₂");

        JacobianNorms.LayerJacobians j = JacobianNorms.measure(probe, JacobianNorms.Options.DEFAULT.withMaxLag(10)).get(0);
        assertEquals(2.0, j.recurrentNorm(), 1e-12);
        assertEquals(1.0, j.gamma());
        for (int lag = 0; lag <= 10; lag++) {
            assertEquals(Math.pow(2, lag), j.bound(lag), 1e-9 * Math.pow(2, lag));
            assertEquals(Math.pow(2, lag), j.norms().geometricMean(lag), 1e-4 * Math.pow(2, lag), "lag " + lag);
            assertTrue(j.norms().geometricMean(lag) <= j.bound(lag) * (1 + 1e-12));
        }

        GradientFlow.LayerGradients g = GradientFlow.measure(probe, 10).get(0);
        double atLoss = g.hiddenByLag().mean(0);
        assertEquals(Math.sqrt(h), atLoss, 1e-12);
        assertEquals(1024, g.hiddenByLag().mean(10) / atLoss, 0.05, "‖∂L_10/∂h_0‖ / ‖∂L_10/∂h_10‖");
        for (int k = 0; k <= 10; k++) {
            assertEquals(Math.pow(2, 10 - k), g.hiddenNorm()[k] / atLoss, 1e-4 * Math.pow(2, 10 - k), "step " + k);
        }
        assertEquals(0.0, Saturation.measure(probe).get(0).share()[0][10]);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void saturatedRegimeMakesTheSameWeightVanish(int h) {
        StackProbe probe = probe(h, Activation.TANH, 2f, 3f);
        double sigma = probe.jacobian(0, 0, 10, 0, JacobianProduct.Part.STATE).spectralNorm(new Rng(1)).value();
        assertTrue(sigma < 1e-20, "‖∂h_10/∂h_0‖₂ = " + sigma);

        JacobianNorms.LayerJacobians j = JacobianNorms.measure(probe, JacobianNorms.Options.DEFAULT.withMaxLag(10)).get(0);
        GradientFlow.LayerGradients g = GradientFlow.measure(probe, 10).get(0);
        for (int lag = 1; lag <= 10; lag++) {
            assertTrue(j.norms().geometricMean(lag) < 1e-3 * j.norms().geometricMean(lag - 1), "lag " + lag);
            assertTrue(g.hiddenByLag().mean(lag) < 1e-3 * g.hiddenByLag().mean(lag - 1), "lag " + lag);
            assertEquals(Math.pow(2, lag), j.bound(lag), 1e-9 * Math.pow(2, lag), "the bound does not see saturation");
        }
        assertTrue(g.hiddenByLag().mean(10) / g.hiddenByLag().mean(0) < 1e-20);
        Saturation.LayerSaturation s = Saturation.measure(probe).get(0);
        assertEquals(List.of("h"), s.parts());
        for (int t = 0; t < STEPS; t++) {
            assertEquals(1.0, s.share()[0][t], "every unit saturated at step " + t);
        }
    }

    @Test
    void identityReluKeepsEveryLagAtOne() {
        // Le, Jaitly and Hinton's IRNN: W_hh = I with ReLU; a positive drive keeps every unit active, J_t = I
        StackProbe probe = probe(3, Activation.RELU, 1f, 0.5f);
        JacobianNorms.LayerJacobians j = JacobianNorms.measure(probe, JacobianNorms.Options.DEFAULT.withMaxLag(11)).get(0);
        GradientFlow.LayerGradients g = GradientFlow.measure(probe, 11).get(0);
        for (int lag = 0; lag <= 11; lag++) {
            assertEquals(1.0, j.norms().geometricMean(lag), 1e-12, "lag " + lag);
            assertEquals(1.0, j.bound(lag), 1e-12);
            assertEquals(g.hiddenByLag().mean(0), g.hiddenByLag().mean(lag), 1e-12, "lag " + lag);
        }
    }

    /** W_ih = I, W_hh = w·I, no bias; x_t = drive in every unit; ∂L/∂h = 1 at the last step only. */
    private static StackProbe probe(int h, Activation f, float w, float drive) {
        RecurrentStack stack = RecurrentStack.builder(CellType.RNN, h, h).nonlinearity(f).build();
        ElmanLayer layer = (ElmanLayer) stack.layer(0);
        Init.identity(layer.parameters().get(0).value, 1f);
        Init.identity(layer.recurrentWeight().value, w);
        Matrix x = new Matrix(STEPS, h);
        x.fill(drive);
        Matrix dOut = new Matrix(STEPS, h);
        dOut.rows(STEPS - 1, 1).fill(1f);
        return StackProbe.builder(stack).input(x, STEPS, 1).outputGradient(dOut).build();
    }
}
