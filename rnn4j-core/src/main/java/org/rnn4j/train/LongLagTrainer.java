package org.rnn4j.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.rnn4j.data.LongLagBatch;
import org.rnn4j.data.LongLagTask;
import org.rnn4j.data.PaddedInputs;
import org.rnn4j.diag.PascanuRegularizer;
import org.rnn4j.diag.StackProbe;
import org.rnn4j.matrix.Activation;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.model.CellType;
import org.rnn4j.model.SequenceBatch;
import org.rnn4j.model.SequenceModel;
import org.rnn4j.model.SequenceModelConfig;
import org.rnn4j.model.SequenceShape;
import org.rnn4j.model.SequenceTask;
import org.rnn4j.nn.Parameter;
import org.rnn4j.optim.Clipping;
import org.rnn4j.optim.Optimizer;

/**
 * Trains a {@link SequenceModel} on a {@link LongLagTask}, as the tasks' sources do: every update reads a
 * fresh batch of B sequences of nominal length T (the task's generator, seeded), and every
 * {@code evalEvery} updates the model is judged on one fixed test batch by the source's rule. Per update:
 * <pre>
 *   zero gradients → forward + backward of the mean loss over the batch's scored items
 *   → (+ α·∂Ω/∂W_hh, Pascanu et al.'s regularizer, Elman layer 0, when α &gt; 0)
 *   → global norm (rescaled to clipNorm when above it) → element clipping → non-finite action → update
 * </pre>
 * The task counts as <em>solved</em> at the first evaluation whose test error rate (the share of test
 * sequences wrong by {@link LongLagTask#successRule()}) is at most {@link Config#successErrorRate()};
 * training stops there. A run that stops without solving reports why: the update budget, the time
 * limit, or a non-finite gradient under {@link NonFiniteGradient#STOP}.
 */
public final class LongLagTrainer {
    private final LongLagTask task;
    private final Config config;

    /** Receives the progress of a run; the library never prints. */
    public interface Listener {
        /** After every update. */
        default void onStep(long update, double loss, double gradNorm, boolean clipped) {
        }

        /** After each evaluation on the test batch. */
        default void onEvaluation(Evaluation e) {
        }
    }

    /**
     * One evaluation.
     *
     * @param trainLoss mean training loss per scored item since the previous evaluation (NaN at update 0)
     * @param testLoss the task's loss on the test batch
     * @param errorRate the share of test sequences wrong by the source's rule
     * @param gradNorm mean pre-clip gradient norm since the previous evaluation (NaN at update 0)
     */
    public record Evaluation(long update, double trainLoss, double testLoss, double errorRate, double gradNorm,
                             double seconds) {
    }

    /** Why a run stopped. */
    public enum Stop {
        SOLVED, BUDGET, TIME_LIMIT, NON_FINITE
    }

    /**
     * The outcome.
     *
     * @param updatesToSolve updates made when the task was first solved, or −1
     * @param evaluations every evaluation in order, the first at update 0 (the untrained model)
     * @param skippedUpdates updates dropped or replaced because their gradient was not finite
     */
    public record Result(Stop stop, long updatesToSolve, long updates, List<Evaluation> evaluations, long clippedUpdates,
                         long skippedUpdates, double seconds) {
        public boolean solved() {
            return stop == Stop.SOLVED;
        }

        public Evaluation last() {
            return evaluations.get(evaluations.size() - 1);
        }
    }

    /**
     * How to train.
     *
     * @param steps T, the nominal sequence length of the task
     * @param batch B, sequences per update
     * @param maxUpdates the update budget
     * @param evalEvery evaluate on the test batch every this many updates
     * @param testSize sequences in the test batch
     * @param successErrorRate the task is solved when at most this share of test sequences is wrong
     * @param clipNorm rescale the gradient when its global norm exceeds this; 0 = off
     * @param clipValue clamp each gradient element into [−x, x]; 0 = off
     * @param nonFinite what to do with a non-finite gradient or loss
     * @param pascanuAlpha weight α of Pascanu et al.'s regularizer Ω on layer 0 (Elman only); 0 = off
     * @param maxSeconds stop after this long (with an evaluation); 0 = no limit
     * @param seed the seed of the training batches (the test batch uses another stream of it)
     */
    public record Config(int steps, int batch, long maxUpdates, long evalEvery, int testSize, double successErrorRate,
                         float clipNorm, float clipValue, NonFiniteGradient nonFinite, double pascanuAlpha,
                         double maxSeconds, long seed) {
        public Config {
            Objects.requireNonNull(nonFinite, "nonFinite");
            if (steps < 1 || batch < 1 || maxUpdates < 1 || evalEvery < 1 || testSize < 1) {
                throw new IllegalArgumentException("steps, batch, maxUpdates, evalEvery and testSize must be positive, got "
                        + steps + ", " + batch + ", " + maxUpdates + ", " + evalEvery + ", " + testSize);
            }
            if (!(successErrorRate >= 0 && successErrorRate < 1)) {
                throw new IllegalArgumentException("successErrorRate must be in [0, 1), got " + successErrorRate);
            }
            if (!(clipNorm >= 0) || !(clipValue >= 0) || !(pascanuAlpha >= 0) || !(maxSeconds >= 0)
                    || Float.isInfinite(clipNorm) || Float.isInfinite(clipValue) || Double.isInfinite(pascanuAlpha)) {
                throw new IllegalArgumentException("clipNorm, clipValue, pascanuAlpha and maxSeconds must be 0 (off) or "
                        + "positive and finite, got " + clipNorm + ", " + clipValue + ", " + pascanuAlpha + ", "
                        + maxSeconds);
            }
        }
    }

