package org.rnn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnn4j.data.LongLagTask;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.optim.Optimizers;
import org.rnn4j.plot.Chart;
import org.rnn4j.plot.HtmlReport;
import org.rnn4j.plot.LineChart;
import org.rnn4j.train.LongLagExperiment;
import org.rnn4j.train.LongLagExperiment.Variant;
import org.rnn4j.train.LongLagTrainer;
import org.rnn4j.train.NonFiniteGradient;
import static org.rnn4j.cli.JsonNumbers.array;
import static org.rnn4j.cli.JsonNumbers.num;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rnn4j experiment vanishing}: cells × lengths × seeds on a long-time-lag task
 * ({@link LongLagExperiment}); prints the table of success rate and updates to solve, and writes it with
 * the plots and a self-contained HTML report into {@code --out}.
 */
@Command(name = "vanishing", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Which recurrent cells learn a long-time-lag task as the lag grows: trains every cell at every "
                + "length with a few seeds, and prints a table of success rate and updates to solve.",
                "Writes into --out: table.md, results.json, report.html (self-contained) and the plots as PNG and SVG: "
                        + "success rate by length, updates to solve, test loss curves, and the gradient reaching each "
                        + "lag at initialisation and after training.",
                "--quick (lengths 10,20,50,100, 2 seeds, 3000 updates) takes about five minutes on 2 cores; the full "
                        + "grid (lengths 10..200, 3 seeds, 5000 updates) takes about an hour."})
final class VanishingCommand implements Callable<Integer> {
    static final String DEFAULT_TASK = "adding";
    static final List<Integer> FULL_LENGTHS = List.of(10, 20, 50, 100, 200);
    static final List<Integer> QUICK_LENGTHS = List.of(10, 20, 50, 100);
    static final int FULL_SEEDS = 3;
    static final int QUICK_SEEDS = 2;
    static final long FULL_UPDATES = 5000;
    static final long QUICK_UPDATES = 3000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ThreadsOption kernelThreads = new ThreadsOption();

    @Option(names = "--quick", description = "The short grid: lengths 10,20,50,100, 2 seeds, 3000 updates per run "
            + "(about five minutes on 2 cores).")
    boolean quick;

    @Option(names = "--task", paramLabel = "NAME", description = "The long-time-lag task: ${COMPLETION-CANDIDATES} "
            + "(default: ${DEFAULT-VALUE}).", completionCandidates = TaskNames.class)
    String task = DEFAULT_TASK;

    @Option(names = "--cells", split = ",", paramLabel = "CELL", description = "Cells to compare: rnn (tanh), irnn "
            + "(ReLU, identity init), lstm, gru (default: all four).")
    List<String> cells = List.of("rnn", "irnn", "lstm", "gru");

    @Option(names = "--lengths", split = ",", paramLabel = "T", description = "Sequence lengths (default: 10,20,50,"
            + "100,200; with --quick 10,20,50,100).")
    List<Integer> lengths;

    @Option(names = "--seeds", paramLabel = "N", description = "Runs per cell and length (default: 3; with --quick 2).")
    Integer seeds;

    @Option(names = "--max-updates", paramLabel = "N", description = "Update budget of each run (default: "
            + "5000; with --quick 3000).")
    Long maxUpdates;

    @Option(names = "--hidden", paramLabel = "H", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hidden = 32;

    @Option(names = "--batch", paramLabel = "B", description = "Sequences per update (default: ${DEFAULT-VALUE}).")
    int batch = 32;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "One of sgd, momentum, nesterov, adagrad, "
            + "rmsprop, adam, adamw (default: ${DEFAULT-VALUE}).")
    String optimizer = "adam";

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = 0.01;

    @Option(names = "--clip-norm", paramLabel = "X", description = "Rescale the gradient to this norm when above it; "
            + "0 = off (default: ${DEFAULT-VALUE}).")
    float clipNorm = 1f;

