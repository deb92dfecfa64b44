package org.rnn4j.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.data.ForecastShape;
import picocli.CommandLine;

/**
 * Which {@code train} options each {@code --task} reads, and the checks of their values for the sequence
 * tasks. An option given to a task that does not read it is a usage error naming both, so that a
 * mistyped command never trains something other than what was asked.
 */
final class TaskOptions {
    static final String LM = "lm";
    static final String CLASSIFY = "classify";
    static final String TAG = "tag";
    static final String SEQ2SEQ = "seq2seq";
    static final String FORECAST = "forecast";
    static final List<String> TASKS = List.of(LM, CLASSIFY, TAG, SEQ2SEQ, FORECAST);
    private static final List<String> SEQUENCE_TASKS = List.of(CLASSIFY, TAG, SEQ2SEQ, FORECAST);

    /** The options that only some tasks read; every other option of train applies to all of them. */
    private static final Map<String, List<String>> APPLIES_TO = new LinkedHashMap<>();

    static {
        for (String lmOnly : List.of("--text", "--level", "--min-count", "--seq-len", "--tbptt", "--sample-length",
                "--resume", "--schedule")) {
            APPLIES_TO.put(lmOnly, List.of(LM));
        }
        APPLIES_TO.put("--data", SEQUENCE_TASKS);
        APPLIES_TO.put("--bidirectional", List.of(CLASSIFY, TAG, FORECAST));
        APPLIES_TO.put("--learned-h0", List.of(LM, CLASSIFY, TAG, FORECAST));
        APPLIES_TO.put("--embedding", List.of(LM, CLASSIFY, TAG, SEQ2SEQ));
        APPLIES_TO.put("--window", List.of(FORECAST));
        APPLIES_TO.put("--shape", List.of(FORECAST));
        APPLIES_TO.put("--target", List.of(FORECAST));
        APPLIES_TO.put("--beam", List.of(SEQ2SEQ));
    }

    private TaskOptions() {
    }

    /** Throws a usage error for an unknown task or an option given that the task does not read. */
    static void checkApplicable(CommandLine.Model.CommandSpec spec, String task) {
        CommandLine cl = spec.commandLine();
        if (!TASKS.contains(task)) {
            throw new CommandLine.ParameterException(cl, "--task must be one of " + String.join(", ", TASKS) + ", got '"
                    + task + "'");
        }
        for (CommandLine.Model.OptionSpec o : cl.getParseResult().matchedOptions()) {
            String name = o.longestName();
            List<String> tasks = APPLIES_TO.get(name);
            if (tasks != null && !tasks.contains(task)) {
                throw new CommandLine.ParameterException(cl, name + " does not apply to --task " + task + advice(name, tasks));
            }
        }
    }

    private static String advice(String option, List<String> tasks) {
        if (option.equals("--text")) {
            return ": the sequence tasks read their examples from --data FILE";
        }
        if (option.equals("--data")) {
            return ": a language model trains on --text FILE (give --task classify, tag, seq2seq or forecast for --data)";
        }
        if (option.equals("--embedding")) {
            return ": a forecaster reads numbers, not tokens";
        }
        return tasks.equals(List.of(LM)) ? ": it is an option of the language model (--task lm)"
                : ": it applies to --task " + String.join(", ", tasks);
    }

