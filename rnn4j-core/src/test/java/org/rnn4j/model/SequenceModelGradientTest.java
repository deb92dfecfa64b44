package org.rnn4j.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.diag.GradientChecker;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.SequenceModelFixtures.Input;
import org.rnn4j.nn.Init;

/**
 * Gradient checks of whole sequence models on a padded batch (lengths 5, 2, 4, 1) with masked targets:
 * every combination of {many-to-one, many-to-many} × {classification, regression} × {RNN, LSTM, GRU} ×
 * {uni, bi}directional, each with one of three inputs (embedding, one-hot, features) and 1 or 2 layers,
 * assigned so that every input and depth meets every level of the other factors. Default tolerances
 * (see {@link GradientChecker}): the losses are sums of about ten terms of order 1, whose float32 noise
 * the checker's absolute floor already absorbs.
 */
class SequenceModelGradientTest {
    static Stream<Arguments> combinations() {
        List<Arguments> a = new ArrayList<>();
        for (SequenceShape shape : SequenceShape.values()) {
            for (boolean classification : new boolean[] {true, false}) {
                for (CellType cell : CellType.values()) {
                    for (boolean bi : new boolean[] {false, true}) {
                        int s = shape.ordinal();
                        int o = classification ? 0 : 1;
                        int b = bi ? 1 : 0;
                        Input input = Input.values()[(cell.ordinal() + b + s + 2 * o) % 3];
                        int layers = 1 + (cell.ordinal() + b + o) % 2;
                        SequenceTask task = !classification ? SequenceTask.FORECAST
                                : shape == SequenceShape.MANY_TO_ONE ? SequenceTask.CLASSIFY : SequenceTask.TAG;
                        a.add(Arguments.of(shape, task, cell, bi, input, layers));
                    }
                }
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} bi={3} {4} L={5}")
    @MethodSource("combinations")
    void modelGradients(SequenceShape shape, SequenceTask task, CellType cell, boolean bi, Input input, int layers) {
        SequenceModelConfig c = SequenceModelFixtures.config(task, shape, cell, bi, input, layers);
        Rng rng = new Rng(101 + 7 * cell.ordinal() + 3 * shape.ordinal() + layers);
        SequenceModel model = SequenceModel.create(c, Init.RecurrentInit.PYTORCH, rng);
        SequenceBatch batch = SequenceModelFixtures.batch(c, rng);
        GradientChecker.Report report = new GradientChecker().check(objective(model, batch, null), model.parameters());
        assertTrue(report.passed(), c.task().id() + " " + shape.id() + " " + cell.id() + " bi=" + bi + " " + input + ": "
                + report.summary());
    }

    @Test
    void gradientsWithDropoutBetweenLayers() {
        SequenceModelConfig c = SequenceModelConfig.builder(SequenceTask.CLASSIFY).cell(CellType.GRU).numLayers(2)
                .dropout(0.4f).bidirectional().featureSize(SequenceModelFixtures.D).hiddenSize(SequenceModelFixtures.H)
                .outputSize(SequenceModelFixtures.K).build();
        Rng rng = new Rng(5);
        SequenceModel model = SequenceModel.create(c, Init.RecurrentInit.PYTORCH, rng);
        SequenceBatch batch = SequenceModelFixtures.batch(c, rng);
        GradientChecker.Report report = new GradientChecker().check(objective(model, batch, 99L), model.parameters());
        assertTrue(report.passed(), report.summary());
    }

    @Test
    void gradientsWithALearnedInitialState() {
        SequenceModelConfig c = SequenceModelConfig.builder(SequenceTask.CLASSIFY).cell(CellType.LSTM).numLayers(2)
                .learnedInitialState().bidirectional().vocabSize(SequenceModelFixtures.V)
                .embeddingDim(SequenceModelFixtures.E).hiddenSize(SequenceModelFixtures.H)
                .outputSize(SequenceModelFixtures.K).build();
        Rng rng = new Rng(6);
        SequenceModel model = SequenceModel.create(c, Init.RecurrentInit.PYTORCH, rng);
        model.parameters().stream().filter(p -> p.name().contains("0_l")) // h0_l{k}, c0_l{k}: non-zero, so used
                .forEach(p -> rng.fillUniform(p.value, -0.5f, 0.5f));
        SequenceBatch batch = SequenceModelFixtures.batch(c, rng);
        GradientChecker.Report report = new GradientChecker().check(objective(model, batch, null), model.parameters());
        assertTrue(report.passed(), report.summary());
        assertTrue(report.checks().stream().anyMatch(k -> k.parameter().equals("rnn.c0_l1_reverse") && k.analytic() != 0),
                "the learned initial state receives gradient");
    }

    /** The batch's summed loss; with a dropout seed, the same masks at every evaluation (training mode). */
    private static GradientChecker.Objective objective(SequenceModel model, SequenceBatch batch, Long dropoutSeed) {
        return new GradientChecker.Objective() {
            @Override
            public double loss() {
                if (dropoutSeed == null) {
                    return model.forward(batch).sum();
                }
                return model.forwardBackward(batch, 1f, new Rng(dropoutSeed)).sum(); // the gradients are not read
            }

            @Override
            public double lossAndGradient() {
                model.zeroGrad();
                return model.forwardBackward(batch, 1f, dropoutSeed == null ? null : new Rng(dropoutSeed)).sum();
            }
        };
    }
}
