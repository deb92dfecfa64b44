package org.rnn4j.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.data.ClassificationBatch;
import org.rnn4j.data.ClassificationDataset;
import org.rnn4j.data.DatasetSplit;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.SequenceModel;
import org.rnn4j.model.SequenceTask;
import org.rnn4j.nn.Parameter;

/**
 * Many-to-one classification of a {@link ClassificationDataset} with a {@link SequenceModel} (task
 * classify): softmax cross-entropy per sequence. Metrics: {@value #ACCURACY}, the share of sequences
 * whose argmax class is right, and {@value #MAJORITY_ACCURACY}, the accuracy of always answering the
 * most common class of the training part (the baseline to beat).
 */
public final class ClassifyTask implements SupervisedTask {
    public static final String ACCURACY = "accuracy";
    public static final String MAJORITY_ACCURACY = "majority_accuracy";

    private final SequenceModel model;
    private final ClassificationDataset train;
    private final ClassificationDataset validation;
    private final int majorityClass;
    private final Rng dropoutRng;

    /**
     * @param dropoutRng the source of dropout masks in training
     * @throws IllegalArgumentException if the model is not a classifier of the data's classes and inputs
     */
    public ClassifyTask(SequenceModel model, DatasetSplit<ClassificationDataset> data, Rng dropoutRng) {
        if (model.config().task() != SequenceTask.CLASSIFY) {
            throw new IllegalArgumentException("a classify task needs a classify model, got " + model.config().task().id());
        }
        TagTask.checkInputs(model, data.train().inputs());
        TagTask.checkClasses(model, data.train().labels().size());
        this.model = model;
        this.train = data.train();
        this.validation = data.validation();
        this.majorityClass = mostCommon(train.labelCounts());
        this.dropoutRng = dropoutRng;
    }

    @Override
    public String id() {
        return SequenceTask.CLASSIFY.id();
    }

    @Override
    public String metric() {
        return ACCURACY;
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public List<Parameter> parameters() {
        return model.parameters();
    }

    @Override
    public int trainSize() {
        return train.size();
    }

    @Override
    public double uninformedLoss() {
        return Math.log(model.config().outputSize());
    }

    /** The class the baseline always answers: the most common in the training part (the lowest id on ties). */
    public int majorityClass() {
        return majorityClass;
    }

    @Override
    public BatchLoss forwardBackward(int[] examples, float scale) {
        ClassificationBatch b = train.batch(examples);
        SequenceModel.Result r = model.forwardBackward(Batches.inputs(b.inputs()).withClassTargets(b.labels()), scale,
                dropoutRng);
        return new BatchLoss(r.sum(), r.count(), Batches.steps(b.inputs()));
    }

    @Override
    public TaskMetrics validate() {
        return evaluate(model, validation, majorityClass);
    }

    /** Loss, {@value #ACCURACY} and the accuracy of always answering {@code majorityClass}, over all of {@code data}. */
    public static TaskMetrics evaluate(SequenceModel model, ClassificationDataset data, int majorityClass) {
        double sum = 0;
        long count = 0;
        long correct = 0;
        for (ClassificationBatch b : data.batches(Batches.EVAL_BATCH)) {
            SequenceModel.Result r = model.forward(Batches.inputs(b.inputs()).withClassTargets(b.labels()));
            sum += r.sum();
            count += r.count();
            correct += r.correct();
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(ACCURACY, (double) correct / count);
        m.put(MAJORITY_ACCURACY, (double) data.labelCounts()[majorityClass] / count);
        return new TaskMetrics(sum / count, count, m);
    }

    /** The predicted class of every example of {@code data}, in order. */
    public static int[] predict(SequenceModel model, ClassificationDataset data) {
        int[] out = new int[data.size()];
        int at = 0;
        for (ClassificationBatch b : data.batches(Batches.EVAL_BATCH)) {
            int[] classes = model.predictClasses(Batches.inputs(b.inputs()));
            System.arraycopy(classes, 0, out, at, classes.length);
            at += classes.length;
        }
        return out;
    }

    /** The index of the largest count (the lowest on ties): the majority class. */
    public static int mostCommon(int[] counts) {
        int best = 0;
        for (int i = 1; i < counts.length; i++) {
            if (counts[i] > counts[best]) {
                best = i;
            }
        }
        return best;
    }
}
