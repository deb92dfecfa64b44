package org.rnn4j.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.matrix.Rng;
import org.rnn4j.nn.Init;
import org.rnn4j.optim.Clipping;
import org.rnn4j.optim.Sgd;
import org.rnn4j.sample.BeamSearch;
import org.rnn4j.sample.BeamSearchOptions;
import org.rnn4j.sample.Hypothesis;
import org.rnn4j.sample.SequenceGenerator;

/**
 * A small GRU encoder-decoder learns to reverse strings of 3–5 digits with plain SGD and gradient-norm
 * clipping in 800 steps of 32 pairs (a few seconds): the whole string must pass through the encoder's
 * final state, since there is no attention. Source ids are the digits 0–9; target ids are digit + 2
 * (0 and 1 are BOS and EOS).
 */
class Seq2SeqLearningTest {
    private static final int BATCH = 32;
    private static final int STEPS = 800;
    private static final int DECAY_AT = 550; // then lr / 5: plain SGD's noise otherwise keeps the accuracy swinging
    private static final float LEARNING_RATE = 0.3f;
    private static final double CLIP_NORM = 5;
    private static final int TEST_SIZE = 200;

    private static int[] digits(Rng rng) {
        int[] s = new int[3 + rng.nextInt(3)];
        for (int i = 0; i < s.length; i++) {
            s[i] = rng.nextInt(10);
        }
        return s;
    }

    private static int[] reversed(int[] source) {
        int[] t = new int[source.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = source[source.length - 1 - i] + 2;
        }
        return t;
    }

    @Test
    void learnsToReverseDigitStrings() {
        Seq2SeqConfig config = Seq2SeqConfig.builder().cell(CellType.GRU).sourceVocabSize(10).targetVocabSize(12)
                .embeddingDim(12).hiddenSize(48).build();
        Rng seed = new Rng(1);
        Seq2Seq model = Seq2Seq.create(config, Init.RecurrentInit.PYTORCH, seed.split("init"));
        Rng data = seed.split("data");
        Sgd sgd = new Sgd(model.parameters(), LEARNING_RATE);
        double firstLoss = Double.NaN;
        double loss = Double.NaN;
        for (int step = 1; step <= STEPS; step++) {
            int[][] sources = new int[BATCH][];
            int[][] targets = new int[BATCH][];
            for (int b = 0; b < BATCH; b++) {
                sources[b] = digits(data);
                targets[b] = reversed(sources[b]);
            }
            model.zeroGrad();
            loss = model.forwardBackward(Seq2SeqBatch.of(sources, targets), 1f / BATCH).mean();
            firstLoss = step == 1 ? loss : firstLoss;
            Clipping.clipGlobalNorm(model.parameters(), CLIP_NORM);
            if (step == DECAY_AT) {
                sgd.setLearningRate(LEARNING_RATE / 5);
            }
            sgd.step();
        }
        assertTrue(loss < firstLoss / 10, "loss went from " + firstLoss + " to " + loss);

        Rng test = seed.split("test");
        int[][] sources = new int[TEST_SIZE][];
        for (int i = 0; i < TEST_SIZE; i++) {
            sources[i] = digits(test);
        }
        List<Hypothesis> greedy = SequenceGenerator.greedy(model).generate(model.encode(PaddedSequences.of(sources)), 8);
        BeamSearch beam = new BeamSearch(model, BeamSearchOptions.builder().width(3).maxLength(8).build());
        int greedyRight = 0;
        int beamRight = 0;
        for (int i = 0; i < TEST_SIZE; i++) {
            int[] expected = reversed(sources[i]);
            greedyRight += Arrays.equals(expected, greedy.get(i).tokens()) ? 1 : 0;
            Hypothesis best = beam.search(model.encode(sources[i])).get(0);
            beamRight += Arrays.equals(expected, best.tokens()) ? 1 : 0;
            assertTrue(best.logProbability() >= greedy.get(i).logProbability() - 1e-4, "beam less likely than greedy");
        }
        assertTrue(greedyRight >= 0.9 * TEST_SIZE, "greedy exact match " + greedyRight + "/" + TEST_SIZE);
        assertTrue(beamRight >= 0.9 * TEST_SIZE, "beam exact match " + beamRight + "/" + TEST_SIZE);
    }
}
