package org.rnn4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.rnn4j.nn.SoftmaxCrossEntropy;

/**
 * A training pass split by sequence across two kernel threads (DataParallel) must give the loss, every
 * parameter's gradient, the final state and the state after any step of the unsplit pass, up to float
 * rounding (1e-5 relative to the largest value). B = 19 splits unevenly (9 and 10). Each model runs two
 * passes, so the second one starts from the state the first one left and the replicas reuse their buffers
 * after an SGD-like change of the weights.
 */
@ExtendWith(SplitPasses.class)
class DataParallelTest {
    private static final int V = 7;
    private static final int T = 5;
    private static final int B = 19;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of(CellType.RNN, 4, 1, false, 0),
                Arguments.of(CellType.LSTM, 4, 2, false, 0),
                Arguments.of(CellType.GRU, 0, 1, false, 0),
                Arguments.of(CellType.LSTM, 0, 1, true, 0),
                Arguments.of(CellType.GRU, 4, 2, true, 2),
                Arguments.of(CellType.RNN, 0, 2, false, 3));
    }

    @ParameterizedTest(name = "{0} emb={1} layers={2} learnedH0={3} checkpointEvery={4}")
    @MethodSource("models")
    void splitPassEqualsTheUnsplitOne(CellType cell, int emb, int layers, boolean learnedH0, int checkpointEvery) {
        ModelConfig config = config(cell, emb, layers, learnedH0, 0f);
        Run one = run(config, 1, checkpointEvery);
        Run two = run(config, 2, checkpointEvery);
        assertTrue(two.split, "the two-thread pass was split by sequence");
        assertFalse(one.split, "the one-thread pass was not");
        for (int pass = 0; pass < 2; pass++) {
            assertEquals(one.losses[pass].count(), two.losses[pass].count(), "scored tokens, pass " + pass);
            assertEquals(one.losses[pass].sum(), two.losses[pass].sum(), 1e-5 * Math.abs(one.losses[pass].sum()),
                    "loss, pass " + pass);
        }
        for (int i = 0; i < one.grads.size(); i++) { // pass 0 starts from the initial (learned) state
            MatrixAssertions.assertCloseToScale(one.grads0.get(i), two.grads0.get(i), 1e-5, "gradient " + i + ", pass 0");
            MatrixAssertions.assertCloseToScale(one.grads.get(i), two.grads.get(i), 1e-5, "gradient " + i + ", pass 1");
        }
        for (int k = 0; k < layers; k++) {
            MatrixAssertions.assertCloseToScale(one.finalState.layer(k), two.finalState.layer(k), 1e-5,
                    "final state of layer " + k);
            MatrixAssertions.assertCloseToScale(one.stateAfter.layer(k), two.stateAfter.layer(k), 1e-5,
                    "state after step 2 of layer " + k);
        }
    }

    @Test
    void dropoutMasksAreReproducibleForAGivenThreadCount() {
        ModelConfig config = config(CellType.LSTM, 4, 2, false, 0.3f);
        Run a = run(config, 2, 0);
        Run b = run(config, 2, 0);
        assertTrue(a.split);
        assertEquals(a.losses[1].sum(), b.losses[1].sum(), 0.0, "same seed, same threads: same loss");
        for (int i = 0; i < a.grads.size(); i++) {
            assertArrayEquals(a.grads.get(i).data, b.grads.get(i).data, "gradient " + i);
        }
    }

    /**
     * Only the second part's sequences are scored (targets −1 elsewhere), so its loss is the whole loss:
     * with dropout it must differ from the same pass without, or the replica dropped nothing.
     */
    @Test
    void theReplicaAppliesDropoutToo() {
        ScalarGemm.setThreads(2);
        double[] loss = new double[2];
        for (int i = 0; i < 2; i++) {
            LanguageModel model = LanguageModel.create(config(CellType.LSTM, 4, 2, false, i == 0 ? 0f : 0.5f),
                    Init.RecurrentInit.PYTORCH, new Rng(11));
            int[] tokens = new int[T * B];
            int[] targets = new int[T * B];
            Rng data = new Rng(17);
            for (int j = 0; j < tokens.length; j++) {
                tokens[j] = data.nextInt(V);
                targets[j] = j % B < B / 2 ? -1 : data.nextInt(V); // part 0 holds sequences 0 .. B/2 − 1
            }
            loss[i] = model.forwardBackward(tokens, targets, T, B, model.newState(B), 1f).sum();
            assertTrue(model.dataParallel().lastRunSplit());
        }
        assertTrue(Math.abs(loss[0] - loss[1]) > 1e-3, "loss without dropout " + loss[0] + ", with " + loss[1]);
    }

    @Test
    void aStateOfTheWrongWidthIsRejectedBeforeTheSplit() {
        ScalarGemm.setThreads(2);
        LanguageModel model = LanguageModel.create(config(CellType.LSTM, 4, 1, false, 0f), Init.RecurrentInit.PYTORCH,
                new Rng(3));
        RecurrentState narrow = LanguageModel.create(config(CellType.RNN, 4, 1, false, 0f), Init.RecurrentInit.PYTORCH,
                new Rng(3)).newState(B); // B × H where the LSTM needs B × 2H
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.forwardBackward(new int[T * B], new int[T * B], T, B, narrow, 1f));
        assertTrue(e.getMessage().contains("state of layer 0"), e.getMessage());
    }

    @Test
    void aBadTokenIsReportedAtItsPositionInTheWholeBatch() {
        ScalarGemm.setThreads(2);
        LanguageModel model = LanguageModel.create(config(CellType.RNN, 4, 1, false, 0f), Init.RecurrentInit.PYTORCH,
                new Rng(3));
        int[] tokens = new int[T * B];
        int[] targets = new int[T * B];
        tokens[T * B - 1] = V; // the last token of the last part
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.forwardBackward(tokens, targets, T, B, model.newState(B), 1f));
        assertTrue(e.getMessage().contains("token id " + V + " at position " + (T * B - 1)), e.getMessage());
        targets[3] = V + 2;
        tokens[T * B - 1] = 0;
        e = assertThrows(IllegalArgumentException.class,
                () -> model.forwardBackward(tokens, targets, T, B, model.newState(B), 1f));
        assertTrue(e.getMessage().contains("target " + (V + 2) + " at position 3"), e.getMessage());
    }

    private static ModelConfig config(CellType cell, int emb, int layers, boolean learnedH0, float dropout) {
        ModelConfig.Builder b = ModelConfig.builder().cell(cell).vocabSize(V).embeddingDim(emb).hiddenSize(6)
                .numLayers(layers).dropout(dropout);
        if (learnedH0) {
            b.learnedInitialState();
        }
        return b.build();
    }

    private record Run(SoftmaxCrossEntropy.Result[] losses, List<Matrix> grads0, List<Matrix> grads,
                       RecurrentState finalState, RecurrentState stateAfter, boolean split) {
    }

    /** Two passes from the initial state with a weight change in between; gradients of the second pass. */
    private static Run run(ModelConfig config, int threads, int checkpointEvery) {
        ScalarGemm.setThreads(threads);
        Rng rng = new Rng(11);
        LanguageModel model = LanguageModel.create(config, Init.RecurrentInit.PYTORCH, rng);
        model.setDropoutRng(new Rng(5));
        if (checkpointEvery > 0) {
            model.rnn().setCheckpointEvery(checkpointEvery);
        }
        for (Parameter p : model.parameters()) {
            if (p.name().contains("0_l")) { // learned h0_l{k}, c0_l{k}: non-zero so that their use shows
                rng.fillUniform(p.value, -0.5f, 0.5f);
            }
        }
        Rng data = new Rng(17);
        int[] tokens = new int[T * B];
        int[] targets = new int[T * B];
        RecurrentState state = model.newState(B);
        SoftmaxCrossEntropy.Result[] losses = new SoftmaxCrossEntropy.Result[2];
        List<Matrix> grads0 = null;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = data.nextInt(V);
                targets[i] = i % 11 == 4 ? -1 : data.nextInt(V); // some steps not scored
            }
            model.zeroGrad();
            losses[pass] = model.forwardBackward(tokens, targets, T, B, state, 1f / B);
            if (pass == 0) {
                grads0 = model.parameters().stream().map(p -> p.grad.copy()).toList();
                for (Parameter p : model.parameters()) { // a step of SGD, so that the replicas must copy new weights
                    for (int i = 0; i < p.size(); i++) {
                        p.value.data[p.value.offset + i] -= 0.5f * p.grad.data[p.grad.offset + i];
                    }
                }
            }
        }
        List<Matrix> grads = model.parameters().stream().map(p -> p.grad.copy()).toList();
        RecurrentState after = model.newState(B);
        model.copyStateAfter(2, after);
        boolean split = model.dataParallel() != null && model.dataParallel().lastRunSplit();
        return new Run(losses, grads0, grads, state.copy(), after, split);
    }
}
