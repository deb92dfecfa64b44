package org.rnn4j.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.data.DatasetSplit;
import org.rnn4j.data.Sequences;
import org.rnn4j.data.TaggingBatch;
import org.rnn4j.data.TaggingDataset;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.SequenceModel;
import org.rnn4j.model.SequenceTask;
import org.rnn4j.nn.Parameter;

/**
 * Many-to-many tagging of a {@link TaggingDataset} with a {@link SequenceModel} (task tag): softmax
 * cross-entropy at every real step. Metrics: {@value ClassifyTask#ACCURACY}, the share of steps whose
 * argmax tag is right, and {@value ClassifyTask#MAJORITY_ACCURACY}, the accuracy of always answering the
 * most common tag of the training part.
 */
public final class TagTask implements SupervisedTask {
    private final SequenceModel model;
    private final TaggingDataset train;
    private final TaggingDataset validation;
    private final int majorityTag;
    private final Rng dropoutRng;

    /**
     * @param dropoutRng the source of dropout masks in training
     * @throws IllegalArgumentException if the model is not a tagger of the data's tags and inputs
     */
    public TagTask(SequenceModel model, DatasetSplit<TaggingDataset> data, Rng dropoutRng) {
        if (model.config().task() != SequenceTask.TAG) {
            throw new IllegalArgumentException("a tag task needs a tag model, got " + model.config().task().id());
        }
        checkInputs(model, data.train().inputs());
        checkClasses(model, data.train().tagSet().size());
        this.model = model;
        this.train = data.train();
        this.validation = data.validation();
        this.majorityTag = ClassifyTask.mostCommon(tagCounts(train));
        this.dropoutRng = dropoutRng;
    }

    @Override
    public String id() {
        return SequenceTask.TAG.id();
    }

    @Override
    public String metric() {
        return ClassifyTask.ACCURACY;
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

    /** The tag the baseline always answers: the most common in the training part. */
    public int majorityTag() {
        return majorityTag;
    }

    @Override
    public BatchLoss forwardBackward(int[] examples, float scale) {
        TaggingBatch b = train.batch(examples);
        SequenceModel.Result r = model.forwardBackward(Batches.inputs(b.inputs()).withClassTargets(b.tags()), scale,
                dropoutRng);
        return new BatchLoss(r.sum(), r.count(), Batches.steps(b.inputs()));
    }

    @Override
    public TaskMetrics validate() {
        return evaluate(model, validation, majorityTag);
    }

    /** Loss per step, accuracy per step and the accuracy of always answering {@code majorityTag}. */
    public static TaskMetrics evaluate(SequenceModel model, TaggingDataset data, int majorityTag) {
        double sum = 0;
        long count = 0;
        long correct = 0;
        for (TaggingBatch b : data.batches(Batches.EVAL_BATCH)) {
            SequenceModel.Result r = model.forward(Batches.inputs(b.inputs()).withClassTargets(b.tags()));
            sum += r.sum();
            count += r.count();
            correct += r.correct();
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(ClassifyTask.ACCURACY, (double) correct / count);
        m.put(ClassifyTask.MAJORITY_ACCURACY, (double) tagCounts(data)[majorityTag] / count);
        return new TaskMetrics(sum / count, count, m);
    }

    /** The predicted tags of every example of {@code data}, in order, one per step. */
    public static List<int[]> predict(SequenceModel model, TaggingDataset data) {
        List<int[]> out = new ArrayList<>(data.size());
        for (TaggingBatch b : data.batches(Batches.EVAL_BATCH)) {
            int[] tags = model.predictClasses(Batches.inputs(b.inputs())); // (T·B) time-major
            int batch = b.batchSize();
            for (int k = 0; k < batch; k++) {
                int[] row = new int[b.inputs().lengths()[k]];
                for (int t = 0; t < row.length; t++) {
                    row[t] = tags[t * batch + k];
                }
                out.add(row);
            }
        }
        return out;
    }

    /** How many steps of {@code data} carry each tag. */
    public static int[] tagCounts(TaggingDataset data) {
        int[] counts = new int[data.tagSet().size()];
        for (int i = 0; i < data.size(); i++) {
            for (int tag : data.tags(i)) {
                counts[tag]++;
            }
        }
        return counts;
    }

    /** Throws unless the model reads the kind of inputs the sequences hold (tokens of V ids, or D features). */
    static void checkInputs(SequenceModel model, Sequences inputs) {
        var c = model.config();
        if (inputs.hasTokens() != c.tokenInput()) {
            throw new IllegalArgumentException(c.tokenInput()
                    ? "the model reads tokens but the data holds " + inputs.featureSize() + " number(s) per step"
                    : "the model reads " + c.featureSize() + " number(s) per step but the data holds tokens");
        }
        if (inputs.hasTokens() && inputs.vocabulary().size() != c.vocabSize()) {
            throw new IllegalArgumentException("the data's vocabulary has " + inputs.vocabulary().size()
                    + " tokens but the model's vocab_size is " + c.vocabSize());
        }
        if (!inputs.hasTokens() && inputs.featureSize() != c.featureSize()) {
            throw new IllegalArgumentException("the data has " + inputs.featureSize() + " number(s) per step but the "
                    + "model reads " + c.featureSize());
        }
    }

    static void checkClasses(SequenceModel model, int classes) {
        if (classes != model.config().outputSize()) {
            throw new IllegalArgumentException("the data has " + classes + " classes but the model's output_size is "
                    + model.config().outputSize());
        }
    }
}
