package org.rnn4j.nn;

import org.rnn4j.matrix.Matrix;

/**
 * Squared error for real-valued targets, summed over the rows that have a target and their columns,
 * as PyTorch's {@code MSELoss(reduction="sum")}:
 * <pre>
 *   L = Σ_r mask_r Σ_c (ŷ_rc − y_rc)²,   ∂L/∂ŷ_rc = 2 mask_r (ŷ_rc − y_rc)
 * </pre>
 * {@link Result#mean()} divides by the number of counted values (rows × columns), PyTorch's "mean".
 */
public final class MeanSquaredError {
    private MeanSquaredError() {
    }

    public record Result(double sum, int count) {
        public double mean() {
            return count == 0 ? Double.NaN : sum / count;
        }
    }

    /**
     * @param mask per-row flag, or null when every row has a target
     * @param dPrediction receives ∂L/∂prediction when not null
     */
    public static Result forward(Matrix prediction, Matrix target, boolean[] mask, Matrix dPrediction) {
        target.requireShape(prediction.rows, prediction.cols, "target");
        if (mask != null && mask.length < prediction.rows) {
            throw new IllegalArgumentException("mask has " + mask.length + " entries for " + prediction.rows + " rows");
        }
        if (dPrediction != null) {
            dPrediction.requireShape(prediction.rows, prediction.cols, "gradient of the prediction");
        }
        double sum = 0;
        int count = 0;
        for (int r = 0; r < prediction.rows; r++) {
            boolean on = mask == null || mask[r];
            for (int c = 0; c < prediction.cols; c++) {
                float diff = prediction.get(r, c) - target.get(r, c);
                if (on) {
                    sum += (double) diff * diff;
                    count++;
                }
                if (dPrediction != null) {
                    dPrediction.set(r, c, on ? 2f * diff : 0f);
                }
            }
        }
        return new Result(sum, count);
    }
}
