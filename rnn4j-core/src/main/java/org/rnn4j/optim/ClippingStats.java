package org.rnn4j.optim;

/**
 * Running telemetry of gradient clipping for listeners: how many steps were seen and clipped, and the
 * last, mean and largest pre-clip gradient norm. A non-finite norm (which the clipping functions leave
 * alone) is counted in {@link Summary#nonFiniteSteps()} and becomes {@link Summary#lastNorm()}, but it
 * is kept out of the mean and the maximum so that one overflow does not hide the rest of the history.
 * Not thread-safe; allocates nothing in {@link #record}.
 */
public final class ClippingStats {
    private long steps;
    private long clippedSteps;
    private long nonFiniteSteps;
    private double lastNorm = Double.NaN;
    private double sumNorm;
    private double maxNorm = Double.NaN;

    /**
     * A snapshot. {@code fractionClipped} is 0 before the first step; {@code lastNorm}, {@code meanNorm}
     * and {@code maxNorm} are NaN when there is nothing to report.
     */
    public record Summary(long steps, long clippedSteps, double fractionClipped, double lastNorm, double meanNorm,
                          double maxNorm, long nonFiniteSteps) {
    }

    /** One step's gradient norm before clipping, and whether clipping changed the gradient. */
    public void record(double preClipNorm, boolean clipped) {
        steps++;
        if (clipped) {
            clippedSteps++;
        }
        lastNorm = preClipNorm;
        if (Double.isFinite(preClipNorm)) {
            sumNorm += preClipNorm;
            maxNorm = Double.isNaN(maxNorm) ? preClipNorm : Math.max(maxNorm, preClipNorm);
        } else {
            nonFiniteSteps++;
        }
    }

    /** Records a {@link Clipping#clipGlobalNorm} step: clipped when the finite norm exceeded {@code maxNorm}. */
    public void recordGlobalNorm(double preClipNorm, double maxNorm) {
        record(preClipNorm, Double.isFinite(preClipNorm) && preClipNorm > maxNorm);
    }

    public long steps() {
        return steps;
    }

    public long clippedSteps() {
        return clippedSteps;
    }

    /** clipped steps / steps, 0 before the first step. */
    public double fractionClipped() {
        return steps == 0 ? 0 : (double) clippedSteps / steps;
    }

    public double lastNorm() {
        return lastNorm;
    }

    /** The mean of the finite pre-clip norms, NaN if there are none. */
    public double meanNorm() {
        long finite = steps - nonFiniteSteps;
        return finite == 0 ? Double.NaN : sumNorm / finite;
    }

    /** The largest finite pre-clip norm, NaN if there are none. */
    public double maxNorm() {
        return maxNorm;
    }

    public long nonFiniteSteps() {
        return nonFiniteSteps;
    }

    public Summary summary() {
        return new Summary(steps, clippedSteps, fractionClipped(), lastNorm, meanNorm(), maxNorm, nonFiniteSteps);
    }

    /** Forgets everything, e.g. at the start of a reporting interval. */
    public void reset() {
        steps = 0;
        clippedSteps = 0;
        nonFiniteSteps = 0;
        lastNorm = Double.NaN;
        sumNorm = 0;
        maxNorm = Double.NaN;
    }
}
