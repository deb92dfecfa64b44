package org.rnn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnn4j.data.ClassificationDataset;
import org.rnn4j.data.ColumnStats;
import org.rnn4j.data.DatasetException;
import org.rnn4j.data.ForecastShape;
import org.rnn4j.data.ForecastWindows;
import org.rnn4j.data.LabelSet;
import org.rnn4j.data.Seq2SeqDataset;
import org.rnn4j.data.SeriesWindows;
import org.rnn4j.data.Sequences;
import org.rnn4j.data.TaggingDataset;
import org.rnn4j.data.TimeSeries;
import org.rnn4j.io.TaskModelFile;
import org.rnn4j.model.SequenceModel;
import org.rnn4j.model.SequenceShape;
import org.rnn4j.train.ClassifyTask;
import org.rnn4j.train.ForecastTask;
import org.rnn4j.train.Seq2SeqTask;
import org.rnn4j.train.TagTask;
import org.rnn4j.train.TaskMetrics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a model trained with train --task classify, tag, seq2seq or forecast on a data file of "
                + "its task's format: print one prediction per line (prediction, expected, input; tab-separated), "
                + "then the task's metric over the whole file.",
                "A forecaster reads every window of the series (normalised with the statistics it was trained with) "
                        + "and predicts the step after it."})
