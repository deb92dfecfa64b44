package org.rnn4j.train;

import java.util.List;
import org.rnn4j.data.TbpttBatcher;
import org.rnn4j.data.Window;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.RecurrentState;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.SoftmaxCrossEntropy;
import org.rnn4j.optim.Clipping;
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
 */
public final class Trainer {
    private final LanguageModel model;
    private final TbpttBatcher batches;
    private final int[] validation;
    private final TrainingConfig config;
    private final Optimizer optimizer;
    private final TrainingListener listener;

    public Trainer(LanguageModel model, TbpttBatcher batches, int[] validation, TrainingConfig config,
                   TrainingListener listener) {
        if (batches.batchSize() != config.batch() || batches.window() != config.seqLen()) {
            // the batcher's windows are the k1 new steps of each update
            throw new IllegalArgumentException("the batcher reads B=" + batches.batchSize() + ", T=" + batches.window()
                    + " but the config says B=" + config.batch() + ", T=" + config.seqLen());
        }
        this.model = model;
        this.batches = batches;
        this.validation = validation;
        this.config = config;
        this.optimizer = new Sgd(model.parameters(), config.learningRate());
        this.listener = listener;
    }

    /** The outcome: the last and best validation losses and the steps taken. */
    public record Result(long steps, double lastValidLoss, double bestValidLoss, long bestStep, long tokensSeen,
                         double seconds) {
    }

    public Result run() {
        List<Parameter> params = model.parameters();
        int b = config.batch();
        int k1 = config.seqLen();
        int k2 = config.backpropSteps();
        RecurrentState state = model.newState(b); // the state where the next (combined) window starts
        int[] x = new int[k2 * b];  // the combined window: history steps, then the new ones
        int[] y = new int[k2 * b];
        int history = 0;            // steps of x kept from earlier windows (at most k2 − k1)
        long start = System.nanoTime();
        long tokens = 0;
        long clippedSteps = 0;
        double trainSum = 0;
        long trainCount = 0;
        double best = Double.POSITIVE_INFINITY;
        long bestStep = 0;
        double lastValid = Double.NaN;
        float scale = 1f / config.batch();
        double lossLimit = Double.NaN; // set from the first window's loss
        long step = 0;
        boolean outOfTime = false;
        while (step < config.steps() && !outOfTime) {
            step++;
            Window w = batches.next();
            if (w.startsEpoch()) {
                model.rnn().reset(state);
                history = 0;
            }
            int len = history + w.steps();
            System.arraycopy(w.inputs(), 0, x, history * b, w.steps() * b);
            System.arraycopy(w.targets(), 0, y, history * b, w.steps() * b);
            java.util.Arrays.fill(y, 0, history * b, -1); // already scored by the window they came with
            model.zeroGrad();
            SoftmaxCrossEntropy.Result r = model.forwardBackward(x, y, len, b, state, scale);
            if (k2 > k1) {
                // The next combined window starts keep = min(k2 − k1, len) steps before the end of this one.
                int keep = Math.min(k2 - k1, len);
                if (keep < len) {
                    model.rnn().copyStateAfter(len - keep - 1, state);
                } else {
                    model.rnn().reset(state); // still inside the first k2 − k1 steps of the epoch
                }
                System.arraycopy(x, (len - keep) * b, x, 0, keep * b);
                history = keep;
            }
            double loss = r.mean();
            double norm = config.clipNorm() > 0 ? Clipping.clipGlobalNorm(params, config.clipNorm())
                    : Clipping.globalNorm(params);
            if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
                throw new TrainingDivergedException(step, loss, norm);
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
                    (double) clippedSteps / step, optimizer.learningRate(), tokens, tokens / Math.max(elapsed, 1e-9),
                    elapsed));
            if (step % config.evalEvery() == 0 || step == config.steps() || outOfTime) {
                Evaluator.Result v = Evaluator.evaluate(model, validation, config.evalStreams(), config.seqLen());
                lastValid = v.loss();
                boolean isBest = lastValid < best;
                if (isBest) {
                    best = lastValid;
                    bestStep = step;
                }
                listener.onEvaluation(new TrainingListener.EvalMetrics(step, trainSum / trainCount, lastValid, v.tokens(),
                        isBest, (System.nanoTime() - start) / 1e9));
                trainSum = 0;
                trainCount = 0;
            }
        }
        return new Result(step, lastValid, best, bestStep, tokens, (System.nanoTime() - start) / 1e9);
    }
}
