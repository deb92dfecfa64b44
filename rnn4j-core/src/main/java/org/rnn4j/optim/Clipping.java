package org.rnn4j.optim;

import java.util.List;
import org.rnn4j.nn.Parameter;

/**
 * The two answers to exploding gradients (Pascanu, Mikolov and Bengio 2013):
 * <ul>
 *   <li>{@link #clipGlobalNorm}: gradient scaling — if the norm ‖g‖ of all gradients together exceeds
 *       a threshold θ, rescale them to g · θ/‖g‖ (the direction is kept);</li>
 *   <li>{@link #clipValue}: gradient clipping — force each element into [−c, c].</li>
 * </ul>
 */
public final class Clipping {
    private Clipping() {
    }

    /** ‖g‖₂ over all parameters' gradients, accumulated in double. */
    public static double globalNorm(List<Parameter> parameters) {
        double s = 0;
        for (Parameter p : parameters) {
            float[] g = p.grad.data;
            for (int i = p.grad.offset, end = i + p.size(); i < end; i++) {
                s += (double) g[i] * g[i];
            }
        }
        return Math.sqrt(s);
    }

    /**
     * Rescales all gradients so that their global norm is at most {@code maxNorm}; returns the norm
     * before clipping. A non-finite norm is returned as is and nothing is changed, so the caller can
     * stop (see the trainer's divergence guard).
     */
    public static double clipGlobalNorm(List<Parameter> parameters, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clip norm must be positive, got " + maxNorm);
        }
        double norm = globalNorm(parameters);
        if (Double.isFinite(norm) && norm > maxNorm) {
            float scale = (float) (maxNorm / norm);
            for (Parameter p : parameters) {
                float[] g = p.grad.data;
                for (int i = p.grad.offset, end = i + p.size(); i < end; i++) {
                    g[i] *= scale;
                }
            }
        }
        return norm;
    }

    /** Clamps every gradient element into [−limit, limit]; returns how many elements were changed. */
    public static long clipValue(List<Parameter> parameters, float limit) {
        if (!(limit > 0f)) {
            throw new IllegalArgumentException("clip value must be positive, got " + limit);
        }
        long clipped = 0;
        for (Parameter p : parameters) {
            float[] g = p.grad.data;
            for (int i = p.grad.offset, end = i + p.size(); i < end; i++) {
                if (g[i] > limit) {
                    g[i] = limit;
                    clipped++;
                } else if (g[i] < -limit) {
                    g[i] = -limit;
                    clipped++;
                }
            }
        }
        return clipped;
    }
}
