package org.rnn4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.diag.GradientChecker;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Parameter;

/**
 * Gradient checks of whole stacks: every cell × {1, 2} layers × {uni, bi}directional, with a given
 * initial state (checked too) or a learned one, and with dropout between layers (the same masks at
 * every evaluation, from a fixed seed). Loss: a random linear function of the outputs and final states.
 */
class RecurrentStackGradientTest {
    private static final int T = 3;
    private static final int B = 2;
    private static final int D = 4;
    private static final int H = 5;

    static Stream<Arguments> shapes() {
        List<Arguments> a = new ArrayList<>();
        for (CellType cell : CellType.values()) {
            for (int layers = 1; layers <= 2; layers++) {
                for (boolean bi : new boolean[] {false, true}) {
                    a.add(Arguments.of(cell, layers, bi, false, 0f));
                }
            }
            a.add(Arguments.of(cell, 2, true, true, 0f));   // learned initial state
            a.add(Arguments.of(cell, 2, false, false, 0.3f)); // dropout
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} L={1} bi={2} learned={3} dropout={4}")
    @MethodSource("shapes")
    void stackGradients(CellType cell, int layers, boolean bi, boolean learned, float dropout) {
        RecurrentStack.Builder b = RecurrentStack.builder(cell, D, H).numLayers(layers).dropout(dropout);
        if (bi) {
            b.bidirectional();
        }
        if (learned) {
            b.learnedInitialState();
        }
        RecurrentStack stack = b.build();
        Rng rng = new Rng(31 + cell.ordinal() * 7 + layers);
        stack.initialize(Init.RecurrentInit.PYTORCH, rng);
        for (Parameter p : stack.parameters()) {
            rng.fillUniform(p.value, -0.6f, 0.6f); // larger than the init, so every path matters
        }
        Parameter x = Parameter.matrix("input", T * B, D);
        rng.fillUniform(x.value, -1f, 1f);
        List<Parameter> given = new ArrayList<>();
        for (int k = 0; k < layers; k++) {
            Parameter s = Parameter.matrix("state0_l" + k, B, stack.layer(k).stateSize());
            rng.fillUniform(s.value, -0.5f, 0.5f);
            given.add(s);
        }
        Matrix r = new Matrix(T * B, stack.outputSize());
        rng.fillUniform(r, -1f, 1f);
        List<Matrix> sWeights = new ArrayList<>();
        for (int k = 0; k < layers; k++) {
            Matrix s = new Matrix(B, stack.layer(k).stateSize());
            rng.fillUniform(s, -1f, 1f);
            sWeights.add(s);
        }
        List<Parameter> all = new ArrayList<>(stack.parameters());
        all.add(x);
        if (!learned) {
            all.addAll(given);
        }
        GradientChecker.Objective f = new GradientChecker.Objective() {
            RecurrentState state() {
                RecurrentState s = stack.newState(B);
                if (!learned) {
                    for (int k = 0; k < layers; k++) {
                        s.layer(k).copyFrom(given.get(k).value);
                    }
                }
                return s;
            }

            @Override
            public double loss() {
                RecurrentState s = state();
                Matrix out = stack.forward(x.value, T, B, s, dropout > 0 ? new Rng(99) : null);
                double l = Kernels.dot(out, r);
                for (int k = 0; k < layers; k++) {
                    l += Kernels.dot(s.layer(k), sWeights.get(k));
                }
                return l;
            }

            @Override
            public double lossAndGradient() {
                all.forEach(Parameter::zeroGrad);
                double l = loss();
                RecurrentState dFinal = stack.newState(B);
                for (int k = 0; k < layers; k++) {
                    dFinal.layer(k).copyFrom(sWeights.get(k));
                }
                Kernels.addInPlace(x.grad, stack.backward(r.copy(), dFinal));
                if (!learned) {
                    for (int k = 0; k < layers; k++) {
                        Kernels.addInPlace(given.get(k).grad, stack.initialStateGradient().layer(k));
                    }
                }
                return l;
            }
        };
        // The loss sums ~100 float32 outputs of order 0.5, each rounded (≈3e-8): about 1e-6 of noise in L,
        // so difference quotients with ε = 1e-2 resolve gradients only to ≈5e-5. Below 1e-2, compare
        // absolutely at that level (tolerance 1e-2 × floor 1e-2 = 1e-4).
        GradientChecker.Report report = new GradientChecker().floor(1e-2).check(f, all);
        assertTrue(report.passed(), cell + " L=" + layers + " bi=" + bi + ": " + report.summary());
    }

    @Test
    void dropoutIsOffAtInferenceAndScalesKeptUnitsInTraining() {
        RecurrentStack stack = RecurrentStack.builder(CellType.GRU, D, H).numLayers(2).dropout(0.5f).build();
        stack.initialize(Init.RecurrentInit.PYTORCH, new Rng(1));
        Matrix x = new Matrix(T * B, D);
        new Rng(2).fillUniform(x, -1f, 1f);
        float[] a = stack.forward(x, T, B, stack.newState(B)).toArray();
        float[] b = stack.forward(x, T, B, stack.newState(B)).toArray();
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b), "inference must be deterministic");
        float[] t1 = stack.forward(x, T, B, stack.newState(B), new Rng(3)).toArray();
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(t1), "training applies dropout");
    }
}
