package org.rnn4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The windows of a whole {@link TimeSeries} normalised with given statistics, such as a trained
 * forecaster's (whereas {@link ForecastDataset} splits a series and computes the statistics from its
 * training part). Window {@code i} reads steps {@code [i, i+W)} and predicts step {@code i+W}
 * (many-to-one) or steps {@code [i+1, i+W]} (many-to-many), as in {@link ForecastWindows}.
 */
public final class SeriesWindows {
    private SeriesWindows() {
    }

    /**
     * @param stats the normalisation of every input column, in the order of the series' columns {@code (D)}
     * @param targets the names of the target columns, each one of the inputs {@code (K)}
     * @throws IllegalArgumentException naming the series if its columns are not those of {@code stats}, a
     *     target is not among them, or it has fewer than {@code W + 1} steps
     */
    public static ForecastWindows of(TimeSeries series, List<ColumnStats> stats, List<String> targets, int window,
                                     ForecastShape shape) {
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(shape, "shape");
        List<String> names = stats.stream().map(ColumnStats::column).toList();
        if (!series.columns().equals(names)) {
            throw new IllegalArgumentException(series.source() + ": the columns are " + series.columns()
                    + " but the model reads " + names + ": give a series with these columns");
        }
        if (window < 1 || series.length() < window + 1) {
            throw new IllegalArgumentException(series.source() + ": has " + series.length() + " steps, too few for "
                    + "windows of " + window + " steps: give at least " + (window + 1));
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no target columns: give at least one");
        }
        int[] targetColumns = new int[targets.size()];
        List<ColumnStats> targetStats = new ArrayList<>(targets.size());
        for (int j = 0; j < targetColumns.length; j++) {
            targetColumns[j] = names.indexOf(targets.get(j));
            if (targetColumns[j] < 0) {
                throw new IllegalArgumentException("target column " + Chars.quote(targets.get(j)) + " is not one of "
                        + names);
            }
            targetStats.add(stats.get(targetColumns[j]));
        }
        int d = names.size();
        int n = series.length();
        float[] values = new float[n * d];
        for (int t = 0; t < n; t++) {
            for (int c = 0; c < d; c++) {
                values[t * d + c] = (float) stats.get(c).normalize(series.value(t, c));
            }
        }
        return new ForecastWindows(shape, window, d, targetColumns, List.copyOf(targetStats), values, 0);
    }
}
