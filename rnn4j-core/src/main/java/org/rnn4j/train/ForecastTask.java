package org.rnn4j.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.data.ColumnStats;
import org.rnn4j.data.ForecastBatch;
import org.rnn4j.data.ForecastDataset;
import org.rnn4j.data.ForecastShape;
import org.rnn4j.data.ForecastWindows;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.SequenceBatch;
import org.rnn4j.model.SequenceModel;
import org.rnn4j.model.SequenceShape;
import org.rnn4j.model.SequenceTask;
import org.rnn4j.nn.Parameter;

/**
 * One-step-ahead forecasting of a {@link ForecastDataset} with a {@link SequenceModel} (task forecast):
 * squared error in normalised units, per window (many-to-one) or per step (many-to-many). Metrics, in
 * the target columns' own units and over every predicted value: {@value #RMSE}, the root mean squared
 * error of the model, and {@value #NAIVE_RMSE}, that of the naive last-value forecast
 * ({@link ForecastWindows#naiveRmse()}), the baseline to beat.
 */
public final class ForecastTask implements SupervisedTask {
    public static final String RMSE = "rmse";
    public static final String NAIVE_RMSE = "naive_rmse";

    private final SequenceModel model;
    private final ForecastDataset data;
    private final Rng dropoutRng;

    /**
     * @param dropoutRng the source of dropout masks in training
     * @throws IllegalArgumentException if the model is not a forecaster of the data's columns and shape
     */
    public ForecastTask(SequenceModel model, ForecastDataset data, Rng dropoutRng) {
        checkModel(model, data.inputSize(), data.targetSize(), data.shape());
        this.model = model;
        this.data = data;
        this.dropoutRng = dropoutRng;
    }

    /** Throws unless the model forecasts {@code targets} of {@code inputs} columns in the given shape. */
    public static void checkModel(SequenceModel model, int inputs, int targets, ForecastShape shape) {
        var c = model.config();
        if (c.task() != SequenceTask.FORECAST) {
            throw new IllegalArgumentException("a forecast task needs a forecast model, got " + c.task().id());
        }
        if (c.tokenInput() || c.featureSize() != inputs || c.outputSize() != targets) {
            throw new IllegalArgumentException("the series has " + inputs + " input and " + targets + " target columns "
                    + "but the model reads " + c.featureSize() + " numbers per step and predicts " + c.outputSize());
        }
        if (shapeOf(shape) != c.shape()) {
            throw new IllegalArgumentException("the windows are " + shapeOf(shape).id() + " but the model is "
                    + c.shape().id());
        }
    }

    /** The model's shape for a forecasting shape. */
    public static SequenceShape shapeOf(ForecastShape shape) {
        return shape == ForecastShape.MANY_TO_ONE ? SequenceShape.MANY_TO_ONE : SequenceShape.MANY_TO_MANY;
    }

    @Override
    public String id() {
        return SequenceTask.FORECAST.id();
    }

    @Override
    public String metric() {
        return RMSE;
    }

    @Override
    public boolean higherIsBetter() {
        return false;
    }

    @Override
    public List<Parameter> parameters() {
        return model.parameters();
    }

    @Override
    public int trainSize() {
        return data.train().size();
    }

    /** K: predicting the training mean (0 after normalisation) costs about 1 per value. */
    @Override
    public double uninformedLoss() {
        return model.config().outputSize();
    }

    @Override
    public BatchLoss forwardBackward(int[] examples, float scale) {
        ForecastBatch b = data.train().batch(examples);
        SequenceModel.Result r = model.forwardBackward(batch(b), scale, dropoutRng);
        return new BatchLoss(r.sum(), r.count(), Batches.steps(b.inputs()));
    }

    @Override
    public TaskMetrics validate() {
        return evaluate(model, data.validation(), data.targetStats());
    }

    /**
     * The loss (squared error per window or step, normalised units), {@value #RMSE} and {@value #NAIVE_RMSE}
     * (target units) over every window.
     *
     * @param targetStats the normalisation of the target columns, {@code (K)}
     */
    public static TaskMetrics evaluate(SequenceModel model, ForecastWindows windows, List<ColumnStats> targetStats) {
        int k = targetStats.size();
        double sum = 0;
        long count = 0;
        double squares = 0;
        long values = 0;
        for (ForecastBatch b : windows.batches(Batches.EVAL_BATCH)) {
            SequenceModel.Result r = model.forward(batch(b));
            sum += r.sum();
            count += r.count();
            Matrix out = model.outputs(); // (targetSteps·B × K): every window has all W steps
            for (int i = 0; i < out.rows; i++) {
                for (int j = 0; j < k; j++) {
                    double e = ((double) out.get(i, j) - b.targets()[i * k + j]) * targetStats.get(j).std();
                    squares += e * e;
                    values++;
                }
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(RMSE, Math.sqrt(squares / values));
        m.put(NAIVE_RMSE, windows.naiveRmse());
        return new TaskMetrics(sum / count, count, m);
    }

    /**
     * The forecasts of every window, in the target columns' units: {@code (K)} per window, or
     * {@code (W·K)} step-major for many-to-many.
     */
    public static List<double[]> predict(SequenceModel model, ForecastWindows windows, List<ColumnStats> targetStats) {
        int k = targetStats.size();
        List<double[]> out = new ArrayList<>(windows.size());
        for (ForecastBatch b : windows.batches(Batches.EVAL_BATCH)) {
            Matrix v = model.predictValues(batch(b));
            int batch = b.batchSize();
            int steps = b.targetSteps();
            for (int w = 0; w < batch; w++) {
                double[] row = new double[steps * k];
                for (int t = 0; t < steps; t++) {
                    for (int j = 0; j < k; j++) {
                        row[t * k + j] = targetStats.get(j).denormalize(v.get(t * batch + w, j));
                    }
                }
                out.add(row);
            }
        }
        return out;
    }

    private static SequenceBatch batch(ForecastBatch b) {
        Matrix targets = Matrix.view(b.targets(), 0, b.targetSteps() * b.batchSize(), b.targetSize());
        return Batches.inputs(b.inputs()).withValueTargets(targets);
    }
}
