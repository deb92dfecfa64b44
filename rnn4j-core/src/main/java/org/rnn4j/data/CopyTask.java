package org.rnn4j.data;

import java.util.random.RandomGenerator;

/**
 * The copying memory problem of Arjovsky, Shah &amp; Bengio (2016), numbered as in the authors' released
 * code ({@code memory_problem.py} in github.com/amarshah/complex_RNN): read 10 symbols, wait {@code T}
 * steps, then write them back.
 * <pre>
 *   symbols   0 = blank, 1..8 = the symbols to copy, 9 = delimiter          (V = 10 inputs, 9 output classes)
 *   length    T + 20 steps
 *   x[t]      t &lt; 10: s[t] ~ U{1..8};   t = T+9: delimiter;   otherwise blank
 *   y[t]      t &lt; T+10: blank;           T+10 &lt;= t &lt; T+20: s[t - T - 10]
 * </pre>
 * (The paper names the categories {@code a_0..a_9} with {@code a_8} blank and {@code a_9} the delimiter;
 * the code's ids are used here.) The lag between reading a symbol and writing it is {@code T + 10}.
 * Drawn per sequence: {@code s[0] .. s[9]}.
 *
 * <p><b>Loss and baseline.</b> Softmax cross-entropy averaged over all {@code T + 20} steps. The paper's
 * memoryless baseline writes blanks and then guesses uniformly among the 8 symbols:
 * {@code 10 ln 8 / (T + 20)}.
 *
 * <p><b>Success.</b> The paper gives no threshold (it compares the loss curve with the baseline's), so
 * rnn4j applies the noiseless-memorization rule of Pascanu et al.'s code: a sequence is right when the
 * argmax is right at every one of its steps, and the task is solved when every test sequence is right.
 *
 * <ul>
 *   <li>M. Arjovsky, A. Shah, Y. Bengio, Unitary evolution recurrent neural networks, ICML 2016, Section 4.1;
 *       code github.com/amarshah/complex_RNN.</li>
 * </ul>
 */
public final class CopyTask extends LongLagTask {
    /** The blank input token and output class. */
    public static final int BLANK = 0;
    /** The delimiter input token. */
    public static final int DELIMITER = 9;
    /** The symbols to copy are 1 .. SYMBOLS. */
    public static final int SYMBOLS = 8;
    /** How many symbols are copied. */
    public static final int COPY_LENGTH = 10;

    @Override
    public String name() {
        return "copy";
    }

    @Override
    public String source() {
        return "Arjovsky, Shah & Bengio (2016), released memory_problem.py: 10 symbols of 1..8, T-1 blanks, "
                + "delimiter 9, recall after T+10 steps; T+20 steps in all";
    }

    @Override
    public String successRule() {
        return "every step of every test sequence has its argmax on the target "
                + "(Arjovsky et al. give no threshold; rnn4j's choice)";
    }

    @Override
    public boolean tokenInputs() {
        return true;
    }

    @Override
    public int inputSize() {
        return DELIMITER + 1;
    }

    @Override
    public int outputSize() {
        return SYMBOLS + 1;
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
        int length = steps + 2 * COPY_LENGTH;
        int[][] sequences = new int[batchSize][length]; // blanks
        int[] targets = new int[length * batchSize];    // (T'*B), blanks
        for (int b = 0; b < batchSize; b++) {
            int[] x = sequences[b];
            for (int t = 0; t < COPY_LENGTH; t++) {
                x[t] = random.nextInt(1, SYMBOLS + 1);
                targets[(steps + COPY_LENGTH + t) * batchSize + b] = x[t];
            }
            x[steps + COPY_LENGTH - 1] = DELIMITER;
        }
        return LongLagBatch.ofStepClasses(padTokens(sequences), targets);
    }

    @Override
    public float[] baselinePredictions(LongLagBatch batch) {
        return blankThenGuess(batch, outputSize(), BLANK, COPY_LENGTH);
    }

    @Override
    public double expectedBaselineLoss(int steps) {
        return COPY_LENGTH * Math.log(SYMBOLS) / (steps + 2 * COPY_LENGTH);
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
