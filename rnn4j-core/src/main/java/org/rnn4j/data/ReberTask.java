package org.rnn4j.data;

import java.util.Arrays;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Next-symbol prediction on the embedded Reber grammar ({@link EmbeddedReber}), Hochreiter &amp;
 * Schmidhuber (1997) Experiment 1 (after Fahlman 1991): the long lag is between the second symbol
 * ({@code T} or {@code P}) and the second-to-last, which repeats it.
 * <pre>
 *   symbols   B T P S X V E = token ids 0..6 ({@link EmbeddedReber#ALPHABET}); 7 output classes
 *   sequence  one embedded Reber string per column, drawn by {@link EmbeddedReber#generate}; strings
 *             longer than T are drawn again (the grammar has no length parameter: T caps it, and the
 *             shortest string has 9 symbols; above T = 40 the cap almost never bites)
 *   y[t]      the symbol at step t+1, for t &lt; L-1; -1 at the final E and on padding
 * </pre>
 *
 * <p><b>Loss and baseline.</b> Softmax cross-entropy of the next symbol, averaged over the scored steps.
 * Every binary choice of the grammar costs {@code ln 2} even to a perfect predictor; the baseline is a
 * predictor that knows the grammar but not the branch taken at step 1, so it also pays {@code ln 2} at
 * the second-to-last symbol. Per string of length {@code L} that is {@code (L-4) ln 2} over {@code L-1}
 * steps, and {@link #expectedBaselineLoss} is {@code ln 2 (E[L]-4)/(E[L]-1)} with {@code E[L]} computed
 * exactly for strings of at most {@code T} symbols ({@code E[L] = 12} without the cap: 0.504 nats).
 *
 * <p><b>Success</b> (the paper): a trial succeeds when every symbol of every test (and training) string
 * is predicted correctly, meaning that the output units of the possible next symbols are always the most
 * active ones. Here: at every scored step of every test string, each legal next symbol's logit is
 * strictly above every illegal one's. The baseline fails it at the second-to-last symbol only.
 *
 * <ul>
 *   <li>S. Hochreiter, J. Schmidhuber, Long short-term memory, Neural Computation 9(8), 1997, Section 5.1.</li>
 *   <li>S. E. Fahlman, The recurrent cascade-correlation architecture, NIPS 3, 1991.</li>
 * </ul>
 */
public final class ReberTask extends LongLagTask {
    /** The shortest embedded Reber string, e.g. {@code BTBTXSETE}. */
    public static final int SHORTEST = 9;

    private static final int V = EmbeddedReber.ALPHABET.length();
    private static final int T_ID = EmbeddedReber.ALPHABET.indexOf('T');
    private static final int P_ID = EmbeddedReber.ALPHABET.indexOf('P');
    // The inner Reber graph as in EmbeddedReber (node k's two successors; node 5 leaves by E), for the
    // exact length distribution; ReberTaskTest checks it against EmbeddedReber.legalNext.
    static final int[][] SUCCESSORS = {{1, 2}, {1, 3}, {2, 4}, {2, 5}, {3, 5}};

    @Override
    public String name() {
        return "reber";
    }

    @Override
    public String source() {
        return "Hochreiter & Schmidhuber (1997), Experiment 1: next-symbol prediction on embedded Reber strings "
                + "(strings longer than T redrawn)";
    }

    @Override
    public String successRule() {
        return "at every step of every test string the legal next symbols are strictly the most active outputs "
                + "(Hochreiter & Schmidhuber 1997)";
    }

    @Override
    public boolean tokenInputs() {
        return true;
    }

    @Override
    public int inputSize() {
        return V;
    }

    @Override
    public int outputSize() {
        return V;
    }

    @Override
    public Loss loss() {
        return Loss.CROSS_ENTROPY;
    }

    @Override
    public boolean perStepTargets() {
        return true;
    }

    @Override
    public int minSteps() {
        return SHORTEST;
    }

    @Override
    LongLagBatch generate(int batchSize, int steps, RandomGenerator random) {
        int[][] sequences = new int[batchSize][];
        for (int b = 0; b < batchSize; b++) {
            String s;
            do {
                s = EmbeddedReber.generate(random);
            } while (s.length() > steps);
            sequences[b] = new int[s.length()];
            for (int t = 0; t < s.length(); t++) {
                sequences[b][t] = EmbeddedReber.ALPHABET.indexOf(s.charAt(t));
            }
        }
        PaddedInputs inputs = padTokens(sequences);
        int[] targets = new int[inputs.steps() * batchSize];
        Arrays.fill(targets, PaddedInputs.IGNORED_TARGET);
        for (int b = 0; b < batchSize; b++) {
            for (int t = 0; t + 1 < sequences[b].length; t++) {
                targets[t * batchSize + b] = sequences[b][t + 1];
            }
        }
        return LongLagBatch.ofStepClasses(inputs, targets);
    }

    /** The symbols of sequence {@code b}, e.g. {@code "BTBTXSETE"}. */
    public static String string(LongLagBatch batch, int b) {
        PaddedInputs in = batch.inputs();
        StringBuilder sb = new StringBuilder(in.lengths()[b]);
        for (int t = 0; t < in.lengths()[b]; t++) {
            sb.append(EmbeddedReber.ALPHABET.charAt(in.token(t, b)));
        }
        return sb.toString();
    }

    @Override
    public float[] baselinePredictions(LongLagBatch batch) {
        return legalLogits(batch, true);
    }

    @Override
    public float[] perfectPredictions(LongLagBatch batch) {
        return legalLogits(batch, false);
    }

    /** Logits 0 on the legal next symbols (on T and P at the second-to-last symbol when forgetful), else impossible. */
    private static float[] legalLogits(LongLagBatch batch, boolean forgetful) {
        int n = batch.batchSize();
        float[] out = new float[batch.items() * V];
        for (int b = 0; b < n; b++) {
            String s = string(batch, b);
            for (int t = 0; t + 1 < s.length(); t++) {
                int legal = forgetful && t == s.length() - 3 ? (1 << T_ID) | (1 << P_ID) : legalMask(s, t);
                for (int j = 0; j < V; j++) {
                    out[(t * n + b) * V + j] = (legal >> j & 1) != 0 ? 0f : IMPOSSIBLE_LOGIT;
                }
            }
        }
        return out;
    }

    /** The legal symbols after {@code s[0..t]}, as a bit mask over {@link EmbeddedReber#ALPHABET}. */
    private static int legalMask(String s, int t) {
        Set<Character> next = EmbeddedReber.legalNext(s.subSequence(0, t + 1));
        int mask = 0;
        for (char c : next) {
            mask |= 1 << EmbeddedReber.ALPHABET.indexOf(c);
        }
        return mask;
    }

    @Override
    boolean sequenceCorrect(float[] predictions, LongLagBatch batch, int b) {
        int n = batch.batchSize();
        String s = string(batch, b);
        for (int t = 0; t + 1 < s.length(); t++) {
            int legal = legalMask(s, t);
            int offset = (t * n + b) * V;
            float lowestLegal = Float.POSITIVE_INFINITY;
            float highestIllegal = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < V; j++) {
                float x = predictions[offset + j];
                if ((legal >> j & 1) != 0) {
                    lowestLegal = Math.min(lowestLegal, x);
                } else {
                    highestIllegal = Math.max(highestIllegal, x);
                }
            }
            if (!(lowestLegal > highestIllegal)) { // also false for NaN
                return false;
            }
        }
        return true;
    }

    @Override
    public double expectedBaselineLoss(int steps) {
        double meanLength = expectedLength(steps);
        return Math.log(2) * (meanLength - 4) / (meanLength - 1);
    }

    /**
     * {@code E[L | L <= steps]} for embedded Reber strings: an inner string is {@code B} and one symbol per
     * edge walked, so {@code L = edges + 5}; the distribution of the edges follows from the graph.
     */
    static double expectedLength(int steps) {
        if (steps < SHORTEST) {
            throw new IllegalArgumentException("embedded Reber strings have at least " + SHORTEST + " symbols, got T = "
                    + steps);
        }
        double[] mass = new double[6]; // P(at inner node k after e edges, not yet ended)
        mass[0] = 1;
        double total = 0;
        double weighted = 0;
        for (int e = 1; e + 5 <= steps; e++) {
            double[] next = new double[6];
            for (int k = 0; k < SUCCESSORS.length; k++) {
                next[SUCCESSORS[k][0]] += mass[k] / 2;
                next[SUCCESSORS[k][1]] += mass[k] / 2;
            }
            double ended = mass[5]; // node 5 leaves by E: the string ends with e edges
            total += ended;
            weighted += ended * (e + 5);
            mass = next;
        }
        return weighted / total;
    }
}
