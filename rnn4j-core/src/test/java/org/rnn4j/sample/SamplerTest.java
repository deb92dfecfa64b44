package org.rnn4j.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.ModelConfig;
import org.rnn4j.model.RecurrentState;
import org.rnn4j.nn.Init;

class SamplerTest {
    private final LanguageModel model = LanguageModel.create(
            ModelConfig.builder().vocabSize(5).embeddingDim(3).hiddenSize(8).build(), Init.RecurrentInit.PYTORCH,
            new Rng(1));

    @Test
    void greedyTakesTheArgmaxAndFeedsItBack() {
        int[] prime = {1, 2};
        int[] out = new Sampler(model, SamplingOptions.GREEDY, new Rng(0)).generate(prime, 6, id -> { });
        RecurrentState s = model.newState(1);
        Matrix z = null;
        for (int p : prime) {
            z = model.step(new int[] {p}, s);
        }
        for (int i = 0; i < 6; i++) {
            int best = 0;
            for (int v = 1; v < 5; v++) {
                if (z.get(0, v) > z.get(0, best)) {
                    best = v;
                }
            }
            assertEquals(best, out[i], "token " + i);
            z = model.step(new int[] {best}, s);
        }
    }

    @Test
    void topOneEqualsGreedyAndSeedsRepeat() {
        int[] prime = {0};
        int[] greedy = new Sampler(model, SamplingOptions.GREEDY, new Rng(0)).generate(prime, 20, id -> { });
        int[] top1 = new Sampler(model, new SamplingOptions(1.5f, 1), new Rng(9)).generate(prime, 20, id -> { });
        assertArrayEquals(greedy, top1);
        int[] a = new Sampler(model, new SamplingOptions(1f, 0), new Rng(4)).generate(prime, 50, id -> { });
        int[] b = new Sampler(model, new SamplingOptions(1f, 0), new Rng(4)).generate(prime, 50, id -> { });
        assertArrayEquals(a, b);
    }

    @Test
    void samplingFrequenciesFollowTheSoftmax() {
        Matrix z = Matrix.of(1, 3, 0f, (float) Math.log(2), (float) Math.log(7)); // p = 0.1, 0.2, 0.7
        TokenPicker s = new TokenPicker(3, new SamplingOptions(1f, 0), new Rng(5));
        int[] counts = new int[3];
        int n = 20000;
        for (int i = 0; i < n; i++) {
            counts[s.pick(z)]++;
        }
        assertEquals(0.1, counts[0] / (double) n, 0.01);
        assertEquals(0.7, counts[2] / (double) n, 0.015);
        TokenPicker top2 = new TokenPicker(3, new SamplingOptions(1f, 2), new Rng(5));
        for (int i = 0; i < 2000; i++) {
            assertTrue(top2.pick(z) != 0, "top-2 must never pick the least likely token");
        }
    }

    /**
     * The whole-vocabulary draw (the softmax on the vector kernels) over more tokens than a vector holds, at
     * a temperature: frequencies follow softmax(z / T), −∞ logits are never drawn, and an all −∞ row still
     * gives a token.
     */
    @Test
    void wholeVocabularyDrawsFollowTheTemperedSoftmax() {
        int v = 40;
        float t = 0.5f;
        Matrix z = new Matrix(1, v);
        Rng init = new Rng(9);
        for (int c = 0; c < v; c++) {
            z.data[c] = c % 7 == 3 ? Float.NEGATIVE_INFINITY : init.uniform(-1f, 1f);
        }
        z.data[18] = 1.5f; // one likely token
        double[] expected = new double[v];
        double sum = 0;
        for (int c = 0; c < v; c++) {
            expected[c] = Math.exp(z.data[c] / t);
            sum += expected[c];
        }
        TokenPicker s = new TokenPicker(v, new SamplingOptions(t, 0), new Rng(6));
        int[] counts = new int[v];
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            counts[s.pick(z)]++;
        }
        for (int c = 0; c < v; c++) {
            double want = expected[c] / sum;
            if (c % 7 == 3) {
                assertEquals(0, counts[c], "token " + c + " has a −∞ logit");
            } else {
                assertEquals(want, counts[c] / (double) n, 4 * Math.sqrt(want * (1 - want) / n) + 1e-4, "token " + c);
            }
        }
        Matrix none = new Matrix(1, v);
        java.util.Arrays.fill(none.data, Float.NEGATIVE_INFINITY);
        int picked = s.pick(none);
        assertTrue(picked >= 0 && picked < v);
    }

    /** Top-k over many logits draws exactly from the k largest, at their renormalised softmax frequencies. */
    @Test
    void topKDrawsOnlyTheKLargestAtTheirShare() {
        int v = 500;
        int k = 7;
        Matrix z = new Matrix(1, v);
        Rng init = new Rng(12);
        for (int c = 0; c < v; c++) {
            z.data[c] = init.uniform(-3f, 3f);
        }
        z.data[400] = z.data[401] = 2.999f; // a tie, near the top
        Integer[] ids = new Integer[v];
        for (int c = 0; c < v; c++) {
            ids[c] = c;
        }
        java.util.Arrays.sort(ids, (a, b) -> z.data[a] != z.data[b] ? Float.compare(z.data[b], z.data[a]) : a - b);
        double sum = 0;
        for (int i = 0; i < k; i++) {
            sum += Math.exp(z.data[ids[i]]);
        }
        TokenPicker s = new TokenPicker(v, new SamplingOptions(1f, k), new Rng(8));
        int[] counts = new int[v];
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            counts[s.pick(z)]++;
        }
        int drawn = 0;
        for (int i = 0; i < k; i++) {
            double want = Math.exp(z.data[ids[i]]) / sum;
            assertEquals(want, counts[ids[i]] / (double) n, 4 * Math.sqrt(want * (1 - want) / n), "rank " + i);
            drawn += counts[ids[i]];
        }
        assertEquals(n, drawn, "only the " + k + " largest logits may be drawn");
        TokenPicker top1 = new TokenPicker(v, new SamplingOptions(1f, 1), new Rng(8));
        assertEquals((int) ids[0], top1.pick(z));
    }

    @Test
    void badOptionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SamplingOptions(-1f, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingOptions(1f, -2));
        Sampler s = new Sampler(model, SamplingOptions.GREEDY, new Rng(0));
        assertThrows(IllegalArgumentException.class, () -> s.generate(new int[0], 5, id -> { }));
    }
}
