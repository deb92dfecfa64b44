package org.rnn4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.rnn4j.data.ClassificationDataset;
import org.rnn4j.data.DatasetException;
import org.rnn4j.data.DatasetSplit;
import org.rnn4j.data.ForecastDataset;
import org.rnn4j.data.LabelSet;
import org.rnn4j.data.Seq2SeqDataset;
import org.rnn4j.data.Sequences;
import org.rnn4j.data.TaggingDataset;
import org.rnn4j.data.TimeSeries;
import org.rnn4j.io.TaskModelFile;
import org.rnn4j.matrix.Activation;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.CellType;
import org.rnn4j.model.RecurrentStack;
import org.rnn4j.model.Seq2Seq;
import org.rnn4j.model.Seq2SeqConfig;
import org.rnn4j.model.SequenceModel;
import org.rnn4j.model.SequenceModelConfig;
import org.rnn4j.model.SequenceTask;
import org.rnn4j.model.StepDecoder;
import org.rnn4j.nn.Init;
import org.rnn4j.train.ClassifyTask;
import org.rnn4j.train.ForecastTask;
import org.rnn4j.train.Seq2SeqTask;
import org.rnn4j.train.SupervisedTask;
import org.rnn4j.train.TagTask;

/**
 * Reads a sequence task's data and builds its model from the train options: one method per task. The
 * randomness comes from the run's seed, split by purpose: "split" (training/validation), "init",
 * "dropout" (and the trainer's "shuffle").
 */
final class TaskSetup {
    private TaskSetup() {
    }

    /**
     * A task ready to train.
     *
     * @param description lines for the log: the data, the model, and the baseline when there is one
     * @param contents the model file's contents, given its provenance metadata
     */
    record Prepared(SupervisedTask task, List<String> description,
                    Function<Map<String, String>, TaskModelFile.Contents> contents) {
    }

    static Prepared prepare(TrainCommand o, Rng rng) throws IOException {
        return switch (o.task) {
            case TaskOptions.CLASSIFY -> classify(o, rng);
            case TaskOptions.TAG -> tag(o, rng);
            case TaskOptions.SEQ2SEQ -> seq2seq(o, rng);
            case TaskOptions.FORECAST -> forecast(o, rng);
            default -> throw new IllegalStateException("not a sequence task: " + o.task);
        };
    }

    private static Prepared classify(TrainCommand o, Rng rng) throws IOException {
        ClassificationDataset all = withHint(o, () -> ClassificationDataset.read(o.data));
        LabelSet labels = all.labels();
        requireClasses(o, labels, "label");
        DatasetSplit<ClassificationDataset> split = all.split(o.validFraction, rng.split("split").seed());
        SequenceModel model = sequenceModel(o, rng, config(o, SequenceTask.CLASSIFY, all.inputs(), labels.size()));
        ClassifyTask task = new ClassifyTask(model, split, rng.split("dropout"));
        ClassificationDataset v = split.validation();
        List<String> lines = new ArrayList<>();
        lines.add(String.format("data: %s, %d examples (%d train, %d validation); inputs: %s; %d classes", o.data,
                all.size(), split.train().size(), v.size(), describe(all.inputs()), labels.size()));
        lines.add(describe(model.config(), model.parameterCount()));
        lines.add(String.format("baseline: always the majority class '%s': validation accuracy %.4f",
                labels.name(task.majorityClass()), (double) v.labelCounts()[task.majorityClass()] / v.size()));
        return new Prepared(task, lines, meta -> new TaskModelFile.SequenceContents(model, vocabulary(all.inputs()),
                labels, null, meta));
    }

    private static Prepared tag(TrainCommand o, Rng rng) throws IOException {
        TaggingDataset all = withHint(o, () -> TaggingDataset.read(o.data));
        LabelSet tags = all.tagSet();
        requireClasses(o, tags, "tag");
        DatasetSplit<TaggingDataset> split = all.split(o.validFraction, rng.split("split").seed());
        SequenceModel model = sequenceModel(o, rng, config(o, SequenceTask.TAG, all.inputs(), tags.size()));
        TagTask task = new TagTask(model, split, rng.split("dropout"));
        TaggingDataset v = split.validation();
        List<String> lines = new ArrayList<>();
        lines.add(String.format("data: %s, %d examples (%d train, %d validation), %d tagged steps; inputs: %s; %d tags",
                o.data, all.size(), split.train().size(), v.size(), all.stepCount(), describe(all.inputs()), tags.size()));
        lines.add(describe(model.config(), model.parameterCount()));
        lines.add(String.format("baseline: always the majority tag '%s': validation accuracy %.4f",
                tags.name(task.majorityTag()), (double) TagTask.tagCounts(v)[task.majorityTag()] / v.stepCount()));
        return new Prepared(task, lines, meta -> new TaskModelFile.SequenceContents(model, vocabulary(all.inputs()),
                tags, null, meta));
    }

