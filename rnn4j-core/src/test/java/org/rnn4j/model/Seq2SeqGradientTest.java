package org.rnn4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.diag.GradientChecker;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Rng;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Parameter;

/**
 * Gradient checks of the encoder-decoder on a batch of variable source and target lengths (one empty
 * target), every cell, 1 and 2 layers, embedded and one-hot inputs; and the teacher-forced loss against
 * a step-by-step computation. Tolerances: {@link GradientChecker}'s defaults (see its comment).
 */
class Seq2SeqGradientTest {
    private static final int VS = 5; // source vocabulary
    private static final int VT = 6; // target vocabulary: BOS, EOS and 4 tokens
    static final int[][] SOURCES = {{0, 3, 4, 1}, {2, 2}, {4, 0, 1}};
    static final int[][] TARGETS = {{2, 5, 3}, {}, {4, 4}};

    static Stream<Arguments> shapes() {
        List<Arguments> a = new ArrayList<>();
        for (CellType cell : CellType.values()) {
            a.add(Arguments.of(cell, 1, 3));
            a.add(Arguments.of(cell, 2, 0));
        }
        return a.stream();
    }

    static Seq2Seq model(CellType cell, int layers, int emb, long seed) {
        Seq2SeqConfig c = Seq2SeqConfig.builder().cell(cell).sourceVocabSize(VS).targetVocabSize(VT).embeddingDim(emb)
                .hiddenSize(4).numLayers(layers).build();
        Seq2Seq m = Seq2Seq.create(c, Init.RecurrentInit.PYTORCH, new Rng(seed));
        Rng rng = new Rng(seed + 1);
        for (Parameter p : m.parameters()) {
            if (p.name().contains(".rnn.")) {
                rng.fillUniform(p.value, -0.6f, 0.6f); // larger than the init, so that every path matters
            }
        }
        return m;
    }

    @ParameterizedTest(name = "{0} layers={1} emb={2}")
    @MethodSource("shapes")
    void gradients(CellType cell, int layers, int emb) {
        Seq2Seq model = model(cell, layers, emb, 40 + cell.ordinal());
        Seq2SeqBatch batch = Seq2SeqBatch.of(SOURCES, TARGETS);
        GradientChecker.Report report = new GradientChecker().check(new GradientChecker.Objective() {
            @Override
            public double loss() {
                return model.loss(batch).sum();
            }

            @Override
            public double lossAndGradient() {
                model.zeroGrad();
                return model.forwardBackward(batch, 1f).sum();
            }
        }, model.parameters());
        assertTrue(report.passed(), report.summary());

        model.zeroGrad();
        model.forwardBackward(batch, 1f);
        for (Parameter p : model.parameters()) {
            if (p.name().startsWith("encoder.")) { // the encoder learns only through the decoder's initial state
                assertTrue(Kernels.sumOfSquares(p.grad) > 1e-8, p.name() + " received no gradient");
            }
        }
    }

    @Test
    void parameterNames() {
        List<String> names = model(CellType.LSTM, 1, 3, 1).parameters().stream().map(Parameter::name).toList();
        assertEquals(List.of("encoder.embedding.weight", "encoder.rnn.weight_ih_l0", "encoder.rnn.weight_hh_l0",
                "encoder.rnn.bias_ih_l0", "encoder.rnn.bias_hh_l0", "decoder.embedding.weight", "decoder.rnn.weight_ih_l0",
                "decoder.rnn.weight_hh_l0", "decoder.rnn.bias_ih_l0", "decoder.rnn.bias_hh_l0", "decoder.output.weight",
                "decoder.output.bias"), names);
    }

    @ParameterizedTest(name = "{0} layers={1} emb={2}")
    @MethodSource("shapes")
    void teacherForcedLossEqualsStepByStep(CellType cell, int layers, int emb) {
        Seq2Seq model = model(cell, layers, emb, 50 + cell.ordinal());
        Seq2SeqBatch batch = Seq2SeqBatch.of(SOURCES, TARGETS);
        double expected = 0;
        for (int b = 0; b < SOURCES.length; b++) {
            expected -= model.logProbability(SOURCES[b], TARGETS[b]); // each pair alone, one step at a time
        }
        var loss = model.loss(batch);
        assertEquals(expected, loss.sum(), 1e-4 * Math.abs(expected));
        assertEquals(batch.targetTokenCount(), loss.count());
        model.zeroGrad();
        assertEquals(loss.sum(), model.forwardBackward(batch, 0.5f).sum(), 1e-9, "training forward, no dropout");
    }

    @Test
    void scaleScalesTheGradient() {
        Seq2SeqBatch batch = Seq2SeqBatch.of(SOURCES, TARGETS);
        Seq2Seq model = model(CellType.GRU, 2, 3, 7);
        model.zeroGrad();
        model.forwardBackward(batch, 1f);
        float[][] full = model.parameters().stream().map(p -> p.grad.toArray()).toArray(float[][]::new);
        model.zeroGrad();
        model.forwardBackward(batch, 0.25f);
        for (int i = 0; i < full.length; i++) {
            Parameter p = model.parameters().get(i);
            for (int j = 0; j < full[i].length; j++) {
                assertEquals(0.25f * full[i][j], p.grad.data[p.grad.offset + j], 1e-6f, p.name() + "[" + j + "]");
            }
        }
    }

    @Test
    void dropoutOnlyInTraining() {
        Seq2SeqConfig c = Seq2SeqConfig.builder().cell(CellType.LSTM).sourceVocabSize(VS).targetVocabSize(VT)
                .embeddingDim(3).hiddenSize(4).numLayers(2).dropout(0.5f).build();
        Seq2Seq model = Seq2Seq.create(c, Init.RecurrentInit.PYTORCH, new Rng(2));
        Seq2SeqBatch batch = Seq2SeqBatch.of(SOURCES, TARGETS);
        double inference = model.loss(batch).sum();
        assertEquals(inference, model.loss(batch).sum(), 0, "no dropout at inference");
        double training = model.forwardBackward(batch, 1f).sum();
        assertTrue(Math.abs(training - inference) > 1e-6, "dropout masks change the training loss");
    }

    @Test
    void misuseIsExplained() {
        Seq2Seq model = model(CellType.RNN, 1, 3, 3);
        var e = assertThrows(IllegalArgumentException.class,
                () -> model.loss(Seq2SeqBatch.of(new int[][] {{1}}, new int[][] {{2, StepDecoder.EOS}})));
        assertTrue(e.getMessage().contains("without BOS and EOS"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Seq2SeqBatch.of(new int[][] {{1}, {}}, new int[][] {{2}, {3}}));
        assertTrue(e.getMessage().contains("source 1 is empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> model.loss(Seq2SeqBatch.of(new int[][] {{VS}}, new int[][] {{2}})));
        assertTrue(e.getMessage().contains("outside the vocabulary"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Seq2SeqConfig.builder().sourceVocabSize(3)
                .targetVocabSize(2).hiddenSize(4).build());
        assertTrue(e.getMessage().contains("BOS = 0, EOS = 1"), e.getMessage());
    }
}
