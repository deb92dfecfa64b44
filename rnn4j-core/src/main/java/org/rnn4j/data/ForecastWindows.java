package org.rnn4j.data;

import java.util.List;
import java.util.Objects;

/**
 * The windows of one contiguous part of a normalised time series (the training or the validation part
 * of a {@link ForecastDataset}). With {@code L} steps in the part, {@code W} steps per window, {@code D}
 * input columns and {@code K} target columns (among the inputs), window {@code i} for
 * {@code 0 <= i < L - W} is:
 * <pre>
 *   inputs   steps [i, i+W) of the part, all D columns                    (W*D), step-major
 *   targets  MANY_TO_ONE:  step i+W, the K target columns                   (K)
 *            MANY_TO_MANY: steps [i+1, i+W], the K target columns           (W*K), step-major
 * </pre>
 * so every value a window reads or predicts lies in the part. All values are normalised with the
 * training part's {@link ColumnStats}.
 */
public final class ForecastWindows {
    private final ForecastShape shape;
    private final int window;                  // W
    private final int inputSize;               // D
    private final int[] targetColumns;         // (K) indices among the D input columns
    private final List<ColumnStats> targetStats; // (K)
    private final float[] values;              // (L*D) normalised, step-major
    private final int firstStep;               // the series step of the part's first step

    ForecastWindows(ForecastShape shape, int window, int inputSize, int[] targetColumns, List<ColumnStats> targetStats,
                    float[] values, int firstStep) {
        this.shape = shape;
        this.window = window;
        this.inputSize = inputSize;
        this.targetColumns = targetColumns;
        this.targetStats = targetStats;
        this.values = values;
        this.firstStep = firstStep;
    }

    /** The number of windows, {@code L - W}. */
    public int size() {
        return partLength() - window;
    }

    /** {@code L}, the steps of this part. */
    public int partLength() {
        return values.length / inputSize;
    }

    /** The step of the whole series where this part starts (0 for training, the split point for validation). */
    public int firstStep() {
        return firstStep;
    }

    public ForecastShape shape() {
        return shape;
    }

    /** {@code W}. */
    public int window() {
        return window;
    }

    /** {@code D}. */
    public int inputSize() {
        return inputSize;
    }

    /** {@code K}. */
    public int targetSize() {
        return targetColumns.length;
    }

    /** The normalised inputs of window {@code i}, {@code (W*D)} step-major: {@code [t*D + d]}. */
    public float[] input(int i) {
        Objects.checkIndex(i, size());
        float[] out = new float[window * inputSize];
        System.arraycopy(values, i * inputSize, out, 0, out.length);
        return out;
    }

    /** The normalised targets of window {@code i}: {@code (K)}, or {@code (W*K)} step-major for many-to-many. */
    public float[] target(int i) {
        Objects.checkIndex(i, size());
        int k = targetColumns.length;
        int steps = shape == ForecastShape.MANY_TO_ONE ? 1 : window;
        int firstRow = shape == ForecastShape.MANY_TO_ONE ? i + window : i + 1;
        float[] out = new float[steps * k];
        for (int t = 0; t < steps; t++) {
            for (int j = 0; j < k; j++) {
                out[t * k + j] = values[(firstRow + t) * inputSize + targetColumns[j]];
            }
        }
        return out;
    }

    /** The batch of the windows at {@code indices}: batch column {@code b} is window {@code indices[b]}. */
    public ForecastBatch batch(int[] indices) {
        int batch = indices.length;
        if (batch == 0) {
            throw new IllegalArgumentException("a batch needs at least one window, got no indices");
        }
        int d = inputSize;
        int k = targetColumns.length;
        int steps = shape == ForecastShape.MANY_TO_ONE ? 1 : window;
        float[] inputs = new float[Math.multiplyExact(Math.multiplyExact(window, batch), d)];
        float[] targets = new float[steps * batch * k];
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            int i = Objects.checkIndex(indices[b], size());
            lengths[b] = window;
            for (int t = 0; t < window; t++) {
                System.arraycopy(values, (i + t) * d, inputs, (t * batch + b) * d, d);
            }
            int firstRow = shape == ForecastShape.MANY_TO_ONE ? i + window : i + 1;
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < k; j++) {
                    targets[(t * batch + b) * k + j] = values[(firstRow + t) * d + targetColumns[j]];
                }
            }
        }
        PaddedInputs padded = new PaddedInputs(window, batch, d, lengths, null, inputs);
        return new ForecastBatch(padded, targets, k, steps, indices.clone());
    }

    /** The batches in time order (evaluation); each is made when it is read. */
    public List<ForecastBatch> batches(int batchSize) {
        return BatchOrder.view(new BatchOrder(size(), batchSize, 0).inOrder(), this::batch);
    }

    /** The batches of one training epoch, shuffled by {@link BatchOrder#epoch}; each is made when it is read. */
    public List<ForecastBatch> batches(int batchSize, long seed, int epoch) {
        return BatchOrder.view(new BatchOrder(size(), batchSize, seed).epoch(epoch), this::batch);
    }

    /**
     * The mean squared error, in normalised units (the units of the training loss), of the naive
     * last-value forecast: each target predicted as its value at the step before (the window's last
     * input for many-to-one, the same step's input for many-to-many). Averaged over every target value
     * of every window. A model should beat it.
     */
    public double naiveMse() {
        return naiveSquaredError(false);
    }

    /** The root mean squared error of the naive last-value forecast in the target columns' own units. */
    public double naiveRmse() {
        return Math.sqrt(naiveSquaredError(true));
    }

    private double naiveSquaredError(boolean originalUnits) {
        int k = targetColumns.length;
        int steps = shape == ForecastShape.MANY_TO_ONE ? 1 : window;
        double sum = 0;
        long count = 0;
        for (int i = 0; i < size(); i++) {
            int firstRow = shape == ForecastShape.MANY_TO_ONE ? i + window : i + 1;
            for (int t = 0; t < steps; t++) {
                int row = firstRow + t;
                for (int j = 0; j < k; j++) {
                    int c = targetColumns[j];
                    double e = (double) values[row * inputSize + c] - values[(row - 1) * inputSize + c];
                    if (originalUnits) {
                        e *= targetStats.get(j).std();
                    }
                    sum += e * e;
                    count++;
                }
            }
        }
        return sum / count;
    }

    @Override
    public String toString() {
        return "ForecastWindows[" + size() + " windows of " + window + " steps from step " + firstStep + ", D=" + inputSize
                + ", K=" + targetSize() + ", " + shape + "]";
    }
}
