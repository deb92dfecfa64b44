package org.rnn4j.data;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The adding and multiplication problems in the form of Pascanu, Mikolov &amp; Bengio (2013), as their
 * released code generates them ({@code addition.py}, {@code multiplication.py} in
 * github.com/pascanur/trainingRNNs; the problems come from Hochreiter &amp; Schmidhuber 1997 by way of
 * Martens &amp; Sutskever 2011). Each step carries two features:
 * <pre>
 *   length   l = T + U{0 .. T/10 - 1}, the same for the whole batch (T &gt;= 10)
 *   x[t]     feature 0: marker, 1 at the two marked steps, else 0
 *            feature 1: value ~ U[0, 1)
 *   markers  p0 ~ U{0 .. l/10 - 1}  (the first 10%),  p1 ~ U{l/10 .. l/10 + 4l/10 - 1}  (up to the middle)
 *   target   adding: (x[p0] + x[p1]) / 2        multiplication: x[p0] * x[p1]      (float, read at step l-1)
 * </pre>
 * (integer division throughout.) Drawn in the code's order: the length, then {@code p0} for every
 * sequence, {@code p1} for every sequence, then the values step by step ({@code t}-major).
 *
 * <p><b>Loss and baseline.</b> MSE of the single output. Answering the mean ({@code 1/2} for adding,
 * {@code 1/4} for multiplication) costs the target variance: {@code Var((a+b)/2) = 1/24 ≈ 0.0417} and
 * {@code Var(ab) = 1/9 - 1/16 = 7/144 ≈ 0.0486} for independent {@code a, b ~ U[0,1)}.
 *
 * <p><b>Success</b> (the released {@code RNN.py}): a sequence is wrong when its squared error exceeds
 * {@value #MAX_SQUARED_ERROR}; training stops as solved when the error rate on 10,000 fresh sequences
 * is below 0.0001%, i.e. none is wrong. {@link #solved} asks the same of the test batch given.
 *
 * <ul>
 *   <li>R. Pascanu, T. Mikolov, Y. Bengio, On the difficulty of training recurrent neural networks,
 *       ICML 2013, Section 4.3; code github.com/pascanur/trainingRNNs.</li>
 *   <li>J. Martens, I. Sutskever, Learning recurrent neural networks with Hessian-free optimization,
 *       ICML 2011.</li>
 * </ul>
 */
public final class MarkedPairTask extends LongLagTask {
    /** The squared error above which a sequence is wrong ({@code RNN.py}: {@code ((t - y)**2).sum(axis=1) > .04}). */
    public static final double MAX_SQUARED_ERROR = 0.04;
    /** The marker feature's index. */
    public static final int MARKER = 0;
    /** The value feature's index. */
    public static final int VALUE = 1;

    /** What the target makes of the two marked values. */
    public enum Operation {
        /** {@code (a + b) / 2}. */
        ADD,
        /** {@code a * b}. */
        MULTIPLY;

        float apply(float a, float b) {
            return this == ADD ? (a + b) / 2f : a * b;
        }
    }

    private final Operation operation;

    private MarkedPairTask(Operation operation) {
        this.operation = operation;
    }

    /** The adding problem, {@code "adding"}. */
    public static MarkedPairTask adding() {
        return new MarkedPairTask(Operation.ADD);
    }

    /** The multiplication problem, {@code "multiplication"}. */
    public static MarkedPairTask multiplication() {
        return new MarkedPairTask(Operation.MULTIPLY);
    }

    /** ADD or MULTIPLY. */
    public Operation operation() {
        return operation;
    }

    @Override
    public String name() {
        return operation == Operation.ADD ? "adding" : "multiplication";
    }

    @Override
    public String source() {
        return "Pascanu, Mikolov & Bengio (2013), released " + (operation == Operation.ADD ? "addition.py" : "multiplication.py")
                + ": values U[0,1), markers in the first 10% and in [10%, 50%), target "
                + (operation == Operation.ADD ? "(a+b)/2" : "a*b");
    }

    @Override
    public String successRule() {
        return "every test sequence has squared error <= " + MAX_SQUARED_ERROR + " (Pascanu et al.'s RNN.py)";
    }

    @Override
    public boolean tokenInputs() {
        return false;
    }

    @Override
    public int inputSize() {
        return 2;
    }

    @Override
    public int outputSize() {
        return 1;
    }

    @Override
    public Loss loss() {
        return Loss.MSE;
    }

    @Override
    public boolean perStepTargets() {
        return false;
    }

    @Override
    public int minSteps() {
        return 10; // so that the first 10% holds at least one step
    }

    @Override
    LongLagBatch generate(int batchSize, int steps, RandomGenerator random) {
        int extra = steps / 10;
        int l = steps + random.nextInt(extra);
        int first = l / 10;
        int second = 4 * l / 10;
        int[] p0 = new int[batchSize];
        int[] p1 = new int[batchSize];
        for (int b = 0; b < batchSize; b++) {
            p0[b] = random.nextInt(first);
        }
        for (int b = 0; b < batchSize; b++) {
            p1[b] = first + random.nextInt(second);
        }
        float[] x = new float[l * batchSize * 2]; // (l*B*2)
        for (int i = 0; i < l * batchSize; i++) {
            x[i * 2 + VALUE] = random.nextFloat();
        }
        float[] targets = new float[batchSize];
        for (int b = 0; b < batchSize; b++) {
            x[(p0[b] * batchSize + b) * 2 + MARKER] = 1f;
            x[(p1[b] * batchSize + b) * 2 + MARKER] = 1f;
            targets[b] = operation.apply(x[(p0[b] * batchSize + b) * 2 + VALUE], x[(p1[b] * batchSize + b) * 2 + VALUE]);
        }
        int[] lengths = new int[batchSize];
        Arrays.fill(lengths, l);
        return LongLagBatch.ofValues(new PaddedInputs(l, batchSize, 2, lengths, null, x), targets);
    }

    /** The mean of the target: 1/2 for adding, 1/4 for multiplication. */
    public double targetMean() {
        return operation == Operation.ADD ? 0.5 : 0.25;
    }

    @Override
    public float[] baselinePredictions(LongLagBatch batch) {
        float[] out = new float[batch.batchSize()];
        Arrays.fill(out, (float) targetMean());
        return out;
    }

    @Override
    public double expectedBaselineLoss(int steps) {
        return operation == Operation.ADD ? 1.0 / 24 : 7.0 / 144;
    }

    @Override
    public float[] perfectPredictions(LongLagBatch batch) {
        return batch.valueTargets().clone();
    }

    @Override
    boolean sequenceCorrect(float[] predictions, LongLagBatch batch, int b) {
        double d = (double) predictions[b] - batch.valueTarget(b);
        return d * d <= MAX_SQUARED_ERROR; // false for NaN
    }
}
