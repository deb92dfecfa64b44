package org.rnn4j.diag;

import java.util.Arrays;

/**
 * Statistics of a non-negative quantity (a norm) by time lag τ = 0 … maxLag, over many (sequence, step)
 * pairs. Norms that vanish or explode geometrically are best read on a log scale, so besides the
 * arithmetic mean it keeps the geometric mean, exp(mean of ln x), over the pairs where x &gt; 0; the
 * pairs where x = 0 exactly (a dead ReLU path, say) are counted in {@link #zeros}. Values are
 * accumulated as logarithms, so a norm of e^800 is summarised without overflow (its arithmetic mean is
 * then +∞). A lag with no pair has count 0 and NaN statistics.
 */
public final class ByLag {
    private final long[] count;
    private final long[] zeros;
    private final double[] mean;
    private final double[] logMean;
    private final double[] logMin;
    private final double[] logMax;

    private ByLag(long[] count, long[] zeros, double[] mean, double[] logMean, double[] logMin, double[] logMax) {
        this.count = count;
        this.zeros = zeros;
        this.mean = mean;
        this.logMean = logMean;
        this.logMin = logMin;
        this.logMax = logMax;
    }

    public int maxLag() {
        return count.length - 1;
    }

    /** Pairs measured at this lag (zeros included). */
    public long count(int lag) {
        return count[lag];
    }

    /** Pairs whose value was exactly 0. */
    public long zeros(int lag) {
        return zeros[lag];
    }

    /** Arithmetic mean over all pairs (zeros included). */
    public double mean(int lag) {
        return mean[lag];
    }

    /** Mean of ln x over the pairs with x &gt; 0. */
    public double logMean(int lag) {
        return logMean[lag];
    }

    /** exp({@link #logMean}). */
    public double geometricMean(int lag) {
        return Math.exp(logMean[lag]);
    }

    /** Smallest value (0 when a pair was 0). */
    public double min(int lag) {
        return Math.exp(logMin[lag]);
    }

    public double max(int lag) {
        return Math.exp(logMax[lag]);
    }

    /** Log-values by lag of {@link #logMean}, a copy (for plots). */
    public double[] logMeans() {
        return logMean.clone();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ByLag[");
        for (int lag = 0; lag <= maxLag(); lag++) {
            sb.append(lag == 0 ? "" : ", ").append(lag).append(": ").append(String.format("%.3g", geometricMean(lag)));
        }
        return sb.append(']').toString();
    }

    /** Collects values by lag; not thread-safe. */
    static final class Accumulator {
        private final long[] count;
        private final long[] zeros;
        private final double[] logSumExp; // ln Σ x over the pairs, kept in log space
        private final double[] logSum;    // Σ ln x over the pairs with x > 0
        private final double[] logMin;
        private final double[] logMax;

        Accumulator(int maxLag) {
            if (maxLag < 0) {
                throw new IllegalArgumentException("the largest lag must not be negative, got " + maxLag);
            }
            int n = maxLag + 1;
            count = new long[n];
            zeros = new long[n];
            logSumExp = filled(n, Double.NEGATIVE_INFINITY);
            logSum = new double[n];
            logMin = filled(n, Double.POSITIVE_INFINITY);
            logMax = filled(n, Double.NEGATIVE_INFINITY);
        }

        void addValue(int lag, double x) {
            addLog(lag, x > 0 ? Math.log(x) : Double.NEGATIVE_INFINITY);
        }

        /** Adds a value given by its logarithm (−∞ for 0). */
        void addLog(int lag, double log) {
            if (Double.isNaN(log)) {
                throw new IllegalArgumentException("a NaN norm at lag " + lag + ": the network's values are not finite");
            }
            count[lag]++;
            logMin[lag] = Math.min(logMin[lag], log);
            logMax[lag] = Math.max(logMax[lag], log);
            if (log == Double.NEGATIVE_INFINITY) {
                zeros[lag]++;
                return;
            }
            logSum[lag] += log;
            double a = logSumExp[lag];
            double hi = Math.max(a, log);
            logSumExp[lag] = hi + Math.log(Math.exp(a - hi) + Math.exp(log - hi));
        }

        ByLag build() {
            int n = count.length;
            double[] mean = new double[n];
            double[] logMean = new double[n];
            double[] lo = logMin.clone();
            double[] hi = logMax.clone();
            for (int lag = 0; lag < n; lag++) {
                long positive = count[lag] - zeros[lag];
                mean[lag] = count[lag] == 0 ? Double.NaN : Math.exp(logSumExp[lag] - Math.log(count[lag]));
                logMean[lag] = positive == 0 ? (count[lag] == 0 ? Double.NaN : Double.NEGATIVE_INFINITY)
                        : logSum[lag] / positive;
                if (count[lag] == 0) {
                    lo[lag] = Double.NaN;
                    hi[lag] = Double.NaN;
                }
            }
            return new ByLag(count.clone(), zeros.clone(), mean, logMean, lo, hi);
        }

        private static double[] filled(int n, double v) {
            double[] a = new double[n];
            Arrays.fill(a, v);
            return a;
        }
    }
}
