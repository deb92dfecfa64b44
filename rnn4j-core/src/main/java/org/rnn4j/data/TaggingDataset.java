package org.rnn4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Sequences with one tag per step, for aligned many-to-many tasks (part-of-speech tagging, per-character
 * segmentation): {@code n} input {@link Sequences} and, for each, {@code T_i} classes of a {@link LabelSet}.
 *
 * <h2>File format (JSON lines)</h2>
 * One JSON object per line, with the keys {@value #INPUT_KEY} and {@value #TAGS_KEY}:
 * <pre>
 *   {"input": "ab cd", "tags": ["B", "I", "O", "B", "I"]}              text: one tag per character
 *   {"input": ["the", "cat", "sat"], "tags": ["DET", "NOUN", "VERB"]}  token list: one tag per string
 *   {"input": [0.1, 0.9, 0.4], "tags": [0, 1, 0]}                      numbers: one tag per step
 * </pre>
 * The input has the forms of {@link ClassificationDataset} (text tokenized at character level, token
 * lists, numbers, lists of {@code D} numbers); {@code "tags"} is a list with exactly one tag per input
 * step (per Unicode code point for text), each a class name or an integer. The tags are sorted
 * ({@link LabelSet#sorted}). Blank lines are skipped and other keys ignored; every problem is a
 * {@link DatasetException} naming the file and line, e.g.
 * {@code tags.jsonl:3: "tags" has 4 entries but "input" has 5 steps: give one tag per input step}.
 */
public final class TaggingDataset {
    /** The key of the input sequence. */
    public static final String INPUT_KEY = "input";
    /** The key of the list of tags, one per input step. */
    public static final String TAGS_KEY = "tags";
    static final String EXAMPLE = "{\"input\": [\"the\", \"cat\"], \"tags\": [\"DET\", \"NOUN\"]}";

    private final String source;
    private final Sequences inputs;
    private final LabelSet tagSet;
    private final int[][] tags; // (n)(T_i) tag ids

    private TaggingDataset(String source, Sequences inputs, LabelSet tagSet, int[][] tags) {
        this.source = source;
        this.inputs = inputs;
        this.tagSet = tagSet;
        this.tags = tags;
    }

    /**
     * A dataset held in memory; {@code tags.get(i)[t]} is the tag id of step {@code t} of sequence {@code i}.
     *
     * @throws IllegalArgumentException if a tag list's length differs from its sequence's, or an id is
     *     outside {@code [0, C)}
     */
    public static TaggingDataset of(String source, Sequences inputs, LabelSet tagSet, List<int[]> tags) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(tagSet, "tagSet");
        if (tags.size() != inputs.size()) {
            throw new IllegalArgumentException("there are " + inputs.size() + " sequences but " + tags.size()
                    + " tag lists: give one tag list per sequence");
        }
        int[][] copy = new int[tags.size()][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = tags.get(i).clone();
            if (copy[i].length != inputs.length(i)) {
                throw new IllegalArgumentException("sequence " + i + " has " + inputs.length(i) + " steps but "
                        + copy[i].length + " tags: give one tag per step");
            }
            for (int id : copy[i]) {
                tagSet.name(id); // checks the range
            }
        }
        return new TaggingDataset(source, inputs, tagSet, copy);
    }

    /** Reads a JSON-lines file, building the vocabulary and the tag set from it; see {@link Reader#read}. */
    public static TaggingDataset read(Path file) throws IOException {
        return reader().read(file);
    }

    /** A reader that can encode with a trained model's vocabulary and tags. */
    public static Reader reader() {
        return new Reader();
    }

    public String source() {
        return source;
    }

    public Sequences inputs() {
        return inputs;
    }

    /** The tag classes. */
    public LabelSet tagSet() {
        return tagSet;
    }

    /** {@code n}, the number of examples. */
    public int size() {
        return tags.length;
    }

    /** A copy of the tag ids of example {@code i}, {@code (T_i)}. */
    public int[] tags(int i) {
        return tags[i].clone();
    }

    /** The total number of tagged steps (the denominator of per-step accuracy). */
    public long stepCount() {
        long steps = 0;
        for (int[] t : tags) {
            steps += t.length;
        }
        return steps;
    }

    /** The examples at {@code indices}, in that order, with the same vocabulary and tags. */
    public TaggingDataset subset(int[] indices) {
        int[][] picked = new int[indices.length][];
        for (int k = 0; k < indices.length; k++) {
            picked[k] = tags[Objects.checkIndex(indices[k], tags.length)];
        }
        return new TaggingDataset(source, inputs.subset(indices), tagSet, picked);
    }

    /** A random (seeded) training/validation split; see {@link DatasetSplit#indices}. */
    public DatasetSplit<TaggingDataset> split(double validationFraction, long seed) {
        int[][] parts = DatasetSplit.indices(size(), validationFraction, seed);
        return new DatasetSplit<>(subset(parts[0]), subset(parts[1]));
    }

    /** The batch of the examples at {@code indices}; tags of padded steps are -1. */
    public TaggingBatch batch(int[] indices) {
        PaddedInputs padded = inputs.pad(indices);
        int batch = indices.length;
        int[] targets = new int[padded.steps() * batch];
        Arrays.fill(targets, PaddedInputs.IGNORED_TARGET);
        for (int b = 0; b < batch; b++) {
            int[] t = tags[indices[b]];
            for (int step = 0; step < t.length; step++) {
                targets[step * batch + b] = t[step];
            }
        }
        return new TaggingBatch(padded, targets, indices.clone());
    }

    /** The batches in file order (evaluation); each is made when it is read. */
    public List<TaggingBatch> batches(int batchSize) {
        return BatchOrder.view(new BatchOrder(size(), batchSize, 0).inOrder(), this::batch);
    }

    /** The batches of one training epoch, shuffled by {@link BatchOrder#epoch}; each is made when it is read. */
    public List<TaggingBatch> batches(int batchSize, long seed, int epoch) {
        return BatchOrder.view(new BatchOrder(size(), batchSize, seed).epoch(epoch), this::batch);
    }

    /** Writes the dataset in the JSON-lines format above (integer tags as numbers). */
    public void writeJsonl(Path file) throws IOException {
        List<ObjectNode> lines = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            ObjectNode line = JsonLines.MAPPER.createObjectNode();
            line.set(INPUT_KEY, InputCollector.toJson(inputs, i));
            ArrayNode list = line.putArray(TAGS_KEY);
            for (int id : tags[i]) {
                list.add(JsonLines.labelNode(tagSet.name(id)));
            }
            lines.add(line);
        }
        JsonLines.write(file, lines);
    }

    @Override
    public String toString() {
        return "TaggingDataset[" + source + ", " + size() + " examples, " + inputs.kind() + ", " + tagSet.size() + " tags]";
    }

    /** Reads tagging files, optionally with a trained model's vocabulary and tags. */
    public static final class Reader {
        private Vocabulary vocabulary;
        private LabelSet tagSet;

        private Reader() {
        }

        /** Encode the inputs with this vocabulary instead of building one (text or token-list inputs). */
        public Reader inputVocabulary(Vocabulary vocabulary) {
            this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
            return this;
        }

        /** Use these tags instead of the sorted tags of the file; other tags are errors. */
        public Reader tagSet(LabelSet tagSet) {
            this.tagSet = Objects.requireNonNull(tagSet, "tagSet");
            return this;
        }

        /**
         * Reads a JSON-lines tagging file.
         *
         * @throws IOException naming the file: missing, a directory, empty, not UTF-8
         * @throws DatasetException naming the line: not one JSON object, a missing key, an input or tag
         *     of the wrong form, a tag list whose length is not the input's, inputs of different kinds,
         *     a tag outside the given tags, characters outside the given vocabulary
         */
        public TaggingDataset read(Path file) throws IOException {
            String name = file.toString();
            List<JsonLines.Line> lines = JsonLines.read(file, EXAMPLE);
            InputCollector inputs = new InputCollector(name, INPUT_KEY);
            List<List<String>> names = new ArrayList<>(lines.size());
            List<String> all = new ArrayList<>();
            String key = JsonLines.quote(TAGS_KEY);
            for (JsonLines.Line line : lines) {
                int steps = inputs.add(line.number(), JsonLines.require(name, line, INPUT_KEY, EXAMPLE));
                JsonNode node = JsonLines.require(name, line, TAGS_KEY, EXAMPLE);
                if (!node.isArray()) {
                    throw new DatasetException(name, line.number(), key + " is " + JsonLines.describe(node)
                            + ": it must be a list with one tag per input step, as in " + EXAMPLE);
                }
                if (node.size() != steps) {
                    throw new DatasetException(name, line.number(), key + " has " + node.size() + " entries but "
                            + JsonLines.quote(INPUT_KEY) + " has " + steps + " steps: give one tag per input step"
                            + (inputs.kind() == Sequences.Kind.TEXT ? " (one per character for text)" : ""));
                }
                List<String> row = new ArrayList<>(steps);
                for (int t = 0; t < steps; t++) {
                    String tag = JsonLines.toLabel(name, line.number(), node.get(t), key + "[" + t + "]");
                    if (tagSet != null && !tagSet.contains(tag)) {
                        throw new DatasetException(name, line.number(), key + "[" + t + "] is " + Chars.quote(tag)
                                + ", not one of the model's tags: "
                                + Chars.list(tagSet.names().stream().map(Chars::quote).toList()));
                    }
                    row.add(tag);
                }
                names.add(row);
                all.addAll(row);
            }
            LabelSet set = tagSet != null ? tagSet : LabelSet.sorted(all);
            int[][] ids = new int[names.size()][];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = names.get(i).stream().mapToInt(set::id).toArray();
            }
            return new TaggingDataset(name, inputs.build(vocabulary), set, ids);
        }
    }
}
