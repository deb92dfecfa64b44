package org.rnn4j.model;

import java.util.Locale;

/**
 * Where a {@link SequenceModel} reads its outputs, in Karpathy's terms ("The Unreasonable Effectiveness
 * of Recurrent Neural Networks", 2015):
 * <ul>
 *   <li>{@link #MANY_TO_ONE}: one output per sequence, from its final state: the {@code h} part of the top
 *       layer's state after the sequence's own last step (when bidirectional, joined with the reverse
 *       direction's {@code h} after it has read x_0, as PyTorch's {@code h_n});</li>
 *   <li>{@link #MANY_TO_MANY}: an output at every real step, aligned with the input (padded steps have
 *       none).</li>
 * </ul>
 */
public enum SequenceShape {
    MANY_TO_ONE, MANY_TO_MANY;

    /** The name in configuration files and on the command line: {@code many-to-one}, {@code many-to-many}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static SequenceShape fromId(String id) {
        for (SequenceShape s : values()) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown sequence shape '" + id + "': expected many-to-one or many-to-many");
    }
}
