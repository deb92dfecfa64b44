package org.rnn4j.model;

import java.util.Locale;

/**
 * What a {@link SequenceModel} predicts, and so its loss:
 * <ul>
 *   <li>{@link #CLASSIFY}: one of K classes per sequence (many-to-one), softmax cross-entropy;</li>
 *   <li>{@link #TAG}: one of K classes per step (many-to-many), softmax cross-entropy;</li>
 *   <li>{@link #FORECAST}: K real values per sequence or per step (either shape), summed squared error.</li>
 * </ul>
 * The ids are the command line's {@code --task} values.
 */
public enum SequenceTask {
    CLASSIFY, TAG, FORECAST;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SequenceTask fromId(String id) {
        for (SequenceTask t : values()) {
            if (t.id().equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown task '" + id + "': expected classify, tag or forecast");
    }

    /** Whether the outputs are K class logits (softmax cross-entropy) rather than K values (squared error). */
    public boolean isClassification() {
        return this != FORECAST;
    }

    /** The shape a task has unless configured otherwise: many-to-one for CLASSIFY, many-to-many else. */
    public SequenceShape defaultShape() {
        return this == CLASSIFY ? SequenceShape.MANY_TO_ONE : SequenceShape.MANY_TO_MANY;
    }
}
