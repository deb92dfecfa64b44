package org.rnn4j.train;

/**
 * Receives the progress of a training run. The library never prints: a command line, a log or a test
 * listens here instead. All methods run on the training thread, between steps.
 */
public interface TrainingListener {
    /** After every update. */
    default void onStep(StepMetrics m) {
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
     * @param trainLoss mean training loss per token since the previous evaluation
     * @param best whether this validation loss is the lowest so far
     */
    record EvalMetrics(long step, double trainLoss, double validLoss, long validTokens, boolean best,
                       double elapsedSeconds) {
    }
}
