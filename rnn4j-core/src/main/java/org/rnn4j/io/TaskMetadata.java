package org.rnn4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnn4j.data.ColumnStats;
import org.rnn4j.data.LabelSet;
import org.rnn4j.data.TokenLevel;
import org.rnn4j.data.Vocabulary;
import org.rnn4j.matrix.Activation;
import org.rnn4j.model.CellType;
import org.rnn4j.model.Seq2SeqConfig;
import org.rnn4j.model.SequenceModelConfig;
import org.rnn4j.model.SequenceShape;
import org.rnn4j.model.SequenceTask;

/**
 * The JSON values of a task model file's metadata ({@link TaskModelFile}): written from the model's
 * config and reread strictly, every problem a {@link ModelFileException} naming the file and the key.
 */
final class TaskMetadata {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TaskMetadata() {
    }

    static String labelsJson(LabelSet labels) {
        return JSON.valueToTree(labels.names()).toString();
    }

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

    static String forecastJson(TaskModelFile.Forecast f) {
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

    static SequenceModelConfig sequenceConfig(String src, SequenceTask task, JsonNode n)
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

    static Seq2SeqConfig seq2seqConfig(String src, JsonNode n) throws ModelFileException {
        return Seq2SeqConfig.builder().cell(CellType.fromId(text(src, n, "cell", "rnn")))
                .nonlinearity(Activation.fromId(text(src, n, "nonlinearity", "tanh")))
                .sourceVocabSize(integer(src, n, "source_vocab_size", -1))
                .targetVocabSize(integer(src, n, "target_vocab_size", -1))
                .embeddingDim(integer(src, n, "embedding_dim", 0)).hiddenSize(integer(src, n, "hidden_size", -1))
                .numLayers(integer(src, n, "num_layers", 1)).dropout(number(src, n, "dropout")).build();
    }

    static Vocabulary vocabulary(String src, String key, Map<String, String> meta) throws ModelFileException {
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

    static LabelSet labels(String src, String json) throws ModelFileException {
        JsonNode n = parse(src, TaskModelFile.KEY_LABELS, json);
        if (!n.isArray()) {
            throw new ModelFileException(src, "metadata '" + TaskModelFile.KEY_LABELS + "' is not a JSON array of class names");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode v : n) {
            if (!v.isTextual()) {
                throw new ModelFileException(src, "metadata '" + TaskModelFile.KEY_LABELS + "' entry " + names.size()
                        + " is not a string");
            }
            names.add(v.asText());
        }
        return LabelSet.of(names);
    }

    static TaskModelFile.Forecast forecast(String src, JsonNode n) throws ModelFileException {
        JsonNode columns = n.get("columns");
        JsonNode targets = n.get("targets");
        if (columns == null || !columns.isArray() || targets == null || !targets.isArray()) {
            throw new ModelFileException(src, "metadata '" + TaskModelFile.KEY_FORECAST + "' needs 'columns' and 'targets' arrays");
        }
        List<ColumnStats> stats = new ArrayList<>();
        for (JsonNode c : columns) {
            if (!c.isObject() || !c.path("name").isTextual() || !c.path("mean").isNumber() || !c.path("std").isNumber()) {
                throw new ModelFileException(src, "metadata '" + TaskModelFile.KEY_FORECAST + "' column " + stats.size()
                        + " is not {\"name\": ..., \"mean\": ..., \"std\": ...}");
            }
            stats.add(new ColumnStats(c.get("name").asText(), c.get("mean").asDouble(), c.get("std").asDouble()));
        }
        List<String> names = new ArrayList<>();
        for (JsonNode t : targets) {
            names.add(t.asText());
        }
        return new TaskModelFile.Forecast(integer(src, n, "window", -1), stats, names);
    }

    // ---------------------------------------------------------------- JSON helpers

    static JsonNode object(String src, String key, Map<String, String> meta) throws ModelFileException {
        JsonNode n = parse(src, key, meta.get(key));
        if (!n.isObject()) {
            throw new ModelFileException(src, "metadata '" + key + "' is not a JSON object");
        }
        return n;
    }

    static JsonNode parse(String src, String key, String json) throws ModelFileException {
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

    static String text(String src, JsonNode n, String key, String def) throws ModelFileException {
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
    static int integer(String src, JsonNode n, String key, int def) throws ModelFileException {
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

    static float number(String src, JsonNode n, String key) throws ModelFileException {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return 0f;
        }
        if (!v.isNumber()) {
            throw new ModelFileException(src, "metadata field '" + key + "' must be a number, got " + v);
        }
        return v.floatValue();
    }

    static boolean flag(String src, JsonNode n, String key) throws ModelFileException {
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
