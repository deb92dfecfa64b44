package org.rnn4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.diag.GradientChecker;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Parameter;
import org.rnn4j.optim.Clipping;
import org.rnn4j.optim.Sgd;
import org.rnn4j.sample.BeamSearch;
import org.rnn4j.sample.BeamSearchOptions;
import org.rnn4j.sample.Hypothesis;
import org.rnn4j.sample.SamplingOptions;
import org.rnn4j.sample.SequenceGenerator;

/**
 * The conditioned generator: gradient checks of every parameter (the condition maps included) and of the
 * condition itself, for every cell, 1 and 2 layers, embedded and one-hot inputs, variable target lengths;
 * the teacher-forced loss against a step-by-step computation; decoding; and a tiny learning task.
 * Tolerances: {@link GradientChecker}'s defaults (see its comment).
 */
class ConditionedGeneratorTest {
    private static final int V = 6; // BOS, EOS and 4 tokens
    private static final int C = 3;
    private static final int[][] TARGETS = {{2, 5, 3}, {}, {4, 4}};

    static Stream<Arguments> shapes() {
        List<Arguments> a = new ArrayList<>();
        for (CellType cell : CellType.values()) {
            a.add(Arguments.of(cell, 1, 3));
            a.add(Arguments.of(cell, 2, 0));
        }
        return a.stream();
    }

    private static ConditionedGenerator model(CellType cell, int layers, int emb, long seed) {
        ModelConfig c = ModelConfig.builder().cell(cell).vocabSize(V).embeddingDim(emb).hiddenSize(4).numLayers(layers)
                .build();
        ConditionedGenerator m = ConditionedGenerator.create(c, C, Init.RecurrentInit.PYTORCH, new Rng(seed));
        Rng rng = new Rng(seed + 1);
        for (Parameter p : m.parameters()) {
            if (!p.name().startsWith("decoder.")) {
                rng.fillUniform(p.value, -0.6f, 0.6f); // larger than the init, so that every path matters
            }
        }
        return m;
    }

    private static Matrix conditions(long seed) {
        Matrix c = new Matrix(TARGETS.length, C);
        new Rng(seed).fillUniform(c, -1f, 1f);
        return c;
    }

    @ParameterizedTest(name = "{0} layers={1} emb={2}")
    @MethodSource("shapes")
    void gradients(CellType cell, int layers, int emb) {
        ConditionedGenerator model = model(cell, layers, emb, 60 + cell.ordinal());
        PaddedSequences targets = PaddedSequences.of(TARGETS);
        Parameter c = Parameter.matrix("input.condition", TARGETS.length, C); // to check ∂L/∂c as well
        c.value.copyFrom(conditions(9));
        List<Parameter> checked = new ArrayList<>(model.parameters());
        checked.add(c);
        GradientChecker.Report report = new GradientChecker().check(new GradientChecker.Objective() {
            @Override
            public double loss() {
                return model.loss(c.value, targets).sum();
            }

            @Override
            public double lossAndGradient() {
                model.zeroGrad();
                double loss = model.forwardBackward(c.value, targets, 1f).sum();
                c.grad.copyFrom(model.conditionGradient());
                return loss;
            }
        }, checked);
        assertTrue(report.passed(), report.summary());
        for (int k = 0; k < layers; k++) {
            for (String name : new String[] {"condition.weight_l" + k, "condition.bias_l" + k}) {
                assertTrue(Kernels.sumOfSquares(model.parameter(name).grad) > 1e-8, name + " received no gradient");
            }
        }
    }

    @Test
    void parameterNamesAndShapes() {
        ConditionedGenerator m = model(CellType.LSTM, 2, 3, 1);
        assertEquals(List.of("condition.weight_l0[8, 3]", "condition.bias_l0[8]", "condition.weight_l1[8, 3]",
                "condition.bias_l1[8]", "embedding.weight[6, 3]", "rnn.weight_ih_l0[16, 3]", "rnn.weight_hh_l0[16, 4]",
                "rnn.bias_ih_l0[16]", "rnn.bias_hh_l0[16]", "rnn.weight_ih_l1[16, 4]", "rnn.weight_hh_l1[16, 4]",
                "rnn.bias_ih_l1[16]", "rnn.bias_hh_l1[16]", "decoder.weight[6, 4]", "decoder.bias[6]"),
                m.parameters().stream().map(Parameter::toString).toList());
    }

