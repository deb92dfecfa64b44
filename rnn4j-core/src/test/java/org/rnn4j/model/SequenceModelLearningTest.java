package org.rnn4j.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.nn.Init;
import org.rnn4j.optim.Clipping;
import org.rnn4j.optim.Sgd;

/**
 * Two tiny tasks that a working model learns in a few hundred plain-SGD steps, on variable-length
 * batches generated from a seeded {@link Rng}:
 * <ul>
 *   <li>many-to-one classification: is the sum of a sequence of real numbers positive?</li>
 *   <li>many-to-many tagging: is each token equal to the one before it? (step 0 has no target)</li>
 * </ul>
 * Accuracy is measured on fresh sequences. A broken mask, summary or gradient leaves the models near
 * chance (50%) or the majority class (75%).
 */
class SequenceModelLearningTest {
    private static final int BATCH = 32;
    private static final int MAX_STEPS = 8;
    private static final float CLIP_NORM = 5f;

    @Test
    void learnsTheSignOfASum() {
        SequenceModelConfig c = SequenceModelConfig.builder(SequenceTask.CLASSIFY).cell(CellType.GRU).featureSize(1)
                .hiddenSize(8).outputSize(2).build();
        Rng rng = new Rng(2024);
        SequenceModel model = SequenceModel.create(c, Init.RecurrentInit.PYTORCH, rng.split("init"));
        Rng data = rng.split("data");
        train(model, 300, 0.5f, () -> signOfSum(data, BATCH));
        double accuracy = model.forward(signOfSum(rng.split("test"), 500)).accuracy();
        assertTrue(accuracy > 0.9, "sign-of-sum accuracy " + accuracy);
    }

    @Test
    void learnsToTagRepeatedTokens() {
        int v = 4;
        SequenceModelConfig c = SequenceModelConfig.builder(SequenceTask.TAG).cell(CellType.GRU).vocabSize(v)
                .embeddingDim(4).hiddenSize(16).outputSize(2).build();
        Rng rng = new Rng(7);
        SequenceModel model = SequenceModel.create(c, Init.RecurrentInit.PYTORCH, rng.split("init"));
        Rng data = rng.split("data");
        train(model, 300, 2f, () -> repeats(data, BATCH, v));
        double accuracy = model.forward(repeats(rng.split("test"), 200, v)).accuracy();
        assertTrue(accuracy > 0.95, "repeated-token tagging accuracy " + accuracy + " (majority class: 0.75)");
    }

    /**
     * Plain SGD on the mean loss per item, with the gradient norm clipped at 5 and the learning rate cut
     * to a quarter for the last third of the steps (the noise of 32-sequence batches otherwise keeps the
     * accuracy swinging by a few points from step to step).
     */
    private static void train(SequenceModel model, int steps, float learningRate,
                              java.util.function.Supplier<SequenceBatch> batches) {
        Sgd sgd = new Sgd(model.parameters(), learningRate);
        for (int step = 0; step < steps; step++) {
            if (step == steps * 2 / 3) {
                sgd.setLearningRate(learningRate / 4);
            }
            SequenceBatch batch = batches.get();
            model.zeroGrad();
            SequenceModel.Result r = model.forwardBackward(batch, 1f / countedItems(model, batch), null);
            assertTrue(Double.isFinite(r.sum()), "loss at step " + step);
            Clipping.clipGlobalNorm(model.parameters(), CLIP_NORM);
            sgd.step();
        }
    }

    private static int countedItems(SequenceModel model, SequenceBatch batch) {
        return model.config().shape() == SequenceShape.MANY_TO_ONE ? batch.batch() : (int) batch.realSteps();
    }

    /** Sequences of 1..8 values U(−1, 1); the class is 1 when their sum is positive. */
    private static SequenceBatch signOfSum(Rng rng, int batch) {
        Matrix[] seqs = new Matrix[batch];
        int[] labels = new int[batch];
        for (int b = 0; b < batch; b++) {
            seqs[b] = new Matrix(1 + rng.nextInt(MAX_STEPS), 1);
            rng.fillUniform(seqs[b], -1f, 1f);
            double sum = 0;
            for (float x : seqs[b].toArray()) {
                sum += x;
            }
            labels[b] = sum > 0 ? 1 : 0;
        }
        return SequenceBatch.padFeatures(seqs).withClassTargets(labels);
    }

    /** Sequences of 2..8 tokens of V; tag 1 where a token repeats the previous one, none at step 0. */
    private static SequenceBatch repeats(Rng rng, int batch, int v) {
        int[][] seqs = new int[batch][];
        int[][] tags = new int[batch][];
        for (int b = 0; b < batch; b++) {
            int len = 2 + rng.nextInt(MAX_STEPS - 1);
            seqs[b] = new int[len];
            tags[b] = new int[len];
            for (int t = 0; t < len; t++) {
                seqs[b][t] = rng.nextInt(v);
                tags[b][t] = t == 0 ? SequenceBatch.NO_TARGET : seqs[b][t] == seqs[b][t - 1] ? 1 : 0;
            }
        }
        return SequenceBatch.padTokens(seqs).withStepClassTargets(tags);
    }
}
