package org.rnn4j.optim;

/**
 * The learning rate as a function of the number of updates already made, and of the validation losses
 * seen so far for {@link ReduceLrOnPlateau}. A training loop calls, before update number s + 1,
 * {@code optimizer.setLearningRate(schedule.learningRate(s))}, and after each evaluation
 * {@code schedule.reportValidationLoss(loss)}.
 *
 * <p>Step s = 0 is the first update, so {@code learningRate(s)} is the value PyTorch's optimizer holds
 * after s calls of {@code scheduler.step()}. Values are doubles, as in PyTorch, computed with
 * {@link StrictMath} so that they are the same on every JVM.
 */
public interface LearningRateSchedule {
    /** The learning rate of the update made after {@code step} updates (0 for the first). */
    double learningRate(long step);

    /** Tells the schedule a new validation loss; only {@link ReduceLrOnPlateau} reacts. */
    default void reportValidationLoss(double loss) {
    }

    /** Always {@code lr}. */
    static LearningRateSchedule constant(double lr) {
        return new ConstantSchedule(lr);
    }

    /** {@code lr · γ^⌊s / stepSize⌋}, as {@code torch.optim.lr_scheduler.StepLR}. */
    static LearningRateSchedule step(double lr, long stepSize, double gamma) {
        return new StepSchedule(lr, stepSize, gamma);
    }

    /** {@code lr · γ^s}, as {@code torch.optim.lr_scheduler.ExponentialLR}. */
    static LearningRateSchedule exponential(double lr, double gamma) {
        return new ExponentialSchedule(lr, gamma);
    }

    /** Linear warm-up to {@code lr}, then cosine decay to {@code minLr}; see {@link WarmupCosineSchedule}. */
    static LearningRateSchedule warmupCosine(double lr, long warmupSteps, long totalSteps, double minLr) {
        return new WarmupCosineSchedule(lr, warmupSteps, totalSteps, minLr);
    }

    /** A new (mutable) reduce-on-plateau schedule. */
    static ReduceLrOnPlateau reduceOnPlateau(ReduceLrOnPlateau.Config config) {
        return new ReduceLrOnPlateau(config);
    }

    /** A constant learning rate. */
    record ConstantSchedule(double learningRate) implements LearningRateSchedule {
        public ConstantSchedule {
            Checks.learningRate(learningRate);
        }

        @Override
        public double learningRate(long step) {
            checkStep(step);
            return learningRate;
        }
    }

    /** {@code initial · γ^⌊s / stepSize⌋}, as {@code torch.optim.lr_scheduler.StepLR}. */
    record StepSchedule(double initialLearningRate, long stepSize, double gamma) implements LearningRateSchedule {
        /** PyTorch's StepLR default. */
        public static final double DEFAULT_GAMMA = 0.1;

        public StepSchedule {
            Checks.learningRate(initialLearningRate);
            Checks.positiveCount("step size", stepSize);
            Checks.nonNegative("gamma", gamma);
        }

        @Override
        public double learningRate(long step) {
            checkStep(step);
            return initialLearningRate * StrictMath.pow(gamma, step / stepSize);
        }
    }

    /** {@code initial · γ^s}, as {@code torch.optim.lr_scheduler.ExponentialLR} (which has no default γ). */
    record ExponentialSchedule(double initialLearningRate, double gamma) implements LearningRateSchedule {
        public ExponentialSchedule {
            Checks.learningRate(initialLearningRate);
            Checks.nonNegative("gamma", gamma);
        }

        @Override
        public double learningRate(long step) {
            checkStep(step);
            return initialLearningRate * StrictMath.pow(gamma, step);
        }
    }

    private static void checkStep(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be at least 0, got " + step);
        }
    }
}
