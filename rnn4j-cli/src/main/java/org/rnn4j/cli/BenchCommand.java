package org.rnn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.IntToDoubleFunction;
import org.rnn4j.io.ModelFile;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.CellType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark of issue 6, the grid of the PyTorch peer benchmark {@code bench_rnn.py} run with rnn4j:
 * training throughput (one SGD step on T tokens of B random streams) for every cell × layers × H × B,
 * step-by-step sampling latency at batch 1 for every cell × layers × H, and optionally the heap that
 * a long training step needs. Same model, timing protocol ({@link BenchTiming}), FLOP count
 * ({@link BenchModel#trainGflop}) and JSON field names as bench_rnn.py, so the two can be joined.
 *
 * <p>With several thread counts ({@code --threads 1,2}) each grid point is measured at every count in
 * the same run, the repeats of the counts interleaved (see {@link BenchTiming}): on a shared machine
 * whose speed drifts by a quarter over minutes, the ratio of two runs made minutes apart is mostly
 * noise, and interleaved repeats see the same drift. Training shares one model among the counts;
 * sampling builds one per count while that count is set, since its batch-1 products decide at
 * construction whether to split over threads. Each (point, count) gets its own line and JSON row.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure training throughput and sampling latency on the grid of the PyTorch peer benchmark "
                + "(bench_rnn.py): Embedding(65, H) -> cell (H, H, L layers) -> Linear(H, 65) -> cross-entropy, "
                + "T random tokens, SGD with lr 0.01.",
                "Training: one step is zero-grad + forward + loss + backward + update; the median of 5 repeats "
                        + "(3 if a step takes over 3 s) of enough steps to last 0.3 s. Sampling: batch 1, one token at "
                        + "a time (embedding -> cell -> linear -> softmax -> draw), 50 warm-up steps, median of 5 "
                        + "repeats of 200. Before its timing, each point runs for --jit-warmup seconds, then on until the "
                        + "JIT compiled nothing for 0.25 s (at most 20 s more).",
                "Several thread counts (--threads 1,2): each point is measured at every count in one run, with "
                        + "the counts' repeats interleaved (repeat 1 at each count, then repeat 2, ...), so that the "
                        + "drift of a shared machine over minutes hits all counts alike; a line per count and the "
                        + "speedup of each count over the first.",
                "FLOP per training step: 3 x [L x 2*B*T*(H+H)*G*H + 2*B*T*H*65], G = 4 LSTM, 3 GRU, 1 RNN."})
