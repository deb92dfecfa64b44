package org.rnn4j.data;

import java.util.random.RandomGenerator;

/**
 * The temporal order problem of Hochreiter &amp; Schmidhuber (1997), Experiment 6 (task 6a: two relevant
 * symbols, task 6b: three), with the positions scaled by {@code T / 100} so that any length can be
 * asked for; at {@code T = 100} it is exactly the paper's task.
 * <pre>
 *   symbols   a b c d X Y E B = token ids 0..7 ({@value #SYMBOLS}); classes 0..2^n-1
 *   length    L ~ U{T .. T + T/10}  per sequence                          (paper: 100 .. 110)
 *   sequence  E at step 0, the trigger B at step L-1, a..d uniformly elsewhere, except
 *             n = 2 or 3 steps t_i ~ U{lo_i*T/100 .. hi_i*T/100} that hold X or Y (each with p = 1/2)
 *   6a        (lo, hi) = (10, 20), (50, 60)                                (paper: t1 in 10..20, t2 in 50..60)
 *   6b        (lo, hi) = (10, 20), (33, 43), (66, 76)                      (paper: 10..20, 33..43, 66..76)
 *   class     the order read as a binary number, X = 0, Y = 1, first symbol most significant:
 *             6a  XX Q=0, XY R=1, YX S=2, YY U=3;   6b  XXX Q=0, XXY R=1, ..., YYY C=7
 * </pre>
 * (integer division; steps counted from 0, where step 0 holds {@code E}.) Drawn per sequence in order:
 * {@code L}, the distractors of steps {@code 1 .. L-2}, then for each relevant symbol its step and X/Y.
 *
 * <p><b>Loss and baseline.</b> Softmax cross-entropy at the last step. Without memory of the X/Y
 * symbols the best is the uniform guess, costing {@code ln 4 ≈ 1.386} (6a) or {@code ln 8 ≈ 2.079} (6b).
 *
 * <p><b>Success</b> (the paper): "the sequence is classified correctly if the final error of all output
 * units is below 0.3"; with softmax outputs (targets one-hot) that is: the probability of the
 * right class exceeds 0.7 (the others then sum to less than 0.3). {@link #solved} asks it of every test
 * sequence (the paper stopped training once the 2000 most recent sequences were all right and the
 * average training error was below 0.1).
 *
 * <p>Pascanu et al.'s released {@code tempOrder.py}/{@code tempOrder3bit.py} (after Martens &amp;
 * Sutskever 2011) differ: exactly {@code T} steps, no E/B symbols (6 symbols), relevant positions in
 * {@code [0.1T, 0.2T)}, {@code [0.5T, 0.6T)} (3 symbols: {@code [0.1T, 0.2T)}, {@code [0.3T, 0.4T)},
 * {@code [0.6T, 0.7T)}) and argmax accuracy.
 *
 * <ul>
 *   <li>S. Hochreiter, J. Schmidhuber, Long short-term memory, Neural Computation 9(8), 1997, Section 5.6
 *       (also NIPS 9, 1997, Experiment 2).</li>
 * </ul>
 */
public final class TemporalOrder extends LongLagTask {
    /** The input symbols in token-id order. */
    public static final String SYMBOLS = "abcdXYEB";
    /** Token ids. */
    public static final int X = 4, Y = 5, START = 6, TRIGGER = 7;
    /** The distractors are token ids 0 .. DISTRACTORS-1 (a, b, c, d). */
    public static final int DISTRACTORS = 4;
    /** The probability of the right class above which a sequence counts as classified correctly. */
    public static final double MIN_PROBABILITY = 0.7;

    private static final int[][] TWO = {{10, 20}, {50, 60}};
    private static final int[][] THREE = {{10, 20}, {33, 43}, {66, 76}};

    private final int[][] windows; // percent of T: [lo, hi] inclusive, per relevant symbol

    private TemporalOrder(int[][] windows) {
        this.windows = windows;
    }

    /** Task 6a, {@code "temporal-order-2"}: two relevant symbols, 4 classes. */
    public static TemporalOrder twoSymbols() {
        return new TemporalOrder(TWO);
    }

