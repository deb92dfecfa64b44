package org.rnn4j.data;

import java.util.Objects;

/**
 * A batch of forecasting windows ({@link ForecastWindows}): {@code B} windows of {@code T = W} steps
 * (all the same length: {@code inputs.lengths()} are all {@code W}) and their normalised targets,
 * {@code K} values per predicted step, time-major:
 * <pre>
 *   MANY_TO_ONE   targets[b*K + k]           target k at the step after window b     // (B*K), targetSteps 1
 *   MANY_TO_MANY  targets[(t*B + b)*K + k]   target k at the step after step t of b  // (T*B*K), targetSteps T
 * </pre>
 *
 * @param inputs the normalised input features, {@code (T*B*D)} time-major (see {@link PaddedInputs})
 * @param targets the normalised targets, laid out as above
 * @param targetSize {@code K}
 * @param targetSteps 1 for many-to-one, {@code T} for many-to-many
 * @param windows {@code (B)} the index in the {@link ForecastWindows} of each batch column's window
 */
public record ForecastBatch(PaddedInputs inputs, float[] targets, int targetSize, int targetSteps, int[] windows) {
    public ForecastBatch {
        Objects.requireNonNull(inputs, "inputs");
        if (targetSteps != 1 && targetSteps != inputs.steps()) {
            throw new IllegalArgumentException("targetSteps must be 1 or T = " + inputs.steps() + ", got " + targetSteps);
        }
        if (targetSize < 1 || targets.length != targetSteps * inputs.batchSize() * targetSize
                || windows.length != inputs.batchSize()) {
            throw new IllegalArgumentException("targets need targetSteps*B*K = " + targetSteps + "*" + inputs.batchSize()
                    + "*" + targetSize + " entries and windows B, got " + targets.length + " and " + windows.length);
        }
    }

    /** Target {@code k} of step {@code t} of window {@code b} ({@code t} is 0 for many-to-one). */
    public float target(int t, int b, int k) {
        return targets[(t * inputs.batchSize() + b) * targetSize + k];
    }

    /** {@code B}. */
    public int batchSize() {
        return inputs.batchSize();
    }
}
