package org.rnn4j.data;

import java.util.Objects;

/**
 * A batch of a {@link LongLagTask}: {@code B} sequences, time-major, and their targets, either one per
 * sequence (many-to-one, read at the sequence's last step {@code lengths[b] - 1}) or one per step
 * (many-to-many):
 * <pre>
 *   targetSteps 1   classTargets[b]          the class of sequence b                          // (B)
 *                   valueTargets[b]          the real target of sequence b                    // (B)
 *   targetSteps T   classTargets[t*B + b]    the class at step t of sequence b, or -1 for none // (T*B)
 * </pre>
 * Exactly one of {@code classTargets} (cross-entropy tasks) and {@code valueTargets} (squared-error
 * tasks, always one value per sequence) is non-null. A class target of {@link PaddedInputs#IGNORED_TARGET}
 * (-1) marks a step without a target (padding, or a step the task does not score). The arrays are not
 * copied; do not modify them.
 *
 * @param inputs the inputs, time-major (see {@link PaddedInputs}): token ids or real features
 * @param targetSteps 1 for one target per sequence, {@code T = inputs.steps()} for one per step
 * @param classTargets class ids as above, or null
 * @param valueTargets real targets as above, or null
 */
public record LongLagBatch(PaddedInputs inputs, int targetSteps, int[] classTargets, float[] valueTargets) {
    public LongLagBatch {
        Objects.requireNonNull(inputs, "inputs");
        int b = inputs.batchSize();
        if (targetSteps != 1 && targetSteps != inputs.steps()) {
            throw new IllegalArgumentException("targetSteps must be 1 or T = " + inputs.steps() + ", got " + targetSteps);
        }
        if ((classTargets == null) == (valueTargets == null)) {
            throw new IllegalArgumentException("give either class targets or value targets, not "
                    + (classTargets == null ? "neither" : "both"));
        }
        if (classTargets != null && classTargets.length != targetSteps * b) {
            throw new IllegalArgumentException("class targets need targetSteps*B = " + targetSteps + "*" + b + " entries, got "
                    + classTargets.length);
        }
        if (valueTargets != null && (targetSteps != 1 || valueTargets.length != b)) {
            throw new IllegalArgumentException("value targets are one per sequence: targetSteps 1 and B = " + b
                    + " entries, got targetSteps " + targetSteps + " and " + valueTargets.length + " entries");
        }
    }

    /** One class per sequence (many-to-one). */
    static LongLagBatch ofClasses(PaddedInputs inputs, int[] classes) {
        return new LongLagBatch(inputs, 1, classes, null);
    }

    /** One class (or -1) per step (many-to-many). */
    static LongLagBatch ofStepClasses(PaddedInputs inputs, int[] classes) {
        return new LongLagBatch(inputs, inputs.steps(), classes, null);
    }

    /** One real value per sequence (many-to-one). */
    static LongLagBatch ofValues(PaddedInputs inputs, float[] values) {
        return new LongLagBatch(inputs, 1, null, values);
    }

    /** {@code B}. */
    public int batchSize() {
        return inputs.batchSize();
    }

    /** {@code T}, the padded length. */
    public int steps() {
        return inputs.steps();
    }

    /** The scored items: {@code targetSteps * B} (item {@code t*B + b}, or {@code b} when per sequence). */
    public int items() {
        return targetSteps * inputs.batchSize();
    }

    /** The class target at step {@code t} of sequence {@code b} ({@code t} is ignored when per sequence), or -1. */
    public int classTarget(int t, int b) {
        return classTargets[(targetSteps == 1 ? 0 : t) * inputs.batchSize() + b];
    }

    /** The real target of sequence {@code b}. */
    public float valueTarget(int b) {
        return valueTargets[b];
    }
}