    /** Task 6b, {@code "temporal-order-3"}: three relevant symbols, 8 classes. */
    public static TemporalOrder threeSymbols() {
        return new TemporalOrder(THREE);
    }

    /** How many relevant symbols (2 or 3). */
    public int relevantSymbols() {
        return windows.length;
    }

    /** The first step that may hold relevant symbol {@code i} at nominal length {@code steps}. */
    public int firstPosition(int i, int steps) {
        return windows[i][0] * steps / 100;
    }

    /** The last step that may hold relevant symbol {@code i} at nominal length {@code steps}. */
    public int lastPosition(int i, int steps) {
        return windows[i][1] * steps / 100;
    }

    @Override
    public String name() {
        return "temporal-order-" + windows.length;
    }

    @Override
    public String source() {
        return "Hochreiter & Schmidhuber (1997), Experiment 6" + (windows.length == 2 ? "a" : "b")
                + ": E, distractors a-d, " + windows.length + " X/Y symbols, trigger B; positions scaled by T/100";
    }

    @Override
    public String successRule() {
        return "every test sequence gives its class a probability > " + MIN_PROBABILITY
                + " (all outputs within 0.3 of the one-hot target; Hochreiter & Schmidhuber 1997)";
    }

    @Override
    public boolean tokenInputs() {
        return true;
    }

    @Override
    public int inputSize() {
        return SYMBOLS.length();
    }

    @Override
    public int outputSize() {
        return 1 << windows.length;
    }

    @Override
    public Loss loss() {
        return Loss.CROSS_ENTROPY;
    }

    @Override
    public boolean perStepTargets() {
        return false;
    }

    @Override
    public int minSteps() {
        return 10; // the first window starts at step T/10 >= 1, after E
    }

    @Override
    LongLagBatch generate(int batchSize, int steps, RandomGenerator random) {
        int[][] sequences = new int[batchSize][];
        int[] classes = new int[batchSize];
        for (int b = 0; b < batchSize; b++) {
            int length = random.nextInt(steps, steps + steps / 10 + 1);
            int[] s = new int[length];
            s[0] = START;
            s[length - 1] = TRIGGER;
            for (int t = 1; t < length - 1; t++) {
                s[t] = random.nextInt(DISTRACTORS);
            }
            int cls = 0;
            for (int i = 0; i < windows.length; i++) {
                int position = random.nextInt(firstPosition(i, steps), lastPosition(i, steps) + 1);
                int bit = random.nextInt(2);
                s[position] = bit == 0 ? X : Y;
                cls = cls * 2 + bit;
            }
            sequences[b] = s;
            classes[b] = cls;
        }
        return LongLagBatch.ofClasses(padTokens(sequences), classes);
    }

    /**
     * The class of a sequence of symbols ({@value #SYMBOLS}): its X and Y in order, read as a binary
     * number with X = 0 and Y = 1, e.g. {@code "EaXbYdB"} is XY, class 1 (R).
     *
     * @throws IllegalArgumentException if the sequence does not hold exactly 2 or 3 X/Y symbols
     */
    public static int classOf(CharSequence symbols) {
        int n = 0;
        int cls = 0;
        for (int i = 0; i < symbols.length(); i++) {
            char c = symbols.charAt(i);
            if (c == 'X' || c == 'Y') {
                cls = cls * 2 + (c == 'Y' ? 1 : 0);
                n++;
            }
        }
        if (n != 2 && n != 3) {
            throw new IllegalArgumentException("a temporal-order sequence holds 2 or 3 X/Y symbols, \"" + symbols
                    + "\" holds " + n);
        }
        return cls;
    }

    @Override
    public float[] baselinePredictions(LongLagBatch batch) {
        return new float[batch.batchSize() * outputSize()]; // equal logits: the uniform guess
    }

    @Override
    public double expectedBaselineLoss(int steps) {
        return Math.log(outputSize());
    }

    @Override
    public float[] perfectPredictions(LongLagBatch batch) {
        return oneHotLogits(batch, outputSize());
    }

    @Override
    boolean sequenceCorrect(float[] predictions, LongLagBatch batch, int b) {
        int k = outputSize();
        return Math.exp(logSoftmax(predictions, b * k, k, batch.classTarget(0, b))) > MIN_PROBABILITY;
    }
}
