package org.rnn4j.sample;

import java.util.function.IntConsumer;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.RecurrentState;

/**
 * Generates tokens one at a time: start from the model's initial state, feed the prime, then repeatedly
 * pick a token from the last logits and feed it back. Each token costs one step of the network (the
 * state carries the prefix, which is never re-run).
 */
public final class Sampler {
    private final LanguageModel model;
    private final SamplingOptions options;
    private final Rng rng;
    private final double[] probs;
    private final int[] order;

    public Sampler(LanguageModel model, SamplingOptions options, Rng rng) {
        this.model = model;
        this.options = options;
        this.rng = rng;
        int v = model.config().vocabSize();
        this.probs = new double[v];
        this.order = new int[v];
    }

    /**
     * Feeds {@code prime} (at least one token) and generates {@code length} tokens, passing each to
     * {@code sink} as soon as it is chosen. Returns the generated tokens.
     */
    public int[] generate(int[] prime, int length, IntConsumer sink) {
        if (prime.length == 0) {
            throw new IllegalArgumentException("the prime must hold at least one token");
        }
        if (length < 0) {
            throw new IllegalArgumentException("length must be non-negative, got " + length);
        }
        RecurrentState state = model.newState(1);
        int[] one = new int[1];
        Matrix logits = null;
        for (int id : prime) {
            one[0] = id;
            logits = model.step(one, state);
        }
        int[] out = new int[length];
        for (int i = 0; i < length; i++) {
            int next = pick(logits);
            out[i] = next;
            sink.accept(next);
            if (i + 1 < length) {
                one[0] = next;
                logits = model.step(one, state);
            }
        }
        return out;
    }

    /** Chooses a token from one row of logits (1 × V) according to the options. */
    public int pick(Matrix logits) {
        int v = logits.cols;
        float[] z = logits.data;
        int off = logits.offset;
        if (options.greedy()) {
            int best = 0;
            for (int c = 1; c < v; c++) {
                if (z[off + c] > z[off + best]) {
                    best = c;
                }
            }
            return best;
        }
        int k = options.topK() == 0 ? v : Math.min(options.topK(), v);
        // order[0..k) = the k largest logits (partial selection sort: k is small or k = V)
        for (int c = 0; c < v; c++) {
            order[c] = c;
        }
        if (k < v) {
            for (int i = 0; i < k; i++) {
                int best = i;
                for (int j = i + 1; j < v; j++) {
                    if (z[off + order[j]] > z[off + order[best]]) {
                        best = j;
                    }
                }
                int t = order[i];
                order[i] = order[best];
                order[best] = t;
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            max = Math.max(max, z[off + order[i]]);
        }
        double total = 0;
        for (int i = 0; i < k; i++) {
            probs[i] = Math.exp((z[off + order[i]] - max) / options.temperature());
            total += probs[i];
        }
        double u = rng.nextDouble() * total;
        for (int i = 0; i < k; i++) {
            u -= probs[i];
            if (u < 0) {
                return order[i];
            }
        }
        return order[k - 1];
    }
}
