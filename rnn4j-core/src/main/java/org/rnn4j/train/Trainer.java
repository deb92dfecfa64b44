package org.rnn4j.train;

import java.util.Arrays;
import java.util.List;
import org.rnn4j.data.TbpttBatcher;
import org.rnn4j.data.Window;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.RecurrentState;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.SoftmaxCrossEntropy;
import org.rnn4j.diag.PascanuRegularizer;
import org.rnn4j.diag.StackProbe;
import org.rnn4j.optim.Clipping;
import org.rnn4j.optim.LearningRateSchedule;
import org.rnn4j.optim.ReduceLrOnPlateau;
import org.rnn4j.optim.Optimizer;
import org.rnn4j.optim.Sgd;

/**
 * Trains a language model by truncated backpropagation through time, char-rnn style: B parallel
 * streams read in windows of T = k1 steps; the hidden state is carried from one window to the next
 * (values only, no gradient) and reset at each new epoch. With k2 &gt; k1 (Williams and Peng's
 * BPTT(k2; k1)) each update runs the new k1 steps together with the k2 − k1 steps before them, from the
 * state where those began, scoring only the new steps but back-propagating through all k2. Per step:
 * <pre>
 *   zero gradients → forward + backward over the window (loss summed over steps, averaged over streams)
 *   → global norm (clipped if asked) → element clipping (if asked) → divergence guard → update
 * </pre>
 * The guard stops on a non-finite loss or gradient norm, or a loss above
 * {@link TrainingConfig#DIVERGENCE_FACTOR} times its start, before the update, so the parameters stay
 * those of the last good step. Training ends after {@code steps} updates or when the time limit is
 * reached, whichever comes first, always with an evaluation.
 *
 * <p>Everything the loop carries from one step to the next is in {@link #checkpoint()}: restoring it
 * with {@link #restore} into a trainer built the same way continues bit for bit.
 */
public final class Trainer {
    private final LanguageModel model;
    private final TbpttBatcher batches;
    private final int[] validation;
    private final TrainingConfig config;
    private final Optimizer optimizer;
    private final Rng dropoutRng;
    private final TrainingListener listener;

    // The loop's carried state (all of it goes into a checkpoint).
    private final RecurrentState state; // where the next (combined) window starts
    private final int[] x;              // the combined window: history steps, then the new ones (k2·B)
    private final int[] y;
    private int history;                // steps of x kept from earlier windows (at most k2 − k1)
    private long step;
    private long tokens;
    private long clippedSteps;
    private long skippedSteps;
    private double trainSum;
    private long trainCount;
    private double best = Double.POSITIVE_INFINITY;
    private long bestStep;
    private double lastValid = Double.NaN;
    private double lossLimit = Double.NaN; // set from the first window's loss
    private LearningRateSchedule schedule;   // null: the optimizer's rate stays as it is

    /** A trainer with plain SGD at the config's learning rate. */
    public Trainer(LanguageModel model, TbpttBatcher batches, int[] validation, TrainingConfig config,
                   TrainingListener listener) {
        this(model, batches, validation, config, new Sgd(model.parameters(), config.learningRate()), new Rng(0),
                listener);
    }

    /**
     * @param optimizer updates the model's parameters
     * @param dropoutRng the source of dropout masks (its state is part of a checkpoint)
     */
    public Trainer(LanguageModel model, TbpttBatcher batches, int[] validation, TrainingConfig config,
                   Optimizer optimizer, Rng dropoutRng, TrainingListener listener) {
        if (config.pascanuAlpha() > 0 && model.rnn().cell() != org.rnn4j.model.CellType.RNN) {
            throw new IllegalArgumentException("Pascanu et al.'s regularizer is defined for the Elman cell (rnn), not "
                    + model.rnn().cell().id() + ": set its weight to 0");
        }
        if (batches.batchSize() != config.batch() || batches.window() != config.seqLen()) {
            // the batcher's windows are the k1 new steps of each update
            throw new IllegalArgumentException("the batcher reads B=" + batches.batchSize() + ", T=" + batches.window()
                    + " but the config says B=" + config.batch() + ", T=" + config.seqLen());
        }
        this.model = model;
        this.batches = batches;
        this.validation = validation;
        this.config = config;
        this.optimizer = optimizer;
        this.dropoutRng = dropoutRng;
        this.listener = listener;
        model.setDropoutRng(dropoutRng);
        model.rnn().setCheckpointEvery(config.checkpointEvery()); // a runtime mode of the model, not part of it
        this.state = model.newState(config.batch());
        // a combined window never reaches past its epoch's start, so it holds at most min(k2, L) steps
        int maxSteps = Math.min(config.backpropSteps(), batches.streamLength());
        this.x = new int[maxSteps * config.batch()];
        this.y = new int[maxSteps * config.batch()];
    }

