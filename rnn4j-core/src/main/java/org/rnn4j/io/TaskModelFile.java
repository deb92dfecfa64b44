package org.rnn4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rnn4j.data.ColumnStats;
import org.rnn4j.data.LabelSet;
import org.rnn4j.data.Seq2SeqDataset;
import org.rnn4j.data.TokenLevel;
import org.rnn4j.data.Vocabulary;
import org.rnn4j.matrix.Activation;
import org.rnn4j.model.CellType;
import org.rnn4j.model.Seq2Seq;
import org.rnn4j.model.Seq2SeqConfig;
import org.rnn4j.model.SequenceModel;
import org.rnn4j.model.SequenceModelConfig;
import org.rnn4j.model.SequenceShape;
import org.rnn4j.model.SequenceTask;
import org.rnn4j.model.StepDecoder;
import org.rnn4j.nn.Parameter;

/**
 * The model file of the sequence tasks: a {@link SequenceModel} (classify, tag, forecast) or a
 * {@link Seq2Seq}, as safetensors with the models' own parameter names ({@code embedding.weight},
 * {@code rnn.*}, {@code head.*}; or {@code encoder.*}, {@code decoder.*}), and in {@code __metadata__}:
 * <pre>
 *   "format":             "rnn4j"
 *   "rnn4j.task":         "classify" | "tag" | "forecast" | "seq2seq"
 *   "rnn4j.config":       classify, tag, forecast: {"task", "shape": "many-to-one"|"many-to-many", "cell",
 *                           "nonlinearity", "vocab_size", "embedding_dim", "feature_size", "hidden_size",
 *                           "num_layers", "dropout", "bidirectional", "learned_initial_state", "output_size"}
 *                         seq2seq: {"cell", "nonlinearity", "source_vocab_size", "target_vocab_size",
 *                           "embedding_dim", "hidden_size", "num_layers", "dropout"}
 *   "rnn4j.vocab":        classify, tag with token inputs: {"level": "char"|"word", "tokens": [...]}
 *   "rnn4j.labels":       classify, tag: ["neg", "pos"]   (class id = index)
 *   "rnn4j.source_vocab", "rnn4j.target_vocab":  seq2seq: {"level": "char", "tokens": [...]}; target tokens
 *                           0 and 1 are U+0002 and U+0003, the decoder's BOS and EOS
 *   "rnn4j.forecast":     forecast: {"window": W, "columns": [{"name", "mean", "std"}, ...], "targets": [...]}
 *                           the input columns with their normalisation, and the predicted columns
 *   provenance:           "rnn4j.version", "rnn4j.created_at", "rnn4j.seed", "rnn4j.args", ...
 * </pre>
 * Language models keep their own file ({@link ModelFile}, no {@code rnn4j.task}); each reader refuses
 * the other's files with a message that says which to use. Reading checks the metadata against the
 * config and every tensor's dtype, shape and values before the model is used.
 */
public final class TaskModelFile {
    public static final String KEY_TASK = "rnn4j.task";
    public static final String KEY_LABELS = "rnn4j.labels";
    public static final String KEY_SOURCE_VOCAB = "rnn4j.source_vocab";
    public static final String KEY_TARGET_VOCAB = "rnn4j.target_vocab";
    public static final String KEY_FORECAST = "rnn4j.forecast";
    /** The task id of encoder-decoders (the others are {@link SequenceTask#id()}). */
    public static final String SEQ2SEQ = "seq2seq";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SEQUENCE_PREFIXES = List.of(SequenceModel.EMBEDDING_PREFIX, "rnn.",
            SequenceModel.HEAD_PREFIX);
    private static final List<String> SEQ2SEQ_PREFIXES = List.of(Seq2Seq.ENCODER_PREFIX, Seq2Seq.DECODER_PREFIX);
    private static final Set<String> RESERVED = Set.of(ModelFile.KEY_FORMAT, KEY_TASK, ModelFile.KEY_CONFIG,
            ModelFile.KEY_VOCAB, KEY_LABELS, KEY_SOURCE_VOCAB, KEY_TARGET_VOCAB, KEY_FORECAST, ModelFile.KEY_VERSION);

    private TaskModelFile() {
    }

    /** A task model with what it needs to read data and name its outputs, and the file's metadata. */
    public sealed interface Contents permits SequenceContents, Seq2SeqContents {
        /** classify, tag, forecast or seq2seq. */
        String task();

        /** On save: provenance entries to add; on load: all metadata of the file. */
        Map<String, String> metadata();
    }