    public LongLagTrainer(LongLagTask task, Config config) {
        this.task = Objects.requireNonNull(task, "task");
        this.config = Objects.requireNonNull(config, "config");
        if (config.steps() < task.minSteps()) {
            throw new IllegalArgumentException("the " + task.name() + " task needs T >= " + task.minSteps() + ", got "
                    + config.steps());
        }
    }

    /**
     * The model shape a task needs: one-hot token inputs or real features, a many-to-one or many-to-many
     * head of {@link LongLagTask#outputSize()} classes or values.
     */
    public static SequenceModelConfig modelConfig(LongLagTask task, CellType cell, Activation nonlinearity, int hidden) {
        SequenceTask kind = task.loss() == LongLagTask.Loss.MSE ? SequenceTask.FORECAST
                : task.perStepTargets() ? SequenceTask.TAG : SequenceTask.CLASSIFY;
        SequenceModelConfig.Builder b = SequenceModelConfig.builder(kind)
                .shape(task.perStepTargets() ? SequenceShape.MANY_TO_MANY : SequenceShape.MANY_TO_ONE)
                .cell(cell)
                .hiddenSize(hidden)
                .outputSize(task.outputSize());
        if (cell == CellType.RNN) {
            b.nonlinearity(nonlinearity);
        }
        if (task.tokenInputs()) {
            b.vocabSize(task.inputSize());
        } else {
            b.featureSize(task.inputSize());
        }
        return b.build();
    }

    /** A task's batch as the model reads it: inputs, lengths and targets, time-major. */
    public static SequenceBatch toSequenceBatch(LongLagBatch batch) {
        PaddedInputs in = batch.inputs();
        SequenceBatch s = in.hasTokens()
                ? SequenceBatch.ofTokens(in.tokens(), in.steps(), in.batchSize(), in.lengths())
                : SequenceBatch.ofFeatures(Matrix.view(in.features(), 0, in.steps() * in.batchSize(), in.featureSize()),
                        in.steps(), in.batchSize(), in.lengths());
        if (batch.classTargets() != null) {
            return s.withClassTargets(batch.classTargets());
        }
        return s.withValueTargets(Matrix.view(batch.valueTargets(), 0, in.batchSize(), 1));
    }

    /** The model's outputs for {@code batch} laid out as {@link LongLagTask}'s predictions. */
    public static float[] predictions(SequenceModel model, LongLagBatch batch) {
        model.forward(toSequenceBatch(batch));
        Matrix out = model.outputs();
        float[] p = new float[out.rows * out.cols];
        for (int r = 0; r < out.rows; r++) {
            System.arraycopy(out.data, out.offset + r * out.cols, p, r * out.cols, out.cols);
        }
        return p;
    }

    /** The fixed test batch of a run with this config. */
    public LongLagBatch testBatch() {
        return task.batch(config.testSize(), config.steps(), new SplittableRandom(config.seed()).split());
    }

