package org.rnn4j.io;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.rnn4j.data.Vocabulary;
import org.rnn4j.model.Seq2Seq;
import org.rnn4j.model.Seq2SeqConfig;
import org.rnn4j.model.SequenceModel;
import org.rnn4j.model.SequenceModelConfig;
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
            meta.put(ModelFile.KEY_CONFIG, TaskMetadata.configJson(s.model().config()));
            if (s.vocabulary() != null) {
                meta.put(ModelFile.KEY_VOCAB, ModelFile.vocabJson(s.vocabulary()));
            }
            if (s.labels() != null) {
                meta.put(KEY_LABELS, TaskMetadata.labelsJson(s.labels()));
            }
            if (s.forecast() != null) {
                meta.put(KEY_FORECAST, TaskMetadata.forecastJson(s.forecast()));
            }
            parameters = s.model().parameters();
        } else {
            Seq2SeqContents s = (Seq2SeqContents) contents;
            meta.put(ModelFile.KEY_CONFIG, TaskMetadata.configJson(s.model().config()));
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
            JsonNode config = TaskMetadata.object(src, ModelFile.KEY_CONFIG, meta);
            if (task.equals(SEQ2SEQ)) {
                Seq2Seq model = new Seq2Seq(TaskMetadata.seq2seqConfig(src, config));
                Vocabulary source = TaskMetadata.vocabulary(src, KEY_SOURCE_VOCAB, meta);
                Vocabulary target = TaskMetadata.vocabulary(src, KEY_TARGET_VOCAB, meta);
                readTensors(st, model.parameters(), SEQ2SEQ_PREFIXES, meta);
                return new Seq2SeqContents(model, source, target, meta);
            }
            SequenceModel model = new SequenceModel(TaskMetadata.sequenceConfig(src, sequenceTask(src, task), config));
            Vocabulary vocab = meta.containsKey(ModelFile.KEY_VOCAB)
                    ? TaskMetadata.vocabulary(src, ModelFile.KEY_VOCAB, meta) : null;
            LabelSet labels = meta.containsKey(KEY_LABELS) ? TaskMetadata.labels(src, meta.get(KEY_LABELS)) : null;
            Forecast forecast = meta.containsKey(KEY_FORECAST)
                    ? TaskMetadata.forecast(src, TaskMetadata.object(src, KEY_FORECAST, meta)) : null;
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
}
