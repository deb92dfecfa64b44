package org.rnn4j.optim;

import java.util.List;
import org.rnn4j.nn.Parameter;

/**
 * The two answers to exploding gradients (Pascanu, Mikolov and Bengio 2013), and a per-parameter variant:
 * <ul>
 *   <li>{@link #clipGlobalNorm}: gradient scaling — if the norm ‖g‖ of all gradients together exceeds
 *       a threshold θ, rescale them to g · θ/‖g‖ (the direction is kept);</li>
 *   <li>{@link #clipParameterNorms}: the same rule applied to each parameter's gradient on its own
 *       (the direction of the whole update changes, each parameter's is kept);</li>
 *   <li>{@link #clipValue}: gradient clipping — force each element into [−c, c].</li>
 * </ul>
 * Norms are accumulated in double. {@link ClippingStats} summarises the pre-clip norms for listeners.
 */
public final class Clipping {
    private Clipping() {
    }

    /** ‖g‖₂ over all parameters' gradients, accumulated in double. */
    public static double globalNorm(List<Parameter> parameters) {
        double s = 0;
        for (Parameter p : parameters) {
            s = addSquares(p, s); // one running sum, element by element
        }
        return Math.sqrt(s);
    }

    /** ‖g‖₂ of one parameter's gradient, accumulated in double. */
    public static double norm(Parameter p) {
        return Math.sqrt(addSquares(p, 0));
    }

    /** s + Σ g², in double. */
    private static double addSquares(Parameter p, double s) {
        float[] g = p.grad.data;
        for (int i = p.grad.offset, end = i + p.size(); i < end; i++) {
            s += (double) g[i] * g[i];
        }
        return s;
    }

    /**
     * Rescales all gradients so that their global norm is at most {@code maxNorm}; returns the norm
     * before clipping.
     *
     * <p>A non-finite norm (an overflow, or a NaN in some gradient) is returned as is and nothing is
     * changed: rescaling by θ/∞ = 0 or by NaN would only hide the problem. Pascanu et al. suggest
     * replacing such a gradient by a random one; rnn4j instead lets the caller decide, and the trainer's
     * divergence guard stops before the update.
     */
    public static double clipGlobalNorm(List<Parameter> parameters, double maxNorm) {
        checkMaxNorm(maxNorm);
        double norm = globalNorm(parameters);
        if (Double.isFinite(norm) && norm > maxNorm) {
            float scale = (float) (maxNorm / norm);
            for (Parameter p : parameters) {
                scale(p, scale);
            }
        }
        return norm;
    }

    /**
     * Rescales each parameter's gradient on its own so that its norm is at most {@code maxNorm}, and
     * returns the norms before clipping, in parameter order. A non-finite norm is left as is, as in
     * {@link #clipGlobalNorm}.
     */
    public static double[] clipParameterNorms(List<Parameter> parameters, double maxNorm) {
        double[] norms = new double[parameters.size()];
        clipParameterNorms(parameters, maxNorm, norms);
        return norms;
    }

    /**
     * As {@link #clipParameterNorms(List, double)}, writing the pre-clip norms into {@code preClipNorms}
     * (at least as long as the list) so that a training loop allocates nothing; returns how many
     * parameters were rescaled.
     */
    public static int clipParameterNorms(List<Parameter> parameters, double maxNorm, double[] preClipNorms) {
        checkMaxNorm(maxNorm);
        if (preClipNorms.length < parameters.size()) {
            throw new IllegalArgumentException("room for " + preClipNorms.length + " norms but there are "
                    + parameters.size() + " parameters");
        }
        int clipped = 0;
        for (int k = 0; k < parameters.size(); k++) {
            Parameter p = parameters.get(k);
            double norm = norm(p);
            preClipNorms[k] = norm;
            if (Double.isFinite(norm) && norm > maxNorm) {
                scale(p, (float) (maxNorm / norm));
                clipped++;
            }
        }
        return clipped;
    }

    private static void scale(Parameter p, float scale) {
        float[] g = p.grad.data;
        for (int i = p.grad.offset, end = i + p.size(); i < end; i++) {
            g[i] *= scale;
        }
    }

    private static void checkMaxNorm(double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clip norm must be positive, got " + maxNorm);
        }
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
