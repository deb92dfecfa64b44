package org.rnn4j.nn;

import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;

/**
 * Weight initialisers. PyTorch initialises every RNN, LSTM and GRU weight and bias U(−1/√H, 1/√H);
 * the options here change the recurrent matrix W_hh, whose spectrum decides whether gradients
 * vanish or explode over time:
 * <ul>
 *   <li>orthogonal (Saxe et al. 2014): all singular values equal the gain;</li>
 *   <li>identity scaled by a factor (Le, Jaitly and Hinton 2015, "IRNN", with ReLU);</li>
 *   <li>rescaling to a given spectral radius (the echo-state-network recipe).</li>
 * </ul>
 */
public final class Init {
    private Init() {
    }

    /** How to initialise each H×H block of a recurrent matrix. */
    public enum Recurrent {
        /** PyTorch's U(−1/√H, 1/√H). */
        DEFAULT,
        /** A random orthogonal matrix times the gain. */
        ORTHOGONAL,
        /** The identity times the gain. */
        IDENTITY
    }

    /**
     * The recurrent-weight recipe: a {@link Recurrent} kind, a gain (scale of the orthogonal or identity
     * matrix; ignored by DEFAULT), and an optional spectral radius (NaN for none) applied last.
     */
    public record RecurrentInit(Recurrent kind, float gain, float spectralRadius) {
        public static final RecurrentInit PYTORCH = new RecurrentInit(Recurrent.DEFAULT, 1f, Float.NaN);

        public RecurrentInit {
            if (kind == null) {
                throw new IllegalArgumentException("recurrent init kind is required");
            }
            if (!(gain > 0f) || Float.isInfinite(gain)) {
                throw new IllegalArgumentException("recurrent init gain must be positive and finite, got " + gain);
            }
            if (!Float.isNaN(spectralRadius) && !(spectralRadius > 0f && Float.isFinite(spectralRadius))) {
                throw new IllegalArgumentException("spectral radius must be positive and finite, got " + spectralRadius);
            }
        }
    }

    /** m ~ U(−bound, bound). */
    public static void uniform(Matrix m, float bound, Rng rng) {
        rng.fillUniform(m, -bound, bound);
    }

    /** Applies a recipe to a square (H × H) block, rows [firstRow, firstRow + H) of m. */
    public static void recurrent(Matrix m, int firstRow, int hidden, RecurrentInit init, Rng rng) {
        Matrix block = m.rows(firstRow, hidden);
        block.requireShape(hidden, hidden, "recurrent block");
        switch (init.kind()) {
            case DEFAULT -> uniform(block, (float) (1.0 / Math.sqrt(hidden)), rng);
            case ORTHOGONAL -> orthogonal(block, init.gain(), rng);
            case IDENTITY -> identity(block, init.gain());
        }
        if (!Float.isNaN(init.spectralRadius())) {
            double rho = spectralRadius(block, rng);
            if (rho > 0) {
                scale(block, (float) (init.spectralRadius() / rho));
            }
        }
    }

    /** A random orthogonal n×n matrix times gain: Gram-Schmidt (twice, for stability) on Gaussian rows. */
    public static void orthogonal(Matrix m, float gain, Rng rng) {
        int n = m.rows;
        m.requireShape(n, n, "orthogonal init (square)");
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                q[i][j] = rng.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < i; k++) {
                    double d = 0;
                    for (int j = 0; j < n; j++) {
                        d += q[i][j] * q[k][j];
                    }
                    for (int j = 0; j < n; j++) {
                        q[i][j] -= d * q[k][j];
                    }
                }
            }
            double norm = 0;
            for (int j = 0; j < n; j++) {
                norm += q[i][j] * q[i][j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < n; j++) {
                q[i][j] /= norm; // later rows are projected on this one: it must have unit length
                m.set(i, j, (float) (gain * q[i][j]));
            }
        }
    }

    public static void identity(Matrix m, float gain) {
        m.zero();
        for (int i = 0; i < Math.min(m.rows, m.cols); i++) {
            m.set(i, i, gain);
        }
    }

    static void scale(Matrix m, float s) {
        for (int i = 0; i < m.size(); i++) {
            m.data[m.offset + i] *= s;
        }
    }

    /**
     * Estimates the spectral radius ρ(A) = lim ‖Aᵏv‖^(1/k) of a square matrix by the average
     * logarithmic growth of a repeatedly multiplied, renormalised random vector. Unlike the plain power
     * method this converges when the dominant eigenvalues are a complex pair.
     */
    public static double spectralRadius(Matrix a, Rng rng) {
        int n = a.rows;
        a.requireShape(n, n, "spectral radius (square)");
        double[] v = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextGaussian();
        }
        normalize(v);
        int burnIn = 200;
        int measured = 800;
        double logSum = 0;
        for (int it = 0; it < burnIn + measured; it++) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += a.get(i, j) * v[j];
                }
                w[i] = s;
            }
            double norm = normalize(w);
            if (norm == 0) {
                return 0;
            }
            if (it >= burnIn) {
                logSum += Math.log(norm);
            }
            double[] t = v;
            v = w;
            w = t;
        }
        return Math.exp(logSum / measured);
    }

    private static double normalize(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        double norm = Math.sqrt(s);
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= norm;
            }
        }
        return norm;
    }
}
