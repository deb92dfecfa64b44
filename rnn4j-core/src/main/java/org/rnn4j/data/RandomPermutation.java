package org.rnn4j.data;

import java.util.random.RandomGenerator;

/**
 * The random permutation problem of Martens &amp; Sutskever (2011), as Pascanu, Mikolov &amp; Bengio (2013)
 * generate it in their released {@code permutation.py}: remember the first of {@value #SYMBOLS} symbols
 * across {@code T - 1} random ones.
 * <pre>
 *   symbols   token ids 0..99, one-hot (V = 100); 100 classes
 *   x[0]      ~ U{0, 1}
 *   x[t]      ~ U{2 .. 99} for 1 &lt;= t &lt; T                      (exactly T steps)
 *   target    x[0], after the last step (many-to-one)
 * </pre>
 * Drawn per sequence in order: {@code x[0]}, then {@code x[1] .. x[T-1]}. (The code draws the same
 * distribution in another order: the whole random block first.)
 *
 * <p><b>Loss and baseline.</b> Softmax cross-entropy over the 100 classes. A network that learns only
 * that the answer is 0 or 1 gives each probability 1/2, costing {@code ln 2 ≈ 0.693}.
 *
 * <p><b>Success</b> (the released {@code RNN.py}, {@code lastSoftmax}): a sequence is wrong when the
 * argmax of the output is not the target; solved when none of 10,000 test sequences is wrong. Here a tie
 * for the top is wrong.
 *
 * <ul>
 *   <li>J. Martens, I. Sutskever, Learning recurrent neural networks with Hessian-free optimization, ICML 2011.</li>
 *   <li>R. Pascanu, T. Mikolov, Y. Bengio, On the difficulty of training recurrent neural networks, ICML 2013;
 *       code github.com/pascanur/trainingRNNs ({@code permutation.py}).</li>
 * </ul>
 */
public final class RandomPermutation extends LongLagTask {
    /** The number of symbols (input and output). */
    public static final int SYMBOLS = 100;
    /** The first symbol is one of 0 .. FIRST_SYMBOLS-1; the others are FIRST_SYMBOLS .. SYMBOLS-1. */
    public static final int FIRST_SYMBOLS = 2;

    @Override
    public String name() {
        return "permutation";
    }

    @Override
    public String source() {
        return "Martens & Sutskever (2011) as in Pascanu et al.'s released permutation.py: first symbol in {0,1}, "
                + "then T-1 symbols from 2..99; predict the first at the end";
    }

    @Override
    public String successRule() {
        return "every test sequence's output has its argmax on the first symbol (Pascanu et al.'s RNN.py)";
    }

    @Override
    public boolean tokenInputs() {
        return true;
    }

    @Override
    public int inputSize() {
        return SYMBOLS;
    }

    @Override
    public int outputSize() {
        return SYMBOLS;
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
            int[] s = sequences[b];
            s[0] = random.nextInt(FIRST_SYMBOLS);
            for (int t = 1; t < steps; t++) {
                s[t] = random.nextInt(FIRST_SYMBOLS, SYMBOLS);
            }
            classes[b] = s[0];
        }
        return LongLagBatch.ofClasses(padTokens(sequences), classes);
    }

    @Override
    public float[] baselinePredictions(LongLagBatch batch) {
        float[] out = new float[batch.batchSize() * SYMBOLS];
        for (int b = 0; b < batch.batchSize(); b++) {
            for (int k = 0; k < SYMBOLS; k++) {
                out[b * SYMBOLS + k] = k < FIRST_SYMBOLS ? 0f : IMPOSSIBLE_LOGIT;
            }
        }
        return out;
    }

    @Override
    public double expectedBaselineLoss(int steps) {
        return Math.log(FIRST_SYMBOLS);
    }

    @Override
    public float[] perfectPredictions(LongLagBatch batch) {
        return oneHotLogits(batch, SYMBOLS);
    }

    @Override
    boolean sequenceCorrect(float[] predictions, LongLagBatch batch, int b) {
        return isArgmax(predictions, b * SYMBOLS, SYMBOLS, batch.classTarget(0, b));
    }
}