    /**
     * A classifier, tagger or forecaster.
     *
     * @param vocabulary the input vocabulary of token inputs (character level for text, word level for token
     *     lists); null for real-valued inputs
     * @param labels the classes (classify) or tags (tag); null for forecast
     * @param forecast the window and columns (forecast); null otherwise
     */
    public record SequenceContents(SequenceModel model, Vocabulary vocabulary, LabelSet labels, Forecast forecast,
                                   Map<String, String> metadata) implements Contents {
        public SequenceContents {
            SequenceModelConfig c = model.config();
            if ((vocabulary != null) != c.tokenInput()
                    || vocabulary != null && vocabulary.size() != c.vocabSize()) {
                throw new IllegalArgumentException("the model's vocab_size is " + c.vocabSize() + " but the vocabulary "
                        + (vocabulary == null ? "is missing" : "has " + vocabulary.size() + " tokens"));
            }
            boolean forecasting = c.task() == SequenceTask.FORECAST;
            if (forecasting != (forecast != null) || forecasting == (labels != null)) {
                throw new IllegalArgumentException("a " + c.task().id() + " model needs "
                        + (forecasting ? "forecast settings and no labels" : "labels and no forecast settings"));
            }
            if (labels != null && labels.size() != c.outputSize()) {
                throw new IllegalArgumentException("the model's output_size is " + c.outputSize() + " but there are "
                        + labels.size() + " labels");
            }
            if (forecast != null && (forecast.columns().size() != c.featureSize()
                    || forecast.targets().size() != c.outputSize())) {
                throw new IllegalArgumentException("the model reads " + c.featureSize() + " and predicts "
                        + c.outputSize() + " columns but the forecast settings have " + forecast.columns().size()
                        + " columns and " + forecast.targets().size() + " targets");
            }
            metadata = Map.copyOf(metadata);
        }

        @Override
        public String task() {
            return model.config().task().id();
        }
    }

    /** An encoder-decoder with its character-level vocabularies; target ids 0 and 1 are BOS and EOS. */
    public record Seq2SeqContents(Seq2Seq model, Vocabulary sourceVocabulary, Vocabulary targetVocabulary,
                                  Map<String, String> metadata) implements Contents {
        public Seq2SeqContents {
            Seq2SeqConfig c = model.config();
            if (sourceVocabulary.size() != c.sourceVocabSize() || targetVocabulary.size() != c.targetVocabSize()) {
                throw new IllegalArgumentException("the model's vocabularies have " + c.sourceVocabSize() + " and "
                        + c.targetVocabSize() + " tokens but the given ones " + sourceVocabulary.size() + " and "
                        + targetVocabulary.size());
            }
            if (!targetVocabulary.token(StepDecoder.BOS).equals(String.valueOf(Seq2SeqDataset.START))
                    || !targetVocabulary.token(StepDecoder.EOS).equals(String.valueOf(Seq2SeqDataset.END))) {
                throw new IllegalArgumentException("target tokens 0 and 1 must be U+0002 and U+0003, the decoder's BOS "
                        + "and EOS");
            }
            metadata = Map.copyOf(metadata);
        }

        @Override
        public String task() {
            return SEQ2SEQ;
        }
    }

    /**
     * How a forecaster reads a series.
     *
     * @param window W, the steps each window reads
     * @param columns every input column in order, with the training part's normalisation {@code (D)}
     * @param targets the names of the predicted columns, each one of the inputs {@code (K)}
     */
    public record Forecast(int window, List<ColumnStats> columns, List<String> targets) {
        public Forecast {
            if (window < 1) {
                throw new IllegalArgumentException("the window must be at least 1 step, got " + window);
            }
            columns = List.copyOf(columns);
            targets = List.copyOf(targets);
            List<String> names = columns.stream().map(ColumnStats::column).toList();
            for (String t : targets) {
                if (!names.contains(t)) {
                    throw new IllegalArgumentException("target column '" + t + "' is not one of the columns " + names);
                }
            }
        }
    }

