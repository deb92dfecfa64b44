package org.rnn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.data.DelayedEcho;
import org.rnn4j.data.DigitTasks;
import org.rnn4j.data.MackeyGlass;
import org.rnn4j.data.SignOfSum;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a synthetic dataset for train --task, drawn from the seed.",
                "KIND (JSON lines, or CSV for mackey-glass):",
                "  sign-of-sum   classify: is the sum of 5..20 numbers positive?",
                "  echo          tag: tag each letter with the one --delay steps earlier",
                "  reverse       seq2seq: digit strings and their reversals",
                "  add           seq2seq: sums \"a+b\" and their results",
                "  mackey-glass  forecast: the chaotic Mackey-Glass series, one column x"})
final class GenerateCommand implements Callable<Integer> {
    static final List<String> KINDS = List.of("sign-of-sum", "echo", "reverse", "add", "mackey-glass");
    /** The options that only some kinds read. */
    private static final Map<String, List<String>> APPLIES_TO = Map.of(
            "--min-length", List.of("sign-of-sum", "echo"),
            "--max-length", List.of("sign-of-sum", "echo"),
            "--delay", List.of("echo"),
            "--min-digits", List.of("reverse"),
            "--max-digits", List.of("reverse", "add"));

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ThreadsOption kernelThreads = new ThreadsOption();

    @Parameters(index = "0", paramLabel = "KIND", description = "sign-of-sum, echo, reverse, add or mackey-glass.")
    String kind;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write (.jsonl, or .csv "
            + "for mackey-glass).")
    Path out;

    @Option(names = "--count", paramLabel = "N", description = "Examples, pairs, or time steps of mackey-glass "
            + "(default: 2000 sign-of-sum and echo, 5000 reverse and add, 3000 mackey-glass).")
    Integer count;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the draw (default: ${DEFAULT-VALUE}).")
    long seed = TrainCommand.DEFAULT_SEED;

    @Option(names = "--min-length", paramLabel = "N", description = "sign-of-sum, echo: shortest sequence "
            + "(default: " + SignOfSum.DEFAULT_MIN_LENGTH + ", echo " + DelayedEcho.DEFAULT_MIN_LENGTH + ").")
    Integer minLength;

    @Option(names = "--max-length", paramLabel = "N", description = "sign-of-sum, echo: longest sequence "
            + "(default: " + SignOfSum.DEFAULT_MAX_LENGTH + ", echo " + DelayedEcho.DEFAULT_MAX_LENGTH + ").")
    Integer maxLength;

    @Option(names = "--delay", paramLabel = "N", description = "echo: steps between a letter and its tag (default: "
            + DelayedEcho.DEFAULT_DELAY + ").")
    Integer delay;

    @Option(names = "--min-digits", paramLabel = "N", description = "reverse: fewest digits (default: "
            + DigitTasks.DEFAULT_MIN_DIGITS + ").")
    Integer minDigits;

    @Option(names = "--max-digits", paramLabel = "N", description = "reverse: most digits; add: most digits of each "
            + "addend (default: " + DigitTasks.DEFAULT_MAX_DIGITS + ").")
    Integer maxDigits;

    @Option(names = "--force", description = "Replace --out if it exists.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        CommandLine cl = spec.commandLine();
        if (!KINDS.contains(kind)) {
            throw new CommandLine.ParameterException(cl, "KIND must be one of " + String.join(", ", KINDS) + ", got '"
                    + kind + "'");
        }
        for (CommandLine.Model.OptionSpec o : cl.getParseResult().matchedOptions()) {
            List<String> kinds = APPLIES_TO.get(o.longestName());
            if (kinds != null && !kinds.contains(kind)) {
                throw new CommandLine.ParameterException(cl, o.longestName() + " does not apply to " + kind
                        + ": it applies to " + String.join(", ", kinds));
            }
        }
        if (count != null && count < 1) {
            throw new CommandLine.ParameterException(cl, "--count must be a positive integer, got " + count);
        }
        if (Files.isDirectory(out)) {
            throw new CommandLine.ParameterException(cl, "--out " + out + " is a directory: give a file name");
        }
        if (Files.exists(out) && !force) {
            throw new CommandLine.ParameterException(cl, "--out " + out + " already exists: choose another file, or add "
                    + "--force to replace it");
        }
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        String what;
        try {
            what = write();
        } catch (IllegalArgumentException e) { // lengths, delay or digits the generator refuses
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        cl.getOut().printf("wrote %s to %s; train on it with: rnn4j train --task %s --data %s%n", what, out, task(), out);
        cl.getOut().flush();
        return Main.EXIT_OK;
    }

    private String write() throws IOException {
        int n;
        switch (kind) {
            case "sign-of-sum" -> {
                n = or(count, SignOfSum.DEFAULT_COUNT);
                int lo = or(minLength, SignOfSum.DEFAULT_MIN_LENGTH);
                int hi = or(maxLength, SignOfSum.DEFAULT_MAX_LENGTH);
                SignOfSum.writeJsonl(out, n, lo, hi, seed);
                return String.format("%d sequences of %d..%d numbers (seed %d)", n, lo, hi, seed);
            }
            case "echo" -> {
                n = or(count, DelayedEcho.DEFAULT_COUNT);
                int lo = or(minLength, DelayedEcho.DEFAULT_MIN_LENGTH);
                int hi = or(maxLength, DelayedEcho.DEFAULT_MAX_LENGTH);
                int d = or(delay, DelayedEcho.DEFAULT_DELAY);
                DelayedEcho.writeJsonl(out, n, lo, hi, d, seed);
                return String.format("%d strings of %d..%d letters echoed after %d steps (seed %d)", n, lo, hi, d, seed);
            }
            case "reverse" -> {
                n = or(count, DigitTasks.DEFAULT_COUNT);
                int lo = or(minDigits, DigitTasks.DEFAULT_MIN_DIGITS);
                int hi = or(maxDigits, DigitTasks.DEFAULT_MAX_DIGITS);
                DigitTasks.writeReversalJsonl(out, n, lo, hi, seed);
                return String.format("%d digit strings of %d..%d digits and their reversals (seed %d)", n, lo, hi, seed);
            }
            case "add" -> {
                n = or(count, DigitTasks.DEFAULT_COUNT);
                int hi = or(maxDigits, DigitTasks.DEFAULT_MAX_DIGITS);
                DigitTasks.writeAdditionJsonl(out, n, hi, seed);
                return String.format("%d sums of numbers of up to %d digits (seed %d)", n, hi, seed);
            }
            default -> {
                n = or(count, MackeyGlass.DEFAULT_LENGTH);
                MackeyGlass.writeCsv(out, n, seed);
                return String.format("%d time steps of the Mackey-Glass series (seed %d)", n, seed);
            }
        }
    }

    /** The train --task that reads this kind of file. */
    private String task() {
        return switch (kind) {
            case "sign-of-sum" -> TaskOptions.CLASSIFY;
            case "echo" -> TaskOptions.TAG;
            case "reverse", "add" -> TaskOptions.SEQ2SEQ;
            default -> TaskOptions.FORECAST;
        };
    }

    private static int or(Integer given, int def) {
        return given != null ? given : def;
    }
}
