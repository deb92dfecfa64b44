package org.rnn4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.rnn4j.data.TokenLevel;
import org.rnn4j.data.Vocabulary;
import org.rnn4j.matrix.Activation;
import org.rnn4j.model.CellType;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.ModelConfig;
import org.rnn4j.nn.Parameter;

/**
 * The rnn4j model file: safetensors with F32 tensors named as the PyTorch module
 * {@code embedding → rnn → decoder} names them in its {@code state_dict}, and in {@code __metadata__}:
 * <pre>
 *   "format":       "rnn4j"
 *   "rnn4j.config": {"cell": "rnn"|"lstm"|"gru", "nonlinearity": "tanh", "vocab_size": V, "embedding_dim": E,
 *                    "hidden_size": H, "num_layers": L, "dropout": 0.0, "bidirectional": false,
 *                    "learned_initial_state": false}
 *   "rnn4j.vocab":  {"level": "char"|"word", "tokens": [...]}     (a token's id is its index)
 *   provenance:     "rnn4j.version", "rnn4j.created_at", "rnn4j.seed", "rnn4j.args", "rnn4j.corpus_sha256", …
 * </pre>
 * A reader needs only {@code format}, {@code rnn4j.config} and {@code rnn4j.vocab}; config keys that are
 * absent take their defaults ({@link ModelConfig}), with vocab_size taken from the vocabulary and
 * hidden_size and embedding_dim from the tensors' shapes when absent. Tensors whose names lie outside
 * {@code embedding.}, {@code rnn.} and {@code decoder.} are ignored, so a file may carry other data.
 */
public final class ModelFile {
    public static final String FORMAT = "rnn4j";
    public static final String KEY_FORMAT = "format";
    public static final String KEY_CONFIG = "rnn4j.config";
    public static final String KEY_VOCAB = "rnn4j.vocab";
    public static final String KEY_VERSION = "rnn4j.version";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The children of the PyTorch module; tensors named outside them are not part of the model. */
    private static final List<String> MODULE_PREFIXES = List.of("embedding.", "rnn.", "decoder.");

    private ModelFile() {
    }

    /** A loaded model with its vocabulary and all metadata of the file. */
    public record Contents(LanguageModel model, Vocabulary vocabulary, Map<String, String> metadata) {
    }

