package org.rnn4j.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.RecurrentState;
import org.rnn4j.model.StepDecoder;

/**
 * Greedy or sampled decoding of a {@link StepDecoder} for a batch of start states (encoded sources,
 * conditions): every row feeds BOS, then its own chosen tokens, until it emits EOS. One network step per
 * token for the whole batch. BOS is never emitted; after {@code maxLength} tokens EOS is forced.
 */
public final class SequenceGenerator {
    private final StepDecoder model;
    private final TokenPicker picker;

    /** @param rng the sampling stream (may be null for greedy options) */
    public SequenceGenerator(StepDecoder model, SamplingOptions options, Rng rng) {
        this.model = model;
        this.picker = new TokenPicker(model.vocabSize(), options, rng);
    }

    /** Greedy decoding: the most likely token at every step. */
    public static SequenceGenerator greedy(StepDecoder model) {
        return new SequenceGenerator(model, SamplingOptions.GREEDY, null);
    }

    /**
     * Decodes one sequence per row of {@code start} (which is advanced in place) and returns them in row
     * order, each with its log-probability under the model (at temperature 1).
     */
    public List<Hypothesis> generate(RecurrentState start, int maxLength) {
        if (maxLength < 0) {
            throw new IllegalArgumentException("max length must be non-negative, got " + maxLength);
        }
        int batch = start.batch();
        int[] feed = new int[batch];
        Arrays.fill(feed, StepDecoder.BOS);
        int[][] tokens = new int[batch][maxLength];
        int[] lengths = new int[batch];
        double[] logP = new double[batch];
        boolean[] done = new boolean[batch];
        int running = batch;
        for (int t = 0; t <= maxLength && running > 0; t++) {
            Matrix z = model.step(feed, start);
            for (int b = 0; b < batch; b++) {
                if (done[b]) {
                    feed[b] = StepDecoder.EOS; // a finished row keeps stepping with the batch; its output is ignored
                    continue;
                }
                Matrix row = z.rows(b, 1);
                double logZ = logSumExp(row);
                int next;
                if (t == maxLength) {
                    next = StepDecoder.EOS; // the length limit
                } else {
                    row.data[row.offset + StepDecoder.BOS] = Float.NEGATIVE_INFINITY; // BOS is only an input
                    next = picker.pick(row);
                }
                logP[b] += row.data[row.offset + next] - logZ;
                if (next == StepDecoder.EOS) {
                    done[b] = true;
                    running--;
                } else {
                    tokens[b][lengths[b]++] = next;
                }
                feed[b] = next;
            }
        }
        List<Hypothesis> out = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            out.add(new Hypothesis(Arrays.copyOf(tokens[b], lengths[b]), logP[b]));
        }
        return out;
    }

    /** ln Σ_c exp(z_c) of one row, in double. */
    static double logSumExp(Matrix row) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < row.cols; c++) {
            max = Math.max(max, row.data[row.offset + c]);
        }
        double s = 0;
        for (int c = 0; c < row.cols; c++) {
            s += Math.exp(row.data[row.offset + c] - max);
        }
        return max + Math.log(s);
    }
}
