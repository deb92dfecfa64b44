package org.rnn4j.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.model.RecurrentState;
import org.rnn4j.model.StepDecoder;

/**
 * Beam search over a {@link StepDecoder} from one start state. The k live hypotheses are the k rows of
 * one decoder state, so a step costs one network step of batch k:
 * <pre>
 *   candidates  (i, c) for live i and token c ≠ BOS,   ln P(y_i c) = ln P(y_i) + ln softmax(z_i)[c]
 *   keep the 2k best; in rank order, an EOS among the first k finishes y_i, other tokens refill the k live rows
 *   stop when k hypotheses have finished (or no live one is left); after maxLength tokens only EOS is allowed
 * </pre>
 * Finished hypotheses are ranked by {@link Hypothesis#score(double)} with the options' length penalty.
 * Width 1 is greedy decoding. Beam search is a heuristic: a wider beam usually, but not always, finds a
 * more probable output.
 */
public final class BeamSearch {
    private final StepDecoder model;
    private final BeamSearchOptions options;

    public BeamSearch(StepDecoder model, BeamSearchOptions options) {
        this.model = model;
        this.options = options;
    }

    /**
     * The finished hypotheses from {@code start} (batch 1, left unchanged), best first, at most the beam
     * width of them.
     */
    public List<Hypothesis> search(RecurrentState start) {
        if (start.batch() != 1) {
            throw new IllegalArgumentException("beam search starts from one sequence's state, got a batch of "
                    + start.batch() + ": search each sequence separately");
        }
        int k = options.width();
        int v = model.vocabSize();
        RecurrentState state = model.newState(k);
        for (int l = 0; l < state.numLayers(); l++) {
            Matrix s = state.layer(l);
            Matrix s0 = start.layer(l);
            for (int i = 0; i < k; i++) {
                s.rows(i, 1).copyFrom(s0);
            }
        }
        RecurrentState previous = model.newState(k); // scratch for reordering rows
        int[][] liveTokens = {new int[0]};
        double[] liveLogP = {0};
        int[] feed = new int[k];
        Arrays.fill(feed, StepDecoder.BOS);
        int top = Math.min(2 * k, v); // enough that k of them are not EOS
        double[] candScore = new double[top];
        int[] candRow = new int[top];
        int[] candToken = new int[top];
        List<Hypothesis> finished = new ArrayList<>();
        for (int t = 0; t <= options.maxLength() && liveTokens.length > 0 && finished.size() < k; t++) {
            Matrix z = model.step(feed, state);
            boolean last = t == options.maxLength();
            int count = 0; // candidates so far, sorted by descending score
            for (int i = 0; i < liveTokens.length; i++) {
                Matrix row = z.rows(i, 1);
                double logZ = SequenceGenerator.logSumExp(row);
                for (int c = 0; c < v; c++) {
                    if (c == StepDecoder.BOS || (last && c != StepDecoder.EOS)) {
                        continue;
                    }
                    double score = liveLogP[i] + (row.data[row.offset + c] - logZ);
                    if (count == top && !(score > candScore[top - 1])) {
                        continue;
                    }
                    int at = count == top ? top - 1 : count++; // insertion into the sorted candidates
                    while (at > 0 && candScore[at - 1] < score) {
                        candScore[at] = candScore[at - 1];
                        candRow[at] = candRow[at - 1];
                        candToken[at] = candToken[at - 1];
                        at--;
                    }
                    candScore[at] = score;
                    candRow[at] = i;
                    candToken[at] = c;
                }
            }
            int[][] nextTokens = new int[k][];
            double[] nextLogP = new double[k];
            int live = 0;
            previous.copyFrom(state);
            for (int r = 0; r < count && live < k; r++) {
                int i = candRow[r];
                if (candToken[r] == StepDecoder.EOS) {
                    if (r < k) {
                        finished.add(new Hypothesis(liveTokens[i], candScore[r]));
                    }
                    continue;
                }
                nextTokens[live] = Arrays.copyOf(liveTokens[i], liveTokens[i].length + 1);
                nextTokens[live][liveTokens[i].length] = candToken[r];
                nextLogP[live] = candScore[r];
                feed[live] = candToken[r];
                for (int l = 0; l < state.numLayers(); l++) {
                    state.layer(l).rows(live, 1).copyFrom(previous.layer(l).rows(i, 1)); // row live ← parent i
                }
                live++;
            }
            liveTokens = Arrays.copyOf(nextTokens, live);
            liveLogP = Arrays.copyOf(nextLogP, live);
        }
        double alpha = options.lengthPenalty();
        finished.sort(Comparator.comparingDouble((Hypothesis h) -> h.score(alpha)).reversed());
        return finished.subList(0, Math.min(k, finished.size()));
    }
}
