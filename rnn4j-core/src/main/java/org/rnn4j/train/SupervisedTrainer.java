package org.rnn4j.train;

import java.util.List;
import org.rnn4j.data.BatchOrder;
import org.rnn4j.nn.Parameter;
import org.rnn4j.optim.Clipping;
import org.rnn4j.optim.Optimizer;

/**
 * Trains a {@link SupervisedTask} (classification, tagging, forecasting, sequence-to-sequence) on
 * independent examples. Each epoch visits the training examples in a new seeded order
 * ({@link BatchOrder#epoch}), cut into batches of B (the last one smaller). Per step:
 * <pre>
 *   zero gradients → forward + backward (loss summed over the batch's items, averaged over its examples)
 *   → global norm (clipped if asked) → element clipping (if asked) → divergence guard → update
 * </pre>
 * The guard stops, before the update, on a non-finite loss or gradient norm, or on a mean loss per item
 * above {@link TrainingConfig#DIVERGENCE_FACTOR} times the larger of the first batch's and an
 * uninformed model's ({@link SupervisedTask#uninformedLoss()}). Every {@code evalEvery} steps, at the
 * last step and when the time limit is reached, the task validates the model; the best evaluation is
 * the one with the best {@link SupervisedTask#metric()} (ties go to the lower validation loss).
 */
public final class SupervisedTrainer {
    private final SupervisedTask task;
    private final Config config;
    private final Optimizer optimizer;
    private final Listener listener;

    /** Receives the progress of a run; the library never prints. */
    public interface Listener {
        /** After every update; {@code tokensSeen} counts input steps read. */
        default void onStep(TrainingListener.StepMetrics m) {
        }

        /** After each validation. */
        default void onEvaluation(Evaluation e) {
        }
    }

    /**
     * @param trainLoss mean loss per item over the training batches since the previous evaluation
     * @param best whether this is the best evaluation so far
     */
    public record Evaluation(long step, int epoch, double trainLoss, TaskMetrics valid, boolean best,
                             double elapsedSeconds) {
    }

    /** The outcome: the last and the best evaluation. */
    public record Result(long steps, TaskMetrics last, TaskMetrics best, long bestStep, long stepsRead,
                         double seconds) {
    }

    /**
     * How long and how to train.
     *
     * @param steps updates to make
     * @param batch B, examples per batch
     * @param clipNorm rescale the gradient when its global norm exceeds this; 0 = off
     * @param clipValue clamp each gradient element into [−x, x]; 0 = off
     * @param evalEvery validate every this many steps
     * @param maxSeconds stop after this much time (with a validation); 0 = no limit
     * @param shuffleSeed the seed of the epochs' example orders
     */
    public record Config(long steps, int batch, float clipNorm, float clipValue, long evalEvery, double maxSeconds,
                         long shuffleSeed) {
        public Config {
            if (steps < 1 || batch < 1 || evalEvery < 1) {
                throw new IllegalArgumentException("steps, batch and evalEvery must be positive, got " + steps + ", "
                        + batch + ", " + evalEvery);
            }
            if (!(clipNorm >= 0) || !(clipValue >= 0) || !(maxSeconds >= 0)) {
                throw new IllegalArgumentException("clipNorm, clipValue and maxSeconds must be 0 (off) or positive, got "
                        + clipNorm + ", " + clipValue + ", " + maxSeconds);
            }
        }

        public static Builder builder() {
            return new Builder();
        }

        /** Starts from {@link TrainingConfig}'s defaults; {@link #build()} checks the invariants. */
        public static final class Builder {
            private long steps = TrainingConfig.DEFAULT_STEPS;
            private int batch = TrainingConfig.DEFAULT_BATCH;
            private float clipNorm = TrainingConfig.DEFAULT_CLIP_NORM;
            private float clipValue = TrainingConfig.DEFAULT_CLIP_VALUE;
            private long evalEvery = TrainingConfig.DEFAULT_EVAL_EVERY;
            private double maxSeconds;
            private long shuffleSeed;

            private Builder() {
            }

            public Builder steps(long v) {
                steps = v;
                return this;
            }

            public Builder batch(int v) {
                batch = v;
                return this;
            }

            public Builder clipNorm(float v) {
                clipNorm = v;
                return this;
            }

            public Builder clipValue(float v) {
                clipValue = v;
                return this;
            }

            public Builder evalEvery(long v) {
                evalEvery = v;
                return this;
            }

            public Builder maxSeconds(double v) {
                maxSeconds = v;
                return this;
            }

            public Builder shuffleSeed(long v) {
                shuffleSeed = v;
                return this;
            }

            public Config build() {
                return new Config(steps, batch, clipNorm, clipValue, evalEvery, maxSeconds, shuffleSeed);
            }
        }
    }

