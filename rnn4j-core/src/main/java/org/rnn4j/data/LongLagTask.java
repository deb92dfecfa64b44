package org.rnn4j.data;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A classic long-time-lag benchmark: a generator of batches for a nominal length {@code T}, the trivial
 * baseline that a network without long memory can reach, and the success rule of the task's source.
 * Each subclass says in its Javadoc which paper and which released code it follows, with the parameters.
 *
 * <h2>Names ({@link #forName}, the command line's {@code --task})</h2>
 * <pre>
 *   adding            Pascanu, Mikolov &amp; Bengio 2013, addition.py           features D 2, MSE, one value
 *   adding-hs         Hochreiter &amp; Schmidhuber 1997, experiment 4          features D 2, MSE, one value
 *   multiplication    Pascanu et al. 2013, multiplication.py                features D 2, MSE, one value
 *   temporal-order-2  Hochreiter &amp; Schmidhuber 1997, task 6a               tokens V 8, CE, 4 classes
 *   temporal-order-3  Hochreiter &amp; Schmidhuber 1997, task 6b               tokens V 8, CE, 8 classes
 *   permutation       Pascanu et al. 2013 (after Martens &amp; Sutskever 2011)  tokens V 100, CE, 100 classes
 *   memorization      Pascanu et al. 2013 (after Martens &amp; Sutskever 2011)  tokens V 7, CE, 6 classes per step
 *   reber             Hochreiter &amp; Schmidhuber 1997, experiment 1          tokens V 7, CE, 7 classes per step
 *   copy              Arjovsky, Shah &amp; Bengio 2016                         tokens V 10, CE, 9 classes per step
 *   latch             Hochreiter &amp; Schmidhuber 1997, experiment 2b (reduced) tokens V 6, CE, 2 classes
 * </pre>
 *
 * <h2>Predictions</h2>
 * A model's outputs for a batch, {@code K = outputSize()} numbers per scored item, time-major:
 * <pre>
 *   one target per sequence   predictions[b*K + k]           output k of sequence b, at its step lengths[b]-1  // (B*K)
 *   one target per step       predictions[(t*B + b)*K + k]   output k at step t of sequence b                 // (T*B*K)
 * </pre>
 * For {@link Loss#MSE} tasks the outputs are the predicted values; for {@link Loss#CROSS_ENTROPY} tasks
 * they are logits (unnormalised log-probabilities: softmax is applied here). {@link #loss} is the mean
 * over the scored items (sequences, or steps with a class target) of the squared error summed over
 * {@code K}, or of {@code -ln softmax(logits)[target]}: the loss the sources report.
 *
 * <h2>Success</h2>
 * Each task judges every sequence of a test batch by its source's rule ({@link #successRule()});
 * {@link #solved} holds when no sequence is wrong, {@link #errorRate} is the share that are. The
 * baseline ({@link #baselinePredictions}) never solves a task; {@link #perfectPredictions} always does.
 *
 * <p>All randomness comes from the {@link RandomGenerator} given, or {@code new SplittableRandom(seed)}:
 * the same seed gives the same batch.
 */
public abstract class LongLagTask {
    /** The loss a task is trained and scored with. */
    public enum Loss {
        /** Squared error of real outputs, averaged over the sequences. */
        MSE,
        /** Softmax cross-entropy of logits, averaged over the scored items. */
        CROSS_ENTROPY
    }

    /** The command-line names, in the order of the table above. */
    public static final List<String> NAMES = List.of("adding", "adding-hs", "multiplication", "temporal-order-2",
            "temporal-order-3", "permutation", "memorization", "reber", "copy", "latch");

    /**
     * The logit the baselines give a class they consider impossible: its probability {@code e^-100} (about
     * {@code 4e-44}) changes no loss at double precision, and unlike {@code -Infinity} it keeps sums finite.
     */
    public static final float IMPOSSIBLE_LOGIT = -100f;

    /** The task named {@code name} (one of {@link #NAMES}), with its source's default parameters. */
    public static LongLagTask forName(String name) {
        Objects.requireNonNull(name, "name");
        return switch (name) {
            case "adding" -> MarkedPairTask.adding();
            case "adding-hs" -> new HochreiterAdding();
            case "multiplication" -> MarkedPairTask.multiplication();
            case "temporal-order-2" -> TemporalOrder.twoSymbols();
            case "temporal-order-3" -> TemporalOrder.threeSymbols();
            case "permutation" -> new RandomPermutation();
            case "memorization" -> new NoiselessMemorization();
            case "reber" -> new ReberTask();
            case "copy" -> new CopyTask();
            case "latch" -> new LatchTask();
            default -> throw new IllegalArgumentException("unknown long-time-lag task '" + name + "': expected one of "
                    + String.join(", ", NAMES));
        };
    }

    /** Every task of {@link #NAMES}, in that order. */
    public static List<LongLagTask> all() {
        return NAMES.stream().map(LongLagTask::forName).toList();
    }

    /** The command-line name, e.g. {@code "adding"}. */
    public abstract String name();

    /** The definition followed, e.g. {@code "Pascanu, Mikolov & Bengio (2013), released addition.py"}. */
    public abstract String source();

    /** The source's rule for one test sequence, and so for {@link #solved}, in words. */
    public abstract String successRule();

    /** Whether the inputs are token ids (one-hot of {@link #inputSize()}) rather than real features. */
    public abstract boolean tokenInputs();

    /** {@code V}, the number of input symbols, for token inputs; {@code D}, the features per step, otherwise. */
    public abstract int inputSize();

    /** {@code K}: outputs per scored item (classes for cross-entropy, values for MSE). */
    public abstract int outputSize();

    /** MSE or cross-entropy. */
    public abstract Loss loss();

    /** Whether there is a target at every step (many-to-many) rather than one per sequence (many-to-one). */
    public abstract boolean perStepTargets();

    /** The smallest nominal length {@code T} the definition allows. */
    public abstract int minSteps();

    /**
     * {@code batchSize} sequences of nominal length {@code steps} from {@code new SplittableRandom(seed)}.
     * The padded length of the batch ({@link LongLagBatch#steps()}) can differ from {@code steps} where the
     * source says so (e.g. lengths drawn in {@code [T, T + T/10]}, or {@code T + 20} steps for the copy task).
     *
     * @throws IllegalArgumentException if {@code batchSize < 1} or {@code steps < minSteps()}
     */
    public final LongLagBatch batch(int batchSize, int steps, long seed) {
        return batch(batchSize, steps, new SplittableRandom(seed));
    }

    /** As {@link #batch(int, int, long)}, drawing from {@code random}. */
    public final LongLagBatch batch(int batchSize, int steps, RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        if (batchSize < 1) {
            throw new IllegalArgumentException("a batch has at least 1 sequence, got " + batchSize);
        }
        if (steps < minSteps()) {
            throw new IllegalArgumentException("the " + name() + " task needs T >= " + minSteps() + ", got " + steps);
        }
        return generate(batchSize, steps, random);
    }

    /** Draws a batch; the arguments are checked. */
    abstract LongLagBatch generate(int batchSize, int steps, RandomGenerator random);

    /** The trivial baseline's outputs for {@code batch}, laid out as the class comment's "Predictions". */
    public abstract float[] baselinePredictions(LongLagBatch batch);

    /** The expected {@link #loss} of the baseline at nominal length {@code steps} (exact, or the large-batch limit). */
    public abstract double expectedBaselineLoss(int steps);

    /** Outputs that solve {@code batch}: the targets themselves, or logits that put the right classes on top. */
    public abstract float[] perfectPredictions(LongLagBatch batch);

    /** Whether sequence {@code b} is right by the source's rule; {@code predictions} have been checked. */
    abstract boolean sequenceCorrect(float[] predictions, LongLagBatch batch, int b);

    /** The mean loss of {@code predictions} over the scored items of {@code batch} (see the class comment). */
    public final double loss(float[] predictions, LongLagBatch batch) {
        checkPredictions(predictions, batch);
        int k = outputSize();
        double sum = 0;
        long count = 0;
        if (loss() == Loss.MSE) {
            for (int b = 0; b < batch.batchSize(); b++) {
                for (int j = 0; j < k; j++) {
                    double d = (double) predictions[b * k + j] - batch.valueTarget(b);
                    sum += d * d;
                }
                count++;
            }
        } else {
            int[] targets = batch.classTargets();
            for (int i = 0; i < targets.length; i++) {
                if (targets[i] >= 0) {
                    sum -= logSoftmax(predictions, i * k, k, targets[i]);
                    count++;
                }
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("the batch has no targets to score");
        }
        return sum / count;
    }

    /** How many sequences of {@code batch} the predictions get wrong by the source's rule. */
    public final int wrongSequences(float[] predictions, LongLagBatch batch) {
        checkPredictions(predictions, batch);
        int wrong = 0;
        for (int b = 0; b < batch.batchSize(); b++) {
            wrong += sequenceCorrect(predictions, batch, b) ? 0 : 1;
        }
        return wrong;
    }

    /** The share of the sequences of {@code batch} that are wrong by the source's rule, in [0, 1]. */
    public final double errorRate(float[] predictions, LongLagBatch batch) {
        return (double) wrongSequences(predictions, batch) / batch.batchSize();
    }

    /**
     * Whether the predictions solve the task by its source's rule: no sequence of the test batch is wrong
     * ({@link #successRule()}).
     */
    public final boolean solved(float[] predictions, LongLagBatch batch) {
        return wrongSequences(predictions, batch) == 0;
    }

    @Override
    public String toString() {
        return name() + " (" + source() + ")";
    }

    private void checkPredictions(float[] predictions, LongLagBatch batch) {
        Objects.requireNonNull(predictions, "predictions");
        Objects.requireNonNull(batch, "batch");
        if (batch.inputs().hasTokens() != tokenInputs() || (loss() == Loss.MSE) != (batch.valueTargets() != null)
                || (batch.targetSteps() != 1) != (perStepTargets() && batch.steps() != 1)) {
            throw new IllegalArgumentException("this batch was not made by the " + name() + " task");
        }
        long expected = (long) batch.items() * outputSize();
        if (predictions.length != expected) {
            throw new IllegalArgumentException("predictions have " + predictions.length + " values but the " + name()
                    + " task needs " + (batch.targetSteps() == 1 ? "B*K = " : "T*B*K = " + batch.targetSteps() + "*")
                    + batch.batchSize() + "*" + outputSize() + " = " + expected + " for this batch");
        }
    }

    /** {@code ln softmax(x[offset .. offset+k))[target]}, computed stably. */
    static double logSoftmax(float[] x, int offset, int k, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, x[offset + j]);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            sum += Math.exp(x[offset + j] - max);
        }
        return x[offset + target] - max - Math.log(sum);
    }

    /** Whether {@code x[offset + target]} is strictly the largest of the {@code k} logits (a tie is wrong). */
    static boolean isArgmax(float[] x, int offset, int k, int target) {
        float top = x[offset + target];
        for (int j = 0; j < k; j++) {
            if (j != target && !(top > x[offset + j])) {
                return false;
            }
        }
        return true;
    }

    /** Logits {@code 0} for {@code target} and {@link #IMPOSSIBLE_LOGIT} elsewhere, written at {@code offset}. */
    static void oneHotLogits(float[] out, int offset, int k, int target) {
        for (int j = 0; j < k; j++) {
            out[offset + j] = j == target ? 0f : IMPOSSIBLE_LOGIT;
        }
    }

    /** Perfect logits for every item with a class target; items without one get zeros. */
    static float[] oneHotLogits(LongLagBatch batch, int k) {
        int[] targets = batch.classTargets();
        float[] out = new float[targets.length * k];
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] >= 0) {
                oneHotLogits(out, i * k, k, targets[i]);
            }
        }
        return out;
    }

    /** Token sequences of different lengths, padded to the longest (time-major). */
    static PaddedInputs padTokens(int[][] sequences) {
        int batchSize = sequences.length;
        int[] lengths = new int[batchSize];
        int longest = 0;
        for (int b = 0; b < batchSize; b++) {
            lengths[b] = sequences[b].length;
            longest = Math.max(longest, lengths[b]);
        }
        int[] tokens = new int[longest * batchSize]; // PAD_TOKEN 0 on padding
        for (int b = 0; b < batchSize; b++) {
            for (int t = 0; t < lengths[b]; t++) {
                tokens[t * batchSize + b] = sequences[b][t];
            }
        }
        return new PaddedInputs(longest, batchSize, 0, lengths, tokens, null);
    }

    /** Whether the argmax is strictly right at every step of sequence {@code b} that has a class target. */
    static boolean everyStepArgmax(float[] predictions, LongLagBatch batch, int b, int k) {
        for (int t = 0; t < batch.targetSteps(); t++) {
            int target = batch.classTarget(t, b);
            if (target >= 0 && !isArgmax(predictions, (t * batch.batchSize() + b) * k, k, target)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The memoryless baseline of the recall tasks: certain of {@code blank} before the last {@code recall}
     * steps, then a uniform guess among the other classes (logits per step, time-major).
     */
    static float[] blankThenGuess(LongLagBatch batch, int k, int blank, int recall) {
        int recallFrom = batch.steps() - recall;
        float[] out = new float[batch.items() * k];
        for (int t = 0; t < batch.steps(); t++) {
            for (int b = 0; b < batch.batchSize(); b++) {
                int offset = (t * batch.batchSize() + b) * k;
                for (int j = 0; j < k; j++) {
                    boolean possible = t < recallFrom ? j == blank : j != blank;
                    out[offset + j] = possible ? 0f : IMPOSSIBLE_LOGIT;
                }
            }
        }
        return out;
    }
}