    /** Checks the values of the options the sequence tasks read (the lm path has its own checks). */
    static void validate(TrainCommand o) {
        CommandLine cl = o.spec.commandLine();
        if (o.data == null) {
            throw new CommandLine.ParameterException(cl, "--task " + o.task + " needs --data FILE: " + format(o.task)
                    + " (rnn4j generate writes example files)");
        }
        positive(cl, o.hidden, "--hidden");
        positive(cl, o.layers, "--layers");
        positive(cl, o.batch, "--batch");
        positive(cl, o.evalEvery, "--eval-every");
        TrainCommand.checkCheckpointEvery(cl, o.checkpointEvery);
        if ((long) o.hidden * Math.max(o.hidden, o.embedding) > Integer.MAX_VALUE - 8) {
            throw new CommandLine.ParameterException(cl, "--hidden " + o.hidden + " is too large: a weight matrix of "
                    + o.hidden + " x " + Math.max(o.hidden, o.embedding) + " does not fit in one Java array");
        }
        if (o.embedding < 0) {
            throw new CommandLine.ParameterException(cl, "--embedding must be 0 (one-hot) or positive, got " + o.embedding);
        }
        if (o.duration.steps != null) {
            positive(cl, o.duration.steps, "--steps");
        }
        if (o.duration.epochs != null && !(o.duration.epochs > 0 && Double.isFinite(o.duration.epochs))) {
            throw new CommandLine.ParameterException(cl, "--epochs must be positive, got " + o.duration.epochs);
        }
        check(cl, o.timeLimit >= 0 && Double.isFinite(o.timeLimit), "--time-limit must be 0 (none) or positive minutes, got "
                + o.timeLimit);
        check(cl, o.lr == null || o.lr > 0 && Float.isFinite(o.lr), "--lr must be positive, got " + o.lr);
        check(cl, o.clipNorm >= 0 && Float.isFinite(o.clipNorm), "--clip-norm must be 0 (off) or positive, got " + o.clipNorm);
        check(cl, o.clipValue >= 0 && Float.isFinite(o.clipValue), "--clip-value must be 0 (off) or positive, got "
                + o.clipValue);
        check(cl, o.validFraction > 0 && o.validFraction < 1, "--valid-fraction must be between 0 and 1 (exclusive), got "
                + o.validFraction);
        check(cl, o.initGain > 0 && Float.isFinite(o.initGain), "--init-gain must be positive, got " + o.initGain);
        check(cl, o.spectralRadius == null || o.spectralRadius > 0 && Float.isFinite(o.spectralRadius),
                "--spectral-radius must be positive, got " + o.spectralRadius);
        check(cl, o.dropout >= 0 && o.dropout < 1, "--dropout must be in [0, 1), got " + o.dropout);
        oneOf(cl, o.activation, "--activation", "tanh", "relu", "sigmoid");
        oneOf(cl, o.cell, "--cell", "rnn", "lstm", "gru");
        oneOf(cl, o.init, "--init", "default", "orthogonal", "identity");
        check(cl, "rnn".equals(o.cell) || "tanh".equals(o.activation), "--activation applies to the Elman cell only; "
                + "LSTM and GRU use their own sigmoid and tanh gates");
        check(cl, o.forgetBias == null || "lstm".equals(o.cell) && Float.isFinite(o.forgetBias),
                "--forget-bias needs --cell lstm and a finite value");
        if (o.window != null) {
            positive(cl, o.window, "--window");
        }
        if (o.shape != null) {
            oneOf(cl, o.shape, "--shape", "many-to-one", "many-to-many");
        }
        if (o.beam != null) {
            positive(cl, o.beam, "--beam");
        }
    }

    /** The forecasting shape of --shape (default many-to-one). */
    static ForecastShape forecastShape(TrainCommand o) {
        return "many-to-many".equals(o.shape) ? ForecastShape.MANY_TO_MANY : ForecastShape.MANY_TO_ONE;
    }

    /** A one-line description of a task's data format, for messages. */
    static String format(String task) {
        return switch (task) {
            case CLASSIFY -> "JSON lines such as {\"input\": [0.3, -0.8, 0.1], \"label\": 1} or {\"input\": \"some text\", "
                    + "\"label\": \"pos\"}";
            case TAG -> "JSON lines such as {\"input\": \"abcd\", \"tags\": [\"_\", \"_\", \"a\", \"b\"]}";
            case SEQ2SEQ -> "JSON lines such as {\"source\": \"123+45\", \"target\": \"168\"}";
            case FORECAST -> "a CSV file with a header of column names, then one row of numbers per time step";
            default -> "a UTF-8 text";
        };
    }

    private static void check(CommandLine cl, boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(cl, message);
        }
    }

    private static void positive(CommandLine cl, long v, String name) {
        check(cl, v >= 1, name + " must be a positive integer, got " + v);
    }

    private static void oneOf(CommandLine cl, String v, String name, String... allowed) {
        check(cl, List.of(allowed).contains(v), name + " must be one of " + String.join(", ", allowed) + ", got '" + v
                + "'");
    }
}
