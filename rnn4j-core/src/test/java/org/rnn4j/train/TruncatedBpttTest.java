package org.rnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.data.TbpttBatcher;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.CellType;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.ModelConfig;
import org.rnn4j.model.RecurrentState;
import org.rnn4j.nn.Init;

/**
 * Truncated BPTT with k1 steps per update and k2 steps back-propagated. With a learning rate so small
 * that the parameters never change (every update rounds away in float32), each update's loss and gradient
 * must equal a direct computation: the new k1 steps scored, back-propagated through the k2 steps before
 * the update, from the state that a forward pass from the start of the stream reaches there.
 */
class TruncatedBpttTest {
    private static final int B = 2;
    private static final int V = 5;

    private static int[] tokens(int n, long seed) {
        Rng rng = new Rng(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = rng.nextInt(V);
        }
        return t;
    }

    private static LanguageModel model() {
        return LanguageModel.create(ModelConfig.builder().cell(CellType.GRU).vocabSize(V).embeddingDim(3).hiddenSize(6)
                .numLayers(2).build(), Init.RecurrentInit.PYTORCH, new Rng(4));
    }

    /**
     * Also with gradient checkpointing in chunks of 2 steps, against the same direct computation without
     * it: the state carried to the next overlapping window then comes from the checkpointed layers'
     * copyStateAfter, which recomputes the chunk holding that step. Within the 1e-6 tolerance: the chunked
     * sums differ from the direct ones by float rounding only (≈1e-7 here).
     */
    @ParameterizedTest(name = "checkpoint every {0}")
    @ValueSource(ints = {0, 2})
    void eachUpdateBackPropagatesK2StepsFromTheCarriedState(int checkpointEvery) {
        int k1 = 3;
        int k2 = 7;
        int[] data = tokens(2 * 23 + 1, 9); // streams of 23 steps: windows 3,3,...,3,2 — not a multiple of k1
        LanguageModel m = model();
        TbpttBatcher batcher = new TbpttBatcher(data, B, k1);
        int updates = batcher.windowsPerEpoch() + 2; // into the second epoch: the history must reset
        TrainingConfig tc = TrainingConfig.builder().steps(updates).seqLen(k1).backpropSteps(k2).batch(B)
                .learningRate(1e-30f).clipNorm(0).evalEvery(1000).checkpointEvery(checkpointEvery).build();
        List<Double> losses = new ArrayList<>();
        List<float[]> grads = new ArrayList<>();
        new Trainer(m, batcher, data, tc, new TrainingListener() {
            @Override
            public void onStep(StepMetrics s) {
                losses.add(s.loss());
                grads.add(m.parameter("rnn.weight_hh_l0").grad.toArray());
            }
        }).run();
        assertEquals(checkpointEvery, m.rnn().checkpointEvery(), "the trainer runs the model as configured");

        // The same stream layout as the batcher: stream b is data[b*L .. b*L + L], L = (n − 1) / B.
        int len = (data.length - 1) / B;
        int[] x = new int[len * B];
        int[] y = new int[len * B];
        for (int t = 0; t < len; t++) {
            for (int b = 0; b < B; b++) {
                x[t * B + b] = data[b * len + t];
                y[t * B + b] = data[b * len + t + 1];
            }
        }
        LanguageModel ref = model();
        for (int u = 0; u < updates; u++) {
            int w = u % batcher.windowsPerEpoch();
            int end = Math.min((w + 1) * k1, len);
            int start = Math.max(0, w * k1 - (k2 - k1)); // the new steps plus up to k2 − k1 steps before them
            RecurrentState s = ref.newState(B);
            if (start > 0) {
                ref.forward(Arrays.copyOfRange(x, 0, start * B), null, start, B, s);
            }
            int[] xs = Arrays.copyOfRange(x, start * B, end * B);
            int[] ys = Arrays.copyOfRange(y, start * B, end * B);
            Arrays.fill(ys, 0, (w * k1 - start) * B, -1); // only the new steps are scored
            ref.zeroGrad();
            double loss = ref.forwardBackward(xs, ys, end - start, B, s, 1f / B).mean();
            assertEquals(loss, losses.get(u), 1e-6, "loss of update " + u);
            assertArrayEquals(ref.parameter("rnn.weight_hh_l0").grad.toArray(), grads.get(u), 1e-6f, "gradient of update " + u);
        }
    }

    @Test
    void k2EqualToK1IsPlainTruncatedBptt() {
        int[] data = tokens(200, 3);
        float[][] out = new float[2][];
        for (int run = 0; run < 2; run++) {
            LanguageModel m = model();
            TrainingConfig.Builder b = TrainingConfig.builder().steps(12).seqLen(5).batch(B).evalEvery(100);
            if (run == 1) {
                b.backpropSteps(5);
            }
            new Trainer(m, new TbpttBatcher(data, B, 5), data, b.build(), new TrainingListener() { }).run();
            out[run] = m.parameter("decoder.weight").value.toArray();
        }
        assertArrayEquals(out[0], out[1]);
    }
}
