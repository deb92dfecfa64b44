package org.rnn4j.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnn4j.diag.DiagFixtures.Kind;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.CellType;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.RecurrentState;
import org.rnn4j.model.SequenceBatch;
import org.rnn4j.model.SequenceModel;
import org.rnn4j.model.SequenceModelConfig;
import org.rnn4j.model.SequenceShape;
import org.rnn4j.model.SequenceTask;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.RecurrentLayer;

/**
 * Gradient norms by step and by lag against direct computations with the library's float models:
 * <ul>
 *   <li>∂L/∂s_k by central differences of the language model's loss, re-run from a perturbed state
 *       after step k (the loss of step k read through the decoder, the later steps by the model);</li>
 *   <li>‖∂L_t/∂s_{t−τ}‖ by the model's own backward pass over the window t−τ+1 … t started from the
 *       state s_{t−τ}, with a target at step t only: its initial-state gradient, averaged by lag (for the
 *       lower layer of two, plus the gradient through the upper layer's step t−τ, which h⁰_{t−τ} feeds);</li>
 *   <li>the sequence models' losses and initial-state gradients, many-to-one and many-to-many.</li>
 * </ul>
 * Tolerances: differences of a float32 loss of order 10 with ε = 1e-2 resolve gradients to about 1e-4
 * absolute (1e-3 for ReLU's ε = 1e-3); float backward passes agree with the double probe to 1e-4 relative.
 */
class GradientFlowTest {
    private static final int V = 5;
    private static final int H = 3;
    private static final int T = 6;
    private static final int B = 2;

