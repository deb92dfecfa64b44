package org.rnn4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Pairs of texts for sequence-to-sequence tasks (reversal, addition, transliteration), both at character
 * level: a source vocabulary, and a target vocabulary that also holds the control characters
 * {@link #START} (U+0002, "start of text") and {@link #END} (U+0003, "end of text"), which frame the
 * decoder's sequences (see {@link PairBatch}).
 *
 * <h2>File format (JSON lines)</h2>
 * One JSON object per line, with the keys {@value #SOURCE_KEY} and {@value #TARGET_KEY}, both non-empty
 * strings:
 * <pre>
 *   {"source": "3141", "target": "1413"}
 *   {"source": "123+45", "target": "168"}
 * </pre>
 * Each Unicode code point is one step. The texts may not contain U+0002 or U+0003. Vocabularies built
 * here are the sorted distinct characters ({@link Vocabulary#ofCharacters}); START and END are usually
 * target ids 0 and 1. Blank lines are skipped and other keys ignored; every problem is a
 * {@link DatasetException} naming the file and line.
 */
public final class Seq2SeqDataset {
    /** The key of the source text. */
    public static final String SOURCE_KEY = "source";
    /** The key of the target text. */
    public static final String TARGET_KEY = "target";
    /** The decoder's first input, in the target vocabulary. */
    public static final char START = '\u0002';
    /** The token that ends every target, in the target vocabulary. */
    public static final char END = '\u0003';
    static final String EXAMPLE = "{\"source\": \"123+45\", \"target\": \"168\"}";

    private final String source;
    private final Sequences sources; // TEXT, source vocabulary
    private final Sequences targets; // TEXT, target vocabulary (with START and END; the sequences hold neither)

    private Seq2SeqDataset(String source, Sequences sources, Sequences targets) {
        this.source = source;
        this.sources = sources;
        this.targets = targets;
    }

    /**
     * Pairs held in memory (e.g. generated), with vocabularies built from them.
     *
     * @throws IllegalArgumentException if the lists differ in size, a text is empty or contains START or END
     */
    public static Seq2SeqDataset of(String source, List<String> sourceTexts, List<String> targetTexts) {
        Objects.requireNonNull(source, "source");
        checkTexts(sourceTexts, targetTexts);
        return new Seq2SeqDataset(source, Sequences.ofText(sourceTexts),
                Sequences.ofText(targetTexts, targetVocabularyOf(targetTexts)));
    }

    /** The target vocabulary of these texts: their characters, {@link #START} and {@link #END}, sorted. */
    static Vocabulary targetVocabularyOf(List<String> targetTexts) {
        return Vocabulary.ofCharacters(String.join("", targetTexts) + START + END);
    }

    private static void checkTexts(List<String> sourceTexts, List<String> targetTexts) {
        if (sourceTexts.size() != targetTexts.size()) {
            throw new IllegalArgumentException("there are " + sourceTexts.size() + " sources but " + targetTexts.size()
                    + " targets: give one target per source");
        }
        for (int i = 0; i < sourceTexts.size(); i++) {
            for (String text : List.of(sourceTexts.get(i), targetTexts.get(i))) {
                if (text.indexOf(START) >= 0 || text.indexOf(END) >= 0) {
                    throw new IllegalArgumentException("pair " + i + " contains U+0002 or U+0003, which rnn4j uses"
                            + " to start and end the decoder's sequences: remove them");
                }
            }
        }
    }

    /** Reads a JSON-lines file, building both vocabularies from it; see {@link Reader#read}. */
    public static Seq2SeqDataset read(Path file) throws IOException {
        return reader().read(file);
    }

    /** A reader that can encode with a trained model's vocabularies. */
    public static Reader reader() {
        return new Reader();
    }

    public String source() {
        return source;
    }

    /** The source texts (character level, source vocabulary). */
    public Sequences sources() {
        return sources;
    }

    /** The target texts without START and END (character level, target vocabulary). */
    public Sequences targets() {
        return targets;
    }

    public Vocabulary sourceVocabulary() {
        return sources.vocabulary();
    }

    /** The target vocabulary, which holds {@link #START} and {@link #END}. */
    public Vocabulary targetVocabulary() {
        return targets.vocabulary();
    }

    /** The id of {@link #START} in the target vocabulary. */
    public int startId() {
        return targetVocabulary().encode(String.valueOf(START))[0];
    }

    /** The id of {@link #END} in the target vocabulary. */
    public int endId() {
        return targetVocabulary().encode(String.valueOf(END))[0];
    }

    /** {@code n}, the number of pairs. */
    public int size() {
        return sources.size();
    }

    public String sourceText(int i) {
        return sources.describe(i);
    }

    public String targetText(int i) {
        return targets.describe(i);
    }

    /** The pairs at {@code indices}, in that order, with the same vocabularies. */
    public Seq2SeqDataset subset(int[] indices) {
        return new Seq2SeqDataset(source, sources.subset(indices), targets.subset(indices));
    }

    /** A random (seeded) training/validation split; see {@link DatasetSplit#indices}. */
    public DatasetSplit<Seq2SeqDataset> split(double validationFraction, long seed) {
        int[][] parts = DatasetSplit.indices(size(), validationFraction, seed);
        return new DatasetSplit<>(subset(parts[0]), subset(parts[1]));
    }

    /** The batch of the pairs at {@code indices}, framed with START and END as in {@link PairBatch}. */
    public PairBatch batch(int[] indices) {
        PaddedInputs padded = sources.pad(indices);
        int batch = indices.length;
        int steps = 0;
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            lengths[b] = targets.length(indices[b]) + 1;
            steps = Math.max(steps, lengths[b]);
        }
        int start = startId();
        int end = endId();
        int[] inputs = new int[Math.multiplyExact(steps, batch)]; // PAD_TOKEN 0
        int[] next = new int[steps * batch];
        Arrays.fill(next, PaddedInputs.IGNORED_TARGET);
        for (int b = 0; b < batch; b++) {
            int[] y = targets.tokens(indices[b]);
            inputs[b] = start;
            for (int t = 0; t < y.length; t++) {
                inputs[(t + 1) * batch + b] = y[t]; // decoder input at t+1 is the target of step t
                next[t * batch + b] = y[t];
            }
            next[y.length * batch + b] = end;
        }
        PaddedInputs decoder = new PaddedInputs(steps, batch, 0, lengths, inputs, null);
        return new PairBatch(padded, decoder, next, indices.clone());
    }

    /** The batches in file order (evaluation); each is made when it is read. */
    public List<PairBatch> batches(int batchSize) {
        return BatchOrder.view(new BatchOrder(size(), batchSize, 0).inOrder(), this::batch);
    }

    /** The batches of one training epoch, shuffled by {@link BatchOrder#epoch}; each is made when it is read. */
    public List<PairBatch> batches(int batchSize, long seed, int epoch) {
        return BatchOrder.view(new BatchOrder(size(), batchSize, seed).epoch(epoch), this::batch);
    }

    /** Writes the pairs in the JSON-lines format above. */
    public void writeJsonl(Path file) throws IOException {
        List<ObjectNode> lines = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            ObjectNode line = JsonLines.MAPPER.createObjectNode();
            line.put(SOURCE_KEY, sourceText(i));
            line.put(TARGET_KEY, targetText(i));
            lines.add(line);
        }
        JsonLines.write(file, lines);
    }

    @Override
    public String toString() {
        return "Seq2SeqDataset[" + source + ", " + size() + " pairs, source " + sourceVocabulary() + ", target "
                + targetVocabulary() + "]";
    }

    /** Reads sequence-to-sequence files, optionally with a trained model's vocabularies. */
    public static final class Reader {
        private Vocabulary sourceVocabulary;
        private Vocabulary targetVocabulary;

        private Reader() {
        }

        /** Encode the sources with this character-level vocabulary instead of building one. */
        public Reader sourceVocabulary(Vocabulary vocabulary) {
            this.sourceVocabulary = requireChars(vocabulary, "source");
            return this;
        }

        /**
         * Encode the targets with this character-level vocabulary instead of building one.
         *
         * @throws IllegalArgumentException if it lacks {@link #START} or {@link #END}
         */
        public Reader targetVocabulary(Vocabulary vocabulary) {
            requireChars(vocabulary, "target");
            if (!vocabulary.contains(String.valueOf(START)) || !vocabulary.contains(String.valueOf(END))) {
                throw new IllegalArgumentException("a target vocabulary must hold START (U+0002) and END (U+0003);"
                        + " this one does not: use the target vocabulary of a Seq2SeqDataset");
            }
            this.targetVocabulary = vocabulary;
            return this;
        }

        private static Vocabulary requireChars(Vocabulary vocabulary, String what) {
            Objects.requireNonNull(vocabulary, what + " vocabulary");
            if (vocabulary.level() != TokenLevel.CHAR) {
                throw new IllegalArgumentException("the " + what + " vocabulary must be character-level, got " + vocabulary);
            }
            return vocabulary;
        }

        /**
         * Reads a JSON-lines file of pairs.
         *
         * @throws IOException naming the file: missing, a directory, empty, not UTF-8
         * @throws DatasetException naming the line: not one JSON object, a missing key, a value that is
         *     not a non-empty string, U+0002 or U+0003 in a text, characters outside a given vocabulary
         */
        public Seq2SeqDataset read(Path file) throws IOException {
            String name = file.toString();
            List<JsonLines.Line> lines = JsonLines.read(file, EXAMPLE);
            List<String> sourceTexts = new ArrayList<>(lines.size());
            List<String> targetTexts = new ArrayList<>(lines.size());
            for (JsonLines.Line line : lines) {
                sourceTexts.add(text(name, line, SOURCE_KEY, sourceVocabulary));
                targetTexts.add(text(name, line, TARGET_KEY, targetVocabulary));
            }
            try {
                Sequences s = sourceVocabulary != null ? Sequences.ofText(sourceTexts, sourceVocabulary)
                        : Sequences.ofText(sourceTexts);
                Vocabulary tv = targetVocabulary != null ? targetVocabulary : targetVocabularyOf(targetTexts);
                return new Seq2SeqDataset(name, s, Sequences.ofText(targetTexts, tv));
            } catch (IllegalArgumentException e) { // e.g. a lone surrogate, written as an escape in the JSON
                throw new DatasetException(name, 0, "cannot encode the texts: " + e.getMessage(), e);
            }
        }

        private static String text(String file, JsonLines.Line line, String key, Vocabulary given)
                throws DatasetException {
            JsonNode node = JsonLines.require(file, line, key, EXAMPLE);
            String name = JsonLines.quote(key);
            if (!node.isTextual()) {
                throw new DatasetException(file, line.number(), name + " is " + JsonLines.describe(node)
                        + ": it must be a string (one step per character), as in " + EXAMPLE);
            }
            String text = node.textValue();
            if (text.isEmpty()) {
                throw new DatasetException(file, line.number(), name + " is an empty string: every text needs at least"
                        + " one character");
            }
            if (text.indexOf(START) >= 0 || text.indexOf(END) >= 0) {
                throw new DatasetException(file, line.number(), name + " contains U+0002 or U+0003, which rnn4j uses"
                        + " to start and end the decoder's sequences: remove them");
            }
            if (given != null) {
                List<String> unknown = given.unknownTokens(text);
                if (!unknown.isEmpty()) {
                    throw new DatasetException(file, line.number(), name + " contains characters not in the model's "
                            + key + " vocabulary: " + Vocabulary.describeCharacters(unknown)
                            + "; remove them, or train a new model on this file");
                }
            }
            return text;
        }
    }
}