    @Option(names = "--forget-bias", paramLabel = "X", description = "LSTM forget-gate bias at the start "
            + "(default: ${DEFAULT-VALUE}, as Gers et al. and Jozefowicz et al. recommend).")
    float forgetBias = 1f;

    @Option(names = "--pascanu-alpha", paramLabel = "X", description = "Weight of Pascanu et al.'s regularizer on the "
            + "plain RNNs (rnn, irnn); 0 = off (default: ${DEFAULT-VALUE}).")
    double pascanuAlpha;

    @Option(names = "--eval-every", paramLabel = "N", description = "Judge on the test batch every N updates "
            + "(default: ${DEFAULT-VALUE}).")
    long evalEvery = 100;

    @Option(names = "--test-size", paramLabel = "N", description = "Sequences in the test batch "
            + "(default: ${DEFAULT-VALUE}).")
    int testSize = 500;

    @Option(names = "--success-error", paramLabel = "X", description = "Solved when at most this share of the test "
            + "sequences is wrong by the task's rule (default: ${DEFAULT-VALUE}).")
    double successError = 0.01;

    @Option(names = "--seed", paramLabel = "N", description = "Root seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the table, plots and report "
            + "(default: ${DEFAULT-VALUE}).")
    Path out = Path.of("runs", "vanishing");

    @Option(names = "--json", description = "Print one JSON object with every result as the last line.")
    boolean json;

