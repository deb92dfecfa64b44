package org.rnn4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.SequenceModelFixtures.Input;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Parameter;

/**
 * Properties of {@link SequenceModel}: a padded batch agrees with each of its sequences run alone (outputs,
 * loss and gradients), the many-to-one summary is the documented slice of the stack's outputs, predictions
 * leave padding out, and configurations and batches that cannot work are refused with a reason.
 */
class SequenceModelTest {
    private static final int B = SequenceModelFixtures.LENGTHS.length;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of(SequenceTask.CLASSIFY, SequenceShape.MANY_TO_ONE, CellType.LSTM, false, Input.EMBEDDING, 2),
                Arguments.of(SequenceTask.CLASSIFY, SequenceShape.MANY_TO_ONE, CellType.LSTM, true, Input.FEATURES, 2),
                Arguments.of(SequenceTask.CLASSIFY, SequenceShape.MANY_TO_ONE, CellType.RNN, true, Input.ONE_HOT, 1),
                Arguments.of(SequenceTask.TAG, SequenceShape.MANY_TO_MANY, CellType.GRU, false, Input.ONE_HOT, 1),
                Arguments.of(SequenceTask.TAG, SequenceShape.MANY_TO_MANY, CellType.LSTM, true, Input.EMBEDDING, 2),
                Arguments.of(SequenceTask.FORECAST, SequenceShape.MANY_TO_ONE, CellType.GRU, true, Input.FEATURES, 2),
                Arguments.of(SequenceTask.FORECAST, SequenceShape.MANY_TO_ONE, CellType.RNN, false, Input.FEATURES, 1),
                Arguments.of(SequenceTask.FORECAST, SequenceShape.MANY_TO_MANY, CellType.RNN, true, Input.FEATURES, 2),
                Arguments.of(SequenceTask.FORECAST, SequenceShape.MANY_TO_MANY, CellType.GRU, false, Input.EMBEDDING, 1));
    }

    @ParameterizedTest(name = "{0} {1} {2} bi={3} {4} L={5}")
    @MethodSource("models")
    void paddedBatchEqualsEachSequenceAlone(SequenceTask task, SequenceShape shape, CellType cell, boolean bi,
                                            Input input, int layers) {
        SequenceModelConfig c = SequenceModelFixtures.config(task, shape, cell, bi, input, layers);
        Rng rng = new Rng(17 + cell.ordinal());
        SequenceModel model = SequenceModel.create(c, Init.RecurrentInit.PYTORCH, rng);
        SequenceBatch batch = SequenceModelFixtures.batch(c, rng);
        List<Parameter> ps = model.parameters();

        model.zeroGrad();
        SequenceModel.Result whole = model.forwardBackward(batch, 1f, null);
        Matrix out = model.outputs().copy();
        float[][] batchGrads = ps.stream().map(p -> p.grad.toArray()).toArray(float[][]::new);
        assertTrue(Double.isFinite(whole.sum()) && whole.count() > 0, "loss of the padded batch: " + whole);

        model.zeroGrad();
        double sum = 0;
        int count = 0;
        int correct = 0;
        for (int b = 0; b < B; b++) {
            SequenceModel.Result r = model.forwardBackward(batch.sequence(b), 1f, null);
            sum += r.sum();
            count += r.count();
            correct += r.correct();
            Matrix alone = model.outputs();
            int rows = shape == SequenceShape.MANY_TO_ONE ? 1 : batch.length(b);
            for (int t = 0; t < rows; t++) {
                int row = shape == SequenceShape.MANY_TO_ONE ? b : t * B + b;
                assertArrayEquals(rowOf(alone, t), rowOf(out, row), 1e-5f, "output of sequence " + b + " at " + t);
            }
        }
        assertEquals(whole.count(), count, "counted items");
        assertEquals(task.isClassification() ? whole.correct() : -B, correct, "correct items");
        assertEquals(whole.sum(), sum, 1e-5 * Math.max(1, Math.abs(sum)), "loss");
        for (int i = 0; i < ps.size(); i++) {
            assertArrayEquals(ps.get(i).grad.toArray(), batchGrads[i], 1e-4f, "gradient of " + ps.get(i).name());
        }
    }

    /** The many-to-one summary is [h_fwd at the last real step | h_rev at step 0] of the top layer's outputs. */
    @ParameterizedTest(name = "{0} bi={1}")
    @MethodSource("summaryCases")
    void manyToOneReadsEachSequenceAtItsOwnEnd(CellType cell, boolean bi) {
        SequenceModelConfig c = SequenceModelFixtures.config(SequenceTask.FORECAST, SequenceShape.MANY_TO_ONE, cell, bi,
                Input.FEATURES, 2);
        Rng rng = new Rng(3);
        SequenceModel model = SequenceModel.create(c, Init.RecurrentInit.PYTORCH, rng);
        int n = SequenceModelFixtures.T * B;
        Matrix x = new Matrix(n, SequenceModelFixtures.D);
        rng.fillUniform(x, -1f, 1f);
        int[] lengths = SequenceModelFixtures.LENGTHS;
        Matrix predicted = model.predictValues(SequenceBatch.ofFeatures(x, SequenceModelFixtures.T, B, lengths));

        RecurrentStack stack = model.rnn();
        Matrix y = stack.forward(x, SequenceModelFixtures.T, B, stack.newState(B), null, lengths);
        int h = SequenceModelFixtures.H;
        Matrix w = model.parameter("head.weight").value;
        Matrix bias = model.parameter("head.bias").value;
        for (int b = 0; b < B; b++) {
            float[] s = new float[stack.outputSize()];
            System.arraycopy(y.data, ((lengths[b] - 1) * B + b) * y.cols, s, 0, h); // forward h at the last real step
            if (bi) {
                System.arraycopy(y.data, b * y.cols + h, s, h, h);                  // reverse h after reading x_0
            }
            for (int k = 0; k < w.rows; k++) {
                double o = bias.get(0, k);
                for (int j = 0; j < s.length; j++) {
                    o += w.get(k, j) * s[j];
                }
                assertEquals(o, predicted.get(b, k), 1e-5, "output " + k + " of sequence " + b);
            }
        }
    }

    static Stream<Arguments> summaryCases() {
        return Stream.of(Arguments.of(CellType.LSTM, true), Arguments.of(CellType.LSTM, false),
                Arguments.of(CellType.GRU, true), Arguments.of(CellType.RNN, false));
    }

    @Test
    void predictionsLeavePaddingOut() {
        SequenceModelConfig tag = SequenceModelFixtures.config(SequenceTask.TAG, SequenceShape.MANY_TO_MANY,
                CellType.GRU, true, Input.EMBEDDING, 1);
        SequenceModel tagger = SequenceModel.create(tag, Init.RecurrentInit.PYTORCH, new Rng(1));
        SequenceBatch batch = SequenceModelFixtures.batch(tag, new Rng(2));
        int[] classes = tagger.predictClasses(batch);
        Matrix logits = tagger.outputs();
        assertEquals(SequenceModelFixtures.T * B, classes.length);
        for (int i = 0; i < classes.length; i++) {
            if (SequenceModelFixtures.real(i)) {
                float[] row = rowOf(logits, i);
                for (float v : row) {
                    assertTrue(v <= row[classes[i]], "class " + classes[i] + " is not the argmax of row " + i);
                }
            } else {
                assertEquals(SequenceBatch.NO_TARGET, classes[i], "padded step " + i);
            }
        }

        SequenceModelConfig fc = SequenceModelFixtures.config(SequenceTask.FORECAST, SequenceShape.MANY_TO_MANY,
                CellType.LSTM, false, Input.FEATURES, 1);
        SequenceModel forecaster = SequenceModel.create(fc, Init.RecurrentInit.PYTORCH, new Rng(1));
        Matrix values = forecaster.predictValues(SequenceModelFixtures.batch(fc, new Rng(2)));
        for (int i = 0; i < values.rows; i++) {
            float[] row = rowOf(values, i);
            if (SequenceModelFixtures.real(i)) {
                assertArrayEquals(rowOf(forecaster.outputs(), i), row, "row " + i);
            } else {
                assertArrayEquals(new float[row.length], row, "padded step " + i);
            }
        }
        assertThrows(IllegalStateException.class, () -> forecaster.predictClasses(SequenceModelFixtures.batch(fc, new Rng(2))));
    }

    @Test
    void parametersHavePyTorchNamesInStateDictOrder() {
        SequenceModelConfig c = SequenceModelConfig.builder(SequenceTask.CLASSIFY).cell(CellType.LSTM).vocabSize(7)
                .embeddingDim(4).hiddenSize(5).bidirectional().outputSize(3).build();
        SequenceModel m = new SequenceModel(c);
        assertEquals(List.of("embedding.weight[7, 4]", "rnn.weight_ih_l0[20, 4]", "rnn.weight_hh_l0[20, 5]",
                "rnn.bias_ih_l0[20]", "rnn.bias_hh_l0[20]", "rnn.weight_ih_l0_reverse[20, 4]",
                "rnn.weight_hh_l0_reverse[20, 5]", "rnn.bias_ih_l0_reverse[20]", "rnn.bias_hh_l0_reverse[20]",
                "head.weight[3, 10]", "head.bias[3]"), m.parameters().stream().map(Parameter::toString).toList());
        SequenceModel real = new SequenceModel(SequenceModelConfig.builder(SequenceTask.FORECAST).featureSize(2)
                .hiddenSize(3).outputSize(1).build());
        assertEquals("rnn.weight_ih_l0", real.parameters().get(0).name(), "no embedding for real-valued input");
    }

    @Test
    void createInitialisesAsPyTorch() {
        SequenceModelConfig c = SequenceModelConfig.builder(SequenceTask.TAG).vocabSize(50).embeddingDim(20)
                .hiddenSize(16).bidirectional().outputSize(4).build();
        SequenceModel m = SequenceModel.create(c, Init.RecurrentInit.PYTORCH, new Rng(9));
        float[] emb = m.parameter("embedding.weight").value.toArray();
        double var = 0;
        for (float v : emb) {
            var += v * v;
        }
        assertEquals(1.0, var / emb.length, 0.15, "embedding ~ N(0, 1)");
        float bound = (float) (1 / Math.sqrt(32)); // fan_in = 2H
        for (float v : m.parameter("head.weight").value.toArray()) {
            assertTrue(Math.abs(v) <= bound, "head weight " + v + " outside ±" + bound);
        }
        float[] again = SequenceModel.create(c, Init.RecurrentInit.PYTORCH, new Rng(9)).parameter("rnn.weight_hh_l0")
                .value.toArray();
        assertArrayEquals(m.parameter("rnn.weight_hh_l0").value.toArray(), again, "same seed, same model");
    }

    @Test
    void configRefusesWhatCannotWork() {
        assertMessage("not both", () -> SequenceModelConfig.builder(SequenceTask.CLASSIFY).vocabSize(4).featureSize(2)
                .hiddenSize(3).outputSize(2).build());
        assertMessage("vocab_size", () -> SequenceModelConfig.builder(SequenceTask.CLASSIFY).hiddenSize(3).outputSize(2)
                .build());
        assertMessage("embedding needs token input", () -> SequenceModelConfig.builder(SequenceTask.FORECAST)
                .featureSize(2).embeddingDim(3).hiddenSize(3).outputSize(1).build());
        assertMessage("use task tag", () -> SequenceModelConfig.builder(SequenceTask.CLASSIFY)
                .shape(SequenceShape.MANY_TO_MANY).vocabSize(4).hiddenSize(3).outputSize(2).build());
        assertMessage("use task classify", () -> SequenceModelConfig.builder(SequenceTask.TAG)
                .shape(SequenceShape.MANY_TO_ONE).vocabSize(4).hiddenSize(3).outputSize(2).build());
        assertMessage("at least 2 classes", () -> SequenceModelConfig.builder(SequenceTask.CLASSIFY).vocabSize(4)
                .hiddenSize(3).outputSize(1).build());
        assertMessage("output_size", () -> SequenceModelConfig.builder(SequenceTask.FORECAST).featureSize(1)
                .hiddenSize(3).build());
        assertMessage("task is required", () -> SequenceModelConfig.builder(null).featureSize(1).hiddenSize(3)
                .outputSize(1).build());

        SequenceModelConfig forecast = SequenceModelConfig.builder(SequenceTask.FORECAST).featureSize(1).hiddenSize(3)
                .outputSize(1).build();
        assertEquals(SequenceShape.MANY_TO_MANY, forecast.shape());
        assertEquals(SequenceShape.MANY_TO_ONE, SequenceModelConfig.builder(SequenceTask.FORECAST)
                .shape(SequenceShape.MANY_TO_ONE).featureSize(1).hiddenSize(3).outputSize(1).build().shape());
        assertEquals(SequenceShape.MANY_TO_ONE, SequenceModelConfig.builder(SequenceTask.CLASSIFY).vocabSize(3)
                .hiddenSize(3).outputSize(2).build().shape());
        for (SequenceTask t : SequenceTask.values()) {
            assertEquals(t, SequenceTask.fromId(t.id()));
        }
        for (SequenceShape s : SequenceShape.values()) {
            assertEquals(s, SequenceShape.fromId(s.id()));
        }
        assertMessage("classify, tag or forecast", () -> SequenceTask.fromId("regress"));
    }

    @Test
    void batchesThatDoNotFitTheModelAreRefusedWithAReason() {
        SequenceModelConfig c = SequenceModelFixtures.config(SequenceTask.CLASSIFY, SequenceShape.MANY_TO_ONE,
                CellType.GRU, false, Input.ONE_HOT, 1);
        SequenceModel m = new SequenceModel(c);
        assertThrows(IllegalStateException.class, m::outputs);
        SequenceBatch ok = SequenceBatch.padTokens(new int[] {1, 2, 3}, new int[] {4});
        assertMessage("outside the vocabulary", () -> m.forward(SequenceBatch.padTokens(new int[] {1, 9})));
        assertMessage("needs one per sequence", () -> m.forwardBackward(ok.withClassTargets(new int[6]), 1f, null));
        assertMessage("no class targets", () -> m.forwardBackward(ok, 1f, null));
        assertMessage("not one of the 3 classes", () -> m.forward(ok.withClassTargets(new int[] {0, 3})));
        assertMessage("holds features", () -> m.forward(SequenceBatch.padFeatures(new Matrix(2, 2))));
        assertMessage("lengths must be in", () -> SequenceBatch.ofTokens(new int[4], 2, 2, new int[] {0, 2}));
        assertMessage("has 1 steps but 2 targets", () -> ok.withStepClassTargets(new int[] {0, 1, 1}, new int[] {0, 1}));
        SequenceModel.Result none = m.forward(ok);
        assertEquals(0, none.count(), "a batch without targets has no loss");
        assertTrue(Double.isNaN(none.mean()));

        SequenceModel forecaster = new SequenceModel(SequenceModelFixtures.config(SequenceTask.FORECAST,
                SequenceShape.MANY_TO_MANY, CellType.RNN, false, Input.FEATURES, 1));
        SequenceBatch feats = SequenceBatch.padFeatures(new Matrix(3, 2), new Matrix(1, 2));
        Matrix nan = new Matrix(3, SequenceModelFixtures.K);
        nan.set(1, 0, Float.NaN);
        assertMessage("not finite", () -> forecaster.forward(feats.withStepValueTargets(nan, new Matrix(1, 3))));
        Matrix padNan = new Matrix(6, SequenceModelFixtures.K);
        padNan.set(3, 0, Float.NaN); // step 1 of sequence 1, which has length 1: padding
        assertEquals(4, forecaster.forward(feats.withValueTargets(padNan)).count(), "NaN at a padded step is ignored");
    }

    @Test
    void paddedTargetsAreLaidOutTimeMajor() {
        SequenceBatch b = SequenceBatch.padTokens(new int[] {1, 2, 3}, new int[] {4})
                .withStepClassTargets(new int[] {0, 1, 2}, new int[] {5});
        assertArrayEquals(new int[] {1, 4, 2, 0, 3, 0}, b.tokens());
        assertArrayEquals(new int[] {0, 5, 1, -1, 2, -1}, b.classTargets());
        assertArrayEquals(new boolean[] {true, true, true, false, true, false}, b.stepMask());
        SequenceBatch one = b.sequence(0);
        assertArrayEquals(new int[] {1, 2, 3}, one.tokens());
        assertArrayEquals(new int[] {0, 1, 2}, one.classTargets());
        assertEquals(4, b.realSteps());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(expected), "message '" + ex.getMessage() + "' should say '" + expected + "'");
    }

    private static float[] rowOf(Matrix m, int r) {
        return Arrays.copyOfRange(m.data, m.offset + r * m.cols, m.offset + (r + 1) * m.cols);
    }
}