    private static Prepared seq2seq(TrainCommand o, Rng rng) throws IOException {
        Seq2SeqDataset all = withHint(o, () -> Seq2SeqDataset.read(o.data));
        if (all.startId() != StepDecoder.BOS || all.endId() != StepDecoder.EOS) {
            throw new IllegalArgumentException(o.data + ": the targets contain characters below U+0002, which rnn4j "
                    + "keeps for the decoder's start and end: remove them");
        }
        DatasetSplit<Seq2SeqDataset> split = all.split(o.validFraction, rng.split("split").seed());
        Seq2SeqConfig config = Seq2SeqConfig.builder().cell(CellType.fromId(o.cell))
                .nonlinearity(Activation.fromId(o.activation)).sourceVocabSize(all.sourceVocabulary().size())
                .targetVocabSize(all.targetVocabulary().size()).embeddingDim(o.embedding).hiddenSize(o.hidden)
                .numLayers(o.layers).dropout(o.dropout).build();
        Seq2Seq model = Seq2Seq.create(config, recurrentInit(o), rng.split("init"));
        stackOptions(o, model.encoder());
        stackOptions(o, model.decoder());
        Seq2SeqTask task = new Seq2SeqTask(model, split, o.beam == null ? 0 : o.beam, rng.split("dropout"));
        List<String> lines = new ArrayList<>();
        lines.add(String.format("data: %s, %d pairs (%d train, %d validation); sources: %d characters, up to %d long; "
                        + "targets: %d characters (2 of them START and END), up to %d long", o.data, all.size(),
                split.train().size(), split.validation().size(), all.sourceVocabulary().size(),
                all.sources().maxLength(), all.targetVocabulary().size(), all.targets().maxLength()));
        lines.add(String.format(Locale.ROOT, "model: seq2seq, encoder and decoder %s; %,d parameters",
                describeStack(config.cell(), config.nonlinearity(), config.numLayers(), config.hiddenSize(),
                        config.dropout()) + (config.embeddingDim() > 0 ? ", E=" + config.embeddingDim() : ", one-hot"),
                model.parameterCount()));
        return new Prepared(task, lines, meta -> new TaskModelFile.Seq2SeqContents(model, all.sourceVocabulary(),
                all.targetVocabulary(), meta));
    }

    private static Prepared forecast(TrainCommand o, Rng rng) throws IOException {
        TimeSeries series = withHint(o, () -> TimeSeries.readCsv(o.data));
        boolean fractionGiven = o.spec.commandLine().getParseResult().hasMatchedOption("--valid-fraction");
        ForecastDataset.Builder b = ForecastDataset.builder()
                .window(o.window != null ? o.window : ForecastDataset.DEFAULT_WINDOW)
                .validationFraction(fractionGiven ? o.validFraction : ForecastDataset.DEFAULT_VALIDATION_FRACTION)
                .shape(TaskOptions.forecastShape(o));
        if (o.target != null) {
            b.target(o.target);
        }
        ForecastDataset data;
        try {
            data = b.build(series);
        } catch (IllegalArgumentException e) { // a window too long for the series, or an unknown --target
            throw new UsageFailure(e.getMessage());
        }
        SequenceModelConfig.Builder cb = stack(o, SequenceModelConfig.builder(SequenceTask.FORECAST))
                .shape(ForecastTask.shapeOf(data.shape())).featureSize(data.inputSize()).outputSize(data.targetSize());
        SequenceModel model = sequenceModel(o, rng, cb.build());
        ForecastTask task = new ForecastTask(model, data, rng.split("dropout"));
        List<String> lines = new ArrayList<>();
        lines.add(String.format("data: %s, %d time steps of %s; training steps 0..%d (%d windows), validation steps "
                        + "%d..%d (%d windows); windows of %d steps predict %s one step ahead (%s)", o.data,
                series.length(), series.columns(), data.splitPoint() - 1, data.train().size(), data.splitPoint(),
                series.length() - 1, data.validation().size(), data.window(), data.targetColumns(),
                ForecastTask.shapeOf(data.shape()).id()));
        lines.add(describe(model.config(), model.parameterCount()));
        lines.add(String.format("baseline: naive last-value forecast: validation RMSE %.5g",
                data.validation().naiveRmse()));
        TaskModelFile.Forecast settings = new TaskModelFile.Forecast(data.window(), data.stats(), data.targetColumns());
        return new Prepared(task, lines, meta -> new TaskModelFile.SequenceContents(model, null, null, settings, meta));
    }

    // ---------------------------------------------------------------- models

    private static SequenceModelConfig config(TrainCommand o, SequenceTask task, Sequences inputs, int classes) {
        SequenceModelConfig.Builder b = stack(o, SequenceModelConfig.builder(task)).outputSize(classes);
        if (inputs.hasTokens()) {
            return b.vocabSize(inputs.vocabulary().size()).embeddingDim(o.embedding).build();
        }
        if (o.embedding > 0) {
            throw new UsageFailure("--embedding applies to token inputs (text or token lists), but " + o.data + " holds "
                    + inputs.featureSize() + " number(s) per step: leave --embedding out");
        }
        return b.featureSize(inputs.featureSize()).build();
    }

