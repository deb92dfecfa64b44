package org.rnn4j.train;

/**
 * The settings of a training run. Each default lives here once; the command line reuses these constants.
 *
 * @param steps number of updates
 * @param seqLen k1 = T, steps per truncated-BPTT window: the loss of these steps makes one update
 * @param backpropSteps k2 ≥ k1, steps back-propagated through at each update (Williams and Peng 1990's
 *     BPTT(k2; k1)); with k2 &gt; k1 each window is run together with the k2 − k1 steps before it
 * @param batch B, parallel streams
 * @param learningRate SGD step size for the objective "loss summed over the window's steps, averaged over
 *     the B streams"
 * @param clipNorm rescale gradients whose global norm exceeds this; 0 = off
 * @param clipValue clamp each gradient element into [−c, c]; 0 = off
 * @param evalEvery evaluate on the validation data every this many steps (and at the end)
 * @param evalStreams parallel streams for the periodic validation loss (see {@link Evaluator})
 * @param maxSeconds stop (with a final evaluation) once training has run this long; 0 = no limit
 * @param checkpointEvery gradient checkpointing: keep the recurrent layers' activations for this many steps at
 *     a time and recompute them in backward ({@link org.rnn4j.model.RecurrentStack#setCheckpointEvery}); 0 = off
 */
public record TrainingConfig(long steps, int seqLen, int backpropSteps, int batch, float learningRate, float clipNorm, float clipValue,
                             long evalEvery, int evalStreams, double maxSeconds, NonFiniteGradient nonFinite,
                             double pascanuAlpha, int checkpointEvery) {
    public static final long DEFAULT_STEPS = 1500;
    public static final int DEFAULT_SEQ_LEN = 50;
    public static final int DEFAULT_BATCH = 32;
    public static final float DEFAULT_LEARNING_RATE = 0.05f;
    public static final float DEFAULT_CLIP_NORM = 5f;
    public static final float DEFAULT_CLIP_VALUE = 0f;
    public static final long DEFAULT_EVAL_EVERY = 250;
    public static final int DEFAULT_EVAL_STREAMS = 16;
    /**
     * Training is stopped as diverged when a window's mean loss exceeds this multiple of the larger of the
     * first window's loss and ln V (the loss of a uniform guess). Normal SGD noise stays well below.
     */
    public static final double DIVERGENCE_FACTOR = 4.0;

    public TrainingConfig {
        require(steps >= 1, "steps must be at least 1, got " + steps);
        require(seqLen >= 1, "sequence length must be at least 1, got " + seqLen);
        require(backpropSteps >= seqLen, "back-propagated steps k2 (" + backpropSteps + ") must be at least the steps per "
                + "update k1 (" + seqLen + ")");
        require(batch >= 1, "batch must be at least 1, got " + batch);
        require(learningRate > 0f && Float.isFinite(learningRate), "learning rate must be positive, got " + learningRate);
        require(clipNorm >= 0f && Float.isFinite(clipNorm), "clip norm must be 0 (off) or positive, got " + clipNorm);
        require(clipValue >= 0f && Float.isFinite(clipValue), "clip value must be 0 (off) or positive, got " + clipValue);
        require(evalEvery >= 1, "evaluation interval must be at least 1, got " + evalEvery);
        require(evalStreams >= 1, "evaluation streams must be at least 1, got " + evalStreams);
        require(maxSeconds >= 0 && Double.isFinite(maxSeconds), "time limit must be 0 (none) or positive, got " + maxSeconds);
        require(nonFinite != null, "the non-finite gradient action is required");
        require(pascanuAlpha >= 0 && Double.isFinite(pascanuAlpha), "the regularizer weight must be 0 (off) or positive, "
                + "got " + pascanuAlpha);
        require(checkpointEvery >= 0, "checkpoint every k steps needs k >= 1 (or 0 to keep every activation), got "
                + checkpointEvery);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private long steps = DEFAULT_STEPS;
        private int seqLen = DEFAULT_SEQ_LEN;
        private int backpropSteps;
        private int batch = DEFAULT_BATCH;
        private float learningRate = DEFAULT_LEARNING_RATE;
        private float clipNorm = DEFAULT_CLIP_NORM;
        private float clipValue = DEFAULT_CLIP_VALUE;
        private long evalEvery = DEFAULT_EVAL_EVERY;
        private int evalStreams = DEFAULT_EVAL_STREAMS;
        private double maxSeconds;
        private NonFiniteGradient nonFinite = NonFiniteGradient.STOP;
        private double pascanuAlpha;
        private int checkpointEvery;

        public Builder steps(long v) {
            steps = v;
            return this;
        }

        public Builder seqLen(int v) {
            seqLen = v;
            return this;
        }

        /** k2; 0 (the default) means k2 = k1 = seqLen. */
        public Builder backpropSteps(int v) {
            backpropSteps = v;
            return this;
        }

        public Builder batch(int v) {
            batch = v;
            return this;
        }

        public Builder learningRate(float v) {
            learningRate = v;
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

        public Builder evalStreams(int v) {
            evalStreams = v;
            return this;
        }

        public Builder maxSeconds(double v) {
            maxSeconds = v;
            return this;
        }

        /** What to do with a non-finite gradient or loss (default: stop with {@link TrainingDivergedException}). */
        public Builder nonFinite(NonFiniteGradient v) {
            nonFinite = v;
            return this;
        }

        /**
         * Weight α of Pascanu et al.'s regularizer Ω on the first layer's W_hh (Elman models only; 0, the
         * default, is off). Each step then adds α/terms · ∂Ω/∂W_hh, measured on that step's window.
         */
        public Builder pascanuAlpha(double v) {
            pascanuAlpha = v;
            return this;
        }

        /**
         * Gradient checkpointing every k steps (0, the default, is off): the memory for the recurrent layers'
         * activations then scales with k instead of the window length, for about one more forward pass.
         */
        public Builder checkpointEvery(int v) {
            checkpointEvery = v;
            return this;
        }

        public TrainingConfig build() {
            int k2 = backpropSteps == 0 ? seqLen : backpropSteps;
            return new TrainingConfig(steps, seqLen, k2, batch, learningRate, clipNorm, clipValue, evalEvery, evalStreams,
                    maxSeconds, nonFinite, pascanuAlpha, checkpointEvery);
        }
    }
}
