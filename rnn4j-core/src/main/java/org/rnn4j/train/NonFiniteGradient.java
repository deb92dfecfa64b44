package org.rnn4j.train;

import java.util.List;
import java.util.Locale;
import org.rnn4j.nn.Parameter;

/**
 * What a trainer does when the gradient norm (or the loss) of a step is not finite: an overflow in the
 * backward pass, or a NaN that reached some gradient. Norm rescaling cannot help then, since θ/∞ = 0
 * and θ/NaN = NaN.
 * <ul>
 *   <li>{@link #STOP}: stop training before the update with a {@link TrainingDivergedException} (the
 *       default: a run that overflows usually needs a lower learning rate, and saying so is kinder than
 *       continuing);</li>
 *   <li>{@link #SKIP}: drop this step's update and go on with the next batch;</li>
 *   <li>{@link #SHRINK}: Pascanu, Mikolov &amp; Bengio's fallback as their released code does it
 *       (trainingRNNs / GroundHog: {@code TT.switch(notfinite, 0.1 * p, clipped_g)}): the gradient is
 *       replaced by {@value #SHRINK_FACTOR}·θ, so the update moves every weight a little towards zero,
 *       away from the region that overflowed.</li>
 * </ul>
 */
public enum NonFiniteGradient {
    STOP, SKIP, SHRINK;

    /** The factor of {@link #SHRINK}: the gradient becomes this times the parameter. */
    public static final float SHRINK_FACTOR = 0.1f;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static NonFiniteGradient fromId(String id) {
        for (NonFiniteGradient v : values()) {
            if (v.id().equals(id)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown non-finite gradient action '" + id + "': expected stop, skip or shrink");
    }

    /** g ← {@value #SHRINK_FACTOR}·θ for every parameter (the {@link #SHRINK} fallback). */
    static void shrink(List<Parameter> parameters) {
        for (Parameter p : parameters) {
            float[] g = p.grad.data;
            float[] v = p.value.data;
            for (int i = 0, n = p.size(); i < n; i++) {
                g[p.grad.offset + i] = SHRINK_FACTOR * v[p.value.offset + i];
            }
        }
    }
}
