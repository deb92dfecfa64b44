package org.rnn4j.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnn4j.diag.DiagFixtures.Kind;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.CellType;
import org.rnn4j.model.RecurrentStack;
import org.rnn4j.model.RecurrentState;
import org.rnn4j.nn.RecurrentLayer;

/**
 * The Jacobian products against brute force: each column of ∂s_t/∂s_k by central differences of the
 * library's float layer re-run from a perturbed state s_k, and σ_max of that matrix by a dense Jacobi
 * eigen-solve of JᵀJ. Float32 limits the differences: with ε = 1e-2 the truncation error is O(ε²) ≈ 1e-4
 * relative and the rounding of states of order 1 (a few ulps, 2e-7) divided by ε adds an absolute 2e-5, so
 * entries agree to 1e-3 of the largest entry plus that noise (the same tolerance for σ_max). Long products
 * are tiny, so there the noise dominates; the short lags are the sharp checks. ReLU uses ε = 1e-3 to stay
 * off its kinks.
 */
class JacobianNormsTest {
    private static final int T = 8;
    private static final int B = 2;
    private static final int D = 2;
    private static final int H = 3;

    @ParameterizedTest
    @EnumSource(Kind.class)
    void productsAndNormsMatchFiniteDifferencesOfTheLayer(Kind kind) {
        Rng rng = new Rng(100 + kind.ordinal());
        RecurrentStack stack = DiagFixtures.stack(kind, 1, D, H, 0.9f, rng);
        Matrix x = DiagFixtures.uniform(T * B, D, 1f, rng);
        RecurrentState s0 = DiagFixtures.randomState(stack, B, 0.5f, rng);
        StackProbe probe = StackProbe.builder(stack).input(x, T, B).initialState(s0).build();
        double eps = kind == Kind.RNN_RELU ? 1e-3 : 1e-2;
        double noise = 2e-7 / eps; // float rounding of states of order 1 (a few ulps), divided by the 2ε step
        int[][] pairs = {{7, 3}, {7, -1}, {2, 1}, {5, 0}};
        for (int b = 0; b < B; b++) {
            for (int[] p : pairs) {
                for (JacobianProduct.Part part : JacobianProduct.Part.values()) {
                    int t = p[0], k = p[1];
                    JacobianProduct j = probe.jacobian(0, b, t, k, part);
                    double[][] fd = finiteDifferences(stack.layer(0), x, s0.layer(0), b, t, k, eps, j.dimension());
                    double[][] an = DiagFixtures.dense(j);
                    double tol = 1e-3 * DiagFixtures.maxAbs(fd) + noise;
                    for (int r = 0; r < fd.length; r++) {
                        for (int c = 0; c < fd.length; c++) {
                            assertEquals(fd[r][c], an[r][c], tol, kind + " " + part + " J(" + t + "," + k + ")[" + r + "][" + c
                                    + "] of sequence " + b);
                        }
                    }
                    double brute = DiagFixtures.denseSpectralNorm(fd);
                    JacobianProduct.SpectralNorm sigma = j.spectralNorm(rng);
                    assertTrue(sigma.converged(), kind + " power iteration did not converge");
                    assertEquals(brute, sigma.value(), 1e-3 * brute + noise, kind + " " + part + " ‖J(" + t + "," + k + ")‖₂");
                    assertEquals(DiagFixtures.denseSpectralNorm(an), sigma.value(), 1e-8 * brute, kind + " exact σ_max");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void byLagUsesTheSameNormsAndStaysUnderItsBounds(Kind kind) {
        Rng rng = new Rng(200 + kind.ordinal());
        int steps = 12;
        RecurrentStack stack = DiagFixtures.stack(kind, 2, D, H, 1.2f, rng);
        Matrix x = DiagFixtures.uniform(steps * B, D, 1f, rng);
        StackProbe probe = StackProbe.builder(stack).input(x, steps, B).lengths(new int[] {12, 9}).build();
        JacobianNorms.Options one = JacobianNorms.Options.DEFAULT.withMaxLag(8).withMaxSequences(1).withIterations(500, 1e-12);
        List<JacobianNorms.LayerJacobians> layers = JacobianNorms.measure(probe, one);
        assertEquals(2, layers.size());
        for (int l = 0; l < 2; l++) {
            JacobianNorms.LayerJacobians lj = layers.get(l);
            assertEquals(0, lj.unconverged(), kind + " layer " + l);
            assertEquals(1.0, lj.norms().geometricMean(0), 0);
            for (int lag = 1; lag <= 8; lag++) { // one anchor: t = 11 of sequence 0
                double direct = probe.jacobian(l, 0, 11, 11 - lag, JacobianProduct.Part.STATE).spectralNorm(rng).value();
                assertEquals(direct, lj.norms().geometricMean(lag), 1e-7 * direct, kind + " lag " + lag);
                assertEquals(1, lj.norms().count(lag));
            }
        }
        // several anchors on both sequences: every anchor obeys ‖J(t,k)‖ ≤ Π‖J_j‖ ≤ (‖W_hh‖γ)^(t−k), so do the means
        JacobianNorms.Options many = one.withMaxSequences(2).withEndsPerSequence(3).withMaxLag(20);
        for (JacobianNorms.LayerJacobians lj : JacobianNorms.measure(probe, many)) {
            for (int lag = 1; lag <= 12; lag++) {
                assertTrue(lj.norms().logMean(lag) <= lj.stepProduct().logMean(lag) + 1e-9, kind + " lag " + lag);
                assertTrue(lj.norms().max(lag) <= lj.stepProduct().max(lag) * (1 + 1e-9), kind + " lag " + lag);
                if (kind.cell == CellType.RNN) {
                    assertTrue(lj.stepProduct().max(lag) <= lj.bound(lag) * (1 + 1e-9), kind + " lag " + lag);
                } else {
                    assertTrue(Double.isNaN(lj.bound(lag)));
                }
            }
            assertEquals(0, lj.norms().count(13), "no anchor reaches beyond its sequence's initial state");
        }
    }

    /**
     * ∂s_t/∂s_k of sequence b (columns i of the chosen part) by central differences: the float layer is
     * re-run from s_k ± ε e_i over steps k+1 … t.
     */
    static double[][] finiteDifferences(RecurrentLayer layer, Matrix x, Matrix s0, int b, int t, int k, double eps,
                                        int dim) {
        int s = layer.stateSize();
        Matrix sk = new Matrix(1, s);
        if (k < 0) {
            for (int c = 0; c < s; c++) {
                sk.set(0, c, s0.get(b, c));
            }
        } else {
            layer.forward(x, T, B, s0);
            Matrix all = new Matrix(B, s);
            layer.copyStateAfter(k, all);
            for (int c = 0; c < s; c++) {
                sk.set(0, c, all.get(b, c));
            }
        }
        Matrix xs = DiagFixtures.steps(x, B, b, k + 1, t - k);
        double[][] j = new double[dim][dim];
        for (int i = 0; i < dim; i++) {
            float saved = sk.get(0, i);
            float up = (float) (saved + eps);
            float down = (float) (saved - eps);
            sk.set(0, i, up);
            double[] plus = finalState(layer, xs, t - k, sk);
            sk.set(0, i, down);
            double[] minus = finalState(layer, xs, t - k, sk);
            sk.set(0, i, saved);
            for (int r = 0; r < dim; r++) {
                j[r][i] = (plus[r] - minus[r]) / ((double) up - down);
            }
        }
        return j;
    }

    private static double[] finalState(RecurrentLayer layer, Matrix xs, int steps, Matrix state) {
        layer.forward(xs, steps, 1, state);
        Matrix out = new Matrix(1, layer.stateSize());
        layer.copyStateAfter(steps - 1, out);
        double[] v = new double[out.cols];
        for (int c = 0; c < v.length; c++) {
            v[c] = out.get(0, c);
        }
        return v;
    }
}
