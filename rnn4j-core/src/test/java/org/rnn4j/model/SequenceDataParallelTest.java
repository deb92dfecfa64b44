package org.rnn4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.MatrixAssertions;
import org.rnn4j.matrix.Rng;
import org.rnn4j.matrix.ScalarGemm;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Parameter;

/**
 * A sequence model's training pass split by sequence across two kernel threads must give the loss, the
 * count of scored items, the correct predictions, every gradient and the head's outputs of the unsplit
 * pass, up to float rounding (1e-5 relative to the largest value): classification, tagging and
 * forecasting, tokens and features, padded sequences, bidirectional stacks. B = 19 splits unevenly (9 and
 * 10); padding holds values that would break anything that read it.
 */
@ExtendWith(SplitPasses.class)
class SequenceDataParallelTest {
    private static final int T = 6;
    private static final int B = 19;
    private static final int V = 6;
    private static final int D = 3;
    private static final int K = 4;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of(SequenceTask.CLASSIFY, SequenceShape.MANY_TO_ONE, CellType.LSTM, false, true),
                Arguments.of(SequenceTask.CLASSIFY, SequenceShape.MANY_TO_ONE, CellType.GRU, true, false),
                Arguments.of(SequenceTask.TAG, SequenceShape.MANY_TO_MANY, CellType.RNN, false, true),
                Arguments.of(SequenceTask.TAG, SequenceShape.MANY_TO_MANY, CellType.LSTM, true, true),
                Arguments.of(SequenceTask.FORECAST, SequenceShape.MANY_TO_ONE, CellType.GRU, false, false),
                Arguments.of(SequenceTask.FORECAST, SequenceShape.MANY_TO_MANY, CellType.LSTM, false, false));
    }

    @ParameterizedTest(name = "{0} {1} {2} bi={3} tokens={4}")
    @MethodSource("models")
    void splitPassEqualsTheUnsplitOne(SequenceTask task, SequenceShape shape, CellType cell, boolean bi,
            boolean tokens) {
        SequenceModelConfig config = config(task, shape, cell, bi, tokens);
        SequenceBatch batch = batch(config, new Rng(31));
        Run one = run(config, batch, 1);
        Run two = run(config, batch, 2);
        assertEquals(one.result.count(), two.result.count(), "scored items");
        assertEquals(one.result.correct(), two.result.correct(), "correct predictions");
        assertEquals(one.result.sum(), two.result.sum(), 1e-5 * Math.abs(one.result.sum()), "loss");
        MatrixAssertions.assertCloseToScale(one.outputs, two.outputs, 1e-5, "head outputs");
        for (int i = 0; i < one.grads.size(); i++) {
            MatrixAssertions.assertCloseToScale(one.grads.get(i), two.grads.get(i), 1e-5, "gradient " + i);
        }
    }

    /** Seq2seq pairs of random lengths (some targets empty), every cell, split and unsplit. */
    @ParameterizedTest(name = "seq2seq {0}")
    @org.junit.jupiter.params.provider.EnumSource(CellType.class)
    void splitSeq2SeqPassEqualsTheUnsplitOne(CellType cell) {
        Rng rng = new Rng(41);
        int[][] sources = new int[B][];
        int[][] targets = new int[B][];
        for (int b = 0; b < B; b++) {
            sources[b] = new int[1 + rng.nextInt(T)];
            targets[b] = new int[rng.nextInt(T)];
            for (int t = 0; t < sources[b].length; t++) {
                sources[b][t] = rng.nextInt(V);
            }
            for (int t = 0; t < targets[b].length; t++) {
                targets[b][t] = 2 + rng.nextInt(V - 2); // not BOS (0) or EOS (1)
            }
        }
        Seq2SeqBatch batch = Seq2SeqBatch.of(sources, targets);
        Seq2SeqConfig config = Seq2SeqConfig.builder().cell(cell).sourceVocabSize(V).targetVocabSize(V).embeddingDim(3)
                .hiddenSize(5).numLayers(2).build();
        List<Matrix> grads1 = null;
        org.rnn4j.nn.SoftmaxCrossEntropy.Result r1 = null;
        for (int threads = 1; threads <= 2; threads++) {
            ScalarGemm.setThreads(threads);
            Seq2Seq model = Seq2Seq.create(config, Init.RecurrentInit.PYTORCH, new Rng(17));
            org.rnn4j.nn.SoftmaxCrossEntropy.Result r = model.forwardBackward(batch, 1f / B);
            assertEquals(threads, model.lastTrainingParts(), "parts of the pass");
            List<Matrix> grads = model.parameters().stream().map((Parameter p) -> p.grad.copy()).toList();
            if (threads == 1) {
                grads1 = grads;
                r1 = r;
                continue;
            }
            assertEquals(r1.count(), r.count(), "scored tokens");
            assertEquals(r1.sum(), r.sum(), 1e-5 * Math.abs(r1.sum()), "loss");
            for (int i = 0; i < grads.size(); i++) {
                MatrixAssertions.assertCloseToScale(grads1.get(i), grads.get(i), 1e-5, "gradient " + i);
            }
        }
    }

    @Test
    void replicasCheckpointAsTheModelDoes() {
        SequenceModelConfig config = config(SequenceTask.TAG, SequenceShape.MANY_TO_MANY, CellType.LSTM, false, true);
        SequenceBatch batch = batch(config, new Rng(7));
        Run plain = run(config, batch, 1);
        ScalarGemm.setThreads(2);
        SequenceModel model = SequenceModel.create(config, Init.RecurrentInit.PYTORCH, new Rng(13));
        model.rnn().setCheckpointEvery(2);
        model.zeroGrad();
        SequenceModel.Result r = model.forwardBackward(batch, 1f / B, null);
        assertEquals(2, model.replicas().part(1).rnn().checkpointEvery(), "the replica's checkpointing");
        assertEquals(plain.result.sum(), r.sum(), 1e-5 * Math.abs(plain.result.sum()), "loss");
        for (int i = 0; i < plain.grads.size(); i++) {
            MatrixAssertions.assertCloseToScale(plain.grads.get(i), model.parameters().get(i).grad, 1e-5, "gradient " + i);
        }
    }

    @Test
    void aBadTargetIsReportedAtItsPlaceInTheWholeBatch() {
        ScalarGemm.setThreads(2);
        SequenceModelConfig config = config(SequenceTask.TAG, SequenceShape.MANY_TO_MANY, CellType.RNN, false, true);
        SequenceModel model = SequenceModel.create(config, Init.RecurrentInit.PYTORCH, new Rng(3));
        int[] tags = new int[T * B];
        tags[B - 1] = K + 1; // step 0 of sequence B−1, in the second part
        SequenceBatch batch = SequenceBatch.ofTokens(new int[T * B], T, B, null).withClassTargets(tags);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.forwardBackward(batch, 1f, null));
        assertTrue(e.getMessage().contains("sequence " + (B - 1) + " at step 0"), e.getMessage());
        SequenceBatch perSequence = SequenceBatch.ofTokens(new int[T * B], T, B, null).withClassTargets(new int[B]);
        e = assertThrows(IllegalArgumentException.class, () -> model.forwardBackward(perSequence, 1f, null));
        assertTrue(e.getMessage().contains(B + " class targets"), e.getMessage());
    }

    @Test
    void rowsOfABatchAreItsSequences() {
        SequenceModelConfig config = config(SequenceTask.TAG, SequenceShape.MANY_TO_MANY, CellType.RNN, false, true);
        SequenceBatch batch = batch(config, new Rng(5));
        SequenceBatch part = batch.rows(9, 19);
        assertEquals(10, part.batch());
        for (int b = 9; b < 19; b++) { // each sequence alone is the same, whether taken from the part or the whole
            SequenceBatch whole = batch.sequence(b);
            SequenceBatch fromPart = part.sequence(b - 9);
            assertArrayEquals(whole.tokens(), fromPart.tokens(), "tokens of sequence " + b);
            assertArrayEquals(whole.classTargets(), fromPart.classTargets(), "targets of sequence " + b);
        }
    }

    @Test
    void aBadTokenIsReportedAtItsPlaceInTheWholeBatch() {
        ScalarGemm.setThreads(2);
        SequenceModelConfig config = config(SequenceTask.CLASSIFY, SequenceShape.MANY_TO_ONE, CellType.RNN, false, true);
        SequenceModel model = SequenceModel.create(config, Init.RecurrentInit.PYTORCH, new Rng(3));
        int[] tokens = new int[T * B];
        tokens[T * B - 1] = V + 1; // step T−1 of sequence B−1, in the second part
        SequenceBatch batch = SequenceBatch.ofTokens(tokens, T, B, null).withClassTargets(new int[B]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.forwardBackward(batch, 1f, null));
        assertTrue(e.getMessage().contains("token " + (V + 1) + " of sequence " + (B - 1) + " at step " + (T - 1)),
                e.getMessage());
    }

    private static SequenceModelConfig config(SequenceTask task, SequenceShape shape, CellType cell, boolean bi,
            boolean tokens) {
        SequenceModelConfig.Builder b = SequenceModelConfig.builder(task).shape(shape).cell(cell).hiddenSize(5)
                .numLayers(2).outputSize(K);
        if (tokens) {
            b.vocabSize(V).embeddingDim(3);
        } else {
            b.featureSize(D);
        }
        if (bi) {
            b.bidirectional();
        }
        return b.build();
    }

    /** Random lengths in [1, T]; padded inputs and targets hold values that must never be read. */
    private static SequenceBatch batch(SequenceModelConfig c, Rng rng) {
        int[] lengths = new int[B];
        for (int b = 0; b < B; b++) {
            lengths[b] = 1 + rng.nextInt(T);
        }
        lengths[4] = T;
        int n = T * B;
        SequenceBatch x;
        if (c.tokenInput()) {
            int[] tokens = new int[n];
            for (int i = 0; i < n; i++) {
                tokens[i] = i / B < lengths[i % B] ? rng.nextInt(V) : -7;
            }
            x = SequenceBatch.ofTokens(tokens, T, B, lengths);
        } else {
            Matrix f = new Matrix(n, D);
            rng.fillUniform(f, -1.5f, 1.5f);
            for (int i = 0; i < n; i++) {
                if (i / B >= lengths[i % B]) {
                    f.set(i, 0, Float.NaN);
                }
            }
            x = SequenceBatch.ofFeatures(f, T, B, lengths);
        }
        boolean perStep = c.shape() == SequenceShape.MANY_TO_MANY;
        int items = perStep ? n : B;
        if (c.task().isClassification()) {
            int[] y = new int[items];
            for (int i = 0; i < items; i++) {
                y[i] = perStep && i / B >= lengths[i % B] ? K + 4 : rng.nextInt(K);
            }
            y[perStep ? B + 3 : 3] = SequenceBatch.NO_TARGET;
            return x.withClassTargets(y);
        }
        Matrix y = new Matrix(items, K);
        rng.fillUniform(y, -1f, 1f);
        for (int i = 0; perStep && i < items; i++) {
            if (i / B >= lengths[i % B]) {
                y.set(i, 0, Float.NaN);
            }
        }
        return x.withValueTargets(y);
    }

    private record Run(SequenceModel.Result result, Matrix outputs, List<Matrix> grads) {
    }

    private static Run run(SequenceModelConfig config, SequenceBatch batch, int threads) {
        ScalarGemm.setThreads(threads);
        SequenceModel model = SequenceModel.create(config, Init.RecurrentInit.PYTORCH, new Rng(13));
        model.zeroGrad();
        SequenceModel.Result r = model.forwardBackward(batch, 1f / B, null);
        assertEquals(threads, model.lastTrainingParts(), "parts of the pass");
        return new Run(r, model.outputs().copy(), model.parameters().stream().map((Parameter p) -> p.grad.copy())
                .toList());
    }
}