    /** The version of this library, as recorded in files it writes. */
    public static String libraryVersion() {
        try (InputStream in = ModelFile.class.getResourceAsStream("/org/rnn4j/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * Writes the model atomically (a temporary file, then a rename). {@code provenance} entries are added
     * to the metadata as given (use keys starting with {@code rnn4j.}).
     */
    public static void save(Path file, LanguageModel model, Vocabulary vocab, Map<String, String> provenance)
            throws IOException {
        save(file, model, vocab, provenance, List.of());
    }

    /**
     * As {@link #save(Path, LanguageModel, Vocabulary, Map)}, with extra tensors after the model's (their
     * names must lie outside {@code embedding.}, {@code rnn.} and {@code decoder.}, so readers ignore them).
     * Checkpoints store the training state this way.
     */
    public static void save(Path file, LanguageModel model, Vocabulary vocab, Map<String, String> provenance,
                            List<TensorData> extra) throws IOException {
        for (TensorData t : extra) {
            if (MODULE_PREFIXES.stream().anyMatch(t.name()::startsWith)) {
                throw new IllegalArgumentException("extra tensor '" + t.name() + "' uses a model namespace");
            }
        }
        if (vocab.size() != model.config().vocabSize()) {
            throw new IllegalArgumentException("the vocabulary has " + vocab.size() + " tokens but the model's vocab_size is "
                    + model.config().vocabSize());
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(KEY_FORMAT, FORMAT);
        meta.put(KEY_CONFIG, configJson(model.config()));
        meta.put(KEY_VOCAB, vocabJson(vocab));
        meta.put(KEY_VERSION, libraryVersion());
        meta.putAll(provenance);
        List<TensorData> tensors = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            tensors.add(TensorData.ofFloats(p.name(), p.shape(), p.value.toArray()));
        }
        tensors.addAll(extra);
        SafeTensors.write(file, tensors, meta);
    }

    public static Contents load(Path file) throws IOException {
        SafeTensorsFile st = SafeTensors.read(file);
        String src = st.source();
        Map<String, String> meta = st.metadata();
        String format = meta.get(KEY_FORMAT);
        if (!FORMAT.equals(format)) {
            throw new ModelFileException(src, "is a safetensors file but not an rnn4j model (metadata 'format' is "
                    + (format == null ? "missing" : "'" + format + "'") + ", expected 'rnn4j')");
        }
        String task = meta.get(TaskModelFile.KEY_TASK);
        if (task != null) {
            throw new ModelFileException(src, "is a " + task + " model, not a language model: read it with "
                    + "TaskModelFile (on the command line: rnn4j predict)");
        }
        Vocabulary vocab = parseVocab(src, meta.get(KEY_VOCAB));
        ModelConfig config = parseConfig(src, meta.get(KEY_CONFIG), vocab, st);
        LanguageModel model;
        try {
            model = new LanguageModel(config);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(src, "is not a language model rnn4j can run: " + e.getMessage());
        }
        Set<String> expected = new HashSet<>();
        for (Parameter p : model.parameters()) {
            expected.add(p.name());
            TensorData t = st.find(p.name()).orElseThrow(() -> new ModelFileException(src, "tensor '" + p.name()
                    + "' is missing; the config " + meta.get(KEY_CONFIG) + " needs it"));
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
            // Tensors outside the module's namespaces (e.g. test data stored beside the weights) are ignored;
            // an unused tensor inside them means the config and the weights disagree.
            if (!expected.contains(name) && MODULE_PREFIXES.stream().anyMatch(name::startsWith)) {
                extra.add(name);
            }
        }
        if (!extra.isEmpty()) {
            throw new ModelFileException(src, "holds tensors the config does not use: " + extra
                    + " (is rnn4j.config wrong, or was the file written by a newer rnn4j?)");
        }
        return new Contents(model, vocab, meta);
    }

    static String configJson(ModelConfig c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("cell", c.cell().id());
        o.put("nonlinearity", c.nonlinearity().id());
        o.put("vocab_size", c.vocabSize());
        o.put("embedding_dim", c.embeddingDim());
        o.put("hidden_size", c.hiddenSize());
        o.put("num_layers", c.numLayers());
        o.put("dropout", c.dropout());
        o.put("bidirectional", c.bidirectional());
        o.put("learned_initial_state", c.learnedInitialState());
        return o.toString();
    }

    static String vocabJson(Vocabulary v) {
        ObjectNode o = JSON.createObjectNode();
        o.put("level", v.level().jsonName());
        ArrayNode tokens = o.putArray("tokens");
        v.tokens().forEach(tokens::add);
        return o.toString();
    }

    private static JsonNode parseObject(String src, String key, String json) throws ModelFileException {
        if (json == null) {
            throw new ModelFileException(src, "metadata '" + key + "' is missing; it is required in rnn4j model files");
        }
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null || !n.isObject()) {
                throw new ModelFileException(src, "metadata '" + key + "' is not a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new ModelFileException(src, "metadata '" + key + "' is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Vocabulary parseVocab(String src, String json) throws ModelFileException {
        JsonNode n = parseObject(src, KEY_VOCAB, json);
        JsonNode tokens = n.get("tokens");
        if (tokens == null || !tokens.isArray()) {
            throw new ModelFileException(src, "metadata 'rnn4j.vocab' has no 'tokens' array");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode t : tokens) {
            if (!t.isTextual()) {
                throw new ModelFileException(src, "metadata 'rnn4j.vocab' token " + list.size() + " is not a string");
            }
            list.add(t.asText());
        }
        try {
            TokenLevel level = TokenLevel.fromJsonName(n.path("level").asText("char"));
            return Vocabulary.of(level, list);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(src, "metadata 'rnn4j.vocab' is invalid: " + e.getMessage(), e);
        }
    }

    private static ModelConfig parseConfig(String src, String json, Vocabulary vocab, SafeTensorsFile st)
            throws ModelFileException {
        JsonNode n = parseObject(src, KEY_CONFIG, json);
        try {
            ModelConfig.Builder b = ModelConfig.builder();
            b.cell(CellType.fromId(text(n, "cell", ModelConfig.DEFAULT_CELL.id())));
            b.nonlinearity(Activation.fromId(text(n, "nonlinearity", ModelConfig.DEFAULT_NONLINEARITY.id())));
            int vocabSize = integer(src, n, "vocab_size", vocab.size());
            if (vocabSize != vocab.size()) {
                throw new ModelFileException(src, "rnn4j.config says vocab_size " + vocabSize + " but rnn4j.vocab holds "
                        + vocab.size() + " tokens");
            }
            b.vocabSize(vocabSize);
            int embeddingDefault = st.find("embedding.weight").filter(t -> t.rank() == 2).map(t -> t.dim(1))
                    .orElse(ModelConfig.DEFAULT_EMBEDDING_DIM);
            b.embeddingDim(integer(src, n, "embedding_dim", embeddingDefault));
            int hiddenDefault = st.find("decoder.weight").filter(t -> t.rank() == 2).map(t -> t.dim(1)).orElse(-1);
            int hidden = integer(src, n, "hidden_size", hiddenDefault);
            if (hidden < 0) {
                throw new ModelFileException(src, "rnn4j.config has no hidden_size and there is no decoder.weight to infer it from");
            }
            b.hiddenSize(hidden);
            b.numLayers(integer(src, n, "num_layers", ModelConfig.DEFAULT_NUM_LAYERS));
            JsonNode dropout = n.get("dropout");
            if (dropout != null && !dropout.isNull()) {
                if (!dropout.isNumber()) {
                    throw new ModelFileException(src, "rnn4j.config 'dropout' must be a number, got " + dropout);
                }
                b.dropout(dropout.floatValue());
            }
            if (flag(src, n, "bidirectional")) {
                b.bidirectional();
            }
            if (flag(src, n, "learned_initial_state")) {
                b.learnedInitialState();
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(src, "rnn4j.config is invalid: " + e.getMessage(), e);
        }
    }

    private static boolean flag(String src, JsonNode n, String key) throws ModelFileException {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new ModelFileException(src, "rnn4j.config '" + key + "' must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    private static String text(JsonNode n, String key, String def) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("'" + key + "' must be a string, got " + v);
        }
        return v.asText();
    }

    private static int integer(String src, JsonNode n, String key, int def) throws ModelFileException {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new ModelFileException(src, "rnn4j.config '" + key + "' must be an integer, got " + v);
        }
        return v.intValue();
    }
}
