package org.rnn4j.optim;

/**
 * Linear warm-up followed by cosine decay (Loshchilov and Hutter's SGDR without restarts), over W
 * warm-up steps and T steps in all:
 * <pre>
 *   s &lt; W:        lr · (s + 1) / W
 *   W ≤ s &lt; T:    min + (lr − min) · (1 + cos(π · (s − W) / (T − W))) / 2
 *   s ≥ T:        min
 * </pre>
 * So the first update already moves (at lr / W), update W + 1 uses the peak lr, and the rate reaches
 * {@code minLearningRate} after T updates and stays there. The same values as PyTorch's
 * {@code SequentialLR([LinearLR(start_factor=1/W, total_iters=W−1), CosineAnnealingLR(T_max=T−W,
 * eta_min=min)], milestones=[W])} for s ≤ T (PyTorch's cosine then rises again; this one stays).
 */
public record WarmupCosineSchedule(double peakLearningRate, long warmupSteps, long totalSteps,
                                   double minLearningRate) implements LearningRateSchedule {
    public static final long DEFAULT_WARMUP_STEPS = 0;
    /** As {@code CosineAnnealingLR}'s {@code eta_min}. */
    public static final double DEFAULT_MIN_LEARNING_RATE = 0;

    public WarmupCosineSchedule {
        Checks.learningRate(peakLearningRate);
        if (warmupSteps < 0 || totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("need 0 ≤ warm-up steps < total steps, got " + warmupSteps
                    + " warm-up and " + totalSteps + " total");
        }
        if (!(minLearningRate >= 0 && minLearningRate <= peakLearningRate)) {
            throw new IllegalArgumentException("the minimum learning rate must be in [0, " + peakLearningRate
                    + "] (the peak), got " + minLearningRate);
        }
    }

    @Override
    public double learningRate(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be at least 0, got " + step);
        }
        if (step < warmupSteps) {
            return peakLearningRate * (step + 1) / warmupSteps;
        }
        if (step >= totalSteps) {
            return minLearningRate;
        }
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return minLearningRate + (peakLearningRate - minLearningRate) * (1 + StrictMath.cos(Math.PI * progress)) / 2;
    }
}