    private static SequenceModelConfig.Builder stack(TrainCommand o, SequenceModelConfig.Builder b) {
        b.cell(CellType.fromId(o.cell)).nonlinearity(Activation.fromId(o.activation)).hiddenSize(o.hidden)
                .numLayers(o.layers).dropout(o.dropout);
        if (o.bidirectional) {
            b.bidirectional();
        }
        if (o.learnedH0) {
            b.learnedInitialState();
        }
        return b;
    }

    private static SequenceModel sequenceModel(TrainCommand o, Rng rng, SequenceModelConfig config) {
        SequenceModel model = SequenceModel.create(config, recurrentInit(o), rng.split("init"));
        stackOptions(o, model.rnn());
        return model;
    }

    private static Init.RecurrentInit recurrentInit(TrainCommand o) {
        return new Init.RecurrentInit(Init.Recurrent.valueOf(o.init.toUpperCase(Locale.ROOT)), o.initGain,
                o.spectralRadius == null ? Float.NaN : o.spectralRadius);
    }

    /** The forget-gate bias (an initialisation) and gradient checkpointing (a runtime mode, not saved). */
    private static void stackOptions(TrainCommand o, RecurrentStack stack) {
        if (o.forgetBias != null) {
            stack.setForgetGateBias(o.forgetBias);
        }
        stack.setCheckpointEvery(o.checkpointEvery);
    }

    private static void requireClasses(TrainCommand o, LabelSet labels, String what) {
        if (labels.size() < 2) {
            throw new IllegalArgumentException(o.data + ": every example has the " + what + " '" + labels.name(0)
                    + "': there is nothing to learn with one class; give examples of at least two");
        }
    }

    private static org.rnn4j.data.Vocabulary vocabulary(Sequences inputs) {
        return inputs.hasTokens() ? inputs.vocabulary() : null;
    }

    // ---------------------------------------------------------------- descriptions

    static String describe(Sequences s) {
        int min = Integer.MAX_VALUE;
        for (int i = 0; i < s.size(); i++) {
            min = Math.min(min, s.length(i));
        }
        String kind = switch (s.kind()) {
            case TEXT -> "text of " + s.vocabulary().size() + " distinct characters";
            case TOKENS -> "token lists, vocabulary of " + s.vocabulary().size();
            case FEATURES -> s.featureSize() + (s.featureSize() == 1 ? " number" : " numbers") + " per step";
        };
        return kind + ", " + min + ".." + s.maxLength() + " steps";
    }

    static String describe(SequenceModelConfig c, long parameters) {
        String input = c.tokenInput() ? (c.embeddingDim() > 0 ? "E=" + c.embeddingDim() + " embedding of V=" + c.vocabSize()
                : "one-hot V=" + c.vocabSize()) : "D=" + c.featureSize();
        return String.format(Locale.ROOT, "model: %s (%s), %s%s, %s, K=%d outputs; %,d parameters", c.task().id(),
                c.shape().id(), describeStack(c.cell(), c.nonlinearity(), c.numLayers(), c.hiddenSize(), c.dropout()),
                c.bidirectional() ? ", bidirectional" : "", input, c.outputSize(), parameters);
    }

    private static String describeStack(CellType cell, Activation f, int layers, int hidden, float dropout) {
        return String.format(Locale.ROOT, "%s %d layer%s, H=%d%s", cell == CellType.RNN ? "rnn(" + f.id() + ")" : cell.id(),
                layers, layers == 1 ? "" : "s", hidden, dropout > 0 ? ", dropout " + dropout : "");
    }

    // ---------------------------------------------------------------- data format hints

    interface Reader<T> {
        T read() throws IOException;
    }

    /** Reads the data; a format error gets a hint when the file looks like the data of another task. */
    static <T> T withHint(TrainCommand o, Reader<T> reader) throws IOException {
        try {
            return reader.read();
        } catch (DatasetException e) {
            String looks = guessTask(o.data);
            if (looks == null || looks.equals(o.task)) {
                throw e;
            }
            throw new IOException(e.getMessage() + " (the file looks like data for --task " + looks + ")", e);
        }
    }

    /** The task whose format the file's first data line has, or null when it is not clear. */
    static String guessTask(Path file) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 100; i++) {
                String line = r.readLine();
                if (line == null) {
                    return null;
                }
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (!line.startsWith("{")) { // a CSV header, then a row of numbers?
                    String row = r.readLine();
                    return row != null && row.strip().matches("[-+0-9.eE]+( *, *[-+0-9.eE]+)*") ? TaskOptions.FORECAST
                            : null;
                }
                JsonNode n = new ObjectMapper().readTree(line);
                return n.has("tags") ? TaskOptions.TAG : n.has("label") ? TaskOptions.CLASSIFY
                        : n.has("source") && n.has("target") ? TaskOptions.SEQ2SEQ : null;
            }
        } catch (IOException | RuntimeException e) {
            return null; // no hint: the reader's own message stands
        }
        return null;
    }
}