    static final class TaskNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        TaskNames() {
            super(LongLagTask.NAMES);
        }
    }

    @Override
    public Integer call() throws IOException {
        LongLagExperiment.Settings settings = settings();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outWriter = spec.commandLine().getOut();
        Files.createDirectories(out);
        LongLagTask t = settings.task();
        err.printf(Locale.ROOT, "%s: %d runs (%s x T %s x %d seeds), H=%d, B=%d, %s lr %s, clip-norm %s, budget %d "
                        + "updates; kernels %s%n", t.name(), settings.runs(), ids(settings.variants()),
                Arrays.toString(settings.lengths()), settings.seeds(), settings.hidden(), settings.training().batch(),
                settings.optimizer(), settings.learningRate(), settings.training().clipNorm(),
                settings.training().maxUpdates(), Kernels.backend().name());
        err.flush();
        LongLagExperiment.Report report = new LongLagExperiment(settings).run(new LongLagExperiment.Listener() {
            @Override
            public void onRunStart(Variant v, int length, int s, int index, int total) {
                err.printf(Locale.ROOT, "[%d/%d] %-5s T=%-4d seed %d ...", index + 1, total, v.id, length, s);
                err.flush();
            }

            @Override
            public void onRunEnd(LongLagExperiment.Run r) {
                LongLagTrainer.Result res = r.result();
                err.printf(Locale.ROOT, " %s after %d updates (test error %.3f, loss %.4f) in %.1f s%n",
                        res.solved() ? "solved" : "not solved (" + res.stop().name().toLowerCase(Locale.ROOT) + ")",
                        res.updates(), res.last().errorRate(), res.last().testLoss(), res.seconds());
                err.flush();
            }
        });
        String table = table(report);
        outWriter.print(table);
        ObjectNode root = toJson(report);
        Files.writeString(out.resolve("table.md"), markdown(report), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("results.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root),
                StandardCharsets.UTF_8);
        List<Figure> figures = figures(report);
        for (Figure f : figures) {
            f.chart().writeBoth(out, f.name());
        }
        writeHtml(report, figures, out.resolve("report.html"));
        outWriter.printf(Locale.ROOT, "%nwrote %s: table.md, results.json, report.html and %d plots (PNG and SVG) in "
                + "%.0f s%n", out, figures.size(), report.seconds());
        if (json) {
            outWriter.println(root.toString());
        }
        outWriter.flush();
        return Main.EXIT_OK;
    }

    LongLagExperiment.Settings settings() {
        CommandLine cl = spec.commandLine();
        LongLagTask t;
        try {
            t = LongLagTask.forName(task);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--task: " + e.getMessage());
        }
        List<Variant> variants = new ArrayList<>();
        for (String c : cells) {
            try {
                Variant v = Variant.fromId(c.trim());
                if (variants.contains(v)) {
                    throw new CommandLine.ParameterException(cl, "--cells names " + v.id + " twice");
                }
                variants.add(v);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, "--cells: " + e.getMessage());
            }
        }
        List<Integer> ls = lengths != null ? lengths : quick ? QUICK_LENGTHS : FULL_LENGTHS;
        for (int l : ls) {
            if (l < t.minSteps()) {
                throw new CommandLine.ParameterException(cl, "--lengths: the " + t.name() + " task needs T >= "
                        + t.minSteps() + ", got " + l);
            }
        }
        if (ls.stream().distinct().count() != ls.size()) {
            throw new CommandLine.ParameterException(cl, "--lengths repeats a length: " + ls);
        }
        int nSeeds = seeds != null ? seeds : quick ? QUICK_SEEDS : FULL_SEEDS;
        long budget = maxUpdates != null ? maxUpdates : quick ? QUICK_UPDATES : FULL_UPDATES;
        check(cl, nSeeds >= 1, "--seeds must be at least 1, got " + nSeeds);
        check(cl, budget >= 1, "--max-updates must be at least 1, got " + budget);
        check(cl, hidden >= 1, "--hidden must be positive, got " + hidden);
        check(cl, batch >= 1, "--batch must be positive, got " + batch);
        check(cl, Optimizers.NAMES.contains(optimizer), "--optimizer must be one of " + String.join(", ",
                Optimizers.NAMES) + ", got '" + optimizer + "'");
        check(cl, learningRate > 0 && Double.isFinite(learningRate), "--lr must be positive, got " + learningRate);
        check(cl, clipNorm >= 0 && Float.isFinite(clipNorm), "--clip-norm must be 0 (off) or positive, got " + clipNorm);
        check(cl, Float.isFinite(forgetBias), "--forget-bias must be finite, got " + forgetBias);
        check(cl, pascanuAlpha >= 0 && Double.isFinite(pascanuAlpha), "--pascanu-alpha must be 0 (off) or positive, got "
                + pascanuAlpha);
        check(cl, pascanuAlpha == 0 || variants.stream().allMatch(v -> v.cell == org.rnn4j.model.CellType.RNN),
                "--pascanu-alpha applies to the Elman cells only: use --cells rnn,irnn with it");
        check(cl, evalEvery >= 1, "--eval-every must be positive, got " + evalEvery);
        check(cl, testSize >= 1, "--test-size must be positive, got " + testSize);
        check(cl, successError >= 0 && successError < 1, "--success-error must be in [0, 1), got " + successError);
        LongLagTrainer.Config training = new LongLagTrainer.Config(ls.get(0), batch, budget, evalEvery, testSize,
                successError, clipNorm, 0f, NonFiniteGradient.SKIP, pascanuAlpha, 0, seed);
        return new LongLagExperiment.Settings(t, variants, ls.stream().mapToInt(Integer::intValue).toArray(), nSeeds,
                hidden, optimizer, learningRate, forgetBias, training, PROBE_BATCH, seed);
    }

    /** Sequences in the gradient-by-lag probe of each (cell, length). */
    static final int PROBE_BATCH = 8;

    private static void check(CommandLine cl, boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(cl, message);
        }
    }

    private static String ids(List<Variant> vs) {
        return String.join(",", vs.stream().map(v -> v.id).toList());
    }

    /** "solved/runs (median updates)" per cell and length, one row per cell. */
    static String table(LongLagExperiment.Report report) {
        LongLagExperiment.Settings s = report.settings();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s: %s%nsuccess: %s (at most %.1f%% of %d test sequences wrong)%n",
                s.task().name(), s.task().source(), s.task().successRule(), 100 * s.training().successErrorRate(),
                s.training().testSize()));
        b.append(String.format(Locale.ROOT, "solved runs / runs (median updates to solve), budget %d updates%n",
                s.training().maxUpdates()));
        b.append(String.format("%-24s", "cell"));
        for (int t : s.lengths()) {
            b.append(String.format("%-16s", "T=" + t));
        }
        b.append('\n');
        List<LongLagExperiment.Summary> rows = report.summaries();
        for (Variant v : s.variants()) {
            b.append(String.format("%-24s", v.label));
            for (LongLagExperiment.Summary r : rows) {
                if (r.variant() == v) {
                    b.append(String.format("%-16s", cellText(r)));
                }
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String cellText(LongLagExperiment.Summary r) {
        return r.solved() + "/" + r.runs() + (r.solved() > 0
                ? String.format(Locale.ROOT, " (%.0f)", r.medianUpdatesToSolve()) : "");
    }

    static String markdown(LongLagExperiment.Report report) {
        LongLagExperiment.Settings s = report.settings();
        StringBuilder b = new StringBuilder("| cell |");
        for (int t : s.lengths()) {
            b.append(" T = ").append(t).append(" |");
        }
        b.append("\n|---|");
        b.append("---|".repeat(s.lengths().length)).append('\n');
        for (Variant v : s.variants()) {
            b.append("| ").append(v.label).append(" |");
            for (LongLagExperiment.Summary r : report.summaries()) {
                if (r.variant() == v) {
                    b.append(' ').append(cellText(r)).append(" |");
                }
            }
            b.append('\n');
        }
        b.append(String.format(Locale.ROOT, "%nSolved runs / runs (median updates to solve). Task %s (%s); success: %s, "
                        + "at most %.1f%% of %d test sequences wrong. H=%d, B=%d, %s lr %s, clip-norm %s, LSTM forget bias "
                        + "%s, budget %d updates, seed %d; %.0f s.%n", s.task().name(), s.task().source(),
                s.task().successRule(), 100 * s.training().successErrorRate(), s.training().testSize(), s.hidden(),
                s.training().batch(), s.optimizer(), s.learningRate(), s.training().clipNorm(), s.forgetBias(),
                s.training().maxUpdates(), s.seed(), report.seconds()));
        return b.toString();
    }

    private record Figure(String name, Chart chart, String caption) {
    }

    private static List<Figure> figures(LongLagExperiment.Report report) {
        LongLagExperiment.Settings s = report.settings();
        List<Figure> figures = new ArrayList<>();
        double[] ts = Arrays.stream(s.lengths()).asDoubleStream().toArray();
        LineChart.Builder success = LineChart.builder("Success rate by sequence length (" + s.task().name() + ")")
                .xLabel("sequence length T").yLabel("share of runs solved");
        LineChart.Builder steps = LineChart.builder("Updates to solve (median of solved runs)")
                .xLabel("sequence length T").yLabel("updates").logY();
        boolean anySolved = false;
        for (Variant v : s.variants()) {
            double[] rate = new double[ts.length];
            double[] upd = new double[ts.length];
            int i = 0;
            for (LongLagExperiment.Summary r : report.summaries()) {
                if (r.variant() == v) {
                    rate[i] = r.successRate();
                    upd[i] = r.medianUpdatesToSolve();
                    anySolved |= r.solved() > 0 && r.medianUpdatesToSolve() > 0;
                    i++;
                }
            }
            success.series(v.label, ts, rate);
            if (Arrays.stream(upd).anyMatch(x -> x > 0)) {
                steps.series(v.label, ts, upd);
            }
        }
        figures.add(new Figure("success-rate", success.build(), "Share of runs that solved the task, by length."));
        if (anySolved) {
            figures.add(new Figure("updates-to-solve", steps.build(), "Median updates until solved, over the solved runs "
                    + "(a missing point: no run solved)."));
        }
        int longest = Arrays.stream(s.lengths()).max().orElseThrow();
        LineChart.Builder lag = LineChart.builder("Gradient reaching each lag, T=" + longest)
                .xLabel("lag tau (steps back from the loss)")
                .yLabel("|dL_t/dh_(t-tau)|, geometric mean").logY();
        LineChart.Builder loss = LineChart.builder("Test loss during training, T=" + longest + " (first seed)")
                .xLabel("update").yLabel("test loss");
        boolean anyProfile = false;
        for (LongLagExperiment.Run r : report.runs()) {
            if (r.length() != longest || r.seedIndex() != 0) {
                continue;
            }
            if (r.atInit() != null) {
                double[] g0 = r.atInit().byLag();
                double[] g1 = r.trained().byLag();
                double[] lags = new double[g0.length];
                for (int k = 0; k < lags.length; k++) {
                    lags[k] = k;
                }
                if (drawable(g0)) {
                    lag.dashedSeries(r.variant().label + ", init", lags, g0);
                    anyProfile = true;
                }
                if (drawable(g1)) {
                    lag.series(r.variant().label + ", trained", lags, g1);
                    anyProfile = true;
                }
            }
            List<LongLagTrainer.Evaluation> ev = r.result().evaluations();
            loss.series(r.variant().label, ev.stream().mapToDouble(LongLagTrainer.Evaluation::update).toArray(),
                    ev.stream().mapToDouble(LongLagTrainer.Evaluation::testLoss).toArray());
        }
        loss.horizontalLine("baseline", s.task().expectedBaselineLoss(longest));
        if (anyProfile) {
            figures.add(new Figure("gradient-by-lag", lag.build(), "How much gradient reaches a step tau steps before "
                    + "the loss, layer 0, at T=" + longest + ": the geometric mean of |dL_t/dh_(t-tau)| over "
                    + PROBE_BATCH + " probe sequences, before and after training (first seed)."));
        }
        figures.add(new Figure("test-loss", loss.build(), "Test loss of the first seed's run of each cell at T="
                + longest + "; the dashed line is the task's trivial baseline."));
        return figures;
    }

    private static boolean drawable(double[] v) {
        return Arrays.stream(v).anyMatch(x -> x > 0 && Double.isFinite(x));
    }

    private static void writeHtml(LongLagExperiment.Report report, List<Figure> figures, Path file) throws IOException {
        LongLagExperiment.Settings s = report.settings();
        HtmlReport.Builder h = HtmlReport.builder("rnn4j experiment vanishing: " + s.task().name());
        h.paragraph("Task: " + s.task().name() + " (" + s.task().source() + "). Success: " + s.task().successRule()
                + String.format(Locale.ROOT, "; a run counts as solved when at most %.1f%% of %d test sequences are "
                        + "wrong.", 100 * s.training().successErrorRate(), s.training().testSize()));
        List<String> header = new ArrayList<>();
        header.add("cell");
        for (int t : s.lengths()) {
            header.add("T = " + t);
        }
        List<List<String>> rows = new ArrayList<>();
        for (Variant v : s.variants()) {
            List<String> row = new ArrayList<>();
            row.add(v.label);
            for (LongLagExperiment.Summary r : report.summaries()) {
                if (r.variant() == v) {
                    row.add(cellText(r));
                }
            }
            rows.add(row);
        }
        h.heading("Solved runs / runs (median updates to solve)");
        h.table(header, rows);
        h.paragraph(String.format(Locale.ROOT, "H=%d, B=%d, %s with learning rate %s, gradient norm clipped at %s, LSTM "
                        + "forget-gate bias %s, budget %d updates per run, test every %d updates, root seed %d, "
                        + "%d runs in %.0f s.", s.hidden(), s.training().batch(), s.optimizer(), s.learningRate(),
                s.training().clipNorm(), s.forgetBias(), s.training().maxUpdates(), s.training().evalEvery(), s.seed(),
                s.runs(), report.seconds()));
        h.heading("Figures");
        for (Figure f : figures) {
            h.figure(f.chart(), f.caption());
        }
        h.heading("Every run");
        List<List<String>> runs = new ArrayList<>();
        for (LongLagExperiment.Run r : report.runs()) {
            LongLagTrainer.Result res = r.result();
            runs.add(List.of(r.variant().label, Integer.toString(r.length()), Integer.toString(r.seedIndex()),
                    res.stop().name().toLowerCase(Locale.ROOT), Long.toString(res.updates()),
                    String.format(Locale.ROOT, "%.4f", res.last().testLoss()),
                    String.format(Locale.ROOT, "%.3f", res.last().errorRate()),
                    String.format(Locale.ROOT, "%.1f", res.seconds())));
        }
        h.table(List.of("cell", "T", "seed", "stop", "updates", "test loss", "test error", "seconds"), runs);
        h.build().write(file);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode toJson(LongLagExperiment.Report report) {
        LongLagExperiment.Settings s = report.settings();
        ObjectNode root = JSON.createObjectNode();
        root.put("task", s.task().name()).put("source", s.task().source()).put("success_rule", s.task().successRule());
        ObjectNode cfg = root.putObject("settings");
        cfg.put("hidden", s.hidden()).put("batch", s.training().batch()).put("optimizer", s.optimizer())
                .put("learning_rate", s.learningRate()).put("clip_norm", s.training().clipNorm())
                .put("forget_bias", s.forgetBias()).put("pascanu_alpha", s.training().pascanuAlpha())
                .put("max_updates", s.training().maxUpdates()).put("eval_every", s.training().evalEvery())
                .put("test_size", s.training().testSize()).put("success_error_rate", s.training().successErrorRate())
                .put("seeds", s.seeds()).put("seed", s.seed());
        ArrayNode ls = cfg.putArray("lengths");
        Arrays.stream(s.lengths()).forEach(ls::add);
        root.put("seconds", report.seconds());
        ArrayNode table = root.putArray("summary");
        for (LongLagExperiment.Summary r : report.summaries()) {
            ObjectNode o = table.addObject().put("cell", r.variant().id).put("length", r.length()).put("runs", r.runs())
                    .put("solved", r.solved()).put("success_rate", r.successRate());
            num(o, "median_updates_to_solve", r.medianUpdatesToSolve());
            num(o, "mean_final_error_rate", r.meanFinalErrorRate());
        }
        ArrayNode runs = root.putArray("runs");
        for (LongLagExperiment.Run r : report.runs()) {
            LongLagTrainer.Result res = r.result();
            ObjectNode o = runs.addObject().put("cell", r.variant().id).put("length", r.length())
                    .put("seed_index", r.seedIndex()).put("stop", res.stop().name().toLowerCase(Locale.ROOT))
                    .put("updates", res.updates()).put("updates_to_solve", res.updatesToSolve())
                    .put("clipped_updates", res.clippedUpdates()).put("skipped_updates", res.skippedUpdates())
                    .put("seconds", res.seconds());
            ArrayNode ev = o.putArray("evaluations");
            for (LongLagTrainer.Evaluation e : res.evaluations()) {
                ObjectNode eo = ev.addObject().put("update", e.update());
                num(eo, "train_loss", e.trainLoss());
                num(eo, "test_loss", e.testLoss());
                num(eo, "error_rate", e.errorRate());
                num(eo, "grad_norm", e.gradNorm());
            }
            if (r.atInit() != null) {
                array(o, "grad_by_lag_init", r.atInit().byLag());
                array(o, "grad_by_lag_trained", r.trained().byLag());
            }
        }
        return root;
    }


}
