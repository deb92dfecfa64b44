package org.rnn4j.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.rnn4j.matrix.Activation;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.MatrixAssertions;
import org.rnn4j.matrix.Rng;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Parameter;

/**
 * LanguageModel.generator(), the packed generation path, against LanguageModel.step(), the plain one:
 * the same logits and states, step after step, for every cell, embedding and one-hot input, 1 and 2 layers,
 * batch 1 and 3. The two add the same terms in different orders (packed products, a precomputed input
 * table), so they agree to float rounding: 1e-5 relative to the size of the logits.
 */
class GeneratorTest {
    private static final int V = 7;

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(CellType.RNN, Activation.TANH, 4, 1, 1),
                Arguments.of(CellType.RNN, Activation.RELU, 0, 2, 3),
                Arguments.of(CellType.LSTM, Activation.TANH, 5, 2, 1),
                Arguments.of(CellType.LSTM, Activation.TANH, 0, 1, 3),
                Arguments.of(CellType.GRU, Activation.TANH, 6, 2, 3),
                Arguments.of(CellType.GRU, Activation.TANH, 0, 1, 1));
    }

    @ParameterizedTest(name = "{0} {1} emb={2} layers={3} B={4}")
    @MethodSource("shapes")
    void generatorMatchesStep(CellType cell, Activation act, int emb, int layers, int batch) {
        ModelConfig c = ModelConfig.builder().cell(cell).nonlinearity(act).vocabSize(V).embeddingDim(emb).hiddenSize(19)
                .numLayers(layers).learnedInitialState().build();
        Rng rng = new Rng(5);
        LanguageModel model = LanguageModel.create(c, Init.RecurrentInit.PYTORCH, rng);
        for (Parameter p : model.parameters()) {
            if (p.name().contains("0_l")) { // a non-zero learned initial state
                rng.fillUniform(p.value, -0.5f, 0.5f);
            }
        }
        RecurrentState plain = model.newState(batch);
        RecurrentState fast = model.newState(batch);
        LanguageModel.Generator g = model.generator();
        int[] tokens = new int[batch];
        for (int t = 0; t < 12; t++) {
            for (int b = 0; b < batch; b++) {
                tokens[b] = rng.nextInt(V);
            }
            Matrix expected = model.step(tokens, plain).copy();
            Matrix actual = g.step(tokens, fast);
            assertClose(expected, actual, "logits at step " + t);
            for (int k = 0; k < layers; k++) {
                assertClose(plain.layer(k), fast.layer(k), "state of layer " + k + " at step " + t);
            }
        }
    }

    @Test
    void aGeneratorKeepsTheWeightsItWasMadeWith() {
        LanguageModel model = LanguageModel.create(ModelConfig.builder().cell(CellType.LSTM).vocabSize(V).embeddingDim(3)
                .hiddenSize(8).build(), Init.RecurrentInit.PYTORCH, new Rng(1));
        LanguageModel.Generator before = model.generator();
        Matrix old = before.step(new int[] {2}, model.newState(1)).copy();
        for (Parameter p : model.parameters()) {
            Matrix v = p.value;
            for (int i = 0; i < v.rows * v.cols; i++) {
                v.data[v.offset + i] *= 1.5f;
            }
        }
        assertClose(old, before.step(new int[] {2}, model.newState(1)), "the old generator after a weight change");
        Matrix now = model.step(new int[] {2}, model.newState(1)).copy();
        assertClose(now, model.generator().step(new int[] {2}, model.newState(1)), "a new generator");
        assertTrue(Math.abs(now.data[0] - old.data[0]) > 1e-4, "the weight change is visible in the logits");
    }

    @Test
    void tokensOutsideTheVocabularyAreRefused() {
        LanguageModel model = LanguageModel.create(ModelConfig.builder().vocabSize(V).hiddenSize(4).build(),
                Init.RecurrentInit.PYTORCH, new Rng(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.generator().step(new int[] {V}, model.newState(1)));
        assertTrue(e.getMessage().contains("outside the vocabulary of " + V), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model.generator().step(new int[] {1, 2}, model.newState(1)));
    }

    private static void assertClose(Matrix expected, Matrix actual, String what) {
        MatrixAssertions.assertCloseToScale(expected, actual, 1e-5, what);
    }
}
