package org.rnn4j.data;

/**
 * The normalisation of one column: {@code z = (x - mean) / std}, with the mean and (population) standard
 * deviation of the training part. A constant column gets {@code std = 1}: it is only centred.
 */
public record ColumnStats(String column, double mean, double std) {
    public ColumnStats {
        if (!Double.isFinite(mean) || !(std > 0) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("column " + column + " needs a finite mean and a positive std, got "
                    + mean + " and " + std);
        }
    }

    /** The statistics of {@code values[from, to)}. */
    static ColumnStats of(String column, double[] values, int from, int to) {
        double sum = 0;
        for (int t = from; t < to; t++) {
            sum += values[t];
        }
        double mean = sum / (to - from);
        double squares = 0;
        for (int t = from; t < to; t++) {
            double d = values[t] - mean;
            squares += d * d;
        }
        double std = Math.sqrt(squares / (to - from));
        return new ColumnStats(column, mean, std > 0 ? std : 1);
    }

    /** {@code (x - mean) / std}. */
    public double normalize(double x) {
        return (x - mean) / std;
    }

    /** {@code z * std + mean}, back to the column's units. */
    public double denormalize(double z) {
        return z * std + mean;
    }
}
