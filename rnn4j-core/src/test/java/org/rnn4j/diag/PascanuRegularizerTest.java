package org.rnn4j.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnn4j.diag.DiagFixtures.Kind;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.CellType;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.RecurrentStack;
import org.rnn4j.nn.ElmanLayer;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Parameter;

/**
 * Pascanu et al.'s Ω: its gradient with respect to W_hh checked by central differences (the
 * {@link GradientChecker} with its float32 tolerances), its terms against the Jacobian operator, and its
 * value where it is known: 0 for a norm-preserving linear recurrence, 1 per step for W_hh = 2·I.
 */
class PascanuRegularizerTest {
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"RNN_TANH", "RNN_SIGMOID", "RNN_RELU"})
    void gradientWithRespectToTheRecurrentMatrix(Kind kind) {
        Rng rng = new Rng(500 + kind.ordinal());
        LanguageModel model = DiagFixtures.languageModel(kind, 1, 5, 4, 0.9f, rng);
        int steps = 6;
        int batch = 2;
        int[] tokens = DiagFixtures.tokens(steps * batch, 5, rng);
        int[] targets = DiagFixtures.tokens(steps * batch, 5, rng);
        PascanuRegularizer omega = PascanuRegularizer.of(StackProbe.of(model, tokens, targets, steps, batch, null), 0);
        assertEquals(steps * batch, omega.terms());
        Parameter w = model.parameter("rnn.weight_hh_l0");
        Parameter probe = Parameter.matrix("rnn.weight_hh_l0", 4, 4); // a copy to perturb, so the model stays as it was
        probe.value.copyFrom(w.value);
        assertEquals(omega.omega(), omega.omega(probe.value), 1e-12);
        GradientChecker.Report report = new GradientChecker().check(new GradientChecker.Objective() {
            @Override
            public double loss() {
                return omega.omega(probe.value);
            }

            @Override
            public double lossAndGradient() {
                probe.zeroGrad();
                return omega.addGradient(probe, 1.0);
            }
        }, List.of(probe));
        assertTrue(report.passed(), kind + ": " + report.summary());
        assertTrue(report.maxRelativeError() < 1e-2);
        // training adds α·∂Ω/∂W_hh to the layer's own gradient
        w.zeroGrad();
        omega.addGradient(w, 0.5);
        for (int i = 0; i < 16; i++) {
            assertEquals(0.5 * probe.grad.data[i], w.grad.data[i], 1e-6 * Math.max(1, Math.abs(probe.grad.data[i])));
        }
    }

    @Test
    void termsAreTheJacobiansActionOnTheGradient() {
        Rng rng = new Rng(6);
        LanguageModel model = DiagFixtures.languageModel(Kind.RNN_TANH, 1, 5, 4, 0.9f, rng);
        int[] tokens = DiagFixtures.tokens(10, 5, rng);
        StackProbe probe = StackProbe.of(model, tokens, DiagFixtures.tokens(10, 5, rng), 5, 2, null);
        double expected = 0;
        for (int b = 0; b < 2; b++) {
            for (int j = 0; j < 5; j++) {
                double[] delta = probe.stateGradient(0, b, j);
                double[] carried = probe.jacobian(0, b, j, j - 1, JacobianProduct.Part.STATE).applyTranspose(delta);
                double r = Vectors.norm(carried) / Vectors.norm(delta);
                expected += (r - 1) * (r - 1);
            }
        }
        assertEquals(expected, PascanuRegularizer.of(probe, 0).omega(), 1e-12 * expected);
    }

    @Test
    void knownValuesOfTheSeedsExample() {
        // linear regime (tiny inputs): ∂h_j/∂h_{j−1} ≈ w·I, so each of the 11 terms is ≈ (w − 1)²
        for (float w : new float[] {1f, 2f}) {
            RecurrentStack stack = RecurrentStack.builder(CellType.RNN, 3, 3).build();
            ElmanLayer layer = (ElmanLayer) stack.layer(0);
            Init.identity(layer.parameters().get(0).value, 1f);
            Init.identity(layer.recurrentWeight().value, w);
            Matrix x = new Matrix(11, 3);
            x.fill(1e-6f);
            Matrix dOut = new Matrix(11, 3);
            dOut.rows(10, 1).fill(1f);
            StackProbe probe = StackProbe.builder(stack).input(x, 11, 1).outputGradient(dOut).build();
            PascanuRegularizer omega = PascanuRegularizer.of(probe, 0);
            assertEquals(11, omega.terms());
            assertEquals(11 * (w - 1) * (w - 1), omega.omega(), 1e-3);
        }
    }

    @Test
    void onlyForTheElmanCell() {
        Rng rng = new Rng(7);
        LanguageModel gru = DiagFixtures.languageModel(Kind.GRU, 1, 5, 4, 0.5f, rng);
        StackProbe probe = StackProbe.of(gru, DiagFixtures.tokens(6, 5, rng), DiagFixtures.tokens(6, 5, rng), 3, 2, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PascanuRegularizer.of(probe, 0));
        assertTrue(e.getMessage().contains("Elman"), e.getMessage());
    }
}