    /** Writes the model atomically; the contents' metadata are added as provenance (reserved keys excepted). */
    public static void save(Path file, Contents contents) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(ModelFile.KEY_FORMAT, ModelFile.FORMAT);
        meta.put(KEY_TASK, contents.task());
        List<Parameter> parameters;
        if (contents instanceof SequenceContents s) {
            meta.put(ModelFile.KEY_CONFIG, configJson(s.model().config()));
            if (s.vocabulary() != null) {
                meta.put(ModelFile.KEY_VOCAB, ModelFile.vocabJson(s.vocabulary()));
            }
            if (s.labels() != null) {
                meta.put(KEY_LABELS, JSON.valueToTree(s.labels().names()).toString());
            }
            if (s.forecast() != null) {
                meta.put(KEY_FORECAST, forecastJson(s.forecast()));
            }
            parameters = s.model().parameters();
        } else {
            Seq2SeqContents s = (Seq2SeqContents) contents;
            meta.put(ModelFile.KEY_CONFIG, configJson(s.model().config()));
            meta.put(KEY_SOURCE_VOCAB, ModelFile.vocabJson(s.sourceVocabulary()));
            meta.put(KEY_TARGET_VOCAB, ModelFile.vocabJson(s.targetVocabulary()));
            parameters = s.model().parameters();
        }
        meta.put(ModelFile.KEY_VERSION, ModelFile.libraryVersion());
        contents.metadata().forEach((k, v) -> {
            if (!RESERVED.contains(k)) {
                meta.put(k, v);
            }
        });
        List<TensorData> tensors = new ArrayList<>();
        for (Parameter p : parameters) {
            tensors.add(TensorData.ofFloats(p.name(), p.shape(), p.value.toArray()));
        }
        SafeTensors.write(file, tensors, meta);
    }

    /**
     * Reads a task model.
     *
     * @throws ModelFileException naming the file: not an rnn4j file, a language model, an unknown task, a
     *     config, vocabulary, label list or tensor that is missing, malformed or inconsistent
     */
    public static Contents load(Path file) throws IOException {
        SafeTensorsFile st = SafeTensors.read(file);
        String src = st.source();
        Map<String, String> meta = st.metadata();
        String format = meta.get(ModelFile.KEY_FORMAT);
        if (!ModelFile.FORMAT.equals(format)) {
            throw new ModelFileException(src, "is a safetensors file but not an rnn4j model (metadata 'format' is "
                    + (format == null ? "missing" : "'" + format + "'") + ", expected 'rnn4j')");
        }
        String task = meta.get(KEY_TASK);
        if (task == null) {
            throw new ModelFileException(src, "is a language model (its metadata has no 'rnn4j.task'), not a model of "
                    + "a sequence task: use it with rnn4j sample or rnn4j eval");
        }
        try {
            if (task.equals(SEQ2SEQ)) {
                Seq2Seq model = new Seq2Seq(seq2seqConfig(src, object(src, ModelFile.KEY_CONFIG, meta)));
                Vocabulary source = vocabulary(src, KEY_SOURCE_VOCAB, meta);
                Vocabulary target = vocabulary(src, KEY_TARGET_VOCAB, meta);
                readTensors(st, model.parameters(), SEQ2SEQ_PREFIXES, meta);
                return new Seq2SeqContents(model, source, target, meta);
            }
            SequenceTask t = sequenceTask(src, task);
            SequenceModel model = new SequenceModel(sequenceConfig(src, t, object(src, ModelFile.KEY_CONFIG, meta)));
            Vocabulary vocab = meta.containsKey(ModelFile.KEY_VOCAB) ? vocabulary(src, ModelFile.KEY_VOCAB, meta) : null;
            LabelSet labels = meta.containsKey(KEY_LABELS) ? labels(src, meta.get(KEY_LABELS)) : null;
            Forecast forecast = meta.containsKey(KEY_FORECAST) ? forecast(src, object(src, KEY_FORECAST, meta)) : null;
            readTensors(st, model.parameters(), SEQUENCE_PREFIXES, meta);
            return new SequenceContents(model, vocab, labels, forecast, meta);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(src, "is not a " + task + " model rnn4j can use: " + e.getMessage(), e);
        }
    }

    private static SequenceTask sequenceTask(String src, String task) throws ModelFileException {
        for (SequenceTask t : SequenceTask.values()) {
            if (t.id().equals(task)) {
                return t;
            }
        }
        throw new ModelFileException(src, "metadata 'rnn4j.task' is '" + task + "'; rnn4j reads classify, tag, forecast "
                + "and seq2seq models (was the file written by a newer rnn4j?)");
    }

    // ---------------------------------------------------------------- metadata as JSON

    static String configJson(SequenceModelConfig c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("task", c.task().id());
        o.put("shape", c.shape().id());
        o.put("cell", c.cell().id());
        o.put("nonlinearity", c.nonlinearity().id());
        o.put("vocab_size", c.vocabSize());
        o.put("embedding_dim", c.embeddingDim());
        o.put("feature_size", c.featureSize());
        o.put("hidden_size", c.hiddenSize());
        o.put("num_layers", c.numLayers());
        o.put("dropout", c.dropout());
        o.put("bidirectional", c.bidirectional());
        o.put("learned_initial_state", c.learnedInitialState());
        o.put("output_size", c.outputSize());
        return o.toString();
    }

    static String configJson(Seq2SeqConfig c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("cell", c.cell().id());
        o.put("nonlinearity", c.nonlinearity().id());
        o.put("source_vocab_size", c.sourceVocabSize());
        o.put("target_vocab_size", c.targetVocabSize());
        o.put("embedding_dim", c.embeddingDim());
        o.put("hidden_size", c.hiddenSize());
        o.put("num_layers", c.numLayers());
        o.put("dropout", c.dropout());
        return o.toString();
    }

    static String forecastJson(Forecast f) {
        ObjectNode o = JSON.createObjectNode();
        o.put("window", f.window());
        ArrayNode columns = o.putArray("columns");
        for (ColumnStats s : f.columns()) {
            columns.addObject().put("name", s.column()).put("mean", s.mean()).put("std", s.std());
        }
        ArrayNode targets = o.putArray("targets");
        f.targets().forEach(targets::add);
        return o.toString();
    }

    private static SequenceModelConfig sequenceConfig(String src, SequenceTask task, JsonNode n)
            throws ModelFileException {
        String configured = text(src, n, "task", null);
        if (!task.id().equals(configured)) {
            throw new ModelFileException(src, "rnn4j.config says task '" + configured + "' but rnn4j.task is '"
                    + task.id() + "'");
        }
        SequenceModelConfig.Builder b = SequenceModelConfig.builder(task)
                .shape(SequenceShape.fromId(text(src, n, "shape", task.defaultShape().id())))
                .cell(CellType.fromId(text(src, n, "cell", "rnn")))
                .nonlinearity(Activation.fromId(text(src, n, "nonlinearity", "tanh")))
                .vocabSize(integer(src, n, "vocab_size", 0)).embeddingDim(integer(src, n, "embedding_dim", 0))
                .featureSize(integer(src, n, "feature_size", 0)).hiddenSize(integer(src, n, "hidden_size", -1))
                .numLayers(integer(src, n, "num_layers", 1)).dropout(number(src, n, "dropout"))
                .outputSize(integer(src, n, "output_size", -1));
        if (flag(src, n, "bidirectional")) {
            b.bidirectional();
        }
        if (flag(src, n, "learned_initial_state")) {
            b.learnedInitialState();
        }
        return b.build();
    }

    private static Seq2SeqConfig seq2seqConfig(String src, JsonNode n) throws ModelFileException {
        return Seq2SeqConfig.builder().cell(CellType.fromId(text(src, n, "cell", "rnn")))
                .nonlinearity(Activation.fromId(text(src, n, "nonlinearity", "tanh")))
                .sourceVocabSize(integer(src, n, "source_vocab_size", -1))
                .targetVocabSize(integer(src, n, "target_vocab_size", -1))
                .embeddingDim(integer(src, n, "embedding_dim", 0)).hiddenSize(integer(src, n, "hidden_size", -1))
                .numLayers(integer(src, n, "num_layers", 1)).dropout(number(src, n, "dropout")).build();
    }

    private static Vocabulary vocabulary(String src, String key, Map<String, String> meta) throws ModelFileException {
        JsonNode n = object(src, key, meta);
        JsonNode tokens = n.get("tokens");
        if (tokens == null || !tokens.isArray()) {
            throw new ModelFileException(src, "metadata '" + key + "' has no 'tokens' array");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode t : tokens) {
            if (!t.isTextual()) {
                throw new ModelFileException(src, "metadata '" + key + "' token " + list.size() + " is not a string");
            }
            list.add(t.asText());
        }
        return Vocabulary.of(TokenLevel.fromJsonName(text(src, n, "level", "char")), list);
    }

    private static LabelSet labels(String src, String json) throws ModelFileException {
        JsonNode n = parse(src, KEY_LABELS, json);
        if (!n.isArray()) {
            throw new ModelFileException(src, "metadata '" + KEY_LABELS + "' is not a JSON array of class names");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode v : n) {
            if (!v.isTextual()) {
                throw new ModelFileException(src, "metadata '" + KEY_LABELS + "' entry " + names.size()
                        + " is not a string");
            }
            names.add(v.asText());
        }
        return LabelSet.of(names);
    }

    private static Forecast forecast(String src, JsonNode n) throws ModelFileException {
        JsonNode columns = n.get("columns");
        JsonNode targets = n.get("targets");
        if (columns == null || !columns.isArray() || targets == null || !targets.isArray()) {
            throw new ModelFileException(src, "metadata '" + KEY_FORECAST + "' needs 'columns' and 'targets' arrays");
        }
        List<ColumnStats> stats = new ArrayList<>();
        for (JsonNode c : columns) {
            if (!c.isObject() || !c.path("name").isTextual() || !c.path("mean").isNumber() || !c.path("std").isNumber()) {
                throw new ModelFileException(src, "metadata '" + KEY_FORECAST + "' column " + stats.size()
                        + " is not {\"name\": ..., \"mean\": ..., \"std\": ...}");
            }
            stats.add(new ColumnStats(c.get("name").asText(), c.get("mean").asDouble(), c.get("std").asDouble()));
        }
        List<String> names = new ArrayList<>();
        for (JsonNode t : targets) {
            names.add(t.asText());
        }
        return new Forecast(integer(src, n, "window", -1), stats, names);
    }

    // ---------------------------------------------------------------- tensors

    private static void readTensors(SafeTensorsFile st, List<Parameter> parameters, List<String> prefixes,
                                    Map<String, String> meta) throws ModelFileException {
        String src = st.source();
        Set<String> expected = new HashSet<>();
        for (Parameter p : parameters) {
            expected.add(p.name());
            TensorData t = st.find(p.name()).orElseThrow(() -> new ModelFileException(src, "tensor '" + p.name()
                    + "' is missing; the config " + meta.get(ModelFile.KEY_CONFIG) + " needs it"));
            if (t.dtype() != DType.F32) {
                throw new ModelFileException(src, "tensor '" + p.name() + "' is " + t.dtype() + "; model tensors must be F32");
            }
            if (!Arrays.equals(t.shape(), p.shape())) {
                throw new ModelFileException(src, "tensor '" + p.name() + "' has shape " + Arrays.toString(t.shape())
                        + " but the config needs " + Arrays.toString(p.shape()));
            }
            float[] v = t.floats();
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new ModelFileException(src, "tensor '" + p.name() + "' holds " + v[i] + " at index " + i
                            + " (the model was saved after training diverged?)");
                }
            }
            System.arraycopy(v, 0, p.value.data, p.value.offset, v.length);
        }
        List<String> extra = new ArrayList<>();
        for (String name : st.names()) {
            if (!expected.contains(name) && prefixes.stream().anyMatch(name::startsWith)) {
                extra.add(name);
            }
        }
        if (!extra.isEmpty()) {
            throw new ModelFileException(src, "holds tensors the config does not use: " + extra
                    + " (is rnn4j.config wrong, or was the file written by a newer rnn4j?)");
        }
    }

    // ---------------------------------------------------------------- JSON helpers

    private static JsonNode object(String src, String key, Map<String, String> meta) throws ModelFileException {
        JsonNode n = parse(src, key, meta.get(key));
        if (!n.isObject()) {
            throw new ModelFileException(src, "metadata '" + key + "' is not a JSON object");
        }
        return n;
    }

    private static JsonNode parse(String src, String key, String json) throws ModelFileException {
        if (json == null) {
            throw new ModelFileException(src, "metadata '" + key + "' is missing; this kind of model needs it");
        }
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null) {
                throw new ModelFileException(src, "metadata '" + key + "' is empty");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new ModelFileException(src, "metadata '" + key + "' is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String text(String src, JsonNode n, String key, String def) throws ModelFileException {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (def == null) {
                throw new ModelFileException(src, "metadata field '" + key + "' is missing");
            }
            return def;
        }
        if (!v.isTextual()) {
            throw new ModelFileException(src, "metadata field '" + key + "' must be a string, got " + v);
        }
        return v.asText();
    }

    /** An integer, or {@code def} when absent; a negative {@code def} means required. */
    private static int integer(String src, JsonNode n, String key, int def) throws ModelFileException {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (def < 0) {
                throw new ModelFileException(src, "metadata field '" + key + "' is missing");
            }
            return def;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ModelFileException(src, "metadata field '" + key + "' must be an integer, got " + v);
        }
        return v.intValue();
    }

    private static float number(String src, JsonNode n, String key) throws ModelFileException {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return 0f;
        }
        if (!v.isNumber()) {
            throw new ModelFileException(src, "metadata field '" + key + "' must be a number, got " + v);
        }
        return v.floatValue();
    }

    private static boolean flag(String src, JsonNode n, String key) throws ModelFileException {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new ModelFileException(src, "metadata field '" + key + "' must be true or false, got " + v);
        }
        return v.booleanValue();
    }
}
