package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.rnn4j.diag.GradientChecker;
import org.rnn4j.matrix.Activation;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;

/**
 * Gradient checks of every layer: the Elman layer for each activation (with the gradient of its input,
 * its given initial state and its final state), Linear, Embedding and the two losses.
 * Loss for layers: a random linear function Σ out·R + Σ h_T·S, so every output element matters.
 */
class LayerGradientTest {
    private static final int T = 4;
    private static final int B = 3;
    private static final int D = 5;
    private static final int H = 6;

    @ParameterizedTest
    @EnumSource(Activation.class)
    void elmanLayerGradients(Activation act) {
        Rng rng = new Rng(11 + act.ordinal());
        ElmanLayer layer = new ElmanLayer("rnn.", 0, "", D, H, act);
        for (Parameter p : layer.parameters()) {
            rng.fillUniform(p.value, -0.7f, 0.7f);
        }
        Parameter x = wrap("input", T * B, D, rng);
        Parameter h0 = wrap("h0", B, H, rng);
        Matrix r = new Matrix(T * B, H);
        Matrix s = new Matrix(B, H);
        rng.fillUniform(r, -1f, 1f);
        rng.fillUniform(s, -1f, 1f);
        List<Parameter> all = new ArrayList<>(layer.parameters());
        all.add(x);
        all.add(h0);
        GradientChecker.Objective f = new GradientChecker.Objective() {
            @Override
            public double loss() {
                Matrix out = layer.forward(x.value, T, B, h0.value);
                return Kernels.dot(out, r) + Kernels.dot(layer.finalState(), s);
            }

            @Override
            public double lossAndGradient() {
                all.forEach(Parameter::zeroGrad);
                double l = loss();
                Kernels.addInPlace(x.grad, layer.backward(r, s));
                Kernels.addInPlace(h0.grad, layer.initialStateGradient());
                return l;
            }
        };
        GradientChecker.Report report = new GradientChecker().check(f, all);
        assertTrue(report.passed(), act + ": " + report.summary());
    }

    @Test
    void linearGradients() {
        Rng rng = new Rng(3);
        Linear lin = new Linear("decoder.", D, H);
        for (Parameter p : lin.parameters()) {
            rng.fillUniform(p.value, -1f, 1f);
        }
        Parameter x = wrap("input", 7, D, rng);
        Matrix r = new Matrix(7, H);
        rng.fillUniform(r, -1f, 1f);
        List<Parameter> all = new ArrayList<>(lin.parameters());
        all.add(x);
        GradientChecker.Report report = new GradientChecker().check(new GradientChecker.Objective() {
            @Override
            public double loss() {
                return Kernels.dot(lin.forward(x.value), r);
            }

            @Override
            public double lossAndGradient() {
                all.forEach(Parameter::zeroGrad);
                double l = loss();
                Kernels.addInPlace(x.grad, lin.backward(r));
                return l;
            }
        }, all);
        assertTrue(report.passed(), report.summary());
    }

    @Test
    void embeddingGradientsAccumulateRepeatedTokens() {
        Rng rng = new Rng(4);
        Embedding emb = new Embedding("embedding.", 5, 3);
        rng.fillUniform(emb.weight().value, -1f, 1f);
        int[] ids = {1, 4, 1, 0, 1};
        Matrix r = new Matrix(ids.length, 3);
        rng.fillUniform(r, -1f, 1f);
        GradientChecker.Report report = new GradientChecker().check(new GradientChecker.Objective() {
            @Override
            public double loss() {
                return Kernels.dot(emb.forward(ids, ids.length), r);
            }

            @Override
            public double lossAndGradient() {
                emb.weight().zeroGrad();
                double l = loss();
                emb.backward(r);
                return l;
            }
        }, emb.parameters());
        assertTrue(report.passed(), report.summary());
    }

    @Test
    void softmaxCrossEntropyGradientWithMask() {
        Rng rng = new Rng(5);
        Parameter z = wrap("logits", 4, 6, rng);
        int[] targets = {2, -100, 0, 5};
        GradientChecker.Report report = new GradientChecker().check(new GradientChecker.Objective() {
            @Override
            public double loss() {
                return SoftmaxCrossEntropy.forward(z.value, targets, null).sum();
            }

            @Override
            public double lossAndGradient() {
                return SoftmaxCrossEntropy.forward(z.value, targets, z.grad).sum();
            }
        }, List.of(z));
        assertTrue(report.passed(), report.summary());
        for (int c = 0; c < 6; c++) {
            assertTrue(z.grad.get(1, c) == 0f, "a masked row must get no gradient");
        }
    }

    @Test
    void meanSquaredErrorGradientWithMask() {
        Rng rng = new Rng(6);
        Parameter y = wrap("prediction", 3, 2, rng);
        Matrix target = new Matrix(3, 2);
        rng.fillUniform(target, -1f, 1f);
        boolean[] mask = {true, false, true};
        GradientChecker.Report report = new GradientChecker().check(new GradientChecker.Objective() {
            @Override
            public double loss() {
                return MeanSquaredError.forward(y.value, target, mask, null).sum();
            }

            @Override
            public double lossAndGradient() {
                return MeanSquaredError.forward(y.value, target, mask, y.grad).sum();
            }
        }, List.of(y));
        assertTrue(report.passed(), report.summary());
    }

    @Test
    void checkerCatchesAWrongGradient() {
        // The checker itself must be able to fail: report a gradient that is off by 10%.
        Rng rng = new Rng(7);
        Parameter z = wrap("z", 2, 3, rng);
        GradientChecker.Report report = new GradientChecker().check(new GradientChecker.Objective() {
            @Override
            public double loss() {
                return Kernels.sumOfSquares(z.value);
            }

            @Override
            public double lossAndGradient() {
                for (int i = 0; i < z.size(); i++) {
                    z.grad.data[i] = 2.2f * z.value.data[i];
                }
                return loss();
            }
        }, List.of(z));
        assertTrue(!report.passed() && report.failures().get(0).toString().startsWith("z["), report.summary());
    }

    @Test
    void kinkSkippingStillCatchesAWrongGradientWhereTheLossIsSmooth() {
        Rng rng = new Rng(8);
        Parameter z = wrap("z", 2, 3, rng);
        GradientChecker.Report report = new GradientChecker().epsilon(1e-3).skipKinks().check(
                new GradientChecker.Objective() {
                    @Override
                    public double loss() {
                        return Kernels.sumOfSquares(z.value);
                    }

                    @Override
                    public double lossAndGradient() {
                        for (int i = 0; i < z.size(); i++) {
                            z.grad.data[i] = 2.2f * z.value.data[i];
                        }
                        return loss();
                    }
                }, List.of(z));
        assertTrue(!report.passed() && report.kinks().isEmpty(), report.summary());
    }

    static Parameter wrap(String name, int rows, int cols, Rng rng) {
        Parameter p = Parameter.matrix(name, rows, cols);
        rng.fillUniform(p.value, -1f, 1f);
        return p;
    }
}
