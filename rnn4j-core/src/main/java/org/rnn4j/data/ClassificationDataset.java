package org.rnn4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Labelled sequences for many-to-one classification: {@code n} input {@link Sequences} and one class of
 * a {@link LabelSet} per sequence.
 *
 * <h2>File format (JSON lines)</h2>
 * One JSON object per line, with the keys {@value #INPUT_KEY} and {@value #LABEL_KEY}:
 * <pre>
 *   {"input": "a wonderful film", "label": "positive"}      text: one step per character
 *   {"input": ["a", "wonderful", "film"], "label": "positive"}  token list: one step per string
 *   {"input": [0.31, -0.82, 0.05], "label": 1}                numbers: one feature per step
 *   {"input": [[0.3, 1.0], [-0.8, 0.0]], "label": 0}           lists of D numbers: D features per step
 * </pre>
 * <ul>
 *   <li>Every line's input has the same form (and, for features, the same {@code D}); no input is empty.
 *       Text is tokenized at character level (one step per Unicode code point); token lists get a
 *       word-level vocabulary ({@link Sequences}). Numbers are rounded to {@code float}.</li>
 *   <li>A label is a class name (a non-empty string) or an integer ({@code 3}, {@code 3.0} and
 *       {@code "3"} are the same class). The classes are sorted ({@link LabelSet#sorted}).</li>
 *   <li>The file is strict UTF-8; blank lines are skipped; other keys (ids, notes) are ignored; a
 *       repeated key, trailing text after the object or a value of the wrong type is an error.</li>
 * </ul>
 * Every problem is a {@link DatasetException} naming the file and line, e.g.
 * {@code data.jsonl:4: the object has no "label": each line of this file needs it, as in ...}.
 *
 * <pre>
 *   ClassificationDataset data = ClassificationDataset.read(path);
 *   DatasetSplit&lt;ClassificationDataset&gt; parts = data.split(0.1, seed);
 *   for (ClassificationBatch batch : parts.train().batches(32, seed, epoch)) { ... }
 * </pre>
 */
public final class ClassificationDataset {
    /** The key of the input sequence. */
    public static final String INPUT_KEY = "input";
    /** The key of the class. */
    public static final String LABEL_KEY = "label";
    static final String EXAMPLE = "{\"input\": \"a wonderful film\", \"label\": \"positive\"}";

    private final String source;
    private final Sequences inputs;
    private final LabelSet labels;
    private final int[] labelIds; // (n)

    private ClassificationDataset(String source, Sequences inputs, LabelSet labels, int[] labelIds) {
        this.source = source;
        this.inputs = inputs;
        this.labels = labels;
        this.labelIds = labelIds;
    }

    /**
     * A dataset held in memory; {@code labelIds[i]} is the class of {@code inputs} sequence {@code i}.
     *
     * @param source a description for messages (a file name, or e.g. "sign-of-sum")
     * @throws IllegalArgumentException if the counts differ or a class id is outside {@code [0, C)}
     */
    public static ClassificationDataset of(String source, Sequences inputs, LabelSet labels, int[] labelIds) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(labels, "labels");
        if (labelIds.length != inputs.size()) {
            throw new IllegalArgumentException("there are " + inputs.size() + " sequences but " + labelIds.length
                    + " labels: give one label per sequence");
        }
        for (int i = 0; i < labelIds.length; i++) {
            labels.name(labelIds[i]); // checks the range
        }
        return new ClassificationDataset(source, inputs, labels, labelIds.clone());
    }

    /** A dataset held in memory whose classes are the sorted distinct {@code labelNames}. */
    public static ClassificationDataset of(String source, Sequences inputs, List<String> labelNames) {
        LabelSet set = LabelSet.sorted(labelNames);
        return of(source, inputs, set, labelNames.stream().mapToInt(set::id).toArray());
    }

    /** Reads a JSON-lines file, building the vocabulary and the classes from it; see {@link Reader#read}. */
    public static ClassificationDataset read(Path file) throws IOException {
        return reader().read(file);
    }

    /** A reader that can encode with a trained model's vocabulary and classes. */
    public static Reader reader() {
        return new Reader();
    }

    /** The file read, or the description given to {@link #of}. */
    public String source() {
        return source;
    }

    public Sequences inputs() {
        return inputs;
    }

    public LabelSet labels() {
        return labels;
    }

    /** {@code n}, the number of examples. */
    public int size() {
        return labelIds.length;
    }

    /** The class id of example {@code i}. */
    public int label(int i) {
        return labelIds[i];
    }

    /** {@code (C)}: how many examples each class has (e.g. for the majority-class baseline). */
    public int[] labelCounts() {
        int[] counts = new int[labels.size()];
        for (int id : labelIds) {
            counts[id]++;
        }
        return counts;
    }

    /** The examples at {@code indices}, in that order, with the same vocabulary and classes. */
    public ClassificationDataset subset(int[] indices) {
        int[] picked = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            picked[k] = labelIds[Objects.checkIndex(indices[k], labelIds.length)];
        }
        return new ClassificationDataset(source, inputs.subset(indices), labels, picked);
    }

    /** A random (seeded) training/validation split; see {@link DatasetSplit#indices}. */
    public DatasetSplit<ClassificationDataset> split(double validationFraction, long seed) {
        int[][] parts = DatasetSplit.indices(size(), validationFraction, seed);
        return new DatasetSplit<>(subset(parts[0]), subset(parts[1]));
    }

    /** The batch of the examples at {@code indices}: batch column {@code b} is example {@code indices[b]}. */
    public ClassificationBatch batch(int[] indices) {
        PaddedInputs padded = inputs.pad(indices);
        int[] targets = new int[indices.length];
        for (int b = 0; b < indices.length; b++) {
            targets[b] = labelIds[indices[b]];
        }
        return new ClassificationBatch(padded, targets, indices.clone());
    }

    /** The batches in file order (evaluation); each is made when it is read. */
    public List<ClassificationBatch> batches(int batchSize) {
        return BatchOrder.view(new BatchOrder(size(), batchSize, 0).inOrder(), this::batch);
    }

    /** The batches of one training epoch, shuffled by {@link BatchOrder#epoch}; each is made when it is read. */
    public List<ClassificationBatch> batches(int batchSize, long seed, int epoch) {
        return BatchOrder.view(new BatchOrder(size(), batchSize, seed).epoch(epoch), this::batch);
    }

    /** Writes the dataset in the JSON-lines format above (integer class names as numbers). */
    public void writeJsonl(Path file) throws IOException {
        List<ObjectNode> lines = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            ObjectNode line = JsonLines.MAPPER.createObjectNode();
            line.set(INPUT_KEY, InputCollector.toJson(inputs, i));
            line.set(LABEL_KEY, JsonLines.labelNode(labels.name(labelIds[i])));
            lines.add(line);
        }
        JsonLines.write(file, lines);
    }

    @Override
    public String toString() {
        return "ClassificationDataset[" + source + ", " + size() + " examples, " + inputs.kind() + ", "
                + labels.size() + " classes]";
    }

    /** Reads classification files, optionally with a trained model's vocabulary and classes. */
    public static final class Reader {
        private Vocabulary vocabulary;
        private LabelSet labels;

        private Reader() {
        }

        /** Encode the inputs with this vocabulary instead of building one (text or token-list inputs). */
        public Reader inputVocabulary(Vocabulary vocabulary) {
            this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
            return this;
        }

        /** Use these classes instead of the sorted labels of the file; other labels are errors. */
        public Reader labels(LabelSet labels) {
            this.labels = Objects.requireNonNull(labels, "labels");
            return this;
        }

        /**
         * Reads a JSON-lines classification file.
         *
         * @throws IOException naming the file: missing, a directory, empty, not UTF-8
         * @throws DatasetException naming the line: not one JSON object, a missing or null key, an input
         *     or label of the wrong form, inputs of different kinds or feature counts, a label outside
         *     the given classes, characters outside the given vocabulary
         */
        public ClassificationDataset read(Path file) throws IOException {
            String name = file.toString();
            List<JsonLines.Line> lines = JsonLines.read(file, EXAMPLE);
            InputCollector inputs = new InputCollector(name, INPUT_KEY);
            List<String> names = new ArrayList<>(lines.size());
            for (JsonLines.Line line : lines) {
                inputs.add(line.number(), JsonLines.require(name, line, INPUT_KEY, EXAMPLE));
                JsonNode node = JsonLines.require(name, line, LABEL_KEY, EXAMPLE);
                String label = JsonLines.toLabel(name, line.number(), node, JsonLines.quote(LABEL_KEY));
                if (labels != null && !labels.contains(label)) {
                    throw new DatasetException(name, line.number(), JsonLines.quote(LABEL_KEY) + " is "
                            + Chars.quote(label) + ", not one of the model's classes: "
                            + Chars.list(labels.names().stream().map(Chars::quote).toList()));
                }
                names.add(label);
            }
            LabelSet set = labels != null ? labels : LabelSet.sorted(names);
            int[] ids = names.stream().mapToInt(set::id).toArray();
            return new ClassificationDataset(name, inputs.build(vocabulary), set, ids);
        }
    }
}
