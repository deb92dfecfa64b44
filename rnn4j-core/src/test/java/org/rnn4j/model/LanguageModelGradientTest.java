package org.rnn4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.diag.GradientChecker;
import org.rnn4j.matrix.Activation;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Parameter;

/** Whole-model gradient checks: every activation, embedding and one-hot, 1 and 2 layers, learned h0, masks. */
class LanguageModelGradientTest {
    private static final int V = 5;
    private static final int T = 4;
    private static final int B = 2;

    static Stream<Arguments> gatedShapes() {
        return Stream.of(
                Arguments.of(CellType.LSTM, 3, 2, true),
                Arguments.of(CellType.LSTM, 0, 1, false),
                Arguments.of(CellType.GRU, 3, 1, true),
                Arguments.of(CellType.GRU, 0, 2, false));
    }

    @ParameterizedTest(name = "{0} emb={1} layers={2} learnedH0={3}")
    @MethodSource("gatedShapes")
    void gatedModelGradients(CellType cell, int emb, int layers, boolean learnedH0) {
        ModelConfig.Builder b = ModelConfig.builder().cell(cell).vocabSize(V).embeddingDim(emb).hiddenSize(6)
                .numLayers(layers);
        if (learnedH0) {
            b.learnedInitialState();
        }
        Rng rng = new Rng(23);
        LanguageModel model = LanguageModel.create(b.build(), Init.RecurrentInit.PYTORCH, rng);
        for (Parameter p : model.parameters()) {
            if (p.name().contains("0_l")) { // h0_l{k}, c0_l{k}: non-zero so their use is visible
                rng.fillUniform(p.value, -0.5f, 0.5f);
            }
        }
        int[] tokens = new int[T * B];
        int[] targets = new int[T * B];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = rng.nextInt(V);
            targets[i] = i == 5 ? -1 : rng.nextInt(V);
        }
        GradientChecker.Report report = new GradientChecker().check(new GradientChecker.Objective() {
            @Override
            public double loss() {
                return model.forward(tokens, targets, T, B, model.newState(B)).sum();
            }

            @Override
            public double lossAndGradient() {
                model.zeroGrad();
                return model.forwardBackward(tokens, targets, T, B, model.newState(B), 1f).sum();
            }
        }, model.parameters());
        assertTrue(report.passed(), report.summary());
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(Activation.TANH, 3, 1, false),
                Arguments.of(Activation.TANH, 0, 2, true),
                Arguments.of(Activation.RELU, 3, 2, false),
                Arguments.of(Activation.RELU, 0, 1, true),
                Arguments.of(Activation.SIGMOID, 3, 1, true),
                Arguments.of(Activation.SIGMOID, 0, 2, false));
    }

    @ParameterizedTest(name = "{0} emb={1} layers={2} learnedH0={3}")
    @MethodSource("shapes")
    void modelGradients(Activation act, int emb, int layers, boolean learnedH0) {
        ModelConfig.Builder b = ModelConfig.builder().nonlinearity(act).vocabSize(V).embeddingDim(emb).hiddenSize(6)
                .numLayers(layers);
        if (learnedH0) {
            b.learnedInitialState();
        }
        Rng rng = new Rng(21);
        LanguageModel model = LanguageModel.create(b.build(), Init.RecurrentInit.PYTORCH, rng);
        if (learnedH0) {
            for (Parameter p : model.parameters()) {
                if (p.name().contains("h0_")) {
                    rng.fillUniform(p.value, -0.5f, 0.5f); // non-zero so its use is visible
                }
            }
        }
        int[] tokens = new int[T * B];
        int[] targets = new int[T * B];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = rng.nextInt(V);
            targets[i] = rng.nextInt(V);
        }
        targets[3] = -1; // a step without a target
        // ReLU's kink: a perturbation that moves a pre-activation across 0 breaks the central difference,
        // so ReLU models use a smaller step and leave out the few elements whose loss is not smooth within ±ε.
        GradientChecker checker = act == Activation.RELU ? new GradientChecker().epsilon(1e-3).skipKinks()
                : new GradientChecker();
        GradientChecker.Report report = checker.check(new GradientChecker.Objective() {
            @Override
            public double loss() {
                return model.forward(tokens, targets, T, B, model.newState(B)).sum();
            }

            @Override
            public double lossAndGradient() {
                model.zeroGrad();
                return model.forwardBackward(tokens, targets, T, B, model.newState(B), 1f).sum();
            }
        }, model.parameters());
        assertTrue(report.passed(), report.summary());
        assertTrue(report.kinks().size() <= report.checks().size() / 50, "too many kinks: " + report.summary());
    }

    @Test
    void stepByStepEqualsFullSequence() {
        ModelConfig c = ModelConfig.builder().vocabSize(V).embeddingDim(3).hiddenSize(7).numLayers(2)
                .learnedInitialState().build();
        Rng rng = new Rng(5);
        LanguageModel model = LanguageModel.create(c, Init.RecurrentInit.PYTORCH, rng);
        int[] tokens = new int[T * B];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = rng.nextInt(V);
        }
        RecurrentState full = model.newState(B);
        model.forward(tokens, null, T, B, full);
        float[] logits = model.logits().toArray();
        RecurrentState s = model.newState(B);
        for (int t = 0; t < T; t++) {
            int[] step = java.util.Arrays.copyOfRange(tokens, t * B, (t + 1) * B);
            Matrix out = model.step(step, s);
            for (int i = 0; i < B * V; i++) {
                assertEquals(logits[t * B * V + i], out.data[i], 1e-5f, "step " + t);
            }
        }
        for (int k = 0; k < 2; k++) {
            assertArrayEquals(full.layer(k).toArray(), s.layer(k).toArray(), 1e-5f);
        }
    }
}
