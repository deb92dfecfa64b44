package org.rnn4j.data;

import java.util.random.RandomGenerator;

/**
 * The information-latching problem: remember one bit for T steps through noise. The first symbol of a
 * sequence is {@code x} or {@code y}; every later step holds a random distractor; at the last step the
 * network must say which of the two came first.
 * <pre>
 *   symbols   x y a b c d = token ids 0..5 ({@value #SYMBOLS}); classes 0 (x), 1 (y)
 *   sequence  step 0: x or y (p = 1/2); steps 1 .. T-1: a..d uniformly;   exactly T steps
 *   target    the class of step 0, read at step T-1 (many-to-one)
 * </pre>
 * This is Hochreiter &amp; Schmidhuber's (1997) Experiment 2b, "no local regularities", reduced to its
 * one long-lag decision: there the sequences are {@code (y, a_i1, ..., a_i(p-1), y)} and
 * {@code (x, ..., x)} with distractors from p − 1 symbols and the last symbol is predicted; here the
 * distractor alphabet is fixed at four symbols so that the input size does not grow with T, and the
 * decision is a two-class output at the last step. It is also the two-sequence latching problem of
 * Bengio, Simard &amp; Frasconi (1994), with discrete noise. Nothing but the first step carries the
 * class, so any success is memory over exactly T − 1 steps.
 *
 * <p><b>Baseline:</b> without memory the best is the even guess, costing {@code ln 2 ≈ 0.693}.
 *
 * <p><b>Success</b> (Hochreiter &amp; Schmidhuber: the final element is predicted correctly when the
 * error of every output unit is below 0.25): with a softmax over the two classes, the right class gets a
 * probability above 0.75.
 *
 * <ul>
 *   <li>S. Hochreiter, J. Schmidhuber, Long short-term memory, Neural Computation 9(8), 1997, Section 5.2.</li>
 *   <li>Y. Bengio, P. Simard, P. Frasconi, Learning long-term dependencies with gradient descent is
 *       difficult, IEEE Transactions on Neural Networks 5(2), 1994.</li>
 * </ul>
 */
public final class LatchTask extends LongLagTask {
    /** The input symbols in token-id order. */
    public static final String SYMBOLS = "xyabcd";
    /** The distractors are token ids 2 .. 5. */
    public static final int FIRST_DISTRACTOR = 2, DISTRACTORS = 4;
    /** The probability of the right class above which a sequence counts as right. */
    public static final double MIN_PROBABILITY = 0.75;

    @Override
    public String name() {
        return "latch";
    }

    @Override
    public String source() {
        return "Hochreiter & Schmidhuber (1997), Experiment 2b, reduced to its last decision; Bengio et al. (1994) "
                + "latching: x or y at step 0, distractors a-d after, classify at step T-1";
    }

    @Override
    public String successRule() {
        return "every test sequence gives its class a probability > " + MIN_PROBABILITY
                + " (every output within 0.25 of its target; Hochreiter & Schmidhuber 1997)";
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
        return 2;
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
        return 2;
    }

    @Override
    LongLagBatch generate(int batchSize, int steps, RandomGenerator random) {
        int[][] sequences = new int[batchSize][steps];
        int[] classes = new int[batchSize];
        for (int b = 0; b < batchSize; b++) {
            classes[b] = random.nextInt(2);
            sequences[b][0] = classes[b];
            for (int t = 1; t < steps; t++) {
                sequences[b][t] = FIRST_DISTRACTOR + random.nextInt(DISTRACTORS);
            }
        }
        return LongLagBatch.ofClasses(padTokens(sequences), classes);
    }

    @Override
    public float[] baselinePredictions(LongLagBatch batch) {
        return new float[batch.batchSize() * outputSize()]; // equal logits: the even guess
    }

    @Override
    public double expectedBaselineLoss(int steps) {
        return Math.log(2);
    }

    @Override
    public float[] perfectPredictions(LongLagBatch batch) {
        return oneHotLogits(batch, outputSize());
    }

    @Override
    boolean sequenceCorrect(float[] predictions, LongLagBatch batch, int b) {
        return Math.exp(logSoftmax(predictions, b * 2, 2, batch.classTarget(0, b))) > MIN_PROBABILITY;
    }
}
