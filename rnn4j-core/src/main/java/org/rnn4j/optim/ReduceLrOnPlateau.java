package org.rnn4j.optim;

/**
 * Cuts the learning rate when the validation loss stops improving, as PyTorch 1.13's
 * {@code torch.optim.lr_scheduler.ReduceLROnPlateau} with {@code mode='min', threshold_mode='rel'}.
 * After each {@link #reportValidationLoss reported loss} ℓ:
 * <pre>
 *   ℓ &lt; best·(1 − threshold)  →  best = ℓ, bad = 0        else bad = bad + 1
 *   in cool-down                →  cool-down − 1, bad = 0
 *   bad &gt; patience             →  lr' = max(lr·factor, min_lr); if lr − lr' &gt; eps: lr = lr'
 *                                 cool-down = cooldown, bad = 0
 * </pre>
 * A NaN loss is never an improvement. {@link #learningRate(long)} ignores the step: the rate changes
 * only through reported losses. The schedule is mutable; {@link #state()} and {@link #restore} carry it
 * across a checkpoint.
 */
public final class ReduceLrOnPlateau implements LearningRateSchedule {
    public static final double DEFAULT_FACTOR = 0.1;
    public static final int DEFAULT_PATIENCE = 10;
    public static final double DEFAULT_THRESHOLD = 1e-4;
    public static final int DEFAULT_COOLDOWN = 0;
    public static final double DEFAULT_MIN_LEARNING_RATE = 0;
    /** The smallest change of the learning rate that is applied. */
    public static final double DEFAULT_EPS = 1e-8;

    public record Config(double initialLearningRate, double factor, int patience, double threshold, int cooldown,
                         double minLearningRate, double eps) {
        public Config {
            Checks.learningRate(initialLearningRate);
            if (!(factor >= 0 && factor < 1)) {
                throw new IllegalArgumentException("factor must be in [0, 1), got " + factor);
            }
            if (patience < 0 || cooldown < 0) {
                throw new IllegalArgumentException("patience and cooldown must be at least 0, got " + patience
                        + " and " + cooldown);
            }
            Checks.nonNegative("threshold", threshold);
            Checks.nonNegative("minimum learning rate", minLearningRate);
            Checks.nonNegative("eps", eps);
        }

        /** PyTorch's defaults with this initial learning rate. */
        public static Builder builder(double initialLearningRate) {
            return new Builder(initialLearningRate);
        }
    }

    public static final class Builder {
        private final double initialLearningRate;
        private double factor = DEFAULT_FACTOR;
        private int patience = DEFAULT_PATIENCE;
        private double threshold = DEFAULT_THRESHOLD;
        private int cooldown = DEFAULT_COOLDOWN;
        private double minLearningRate = DEFAULT_MIN_LEARNING_RATE;
        private double eps = DEFAULT_EPS;

        private Builder(double initialLearningRate) {
            this.initialLearningRate = initialLearningRate;
        }

        public Builder factor(double v) {
            factor = v;
            return this;
        }

        /** How many reports without improvement are tolerated; the next one cuts the rate. */
        public Builder patience(int v) {
            patience = v;
            return this;
        }

        /** The relative improvement that counts: ℓ &lt; best·(1 − threshold). */
        public Builder threshold(double v) {
            threshold = v;
            return this;
        }

        /** Reports to wait after a cut before counting bad ones again. */
        public Builder cooldown(int v) {
            cooldown = v;
            return this;
        }

        public Builder minLearningRate(double v) {
            minLearningRate = v;
            return this;
        }

        public Builder eps(double v) {
            eps = v;
            return this;
        }

        public Config build() {
            return new Config(initialLearningRate, factor, patience, threshold, cooldown, minLearningRate, eps);
        }
    }

    /** What a checkpoint needs to continue; {@code best} is +∞ before the first report. */
    public record State(double learningRate, double best, int badReports, int cooldownLeft) {
    }

    private final Config config;
    private double lr;
    private double best = Double.POSITIVE_INFINITY;
    private int bad;
    private int cooldownLeft;

    public ReduceLrOnPlateau(Config config) {
        this.config = config;
        this.lr = config.initialLearningRate();
    }

    public Config config() {
        return config;
    }

    @Override
    public double learningRate(long step) {
        return lr;
    }

    @Override
    public void reportValidationLoss(double loss) {
        if (loss < best * (1 - config.threshold())) {
            best = loss;
            bad = 0;
        } else {
            bad++;
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            bad = 0; // bad reports during cool-down do not count
        }
        if (bad > config.patience()) {
            double cut = Math.max(lr * config.factor(), config.minLearningRate());
            if (lr - cut > config.eps()) {
                lr = cut;
            }
            cooldownLeft = config.cooldown();
            bad = 0;
        }
    }

    public State state() {
        return new State(lr, best, bad, cooldownLeft);
    }

    public void restore(State s) {
        if (!(s.learningRate() >= 0) || Double.isInfinite(s.learningRate()) || s.badReports() < 0
                || s.cooldownLeft() < 0 || Double.isNaN(s.best())) {
            throw new IllegalArgumentException("not a valid reduce-on-plateau state: " + s);
        }
        lr = s.learningRate();
        best = s.best();
        bad = s.badReports();
        cooldownLeft = s.cooldownLeft();
    }
}
