package org.rnn4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The Mackey-Glass time series, a chaotic benchmark for forecasting (Mackey &amp; Glass 1977; with
 * {@code tau = 17} as in Jaeger &amp; Haas 2004 and many RNN papers). It is the solution of the delay
 * differential equation
 * <pre>
 *   dx/dt = BETA * x(t - TAU) / (1 + x(t - TAU)^N) - GAMMA * x(t)      BETA 0.2, GAMMA 0.1, N 10, TAU 17
 * </pre>
 * <h2>Integration</h2>
 * <ul>
 *   <li>History {@code x(t) = x0} for {@code t <= 0}, with {@code x0 = 1.2 + U(-0.1, 0.1)} drawn from
 *       {@code new SplittableRandom(seed)} (the classic choice is 1.2; the seed picks a nearby start,
 *       and chaos makes the series differ).</li>
 *   <li>Classical fourth-order Runge-Kutta with step {@value #DT}; {@code TAU / DT = 170} steps, so the
 *       delayed values at the step's start and end are stored ones, and the one at its midpoint is the
 *       mean of its two neighbours (linear interpolation).</li>
 *   <li>The first {@value #BURN_IN} time units are dropped (the transient from the flat history);
 *       then {@code x} is sampled every {@value #SAMPLE_INTERVAL} time unit (every 10 steps).</li>
 * </ul>
 * The values stay within about {@code [0.4, 1.35]}, never settling to a fixed point or a cycle.
 * As a CSV ({@link #writeCsv}) it is one column {@value #COLUMN} after comment lines stating the settings.
 *
 * <ul>
 *   <li>M. C. Mackey, L. Glass, Oscillation and chaos in physiological control systems, Science 197, 1977.</li>
 *   <li>H. Jaeger, H. Haas, Harnessing nonlinearity: predicting chaotic systems and saving energy in
 *       wireless communication, Science 304, 2004.</li>
 * </ul>
 */
public final class MackeyGlass {
    public static final double BETA = 0.2;
    public static final double GAMMA = 0.1;
    public static final double N = 10;
    public static final double TAU = 17;
    /** The integration step, in time units. */
    public static final double DT = 0.1;
    /** Time units between two samples. */
    public static final double SAMPLE_INTERVAL = 1;
    /** Time units integrated and dropped before the first sample. */
    public static final double BURN_IN = 1000;
    /** The classic constant history; the seed moves it by at most {@value #INITIAL_SPREAD}. */
    public static final double INITIAL_VALUE = 1.2;
    static final double INITIAL_SPREAD = 0.1;
    /** Default number of samples. */
    public static final int DEFAULT_LENGTH = 3000;
    /** The column name in CSV files. */
    public static final String COLUMN = "x";

    private MackeyGlass() {
    }

    /** {@code length} samples, from the history value chosen by the seed. */
    public static double[] series(int length, long seed) {
        double x0 = INITIAL_VALUE + new SplittableRandom(seed).nextDouble(-INITIAL_SPREAD, INITIAL_SPREAD);
        return integrate(length, x0, (int) Math.round(1 / DT), (int) Math.round(BURN_IN));
    }

    /** {@link #series} as a one-column {@link TimeSeries} named {@value #COLUMN}. */
    public static TimeSeries timeSeries(int length, long seed) {
        return TimeSeries.of("mackey-glass(seed " + seed + ")", List.of(COLUMN), new double[][] {series(length, seed)});
    }

    /** Writes {@link #timeSeries} as CSV, with comment lines that state the equation and settings. */
    public static void writeCsv(Path file, int length, long seed) throws IOException {
        timeSeries(length, seed).writeCsv(file, List.of(
                "Mackey-Glass: dx/dt = 0.2 x(t-17) / (1 + x(t-17)^10) - 0.1 x(t)",
                String.format(Locale.ROOT, "RK4, dt %s, sampled every %s after a burn-in of %s; seed %d",
                        DT, SAMPLE_INTERVAL, BURN_IN, seed)));
    }

    /**
     * RK4 with {@code stepsPerUnit} steps per time unit (so {@code dt = 1 / stepsPerUnit} and the delay
     * is {@code 17 * stepsPerUnit} steps), history {@code x0}; {@code length} samples, one per time
     * unit, after {@code burnIn} time units.
     */
    static double[] integrate(int length, double x0, int stepsPerUnit, int burnIn) {
        if (length < 1) {
            throw new IllegalArgumentException("the series needs at least 1 sample, got " + length);
        }
        double dt = 1.0 / stepsPerUnit;
        int delay = (int) Math.round(TAU * stepsPerUnit);
        int size = delay + 1;
        double[] ring = new double[size]; // x at step j in ring[j mod size], for the last size steps
        Arrays.fill(ring, x0);
        long burnSteps = (long) burnIn * stepsPerUnit;
        double[] out = new double[length];
        double x = x0;
        int sample = 0;
        for (long k = 0; ; k++) {
            if (k >= burnSteps && (k - burnSteps) % stepsPerUnit == 0) {
                out[sample++] = x;
                if (sample == length) {
                    return out;
                }
            }
            double d0 = k < delay ? x0 : ring[(int) ((k - delay) % size)];         // x(t - TAU)
            double d1 = k + 1 < delay ? x0 : ring[(int) ((k + 1 - delay) % size)]; // x(t - TAU + dt)
            double dh = 0.5 * (d0 + d1);                                           // x(t - TAU + dt/2)
            double k1 = slope(x, d0);
            double k2 = slope(x + 0.5 * dt * k1, dh);
            double k3 = slope(x + 0.5 * dt * k2, dh);
            double k4 = slope(x + dt * k3, d1);
            x += dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
            ring[(int) ((k + 1) % size)] = x;
        }
    }

    /** {@code dx/dt} given {@code x(t)} and the delayed {@code x(t - TAU)}. */
    static double slope(double x, double delayed) {
        return BETA * delayed / (1 + Math.pow(delayed, N)) - GAMMA * x;
    }
}
