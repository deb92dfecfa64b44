package org.rnn4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link TimeSeries} prepared for one-step-ahead forecasting: split contiguously in time, normalised
 * with the training part's statistics, and cut into windows of {@code W} steps ({@link ForecastWindows}).
 *
 * <pre>
 *   steps:   [ training: 0 .. s-1                | validation: s .. N-1 ]     s = N - floor(N * fraction)
 *   windows: training windows read and predict only steps &lt; s; validation windows only steps &gt;= s
 * </pre>
 * No value after the split point reaches the training windows or the normalisation, and no value
 * before it reaches the validation windows (the first {@code W} validation steps are only context), so
 * the validation error is an honest estimate. Each part needs at least {@code W + 1} steps.
 *
 * <p>The inputs are every column of the series ({@code D}); the targets ({@code K}) are the column named
 * by {@link Builder#target(String)}, or every column when none is named. Every column is normalised
 * as {@code (x - mean) / std} with its {@link ColumnStats} from the training part.
 *
 * <pre>
 *   ForecastDataset data = ForecastDataset.builder().window(32).target("x").build(TimeSeries.readCsv(path));
 *   for (ForecastBatch batch : data.train().batches(16, seed, epoch)) { ... }
 *   double baseline = data.validation().naiveMse();   // compare with the validation loss
 * </pre>
 */
public final class ForecastDataset {
    /** Default steps per window ({@code W}). */
    public static final int DEFAULT_WINDOW = 32;
    /** Default share of the steps, from the end, kept for validation. */
    public static final double DEFAULT_VALIDATION_FRACTION = 0.2;

    private final TimeSeries series;
    private final int[] targetColumns;      // (K)
    private final List<ColumnStats> stats;  // (D)
    private final int splitPoint;           // s
    private final ForecastWindows train;
    private final ForecastWindows validation;

    private ForecastDataset(TimeSeries series, int[] targetColumns, List<ColumnStats> stats, int splitPoint,
                            ForecastWindows train, ForecastWindows validation) {
        this.series = series;
        this.targetColumns = targetColumns;
        this.stats = stats;
        this.splitPoint = splitPoint;
        this.train = train;
        this.validation = validation;
    }

    public static Builder builder() {
        return new Builder();
    }

    public TimeSeries series() {
        return series;
    }

    public ForecastShape shape() {
        return train.shape();
    }

    /** {@code W}. */
    public int window() {
        return train.window();
    }

    /** {@code D}, the input columns (every column of the series). */
    public int inputSize() {
        return series.columnCount();
    }

    /** {@code K}, the target columns. */
    public int targetSize() {
        return targetColumns.length;
    }

    /** The names of the target columns, {@code (K)}. */
    public List<String> targetColumns() {
        List<String> names = new ArrayList<>(targetColumns.length);
        for (int c : targetColumns) {
            names.add(series.columns().get(c));
        }
        return List.copyOf(names);
    }

    /** The normalisation of every input column, {@code (D)}, computed on the training part only. */
    public List<ColumnStats> stats() {
        return stats;
    }

    /** The normalisation of each target column, {@code (K)}: turns predictions back into the series' units. */
    public List<ColumnStats> targetStats() {
        List<ColumnStats> out = new ArrayList<>(targetColumns.length);
        for (int c : targetColumns) {
            out.add(stats.get(c));
        }
        return List.copyOf(out);
    }

    /** {@code s}, the first step of the validation part. */
    public int splitPoint() {
        return splitPoint;
    }

    /** The training windows (steps {@code [0, s)}). */
    public ForecastWindows train() {
        return train;
    }

    /** The validation windows (steps {@code [s, N)}). */
    public ForecastWindows validation() {
        return validation;
    }

    @Override
    public String toString() {
        return "ForecastDataset[" + series.source() + ", " + shape() + ", W=" + window() + ", D=" + inputSize() + ", K="
                + targetSize() + ", split at " + splitPoint + " of " + series.length() + "]";
    }

    /** Chooses the window, split, target and shape; {@link #build} checks them against the series. */
    public static final class Builder {
        private int window = DEFAULT_WINDOW;
        private double validationFraction = DEFAULT_VALIDATION_FRACTION;
        private String target;
        private ForecastShape shape = ForecastShape.MANY_TO_ONE;

        private Builder() {
        }

        /** {@code W}, the steps each window reads (default {@value #DEFAULT_WINDOW}). */
        public Builder window(int window) {
            if (window < 1) {
                throw new IllegalArgumentException("the window must be at least 1 step, got " + window);
            }
            this.window = window;
            return this;
        }

        /** Share of the steps, from the end, kept for validation (default {@value #DEFAULT_VALIDATION_FRACTION}). */
        public Builder validationFraction(double fraction) {
            if (!(fraction > 0 && fraction < 1)) {
                throw new IllegalArgumentException("the validation fraction must be between 0 and 1 (exclusive), got "
                        + fraction);
            }
            this.validationFraction = fraction;
            return this;
        }

        /** The column to predict (default: every column). */
        public Builder target(String column) {
            this.target = Objects.requireNonNull(column, "column");
            return this;
        }

        /** Many-to-one (default) or many-to-many. */
        public Builder shape(ForecastShape shape) {
            this.shape = Objects.requireNonNull(shape, "shape");
            return this;
        }

        /**
         * Splits, normalises and windows the series.
         *
         * @throws IllegalArgumentException naming the series if the target column does not exist or a
         *     part has fewer than {@code W + 1} steps (the message says which window or fraction would fit)
         */
        public ForecastDataset build(TimeSeries series) {
            Objects.requireNonNull(series, "series");
            int n = series.length();
            int v = Corpus.validationCount(n, validationFraction);
            int s = n - v;
            checkPart(series, "training", s, n);
            checkPart(series, "validation", v, n);
            int[] targets;
            if (target != null) {
                targets = new int[] {series.columnIndex(target)};
            } else {
                targets = new int[series.columnCount()];
                for (int c = 0; c < targets.length; c++) {
                    targets[c] = c;
                }
            }
            int d = series.columnCount();
            List<ColumnStats> stats = new ArrayList<>(d);
            for (int c = 0; c < d; c++) {
                stats.add(ColumnStats.of(series.columns().get(c), series.column(c), 0, s));
            }
            List<ColumnStats> targetStats = new ArrayList<>(targets.length);
            for (int c : targets) {
                targetStats.add(stats.get(c));
            }
            ForecastWindows trainWindows = new ForecastWindows(shape, window, d, targets, List.copyOf(targetStats),
                    normalised(series, stats, 0, s), 0);
            ForecastWindows validationWindows = new ForecastWindows(shape, window, d, targets, List.copyOf(targetStats),
                    normalised(series, stats, s, n), s);
            return new ForecastDataset(series, targets, List.copyOf(stats), s, trainWindows, validationWindows);
        }

        private void checkPart(TimeSeries series, String part, int steps, int n) {
            if (steps < window + 1) {
                throw new IllegalArgumentException(series.source() + ": the " + part + " part has " + steps
                        + " steps (of " + n + ", validation fraction " + validationFraction + "), too few for windows of "
                        + window + " steps: each part needs at least W + 1 = " + (window + 1) + "; use a window of at most "
                        + Math.max(steps - 1, 0) + ", change the validation fraction, or give a longer series");
            }
        }

        private static float[] normalised(TimeSeries series, List<ColumnStats> stats, int from, int to) {
            int d = series.columnCount();
            float[] out = new float[(to - from) * d];
            for (int t = from; t < to; t++) {
                for (int c = 0; c < d; c++) {
                    out[(t - from) * d + c] = (float) stats.get(c).normalize(series.value(t, c));
                }
            }
            return out;
        }
    }
}