    /** Trains {@code model} with {@code optimizer} (over the model's parameters) until solved or out of budget. */
    public Result run(SequenceModel model, Optimizer optimizer, Listener listener) {
        Objects.requireNonNull(listener, "listener");
        if (config.pascanuAlpha() > 0 && model.rnn().cell() != CellType.RNN) {
            throw new IllegalArgumentException("Pascanu et al.'s regularizer is defined for the Elman cell (rnn), not "
                    + model.rnn().cell().id() + ": set its weight to 0");
        }
        List<Parameter> params = model.parameters();
        SplittableRandom trainRandom = new SplittableRandom(config.seed());
        LongLagBatch test = task.batch(config.testSize(), config.steps(), trainRandom.split());
        long start = System.nanoTime();
        List<Evaluation> evaluations = new ArrayList<>();
        evaluations.add(evaluate(model, test, 0, Double.NaN, Double.NaN, start));
        listener.onEvaluation(evaluations.get(0));
        if (solved(evaluations.get(0))) {
            return new Result(Stop.SOLVED, 0, 0, evaluations, 0, 0, seconds(start));
        }
        long clipped = 0;
        long skipped = 0;
        double lossSum = 0;
        double normSum = 0;
        long since = 0;
        for (long update = 1; update <= config.maxUpdates(); update++) {
            LongLagBatch b = task.batch(config.batch(), config.steps(), trainRandom);
            SequenceBatch sb = toSequenceBatch(b);
            model.zeroGrad();
            SequenceModel.Result r = model.forwardBackward(sb, 1f, null);
            double loss = r.mean();
            scaleGradients(params, 1f / Math.max(1, r.count())); // the mean over the scored items
            if (config.pascanuAlpha() > 0) {
                addRegularizer(model, sb);
            }
            double norm = config.clipNorm() > 0 ? Clipping.clipGlobalNorm(params, config.clipNorm())
                    : Clipping.globalNorm(params);
            boolean finite = Double.isFinite(loss) && Double.isFinite(norm);
            boolean wasClipped = finite && config.clipNorm() > 0 && norm > config.clipNorm();
            if (finite && config.clipValue() > 0) {
                wasClipped |= Clipping.clipValue(params, config.clipValue()) > 0;
            }
            if (!finite) {
                skipped++;
                switch (config.nonFinite()) {
                    case STOP -> {
                        evaluations.add(evaluate(model, test, update - 1, mean(lossSum, since), mean(normSum, since),
                                start));
                        listener.onEvaluation(evaluations.get(evaluations.size() - 1));
                        return new Result(Stop.NON_FINITE, -1, update - 1, evaluations, clipped, skipped, seconds(start));
                    }
                    case SKIP -> model.zeroGrad();
                    case SHRINK -> NonFiniteGradient.shrink(params);
                }
            }
            if (finite || config.nonFinite() == NonFiniteGradient.SHRINK) {
                optimizer.step();
            }
            clipped += wasClipped ? 1 : 0;
            if (finite) {
                lossSum += loss;
                normSum += norm;
                since++;
            }
            listener.onStep(update, loss, norm, wasClipped);
            boolean outOfTime = config.maxSeconds() > 0 && seconds(start) >= config.maxSeconds();
            if (update % config.evalEvery() == 0 || update == config.maxUpdates() || outOfTime) {
                Evaluation e = evaluate(model, test, update, mean(lossSum, since), mean(normSum, since), start);
                evaluations.add(e);
                listener.onEvaluation(e);
                lossSum = 0;
                normSum = 0;
                since = 0;
                if (solved(e)) {
                    return new Result(Stop.SOLVED, update, update, evaluations, clipped, skipped, seconds(start));
                }
                if (outOfTime) {
                    return new Result(Stop.TIME_LIMIT, -1, update, evaluations, clipped, skipped, seconds(start));
                }
            }
        }
        return new Result(Stop.BUDGET, -1, config.maxUpdates(), evaluations, clipped, skipped, seconds(start));
    }

    /** grad(W_hh of layer 0) += α/terms · ∂Ω/∂W_hh, Ω measured on this batch with the gradients of its loss. */
    private void addRegularizer(SequenceModel model, SequenceBatch batch) {
        PascanuRegularizer omega = PascanuRegularizer.of(StackProbe.of(model, batch), 0);
        if (omega.terms() > 0) {
            omega.addGradient(model.parameter("rnn.weight_hh_l0"), config.pascanuAlpha() / omega.terms());
        }
    }

    private static void scaleGradients(List<Parameter> params, float s) {
        for (Parameter p : params) {
            Kernels.scaleInPlace(p.grad, s);
        }
    }

    private boolean solved(Evaluation e) {
        return e.errorRate() <= config.successErrorRate();
    }

    private Evaluation evaluate(SequenceModel model, LongLagBatch test, long update, double trainLoss, double gradNorm,
                                long start) {
        float[] p = predictions(model, test);
        return new Evaluation(update, trainLoss, task.loss(p, test), task.errorRate(p, test), gradNorm, seconds(start));
    }

    private static double mean(double sum, long n) {
        return n == 0 ? Double.NaN : sum / n;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
