package org.rnn4j.diag;

import java.util.Arrays;
import org.rnn4j.matrix.Rng;

/**
 * The Jacobian product of one sequence through one layer,
 * <pre>
 *   J(t, k) = ∂s_t/∂s_k = J_t J_{t−1} ⋯ J_{k+1},     J_j = ∂s_j/∂s_{j−1}
 * </pre>
 * as an operator: {@link #apply} and {@link #applyTranspose} run the t − k step products one after
 * the other (O((t − k)·G·H²) each), and the spectral norm comes from power iteration on JᵀJ, so no
 * product of matrices is ever formed. For the Elman cell J_j = diag(f'(a_j)) W_hh, the seeds' product
 * (transposed). Intermediate vectors are renormalised and their scales kept as logarithms, so products
 * of 2^1000 or 2^−1000 are measured without overflow.
 *
 * <p>{@link Part#STATE} is the full state Jacobian; {@link Part#HIDDEN} its h → h block
 * ∂h_t/∂h_k with c_k held fixed (LSTM; the same matrix for RNN and GRU, whose state is h).
 */
public final class JacobianProduct {
    /** Which block of the state Jacobian. */
    public enum Part {
        /** ∂s_t/∂s_k: S × S, with s = [h | c] for LSTM. */
        STATE,
        /** ∂h_t/∂h_k: H × H (c_k held fixed for LSTM). */
        HIDDEN
    }

    /** Power-iteration defaults: enough for a relative accuracy of about 1e-9 on well-separated singular values. */
    public static final int DEFAULT_MAX_ITERATIONS = 200;
    public static final double DEFAULT_TOLERANCE = 1e-10;

    /**
     * σ_max(J) = exp(log) and how it was found; {@code log} is −∞ when J is 0. Power iteration converges
     * from below; {@code converged} is false when the iterations ran out first (close top singular values).
     */
    public record SpectralNorm(double log, int iterations, boolean converged) {
        public double value() {
            return Math.exp(log);
        }
    }

    private final Cell cell;
    private final CellStep[] run;
    private final int first; // k + 1
    private final int last;  // t
    private final Part part;

    JacobianProduct(Cell cell, CellStep[] run, int first, int last, Part part) {
        this.cell = cell;
        this.run = run;
        this.first = first;
        this.last = last;
        this.part = part;
    }

    /** t − k. */
    public int lag() {
        return last - first + 1;
    }

    /** S for {@link Part#STATE}, H for {@link Part#HIDDEN}. */
    public int dimension() {
        return part == Part.STATE ? cell.stateSize : cell.hiddenSize;
    }

    /** J v. */
    public double[] apply(double[] v) {
        double[] out = new double[dimension()];
        double log = forward(v, out);
        scale(out, log);
        return out;
    }

    /** Jᵀ u. */
    public double[] applyTranspose(double[] u) {
        double[] out = new double[dimension()];
        double log = transpose(u, out);
        scale(out, log);
        return out;
    }

    /** σ_max(J) by power iteration on JᵀJ from a random start, with the default budget. */
    public SpectralNorm spectralNorm(Rng rng) {
        return spectralNorm(DEFAULT_MAX_ITERATIONS, DEFAULT_TOLERANCE, rng);
    }

    /** Stops when the estimate of ln σ changes by less than {@code tolerance} (a relative change of σ). */
    public SpectralNorm spectralNorm(int maxIterations, double tolerance, Rng rng) {
        return powerIteration(randomUnit(dimension(), rng), maxIterations, tolerance, rng).norm;
    }

    /** The estimate and the right singular vector reached, which warm-starts the next lag. */
    record Estimate(SpectralNorm norm, double[] rightVector) {
    }