    /** The outcome: the last and best validation losses and the steps taken. */
    public record Result(long steps, double lastValidLoss, double bestValidLoss, long bestStep, long tokensSeen,
                         double seconds) {
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * Sets the learning rate before every update from {@code schedule.learningRate(step)} (step 0 is the
     * first update) and reports each validation loss to it (reduce-on-plateau).
     */
    public void setSchedule(LearningRateSchedule schedule) {
        this.schedule = schedule;
    }

    /** Updates made so far. */
    public long step() {
        return step;
    }

    /** grad(W_hh of layer 0) += α/terms · ∂Ω/∂W_hh, Ω measured on the window just trained on. */
    private void addRegularizer(TrainingListener.Window w) {
        PascanuRegularizer omega = PascanuRegularizer.of(StackProbe.of(model, w.inputs(), w.targets(), w.steps(),
                w.batch(), w.initialState()), 0);
        if (omega.terms() > 0) {
            omega.addGradient(weightHh0(), config.pascanuAlpha() / omega.terms());
        }
    }

    private Parameter weightHh0() {
        return model.parameter("rnn.weight_hh_l0");
    }

    /** Steps whose gradient was not finite and were skipped or shrunk ({@link NonFiniteGradient}). */
    public long skippedSteps() {
        return skippedSteps;
    }

    /** Runs from the current step (0, or where a restored checkpoint left off) to {@code config.steps()}. */
    public Result run() {
        List<Parameter> params = model.parameters();
        int b = config.batch();
        int k1 = config.seqLen();
        int k2 = config.backpropSteps();
        long start = System.nanoTime();
        long tokensAtStart = tokens;
        float scale = 1f / b;
        boolean outOfTime = false;
        while (step < config.steps() && !outOfTime) {
            Window w = batches.next();
            if (w.startsEpoch()) {
                model.rnn().reset(state);
                history = 0;
            }
            int len = history + w.steps();
            System.arraycopy(w.inputs(), 0, x, history * b, w.steps() * b);
            System.arraycopy(w.targets(), 0, y, history * b, w.steps() * b);
            Arrays.fill(y, 0, history * b, -1); // already scored by the window they came with
            boolean regularize = config.pascanuAlpha() > 0;
            RecurrentState startState = regularize || listener.wantsWindow(step + 1) ? state.copy() : null;
            model.zeroGrad();
            SoftmaxCrossEntropy.Result r = model.forwardBackward(x, y, len, b, state, scale);
            TrainingListener.Window seen = startState == null ? null : new TrainingListener.Window(step + 1, model,
                    Arrays.copyOf(x, len * b), Arrays.copyOf(y, len * b), len, b, startState);
            if (k2 > k1) {
                // The next combined window starts keep = min(k2 − k1, len) steps before the end of this one.
                int keep = Math.min(k2 - k1, len);
                if (keep < len) {
                    model.copyStateAfter(len - keep - 1, state);
                } else {
                    model.rnn().reset(state); // still inside the first k2 − k1 steps of the epoch
                }
                System.arraycopy(x, (len - keep) * b, x, 0, keep * b);
                history = keep;
            }
            step++;
            if (seen != null && listener.wantsWindow(step)) {
                listener.onWindow(seen);
            }
            if (regularize) {
                addRegularizer(seen);
            }
            double loss = r.mean();
            double norm = config.clipNorm() > 0 ? Clipping.clipGlobalNorm(params, config.clipNorm())
                    : Clipping.globalNorm(params);
            if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
                if (config.nonFinite() == NonFiniteGradient.STOP) {
                    throw new TrainingDivergedException(step, loss, norm);
                }
                skippedSteps++;
                if (config.nonFinite() == NonFiniteGradient.SHRINK) {
                    NonFiniteGradient.shrink(params);
                    optimizer.step();
                }
                listener.onStep(new TrainingListener.StepMetrics(step, config.steps(), w.epoch(), loss, norm, false,
                        (double) clippedSteps / step, optimizer.learningRate(), tokens,
                        (tokens - tokensAtStart) / Math.max((System.nanoTime() - start) / 1e9, 1e-9),
                        (System.nanoTime() - start) / 1e9));
                continue;
            }
            if (Double.isNaN(lossLimit)) {
                lossLimit = TrainingConfig.DIVERGENCE_FACTOR * Math.max(loss, Math.log(model.config().vocabSize()));
            } else if (loss > lossLimit) {
                throw new TrainingDivergedException(step, loss, norm, lossLimit);
            }
            boolean clipped = config.clipNorm() > 0 && norm > config.clipNorm();
            if (config.clipValue() > 0) {
                clipped |= Clipping.clipValue(params, config.clipValue()) > 0;
            }
            if (schedule != null) {
                optimizer.setLearningRate(schedule.learningRate(step - 1));
            }
            optimizer.step();
            if (clipped) {
                clippedSteps++;
            }
            tokens += r.count();
            trainSum += r.sum();
            trainCount += r.count();
            double elapsed = (System.nanoTime() - start) / 1e9;
            outOfTime = config.maxSeconds() > 0 && elapsed >= config.maxSeconds();
            listener.onStep(new TrainingListener.StepMetrics(step, config.steps(), w.epoch(), loss, norm, clipped,
                    (double) clippedSteps / step, optimizer.learningRate(), tokens,
                    (tokens - tokensAtStart) / Math.max(elapsed, 1e-9), elapsed));
            if (step % config.evalEvery() == 0 || step == config.steps() || outOfTime) {
                Evaluator.Result v = Evaluator.evaluate(model, validation, config.evalStreams(), config.seqLen());
                lastValid = v.loss();
                if (schedule != null) {
                    schedule.reportValidationLoss(lastValid);
                }
                boolean isBest = lastValid < best;
                if (isBest) {
                    best = lastValid;
                    bestStep = step;
                }
                double trainLoss = trainSum / trainCount;
                trainSum = 0;
                trainCount = 0;
                listener.onEvaluation(new TrainingListener.EvalMetrics(step, trainLoss, lastValid, v.tokens(), isBest,
                        (System.nanoTime() - start) / 1e9));
            }
        }
        return new Result(step, lastValid, best, bestStep, tokens, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Everything the training loop carries between steps, beside the model's parameters: the step, the
     * data position, the carried hidden state and TBPTT history, the optimizer's state, the dropout RNG,
     * and the running statistics. Take it between steps (e.g. from a listener's onEvaluation).
     */
    public TrainingCheckpoint checkpoint() {
        float[][] layers = new float[state.numLayers()][];
        for (int k = 0; k < layers.length; k++) {
            layers[k] = state.layer(k).toArray();
        }
        TbpttBatcher.Position p = batches.position();
        return new TrainingCheckpoint(step, p.epoch(), p.window(), layers, state.isInitial(),
                Arrays.copyOf(x, history * config.batch()), history, tokens, clippedSteps, trainSum, trainCount, best,
                bestStep, lastValid, lossLimit, dropoutRng.state(), optimizer.exportState(), scheduleState());
    }

    private double[] scheduleState() {
        if (schedule instanceof ReduceLrOnPlateau p) {
            ReduceLrOnPlateau.State s = p.state();
            return new double[] {s.learningRate(), s.best(), s.badReports(), s.cooldownLeft()};
        }
        return new double[0]; // the other schedules are functions of the step alone
    }

    /** Continues from a checkpoint of a trainer built with the same model shape, data and config. */
    public void restore(TrainingCheckpoint c) {
        if (c.stateLayers().length != state.numLayers()) {
            throw new IllegalArgumentException("the checkpoint's state has " + c.stateLayers().length
                    + " layers but the model has " + state.numLayers());
        }
        if (c.history() > config.backpropSteps() - config.seqLen()) {
            throw new IllegalArgumentException("the checkpoint keeps " + c.history() + " steps of history but this run "
                    + "back-propagates only " + (config.backpropSteps() - config.seqLen()) + " steps before each window");
        }
        if (c.history() < 0 || c.historyTokens().length != (long) c.history() * config.batch()) {
            throw new IllegalArgumentException("the checkpoint holds " + c.historyTokens().length + " history tokens but "
                    + c.history() + " steps of history for B=" + config.batch() + " need "
                    + (long) c.history() * config.batch() + " (a damaged checkpoint, or another batch size?)");
        }
        if (c.historyTokens().length > x.length) {
            throw new IllegalArgumentException("the checkpoint keeps " + c.history() + " steps of history but the streams"
                    + " of this text hold only " + batches.streamLength() + " steps (another text?)");
        }
        for (int k = 0; k < state.numLayers(); k++) {
            if (c.stateLayers()[k].length != state.layer(k).size()) {
                throw new IllegalArgumentException("the checkpoint's state of layer " + k + " has "
                        + c.stateLayers()[k].length + " values, the model's has " + state.layer(k).size()
                        + " (another batch size or model?)");
            }
        }
        if (c.window() < 0 || c.window() >= batches.windowsPerEpoch() || c.epoch() < 0) {
            throw new IllegalArgumentException("the checkpoint's data position (epoch " + c.epoch() + ", window "
                    + c.window() + ") does not exist for this text, batch and window (" + batches.windowsPerEpoch()
                    + " windows per epoch): another text or settings?");
        }
        // Everything is checked before anything changes (the optimizer checks its whole state before it
        // imports any of it), so a rejected checkpoint leaves this trainer as it was.
        optimizer.importState(c.optimizerState());
        batches.seek(new TbpttBatcher.Position(c.epoch(), c.window()));
        for (int k = 0; k < state.numLayers(); k++) {
            float[] v = c.stateLayers()[k];
            System.arraycopy(v, 0, state.layer(k).data, state.layer(k).offset, v.length);
        }
        state.setInitial(c.stateInitial());
        System.arraycopy(c.historyTokens(), 0, x, 0, c.historyTokens().length);
        history = c.history();
        step = c.step();
        tokens = c.tokens();
        clippedSteps = c.clippedSteps();
        trainSum = c.trainSum();
        trainCount = c.trainCount();
        best = c.bestValidLoss();
        bestStep = c.bestStep();
        lastValid = c.lastValidLoss();
        lossLimit = c.lossLimit();
        dropoutRng.setState(c.dropoutRngState());
        if (schedule instanceof ReduceLrOnPlateau p && c.scheduleState().length == 4) {
            double[] v = c.scheduleState();
            p.restore(new ReduceLrOnPlateau.State(v[0], v[1], (int) v[2], (int) v[3]));
        }
    }
}