final class BenchCommand implements Callable<Integer> {
    static final List<String> DEFAULT_CELLS = List.of("lstm", "gru", "rnn");
    static final List<Integer> DEFAULT_HIDDEN = List.of(128, 512, 1024);
    static final List<Integer> DEFAULT_BATCH = List.of(1, 32, 64);
    static final List<Integer> DEFAULT_LAYERS = List.of(1, 2);
    static final int DEFAULT_SEQ_LEN = 64;
    /** fp32 FMA peak of one core when it cannot be measured (no Vector API): issue 6's first machine. */
    static final double FALLBACK_PEAK_GFLOPS = 133;
    private static final long SEED = TrainCommand.DEFAULT_SEED;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--cells", split = ",", paramLabel = "CELL",
            description = "Cells among lstm, gru, rnn (default: lstm,gru,rnn).")
    List<String> cells;

    @Option(names = "--hidden", split = ",", paramLabel = "H", description = "Hidden sizes (default: 128,512,1024).")
    List<Integer> hidden;

    @Option(names = "--batch", split = ",", paramLabel = "B", description = "Training batch sizes; sampling "
            + "always runs at batch 1 (default: 1,32,64).")
    List<Integer> batch;

    @Option(names = "--layers", split = ",", paramLabel = "L", description = "Stacked layers (default: 1,2).")
    List<Integer> layers;

    @Option(names = "--seq-len", paramLabel = "T", description = "Steps per training sequence (default: ${DEFAULT-VALUE}).")
    int seqLen = DEFAULT_SEQ_LEN;

    @CommandLine.ArgGroup(exclusive = true)
    Preset preset = new Preset();

    static final class Preset {
        @Option(names = "--quick", description = "Only LSTM, 1 layer, H=128, B=32 (bench_rnn.py --quick).")
        boolean quick;

        @Option(names = "--subset", description = "LSTM and RNN, 1 layer, H=128,512,1024, B=32,64 (bench_rnn.py "
                + "--subset).")
        boolean subset;
    }

    @Option(names = "--threads", paramLabel = "N[,N...]", description = "Threads of the matrix kernels; several "
            + "counts are measured in one run with interleaved repeats (default: the rnn4j.threads system property, "
            + "else every processor).")
    String threads;

    /** The counts of --threads, once {@link #validate} has read them; null without --threads. */
    private List<Integer> threadCounts;

    @Option(names = "--peak-gflops", paramLabel = "X", description = "fp32 peak GFLOP/s of one thread, for the "
            + "percent-of-peak column (default: measured at start, with twelve chains of vector multiply-adds).")
    Double peakGflops;

    @Option(names = "--no-train", description = "Skip the training throughput.")
    boolean noTrain;

    @Option(names = "--no-infer", description = "Skip the sampling latency.")
    boolean noInfer;

    @CommandLine.Mixin
    BenchMemory memory = new BenchMemory();

    @Option(names = "--jit-warmup", paramLabel = "SECONDS", description = "Run each grid point at least this long before "
            + "its timing starts, then on until the JIT has compiled nothing for 0.25 s (at most 20 s more); 0 "
            + "gives bench_rnn.py's protocol exactly (default: ${DEFAULT-VALUE}).")
    double jitWarmup = BenchTiming.JIT_WARMUP_SECONDS;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every number to FILE as JSON "
            + "(bench_rnn.py's field names, and each row's thread count).")
    Path json;

    // Hidden: smaller work for tests.
    @Option(names = "--repeat-seconds", hidden = true)
    double repeatSeconds = BenchTiming.REPEAT_SECONDS;

    /** The grid after the preset and the explicit options. */
    record Grid(List<CellType> cells, List<Integer> layers, List<Integer> hidden, List<Integer> batch) {
    }

    @Override
    public Integer call() throws IOException {
        Grid grid = validate();
        // Before anything touches Kernels: its backends read the thread count when they load.
        KernelThreads.Restore restore = threadCounts == null ? () -> { } : KernelThreads.set(threadCounts.get(0));
        try {
            List<Integer> counts = threadCounts == null ? List.of(KernelThreads.current()) : threadCounts;
            // One count is set once, above; several are switched between repeats, and restored below.
            return run(grid, counts, counts.size() == 1 ? n -> { } : KernelThreads::change);
        } finally {
            restore.close(); // for callers in the same JVM (tests)
        }
    }

    private Integer run(Grid grid, List<Integer> counts, BenchTiming.ThreadSwitch threadSwitch) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        String peakSource = "given";
        if (peakGflops == null) {
            peakSource = "measured";
            try {
                peakGflops = PeakFlops.measure(1.0);
            } catch (LinkageError e) { // no jdk.incubator.vector
                peakGflops = FALLBACK_PEAK_GFLOPS;
                peakSource = "assumed, no Vector API to measure it";
            }
        }
        ObjectNode root = JSON.createObjectNode();
        ObjectNode meta = root.putObject("meta");
        meta.put("rnn4j", ModelFile.libraryVersion()).put("backend", Kernels.backend().name());
        if (counts.size() == 1) {
            meta.put("threads", counts.get(0));
        } else {
            counts.forEach(meta.putArray("threads")::add);
        }
        meta.put("java", System.getProperty("java.version"))
                .put("vm", System.getProperty("java.vm.name")).put("os_arch", System.getProperty("os.arch"))
                .put("available_processors", Runtime.getRuntime().availableProcessors())
                .put("peak_gflops_per_thread", peakGflops).put("peak_source", peakSource)
                .put("jit_warmup_s", jitWarmup)
                .put("jit_warmup_until_idle_max_extra_s", jitWarmup > 0 ? BenchTiming.MAX_EXTRA_WARMUP_SECONDS : 0)
                .put("seq", seqLen)
                .put("vocab", BenchModel.VOCAB)
                .put("date", OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
        int n = counts.get(0);
        String threadsText = counts.size() == 1 ? n + " thread(s)"
                : threadList(counts) + " thread(s), repeats interleaved";
        String peakText = counts.size() == 1
                ? String.format(Locale.ROOT, "%.0f GFLOP/s (%.0f per thread, %s)", peakGflops * n, peakGflops, peakSource)
                : String.format(Locale.ROOT, "%.0f GFLOP/s per thread (%s)", peakGflops, peakSource);
        out.printf(Locale.ROOT, "# rnn4j %s, kernels %s, %s, Java %s; peak %s; T=%d, V=%d%n", ModelFile.libraryVersion(),
                Kernels.backend().name(), threadsText, System.getProperty("java.version"), peakText, seqLen,
                BenchModel.VOCAB);
        out.flush();
        int total = (noTrain ? 0 : grid.cells.size() * grid.layers.size() * grid.hidden.size() * grid.batch.size())
                + (noInfer ? 0 : grid.cells.size() * grid.layers.size() * grid.hidden.size())
                + grid.cells.size() * memory.pointsPerCell();
        int done = 0;
        ArrayNode train = root.putArray("train");
        if (!noTrain) {
            for (CellType cell : grid.cells) {
                for (int l : grid.layers) {
                    for (int h : grid.hidden) {
                        for (int b : grid.batch) {
                            train.addAll(trainPoint(out, ++done, total, cell, l, h, b, counts, threadSwitch));
                        }
                    }
                }
            }
        }
        ArrayNode infer = root.putArray("infer");
        if (!noInfer) {
            for (CellType cell : grid.cells) {
                for (int l : grid.layers) {
                    for (int h : grid.hidden) {
                        infer.addAll(inferPoint(out, ++done, total, cell, l, h, counts, threadSwitch));
                    }
                }
            }
        }
        if (memory.enabled) {
            threadSwitch.use(counts.get(0));
            ArrayNode mem = root.putArray("memory");
            for (CellType cell : grid.cells) {
                for (int k : memory.checkpointings()) {
                    mem.add(memory.measure(out, counter(++done, total), cell, k, SEED));
                }
            }
        }
        if (json != null) {
            Files.writeString(json, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
            out.println("# wrote " + json);
        }
        out.flush();
        return Main.EXIT_OK;
    }

    /** One training point at every count (one model for all), a row per count. */
    private List<ObjectNode> trainPoint(PrintWriter out, int done, int total, CellType cell, int l, int h, int b,
            List<Integer> counts, BenchTiming.ThreadSwitch threadSwitch) {
        BenchModel.Training training = new BenchModel.Training(cell, l, h, b, seqLen, new Rng(SEED));
        List<BenchTiming.Step> steps = Collections.nCopies(counts.size(), training::step);
        List<BenchTiming.Times> times = BenchTiming.training(counts, steps, threadSwitch, repeatSeconds, jitWarmup);
        double gflop = BenchModel.trainGflop(cell, l, h, b, seqLen);
        double tokens = (double) b * seqLen;
        String point = String.format(Locale.ROOT, "%s train %-4s L=%d H=%4d B=%2d", counter(done, total), cell, l, h,
                b);
        List<ObjectNode> rows = new ArrayList<>();
        for (int c = 0; c < counts.size(); c++) {
            BenchTiming.Times t = times.get(c);
            int n = counts.get(c);
            double gflops = gflop / t.median();
            double percent = 100 * gflops / (peakGflops * n);
            out.printf(Locale.ROOT, "%s %dT  step %9.2f ms [%9.2f..%9.2f]  tok/s %9.0f  GFLOP/s %6.1f  %5.1f%% of "
                    + "peak%n", point, n, t.median() * 1e3, t.min() * 1e3, t.max() * 1e3, tokens / t.median(), gflops,
                    percent);
            ObjectNode r = JSON.createObjectNode();
            r.put("cell", cell.name()).put("layers", l).put("hidden", h).put("batch", b).put("seq", seqLen)
                    .put("threads", n)
                    .put("step_s_median", t.median()).put("step_s_min", t.min()).put("step_s_max", t.max())
                    .put("reps", t.repeats()).put("steps_per_rep", t.stepsPerRepeat()).put("first_step_s", t.first())
                    .put("tok_s_median", tokens / t.median()).put("tok_s_min", tokens / t.max())
                    .put("tok_s_max", tokens / t.min()).put("gflops_median", gflops).put("gflop_per_step", gflop)
                    .put("percent_of_peak", percent);
            rows.add(r);
        }
        printSpeedups(out, point, counts, times, "tokens/s ratio");
        return rows;
    }

    /** One sampling point at every count, a model per count built while that count is set; a row per count. */
    private List<ObjectNode> inferPoint(PrintWriter out, int done, int total, CellType cell, int l, int h,
            List<Integer> counts, BenchTiming.ThreadSwitch threadSwitch) {
        List<IntToDoubleFunction> generators = new ArrayList<>();
        for (int n : counts) {
            threadSwitch.use(n); // the batch-1 products choose their thread split when they are made
            generators.add(new BenchModel.Sampling(cell, l, h, new Rng(SEED))::generate);
        }
        List<BenchTiming.Times> times = BenchTiming.sampling(counts, generators, threadSwitch, jitWarmup);
        String point = String.format(Locale.ROOT, "%s infer %-4s L=%d H=%4d B=1", counter(done, total), cell, l, h);
        List<ObjectNode> rows = new ArrayList<>();
        for (int c = 0; c < counts.size(); c++) {
            BenchTiming.Times t = times.get(c);
            out.printf(Locale.ROOT, "%s %dT  %9.1f us/token [%9.1f..%9.1f]%n", point, counts.get(c), t.median() * 1e6,
                    t.min() * 1e6, t.max() * 1e6);
            ObjectNode r = JSON.createObjectNode();
            r.put("cell", cell.name()).put("layers", l).put("hidden", h).put("threads", counts.get(c))
                    .put("step_us_median", t.median() * 1e6)
                    .put("step_us_min", t.min() * 1e6).put("step_us_max", t.max() * 1e6)
                    .put("nsteps", t.stepsPerRepeat()).put("reps", t.repeats()).put("first_us", t.first() * 1e6);
            rows.add(r);
        }
        printSpeedups(out, point, counts, times, "latency ratio");
        return rows;
    }

    /** With several counts: each count's speedup over the first, from the medians (time of the first / time). */
    private static void printSpeedups(PrintWriter out, String point, List<Integer> counts,
            List<BenchTiming.Times> times, String what) {
        if (counts.size() > 1) {
            List<String> speedups = new ArrayList<>();
            for (int c = 1; c < counts.size(); c++) {
                speedups.add(String.format(Locale.ROOT, "%dT/%dT %.2f", counts.get(c), counts.get(0),
                        times.get(0).median() / times.get(c).median()));
            }
            out.printf(Locale.ROOT, "%s speedup %s (%s)%n", point, String.join(", ", speedups), what);
        }
        out.flush();
    }

    private static String counter(int done, int total) {
        int width = Integer.toString(total).length();
        return String.format(Locale.ROOT, "[%" + width + "d/%d]", done, total);
    }

    /** Checks the options and resolves the grid; package-private for tests. */
    Grid validate() {
        CommandLine cl = spec.commandLine();
        List<String> cellIds = pick(cells, DEFAULT_CELLS, List.of("lstm"), List.of("lstm", "rnn"));
        List<CellType> cellTypes = new ArrayList<>();
        for (String id : cellIds) {
            String c = id.trim().toLowerCase(Locale.ROOT);
            if (!List.of("lstm", "gru", "rnn").contains(c)) {
                throw new CommandLine.ParameterException(cl, "--cells: '" + id + "' is not one of lstm, gru, rnn");
            }
            cellTypes.add(CellType.fromId(c));
        }
        Grid g = new Grid(cellTypes, positive("--layers", pick(layers, DEFAULT_LAYERS, List.of(1), List.of(1))),
                positive("--hidden", pick(hidden, DEFAULT_HIDDEN, List.of(128), DEFAULT_HIDDEN)),
                positive("--batch", pick(batch, DEFAULT_BATCH, List.of(32), List.of(32, 64))));
        positive("--seq-len", List.of(seqLen));
        threadCounts = threads == null ? null : KernelThreads.parseCounts(threads, cl);
        if (peakGflops != null && (!(peakGflops > 0) || Double.isInfinite(peakGflops))) {
            throw new CommandLine.ParameterException(cl, "--peak-gflops must be positive, got " + peakGflops);
        }
        if (noTrain && noInfer && !memory.enabled) {
            throw new CommandLine.ParameterException(cl, "--no-train and --no-infer leave nothing to measure: "
                    + "drop one, or add --memory");
        }
        if (!(jitWarmup >= 0) || Double.isInfinite(jitWarmup)) {
            throw new CommandLine.ParameterException(cl, "--jit-warmup must be 0 or more seconds, got " + jitWarmup);
        }
        if (!(repeatSeconds >= 0)) {
            throw new CommandLine.ParameterException(cl, "--repeat-seconds must be non-negative, got " + repeatSeconds);
        }
        memory.validate(cl);
        if (json != null && Files.isDirectory(json)) {
            throw new CommandLine.ParameterException(cl, "--json " + json + " is a directory; give a file name");
        }
        return g;
    }

    private static String threadList(List<Integer> counts) {
        return String.join(",", counts.stream().map(String::valueOf).toList());
    }

    /** The explicit option, else the preset's value. */
    private <T> List<T> pick(List<T> given, List<T> full, List<T> quick, List<T> subset) {
        if (given != null) {
            return given;
        }
        return preset.quick ? quick : preset.subset ? subset : full;
    }

    private List<Integer> positive(String option, List<Integer> values) {
        for (int v : values) {
            if (v < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), option + " must be a positive integer, got "
                        + v);
            }
        }
        return values;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
}