    /**
     * Power iteration on JᵀJ: v ← JᵀJv / ‖JᵀJv‖, σ² ≈ ‖JᵀJv‖ (which never exceeds σ_max² for a unit v).
     * A start in the null space of J is replaced once by a random one.
     */
    Estimate powerIteration(double[] start, int maxIterations, double tolerance, Rng rng) {
        int n = dimension();
        double[] v = start.clone();
        if (!(Vectors.normalize(v) > 0)) {
            v = randomUnit(n, rng);
        }
        double[] w = new double[n];
        double[] next = new double[n];
        double estimate = Double.NEGATIVE_INFINITY;
        boolean restarted = false;
        for (int it = 1; it <= maxIterations; it++) {
            double lf = forward(v, w);       // J v = e^lf · w, ‖w‖ = 1
            if (lf == Double.NEGATIVE_INFINITY) {
                if (restarted) {
                    return new Estimate(new SpectralNorm(Double.NEGATIVE_INFINITY, it, true), v);
                }
                restarted = true;
                v = randomUnit(n, rng);
                continue;
            }
            double lb = transpose(w, next);  // Jᵀ w = e^lb · next
            double e = 0.5 * (lf + lb);      // ln √‖JᵀJ v‖
            double[] t = v;
            v = next;
            next = t;
            if (Math.abs(e - estimate) <= tolerance) {
                return new Estimate(new SpectralNorm(Math.max(e, estimate), it, true), v);
            }
            estimate = Math.max(e, estimate);
        }
        return new Estimate(new SpectralNorm(estimate, maxIterations, false), v);
    }

    /** out = J v / e^log with ‖out‖ = 1; returns log = ln ‖J v‖ (−∞ and out = 0 when J v = 0). */
    double forward(double[] v, double[] out) {
        double[] x = embed(v);
        double[] y = new double[cell.stateSize];
        double log = 0;
        for (int j = first; j <= last; j++) {
            cell.jvp(run[j], x, y);
            log += renormalize(y);
            double[] t = x;
            x = y;
            y = t;
        }
        return project(x, out, log);
    }

    /** out = Jᵀ u / e^log with ‖out‖ = 1; returns log = ln ‖Jᵀ u‖. */
    double transpose(double[] u, double[] out) {
        double[] x = embed(u);
        double[] y = new double[cell.stateSize];
        double log = 0;
        for (int j = last; j >= first; j--) {
            cell.vjp(run[j], x, y, null);
            log += renormalize(y);
            double[] t = x;
            x = y;
            y = t;
        }
        return project(x, out, log);
    }

    private double[] embed(double[] v) {
        if (v.length != dimension()) {
            throw new IllegalArgumentException("a vector of " + v.length + " values given to a " + dimension() + " × "
                    + dimension() + " Jacobian");
        }
        return Arrays.copyOf(v, cell.stateSize); // HIDDEN: [v | 0]
    }

    /** Keeps the first dimension() values, renormalised; adds their log-norm to {@code log}. */
    private double project(double[] x, double[] out, double log) {
        System.arraycopy(x, 0, out, 0, out.length);
        if (log == Double.NEGATIVE_INFINITY) {
            Arrays.fill(out, 0);
            return log;
        }
        double n = Vectors.normalize(out);
        return n > 0 ? log + Math.log(n) : Double.NEGATIVE_INFINITY;
    }

    /** Scales y to unit norm and returns the log of its norm; −∞ (and y = 0) for a zero vector. */
    private static double renormalize(double[] y) {
        double n = Vectors.normalize(y);
        if (n > 0) {
            return Math.log(n);
        }
        Arrays.fill(y, 0);
        return Double.NEGATIVE_INFINITY;
    }

    private static void scale(double[] v, double log) {
        double s = Math.exp(log);
        for (int i = 0; i < v.length; i++) {
            v[i] = log == Double.NEGATIVE_INFINITY ? 0 : v[i] * s;
        }
    }

    static double[] randomUnit(int n, Rng rng) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextGaussian();
        }
        Vectors.normalize(v);
        return v;
    }
}
