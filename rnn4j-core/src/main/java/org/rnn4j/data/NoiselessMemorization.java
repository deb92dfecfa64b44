package org.rnn4j.data;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The noiseless memorization problem of Martens &amp; Sutskever (2011), as Pascanu, Mikolov &amp; Bengio
 * (2013) generate it in their released {@code memorization.py} (defaults: 5 values, 10 positions):
 * read {@code P} symbols, wait {@code T} steps, then recall them in order.
 * <pre>
 *   inputs    token ids: 0..V-1 the values, V = blank, V+1 = trigger           (V+2 = 7 symbols)
 *   outputs   class ids: 0..V-1 the values, V = blank                          (V+1 = 6 classes)
 *   length    T + 2P steps                                                    (P = 10)
 *   x[t]      t &lt; P: s[t] ~ U{0 .. V-1};   t = T+P: trigger;   otherwise blank
 *   y[t]      t &lt; T+P: blank;             T+P &lt;= t &lt; T+2P: s[t - T - P]
 * </pre>
 * so the first value is due at the trigger's own step. Drawn per sequence: {@code s[0] .. s[P-1]}
 * (the code draws one integer below {@code V^P} and reads its base-V digits: the same distribution).
 *
 * <p><b>Loss and baseline.</b> Softmax cross-entropy at every step, averaged over all
 * {@code T + 2P} steps (as the code's {@code softmax} cost). Without memory of the values a network can
 * still get every blank right and guess uniformly at the {@code P} recall steps:
 * {@code P ln V / (T + 2P)}.
 *
 * <p><b>Success</b> (the released {@code RNN.py}, {@code report = 'all'}): a sequence is wrong when the
 * argmax is wrong at any of its steps; solved when none of 10,000 test sequences is wrong. Here a tie for
 * the top is wrong.
 *
 * <ul>
 *   <li>J. Martens, I. Sutskever, Learning recurrent neural networks with Hessian-free optimization, ICML 2011.</li>
 *   <li>R. Pascanu, T. Mikolov, Y. Bengio, On the difficulty of training recurrent neural networks, ICML 2013;
 *       code github.com/pascanur/trainingRNNs ({@code memorization.py}).</li>
 * </ul>
 */
public final class NoiselessMemorization extends LongLagTask {
    /** The code's default number of distinct values. */
    public static final int DEFAULT_VALUES = 5;
    /** The code's default number of values to memorise. */
    public static final int DEFAULT_POSITIONS = 10;

    private final int values;    // V
    private final int positions; // P

    /** With the code's defaults: 5 values, 10 positions. */
    public NoiselessMemorization() {
        this(DEFAULT_VALUES, DEFAULT_POSITIONS);
    }

    /**
     * @throws IllegalArgumentException unless {@code values >= 2} and {@code positions >= 1}
     */
    public NoiselessMemorization(int values, int positions) {
        if (values < 2 || positions < 1) {
            throw new IllegalArgumentException("memorization needs at least 2 values and 1 position, got " + values
                    + " and " + positions);
        }
        this.values = values;
        this.positions = positions;
    }

    /** {@code V}. */
    public int values() {
        return values;
    }

    /** {@code P}. */
    public int positions() {
        return positions;
    }

    /** The blank input token and output class, {@code V}. */
    public int blank() {
        return values;
    }

    /** The trigger input token, {@code V + 1}. */
    public int trigger() {
        return values + 1;
    }

    @Override
    public String name() {
        return "memorization";
    }

    @Override
    public String source() {
        return "Martens & Sutskever (2011) as in Pascanu et al.'s released memorization.py: " + positions + " values of "
                + values + ", T blanks, trigger, recall";
    }

    @Override
    public String successRule() {
        return "every step of every test sequence has its argmax on the target (Pascanu et al.'s RNN.py)";
    }

    @Override
    public boolean tokenInputs() {
        return true;
    }

    @Override
    public int inputSize() {
        return values + 2;
    }

    @Override
    public int outputSize() {
        return values + 1;
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
        return 1;
    }

    @Override
    LongLagBatch generate(int batchSize, int steps, RandomGenerator random) {
        int length = steps + 2 * positions;
        int[][] sequences = new int[batchSize][length];
        int[] targets = new int[length * batchSize]; // (T'*B)
        for (int b = 0; b < batchSize; b++) {
            int[] x = sequences[b];
            Arrays.fill(x, blank());
            for (int t = 0; t < positions; t++) {
                x[t] = random.nextInt(values);
            }
            x[steps + positions] = trigger();
            for (int t = 0; t < length; t++) {
                targets[t * batchSize + b] = t < steps + positions ? blank() : x[t - steps - positions];
            }
        }
        return LongLagBatch.ofStepClasses(padTokens(sequences), targets);
    }

    @Override
    public float[] baselinePredictions(LongLagBatch batch) {
        return blankThenGuess(batch, outputSize(), blank(), positions);
    }

    @Override
    public double expectedBaselineLoss(int steps) {
        return positions * Math.log(values) / (steps + 2 * positions);
    }

    @Override
    public float[] perfectPredictions(LongLagBatch batch) {
        return oneHotLogits(batch, outputSize());
    }

    @Override
    boolean sequenceCorrect(float[] predictions, LongLagBatch batch, int b) {
        return everyStepArgmax(predictions, batch, b, outputSize());
    }
}