    @ParameterizedTest
    @EnumSource(Kind.class)
    void gradientByStepMatchesFiniteDifferencesOfTheLoss(Kind kind) {
        Rng rng = new Rng(300 + kind.ordinal());
        LanguageModel model = DiagFixtures.languageModel(kind, 1, V, H, 0.8f, rng);
        int[] tokens = DiagFixtures.tokens(T * B, V, rng);
        int[] targets = DiagFixtures.tokens(T * B, V, rng);
        targets[3] = -1; // a step without a target
        StackProbe probe = StackProbe.of(model, tokens, targets, T, B, null);
        double loss = model.forward(tokens, targets, T, B, model.newState(B)).sum();
        assertEquals(loss, probe.loss(), 1e-5 * loss);

        double eps = kind == Kind.RNN_RELU ? 1e-3 : 1e-2;
        double noise = 1e-6 / eps;
        for (int k : new int[] {0, 2, T - 1}) {
            RecurrentState sk = stateAfter(model, tokens, k);
            for (int b = 0; b < B; b++) {
                double[] analytic = probe.stateGradient(0, b, k);
                for (int i = 0; i < analytic.length; i++) {
                    Matrix s = sk.layer(0);
                    float saved = s.get(b, i);
                    float up = (float) (saved + eps);
                    float down = (float) (saved - eps);
                    s.set(b, i, up);
                    double plus = lossFrom(model, tokens, targets, k, sk);
                    s.set(b, i, down);
                    double minus = lossFrom(model, tokens, targets, k, sk);
                    s.set(b, i, saved);
                    double numeric = (plus - minus) / ((double) up - down);
                    assertEquals(numeric, analytic[i], noise + 1e-3 * Math.abs(numeric),
                            kind + " ∂L/∂s_" + k + "[" + b + "," + i + "]");
                }
            }
        }
        // the by-step summary is the mean over sequences of these norms
        GradientFlow.LayerGradients g = GradientFlow.measure(probe, 3).get(0);
        double mean = (Vectors.norm(probe.stateGradient(0, 0, 2), 0, H) + Vectors.norm(probe.stateGradient(0, 1, 2), 0, H)) / 2;
        assertEquals(mean, g.hiddenNorm()[2], 1e-12);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void gradientByLagMatchesTheModelsOwnBackwardOverEachWindow(Kind kind) {
        Rng rng = new Rng(400 + kind.ordinal());
        LanguageModel model = DiagFixtures.languageModel(kind, 2, V, H, 0.9f, rng);
        int[] tokens = DiagFixtures.tokens(T * B, V, rng);
        int[] targets = DiagFixtures.tokens(T * B, V, rng);
        targets[5] = -1;
        int maxLag = 4;
        StackProbe probe = StackProbe.of(model, tokens, targets, T, B, null);
        List<GradientFlow.LayerGradients> flow = GradientFlow.measure(probe, maxLag);

        double[][] sum = new double[2][maxLag + 1];
        double[][] sumState = new double[2][maxLag + 1];
        int[] count = new int[maxLag + 1];
        for (int t = 0; t < T; t++) {
            for (int b = 0; b < B; b++) {
                if (targets[t * B + b] < 0) {
                    continue;
                }
                for (int lag = 1; lag <= Math.min(maxLag, t + 1); lag++) {
                    int k = t - lag;
                    int[] window = Arrays.copyOfRange(tokens, (k + 1) * B, (t + 1) * B);
                    int[] only = new int[lag * B];
                    Arrays.fill(only, -1);
                    only[(lag - 1) * B + b] = targets[t * B + b];
                    model.zeroGrad();
                    model.forwardBackward(window, only, lag, B, stateAfter(model, tokens, k), 1f);
                    RecurrentState g = model.rnn().initialStateGradient().copy();
                    double[] top = row(g.layer(1), b);
                    double[] bottom = row(g.layer(0), b);
                    if (k >= 0) { // h⁰_k also feeds layer 1 at step k: add that step's input gradient
                        Matrix dX = upperInputGradient(model, tokens, k, g.layer(1));
                        for (int c = 0; c < H; c++) {
                            bottom[c] += dX.get(b, c);
                        }
                    }
                    double[][] rows = {bottom, top};
                    for (int l = 0; l < 2; l++) {
                        sum[l][lag] += Vectors.norm(rows[l], 0, H);
                        sumState[l][lag] += Vectors.norm(rows[l]);
                    }
                    count[lag]++;
                }
            }
        }
        for (int l = 0; l < 2; l++) {
            ByLag hidden = flow.get(l).hiddenByLag();
            ByLag state = flow.get(l).stateByLag();
            for (int lag = 1; lag <= maxLag; lag++) {
                assertEquals(count[lag], hidden.count(lag), kind + " pairs at lag " + lag);
                double direct = sum[l][lag] / count[lag];
                assertEquals(direct, hidden.mean(lag), 1e-4 * direct + 1e-7, kind + " layer " + l + " lag " + lag);
                double directState = sumState[l][lag] / count[lag];
                assertEquals(directState, state.mean(lag), 1e-4 * directState + 1e-7, kind + " state, lag " + lag);
            }
        }
    }

    @Test
    void sequenceModelsGiveTheirLossAndGradients() {
        Rng rng = new Rng(5);
        // many-to-one classification: tokens through an embedding, a 2-layer LSTM, padded sequences
        SequenceModelConfig classify = SequenceModelConfig.builder(SequenceTask.CLASSIFY).cell(CellType.LSTM)
                .vocabSize(6).embeddingDim(3).hiddenSize(H).numLayers(2).outputSize(3).build();
        SequenceModel m1 = SequenceModel.create(classify, Init.RecurrentInit.PYTORCH, rng);
        SequenceBatch b1 = SequenceBatch.padTokens(new int[] {1, 2, 3, 4, 5}, new int[] {5, 0}, new int[] {2, 2, 1})
                .withClassTargets(new int[] {2, 0, 1});
        compare(m1, b1, 2);
        // many-to-many forecasting: real features, a GRU, targets at every real step
        SequenceModelConfig forecast = SequenceModelConfig.builder(SequenceTask.FORECAST).shape(SequenceShape.MANY_TO_MANY)
                .cell(CellType.GRU).featureSize(2).hiddenSize(H).numLayers(1).outputSize(2).build();
        SequenceModel m2 = SequenceModel.create(forecast, Init.RecurrentInit.PYTORCH, rng);
        SequenceBatch b2 = SequenceBatch.padFeatures(DiagFixtures.uniform(4, 2, 1f, rng), DiagFixtures.uniform(3, 2, 1f, rng))
                .withStepValueTargets(DiagFixtures.uniform(4, 2, 1f, rng), DiagFixtures.uniform(3, 2, 1f, rng));
        compare(m2, b2, 1);
        // without targets: no loss, but the trajectory is there
        StackProbe noTargets = StackProbe.of(m2, SequenceBatch.padFeatures(DiagFixtures.uniform(4, 2, 1f, rng)));
        assertTrue(!noTargets.hasLoss() && Double.isNaN(noTargets.loss()));
        assertEquals(H, noTargets.state(0, 0, 3).length);
    }

    private static void compare(SequenceModel model, SequenceBatch batch, int layers) {
        StackProbe probe = StackProbe.of(model, batch);
        model.zeroGrad();
        double loss = model.forwardBackward(batch, 1f, null).sum();
        assertEquals(loss, probe.loss(), 1e-5 * loss, model.config().task().id() + " loss");
        RecurrentState g = model.rnn().initialStateGradient();
        for (int l = 0; l < layers; l++) {
            for (int b = 0; b < batch.batch(); b++) {
                double[] expected = new double[g.layer(l).cols];
                for (int c = 0; c < expected.length; c++) {
                    expected[c] = g.layer(l).get(b, c);
                }
                StackProbeTest.assertClose(expected, probe.stateGradient(l, b, -1), 1e-4,
                        model.config().task().id() + " ∂L/∂s_{−1} layer " + l + " sequence " + b);
            }
        }
    }

    /**
     * (∂s¹_k/∂h⁰_k)ᵀ g: the library's layer 1 run for step k alone from s¹_{k−1} on h⁰_k, back-propagating
     * the gradient g (B × S) of its state after that step.
     */
    private static Matrix upperInputGradient(LanguageModel model, int[] tokens, int k, Matrix g) {
        RecurrentLayer upper = model.rnn().layer(1);
        Matrix before = stateAfter(model, tokens, k - 1).layer(1).copy();
        Matrix at = stateAfter(model, tokens, k).layer(0);
        Matrix h0 = new Matrix(B, H);
        for (int b = 0; b < B; b++) {
            for (int c = 0; c < H; c++) {
                h0.set(b, c, at.get(b, c));
            }
        }
        upper.forward(h0, 1, B, before);
        return upper.backward(null, g);
    }

    private static double[] row(Matrix m, int r) {
        double[] v = new double[m.cols];
        for (int c = 0; c < v.length; c++) {
            v[c] = m.get(r, c);
        }
        return v;
    }

    /** The float model's state after step k (k = −1: the initial state). */
    private static RecurrentState stateAfter(LanguageModel model, int[] tokens, int k) {
        RecurrentState s = model.newState(B);
        if (k >= 0) {
            model.forward(Arrays.copyOf(tokens, (k + 1) * B), null, k + 1, B, s);
        }
        return s;
    }

    /** The part of the loss that depends on the state after step k: L_k through the decoder, then L_{>k}. */
    private static double lossFrom(LanguageModel model, int[] tokens, int[] targets, int k, RecurrentState sk) {
        double loss = 0;
        Matrix w = model.parameter("decoder.weight").value;
        Matrix c = model.parameter("decoder.bias").value;
        Matrix top = sk.layer(sk.numLayers() - 1);
        for (int b = 0; b < B; b++) {
            int y = targets[k * B + b];
            if (y < 0) {
                continue;
            }
            double[] o = new double[V];
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < V; v++) {
                o[v] = c.get(0, v);
                for (int i = 0; i < H; i++) {
                    o[v] += (double) w.get(v, i) * top.get(b, i);
                }
                max = Math.max(max, o[v]);
            }
            double z = 0;
            for (double ov : o) {
                z += Math.exp(ov - max);
            }
            loss += Math.log(z) + max - o[y];
        }
        if (k < T - 1) {
            int rest = T - 1 - k;
            RecurrentState s = sk.copy();
            loss += model.forward(Arrays.copyOfRange(tokens, (k + 1) * B, T * B),
                    Arrays.copyOfRange(targets, (k + 1) * B, T * B), rest, B, s).sum();
        }
        return loss;
    }
}