    @ParameterizedTest(name = "{0} layers={1} emb={2}")
    @MethodSource("shapes")
    void teacherForcedLossEqualsStepByStep(CellType cell, int layers, int emb) {
        ConditionedGenerator model = model(cell, layers, emb, 70 + cell.ordinal());
        Matrix c = conditions(10);
        double expected = 0;
        for (int b = 0; b < TARGETS.length; b++) {
            expected -= model.logProbability(c.rows(b, 1), TARGETS[b]);
        }
        var loss = model.loss(c, PaddedSequences.of(TARGETS));
        assertEquals(expected, loss.sum(), 1e-4 * Math.abs(expected));
        assertEquals(TARGETS[0].length + TARGETS[1].length + TARGETS[2].length + TARGETS.length, loss.count());
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void conditionSetsEveryLayersInitialState(CellType cell) {
        ConditionedGenerator model = model(cell, 2, 3, 5);
        Matrix c = conditions(11);
        RecurrentState s = model.condition(c);
        for (int k = 0; k < 2; k++) {
            Matrix w = model.parameter("condition.weight_l" + k).value;
            Matrix bias = model.parameter("condition.bias_l" + k).value;
            assertEquals(model.rnn().layer(k).stateSize(), s.layer(k).cols, "h and c parts for LSTM");
            for (int b = 0; b < c.rows; b++) {
                for (int j = 0; j < w.rows; j++) {
                    double a = bias.get(0, j);
                    for (int i = 0; i < C; i++) {
                        a += (double) w.get(j, i) * c.get(b, i);
                    }
                    assertEquals(Math.tanh(a), s.layer(k).get(b, j), 1e-6);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void decodingReportsTheModelsProbabilities(CellType cell) {
        ConditionedGenerator model = model(cell, 2, 3, 8);
        Matrix c = conditions(12);
        List<Hypothesis> greedy = SequenceGenerator.greedy(model).generate(model.condition(c), 6);
        List<Hypothesis> sampled = new SequenceGenerator(model, new SamplingOptions(1.5f, 0), new Rng(2))
                .generate(model.condition(c), 6);
        List<Hypothesis> again = new SequenceGenerator(model, new SamplingOptions(1.5f, 0), new Rng(2))
                .generate(model.condition(c), 6);
        BeamSearch beam1 = new BeamSearch(model, new BeamSearchOptions(1, 6, 0));
        for (int b = 0; b < c.rows; b++) {
            Matrix cb = c.rows(b, 1);
            assertEquals(model.logProbability(cb, greedy.get(b).tokens()), greedy.get(b).logProbability(), 1e-4);
            assertEquals(model.logProbability(cb, sampled.get(b).tokens()), sampled.get(b).logProbability(), 1e-4);
            assertArrayEquals(again.get(b).tokens(), sampled.get(b).tokens(), "seeded sampling is reproducible");
            assertArrayEquals(greedy.get(b).tokens(), beam1.search(model.condition(cb)).get(0).tokens());
        }
    }

    /** Four one-hot conditions, each with its own string: generation from each condition gives its string. */
    @Test
    void learnsOneStringPerCondition() {
        int[][] strings = {{2, 3, 4}, {5, 5}, {4, 2, 3, 5, 2}, {}};
        ModelConfig config = ModelConfig.builder().cell(CellType.GRU).vocabSize(V).embeddingDim(4).hiddenSize(16).build();
        ConditionedGenerator model = ConditionedGenerator.create(config, strings.length, Init.RecurrentInit.PYTORCH,
                new Rng(3));
        Matrix c = new Matrix(strings.length, strings.length);
        for (int i = 0; i < strings.length; i++) {
            c.set(i, i, 1f);
        }
        PaddedSequences targets = PaddedSequences.of(strings);
        Sgd sgd = new Sgd(model.parameters(), 0.5f);
        double loss = Double.NaN;
        for (int step = 0; step < 300; step++) {
            model.zeroGrad();
            loss = model.forwardBackward(c, targets, 1f / strings.length).mean();
            Clipping.clipGlobalNorm(model.parameters(), 5);
            sgd.step();
        }
        assertTrue(loss < 0.05, "mean loss per token " + loss);
        List<Hypothesis> out = SequenceGenerator.greedy(model).generate(model.condition(c), 8);
        for (int i = 0; i < strings.length; i++) {
            assertArrayEquals(strings[i], out.get(i).tokens(), "condition " + i);
        }
    }

    @Test
    void misuseIsExplained() {
        ModelConfig bi = ModelConfig.builder().cell(CellType.GRU).vocabSize(V).hiddenSize(4).bidirectional().build();
        var e = assertThrows(IllegalArgumentException.class, () -> new ConditionedGenerator(bi, C));
        assertTrue(e.getMessage().contains("cannot be bidirectional"), e.getMessage());
        ConditionedGenerator m = model(CellType.RNN, 1, 3, 2);
        e = assertThrows(IllegalArgumentException.class, () -> m.condition(new Matrix(2, C + 1)));
        assertTrue(e.getMessage().contains("condition size is " + C), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.loss(new Matrix(2, C), PaddedSequences.of(TARGETS)));
        assertTrue(e.getMessage().contains("2 rows but there are 3 targets"), e.getMessage());
        assertThrows(IllegalStateException.class, m::conditionGradient);
    }
}
