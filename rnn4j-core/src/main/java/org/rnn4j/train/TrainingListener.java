package org.rnn4j.train;

import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.RecurrentState;

/**
 * Receives the progress of a training run. The library never prints: a command line, a log or a test
 * listens here instead. All methods run on the training thread, between steps.
 */
public interface TrainingListener {
    /** After every update. */
    default void onStep(StepMetrics m) {
    }

    /**
     * Whether {@link #onWindow} wants step {@code step} (1-based). Only then does the trainer copy the
     * window out for it; the default is never.
     */
    default boolean wantsWindow(long step) {
        return false;
    }

    /**
     * After the backward pass of a step, before clipping and the update: the model (its parameters hold this
     * step's gradients) and a copy of the window it read. A diagnostic can probe the model here, e.g.
     * {@code StackProbe.of(w.model(), w.inputs(), w.targets(), w.steps(), w.batch(), w.initialState())} with
     * {@code GradientFlow}, and must not change the parameters or their gradients.
     */
    default void onWindow(Window w) {
    }

    /** After each periodic evaluation on the validation data (and once at the end). */
    default void onEvaluation(EvalMetrics m) {
    }

    /**
     * One update.
     *
     * @param loss mean loss per target token of this window
     * @param gradNorm the global gradient norm before clipping
     * @param clipped whether clipping changed the gradient at this step
     * @param clippedFraction the share of steps so far whose gradient was clipped
     */
    record StepMetrics(long step, long totalSteps, int epoch, double loss, double gradNorm, boolean clipped,
                       double clippedFraction, float learningRate, long tokensSeen, double tokensPerSecond,
                       double elapsedSeconds) {
        /** Estimated seconds left, from the rate so far. */
        public double etaSeconds() {
            return step == 0 ? Double.NaN : elapsedSeconds / step * (totalSteps - step);
        }
    }

    /**
     * One step's window, time-major, as the model read it.
     *
     * @param inputs token ids (T·B)
     * @param targets next-token ids (T·B); −1 where a step was scored by an earlier window (TBPTT history)
     * @param initialState the carried state the window started from (a copy), or null for zeros
     */
    record Window(long step, LanguageModel model, int[] inputs, int[] targets, int steps, int batch,
                  RecurrentState initialState) {
    }

    /**
     * @param trainLoss mean training loss per token since the previous evaluation
     * @param best whether this validation loss is the lowest so far
     */
    record EvalMetrics(long step, double trainLoss, double validLoss, long validTokens, boolean best,
                       double elapsedSeconds) {
    }
}