final class PredictCommand implements Callable<Integer> {
    private static final int MAX_INPUT_CHARS = 80;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ThreadsOption kernelThreads = new ThreadsOption();

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A task model file (.safetensors).")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Examples in the format the model "
            + "was trained on: JSON lines (classify, tag, seq2seq) or CSV (forecast).")
    Path data;

    @Option(names = "--beam", paramLabel = "K", description = "seq2seq: predict with beam search of width K instead of "
            + "greedy decoding (both are scored).")
    Integer beam;

    @Option(names = "--show", paramLabel = "N", description = "Print at most N predictions; 0 prints only the metric "
            + "(default: all).")
    Integer show;

    @Option(names = "--json", description = "Print the metrics as one JSON object as the last line.")
    boolean json;

    private final List<String[]> rows = new ArrayList<>();
    private String[] header;

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        if (beam != null && beam < 1) {
            throw new CommandLine.ParameterException(cl, "--beam must be a positive integer, got " + beam);
        }
        if (show != null && show < 0) {
            throw new CommandLine.ParameterException(cl, "--show must be 0 or positive, got " + show);
        }
        TaskModelFile.Contents contents = TaskModelFile.load(model);
        if (beam != null && !(contents instanceof TaskModelFile.Seq2SeqContents)) {
            throw new CommandLine.ParameterException(cl, "--beam applies to seq2seq models, and " + model + " is a "
                    + contents.task() + " model");
        }
        TaskMetrics metrics;
        long examples;
        try {
            if (contents instanceof TaskModelFile.Seq2SeqContents s) {
                Seq2SeqDataset d = read(contents.task(), () -> Seq2SeqDataset.reader()
                        .sourceVocabulary(s.sourceVocabulary()).targetVocabulary(s.targetVocabulary()).read(data));
                metrics = seq2seq(s, d);
                examples = d.size();
            } else {
                TaskModelFile.SequenceContents s = (TaskModelFile.SequenceContents) contents;
                switch (contents.task()) {
                    case TaskOptions.CLASSIFY -> {
                        ClassificationDataset.Reader r = ClassificationDataset.reader().labels(s.labels());
                        ClassificationDataset d = read(contents.task(), () -> (s.vocabulary() != null
                                ? r.inputVocabulary(s.vocabulary()) : r).read(data));
                        metrics = classify(s, d);
                        examples = d.size();
                    }
                    case TaskOptions.TAG -> {
                        TaggingDataset.Reader r = TaggingDataset.reader().tagSet(s.labels());
                        TaggingDataset d = read(contents.task(), () -> (s.vocabulary() != null
                                ? r.inputVocabulary(s.vocabulary()) : r).read(data));
                        metrics = tag(s, d);
                        examples = d.size();
                    }
                    default -> {
                        ForecastWindows w = forecastWindows(s);
                        metrics = forecast(s, w);
                        examples = w.size();
                    }
                }
            }
        } catch (IllegalArgumentException e) { // the file is readable but does not fit the model
            String m = e.getMessage();
            throw new IllegalArgumentException(m.startsWith(data.toString()) ? m : data + ": " + m, e);
        }

        PrintWriter out = cl.getOut();
        int limit = show == null ? rows.size() : Math.min(show, rows.size());
        if (limit > 0) {
            out.println(String.join("\t", header));
        }
        for (int i = 0; i < limit; i++) {
            out.println(String.join("\t", rows.get(i)));
        }
        String unit = contents.task().equals(TaskOptions.FORECAST) ? "windows" : "examples";
        out.printf("%s over %d %s of %s; loss %.4g%n", TaskTraining.describe(contents.task(), metrics, beam), examples,
                unit, data, metrics.loss());
        if (json) {
            ObjectNode o = new ObjectMapper().createObjectNode().put("task", contents.task())
                    .put("model", model.toString()).put("data", data.toString()).put(unit, examples)
                    .put("loss", metrics.loss());
            metrics.values().forEach(o::put);
            out.println(o);
        }
        out.flush();
        return Main.EXIT_OK;
    }

    private TaskMetrics classify(TaskModelFile.SequenceContents s, ClassificationDataset d) {
        check(s.model(), d.inputs());
        LabelSet labels = s.labels();
        int[] predicted = ClassifyTask.predict(s.model(), d);
        header("prediction", "label", "input");
        for (int i = 0; i < d.size(); i++) {
            rows.add(new String[] {labels.name(predicted[i]), labels.name(d.label(i)), shorten(d.inputs().describe(i))});
        }
        return ClassifyTask.evaluate(s.model(), d, ClassifyTask.mostCommon(d.labelCounts()));
    }

    private TaskMetrics tag(TaskModelFile.SequenceContents s, TaggingDataset d) {
        check(s.model(), d.inputs());
        LabelSet tags = s.labels();
        List<int[]> predicted = TagTask.predict(s.model(), d);
        header("prediction", "tags", "input");
        for (int i = 0; i < d.size(); i++) {
            rows.add(new String[] {names(tags, predicted.get(i)), names(tags, d.tags(i)), shorten(d.inputs().describe(i))});
        }
        return TagTask.evaluate(s.model(), d, ClassifyTask.mostCommon(TagTask.tagCounts(d)));
    }

    private TaskMetrics seq2seq(TaskModelFile.Seq2SeqContents s, Seq2SeqDataset d) {
        Seq2SeqTask.checkModel(s.model(), d);
        List<int[]> predicted = beam != null ? Seq2SeqTask.beam(s.model(), d, beam) : Seq2SeqTask.greedy(s.model(), d);
        header("prediction", "target", "source");
        for (int i = 0; i < d.size(); i++) {
            rows.add(new String[] {s.targetVocabulary().decode(predicted.get(i)), d.targetText(i), d.sourceText(i)});
        }
        return Seq2SeqTask.evaluate(s.model(), d, beam == null ? 0 : beam);
    }

    private ForecastWindows forecastWindows(TaskModelFile.SequenceContents s) throws IOException {
        TaskModelFile.Forecast f = s.forecast();
        List<String> columns = f.columns().stream().map(ColumnStats::column).toList();
        TimeSeries series = read(TaskOptions.FORECAST, () -> TimeSeries.readCsv(data, columns));
        ForecastShape shape = s.model().config().shape() == SequenceShape.MANY_TO_ONE ? ForecastShape.MANY_TO_ONE
                : ForecastShape.MANY_TO_MANY;
        return SeriesWindows.of(series, f.columns(), f.targets(), f.window(), shape);
    }

    private TaskMetrics forecast(TaskModelFile.SequenceContents s, ForecastWindows w) {
        TaskModelFile.Forecast f = s.forecast();
        List<ColumnStats> targetStats = f.targets().stream()
                .map(t -> f.columns().stream().filter(c -> c.column().equals(t)).findFirst().orElseThrow()).toList();
        List<double[]> predicted = ForecastTask.predict(s.model(), w, targetStats);
        int k = f.targets().size();
        header("step", "prediction", "actual");
        for (int i = 0; i < w.size(); i++) {
            double[] p = predicted.get(i);
            float[] target = w.target(i); // normalised; its last K values are the step after the window
            StringBuilder pred = new StringBuilder();
            StringBuilder actual = new StringBuilder();
            for (int j = 0; j < k; j++) {
                String sep = j == 0 ? "" : " ";
                pred.append(sep).append(String.format(Locale.ROOT, "%.6g", p[p.length - k + j]));
                actual.append(sep).append(String.format(Locale.ROOT, "%.6g",
                        targetStats.get(j).denormalize(target[target.length - k + j])));
            }
            rows.add(new String[] {Integer.toString(i + f.window()), pred.toString(), actual.toString()});
        }
        return ForecastTask.evaluate(s.model(), w, targetStats);
    }

    private void header(String... names) {
        header = names;
    }

    /** Throws unless the model reads inputs of this kind and size (a vocabulary mismatch fails in the reader). */
    private static void check(SequenceModel m, Sequences inputs) {
        var c = m.config();
        if (inputs.hasTokens() != c.tokenInput() || !inputs.hasTokens() && inputs.featureSize() != c.featureSize()) {
            throw new IllegalArgumentException("the inputs are " + (inputs.hasTokens() ? "text or token lists"
                    : inputs.featureSize() + " number(s) per step") + ", but the model reads " + (c.tokenInput()
                    ? "text or token lists" : c.featureSize() + " number(s) per step"));
        }
    }

    private static String names(LabelSet labels, int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            sb.append(sb.length() == 0 ? "" : " ").append(labels.name(id));
        }
        return sb.toString();
    }

    private static String shorten(String s) {
        String t = s.replace("\t", "\\t").replace("\n", "\\n");
        return t.length() > MAX_INPUT_CHARS ? t.substring(0, MAX_INPUT_CHARS) + "..." : t;
    }

    /** Reads the data; a format error gets a hint when the file looks like another task's data. */
    private <T> T read(String task, TaskSetup.Reader<T> reader) throws IOException {
        try {
            return reader.read();
        } catch (DatasetException e) {
            String looks = TaskSetup.guessTask(data);
            if (looks == null || looks.equals(task)) {
                throw e;
            }
            throw new IOException(e.getMessage() + " (the file looks like data for a " + looks + " model, and "
                    + model + " is a " + task + " model)", e);
        }
    }
}