    public SupervisedTrainer(SupervisedTask task, Config config, Optimizer optimizer, Listener listener) {
        this.task = task;
        this.config = config;
        this.optimizer = optimizer;
        this.listener = listener;
    }

    /** Runs {@code config.steps()} updates (fewer if the time limit comes first). */
    public Result run() {
        List<Parameter> params = task.parameters();
        BatchOrder order = new BatchOrder(task.trainSize(), config.batch(), config.shuffleSeed());
        int epoch = 0;
        int[][] batches = order.epoch(epoch);
        int next = 0;
        long start = System.nanoTime();
        long step = 0;
        long stepsRead = 0;
        long clippedSteps = 0;
        double trainSum = 0;
        long trainCount = 0;
        double lossLimit = Double.NaN;
        TaskMetrics last = null;
        TaskMetrics best = null;
        long bestStep = 0;
        boolean outOfTime = false;
        while (step < config.steps() && !outOfTime) {
            if (next == batches.length) {
                batches = order.epoch(++epoch);
                next = 0;
            }
            int[] examples = batches[next++];
            params.forEach(Parameter::zeroGrad);
            SupervisedTask.BatchLoss r = task.forwardBackward(examples, 1f / examples.length);
            step++;
            double loss = r.mean();
            double norm = config.clipNorm() > 0 ? Clipping.clipGlobalNorm(params, config.clipNorm())
                    : Clipping.globalNorm(params);
            if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
                throw new TrainingDivergedException(step, loss, norm);
            }
            if (Double.isNaN(lossLimit)) {
                lossLimit = TrainingConfig.DIVERGENCE_FACTOR * Math.max(loss, task.uninformedLoss());
            } else if (loss > lossLimit) {
                throw new TrainingDivergedException(step, loss, norm, lossLimit);
            }
            boolean clipped = config.clipNorm() > 0 && norm > config.clipNorm();
            if (config.clipValue() > 0) {
                clipped |= Clipping.clipValue(params, config.clipValue()) > 0;
            }
            optimizer.step();
            clippedSteps += clipped ? 1 : 0;
            stepsRead += r.steps();
            trainSum += r.sum();
            trainCount += r.count();
            double elapsed = (System.nanoTime() - start) / 1e9;
            outOfTime = config.maxSeconds() > 0 && elapsed >= config.maxSeconds();
            listener.onStep(new TrainingListener.StepMetrics(step, config.steps(), epoch, loss, norm, clipped,
                    (double) clippedSteps / step, optimizer.learningRate(), stepsRead,
                    stepsRead / Math.max(elapsed, 1e-9), elapsed));
            if (step % config.evalEvery() == 0 || step == config.steps() || outOfTime) {
                last = task.validate();
                boolean isBest = best == null || better(last, best);
                if (isBest) {
                    best = last;
                    bestStep = step;
                }
                listener.onEvaluation(new Evaluation(step, epoch, trainSum / trainCount, last, isBest,
                        (System.nanoTime() - start) / 1e9));
                trainSum = 0;
                trainCount = 0;
            }
        }
        return new Result(step, last, best, bestStep, stepsRead, (System.nanoTime() - start) / 1e9);
    }

    /** Whether {@code a} beats {@code b}: a better metric, or the same metric and a lower loss. */
    private boolean better(TaskMetrics a, TaskMetrics b) {
        double x = a.get(task.metric());
        double y = b.get(task.metric());
        if (Double.isNaN(x) != Double.isNaN(y)) {
            return Double.isNaN(y); // a number beats no number
        }
        if (Double.isNaN(x) || x == y) {
            return a.loss() < b.loss();
        }
        return task.higherIsBetter() ? x > y : x < y;
    }
}
