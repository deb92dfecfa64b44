package org.rnn4j.train;

import java.util.List;
import org.rnn4j.nn.Parameter;

/**
 * A model and its examples, seen by {@link SupervisedTrainer}: the loop picks which training examples
 * form a batch, and the task turns them into a forward and backward pass and validates the model with
 * its own metric. Implementations: {@link ClassifyTask}, {@link TagTask}, {@link ForecastTask},
 * {@link Seq2SeqTask}.
 */
public interface SupervisedTask {
    /**
     * The loss of one training batch: summed over its counted items (sequences, tagged steps, target
     * tokens or predicted steps), how many items counted, and how many input steps were read (for the
     * throughput).
     */
    record BatchLoss(double sum, long count, long steps) {
        /** Mean loss per counted item (NaN when nothing counted). */
        public double mean() {
            return count == 0 ? Double.NaN : sum / count;
        }
    }

    /** The task's id on the command line and in model files: classify, tag, forecast, seq2seq. */
    String id();

    /** The name of the validation metric that picks the best model, a key of {@link TaskMetrics#values()}. */
    String metric();

    /** Whether a larger {@link #metric()} is better (accuracy) or a smaller one (RMSE). */
    boolean higherIsBetter();

    /** The parameters the optimizer updates. */
    List<Parameter> parameters();

    /** {@code n}, the training examples; batches hold indices in {@code [0, n)}. */
    int trainSize();

    /**
     * The loss per item of a model that knows nothing (ln K for K classes, K for K normalised values):
     * with the first batch's loss it sets the divergence guard's limit.
     */
    double uninformedLoss();

    /**
     * Forward and backward over the training examples at {@code examples}, in training mode (dropout),
     * adding ∂(scale · L)/∂θ into the gradients; L is the loss summed over the batch's items.
     */
    BatchLoss forwardBackward(int[] examples, float scale);

    /** The metrics on the validation examples (inference mode). */
    TaskMetrics validate();
}
