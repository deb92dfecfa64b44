package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.model.CellType;
import picocli.CommandLine;

/**
 * rnn4j bench on tiny grids (H=8, B=2, T=4, no JIT warm-up, repeats of a millisecond): the shape of the
 * output and of the JSON, and the usage errors. Timings are never asserted, only that they are numbers.
 */
class BenchCommandTest {
    private static final String[] TINY = {"--hidden", "8", "--batch", "2", "--layers", "1", "--seq-len", "4",
        "--jit-warmup", "0", "--repeat-seconds", "0.001"};

    @TempDir
    Path dir;

    /** rnn4j bench with {@code more}, and the tiny options that {@code more} does not give. */
    private static Cli.Run bench(String... more) {
        List<String> a = new ArrayList<>(List.of("bench"));
        for (int i = 0; i < TINY.length; i += 2) {
            if (!List.of(more).contains(TINY[i])) {
                a.add(TINY[i]);
                a.add(TINY[i + 1]);
            }
        }
        a.addAll(List.of(more));
        return Cli.run(a.toArray(new String[0]));
    }

    private static void assertPositive(JsonNode row, String... fields) {
        for (String f : fields) {
            JsonNode v = row.get(f);
            assertTrue(v != null && v.isNumber() && v.asDouble() > 0 && Double.isFinite(v.asDouble()),
                    f + " is a positive number in " + row);
        }
    }

    @Test
    void tinyGridPrintsOneLinePerPointAndWritesTheJsonOfBenchRnnPy() throws IOException {
        Path json = dir.resolve("bench.json");
        Cli.Run r = bench("--cells", "rnn,lstm,gru", "--layers", "1,2", "--json", json.toString());
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("# rnn4j "), r.transcript());
        r.assertContainsAll(lines.get(0), "kernels", "thread(s)", "Java", "peak", "T=4", "V=65");
        long trainLines = lines.stream().filter(l -> l.contains(" train ")).count();
        long inferLines = lines.stream().filter(l -> l.contains(" infer ")).count();
        assertEquals(6, trainLines, "3 cells x 2 layer counts x 1 H x 1 B\n" + r.transcript());
        assertEquals(6, inferLines, r.transcript());
        assertTrue(lines.get(1).matches("\\[ 1/12] train RNN  L=1 H=   8 B= 2 \\d+T  step .*"), r.transcript());
        r.assertContainsAll(r.out(), "tok/s", "GFLOP/s", "% of peak", "us/token", "[12/12] infer GRU  L=2");

        JsonNode j = Cli.JSON.readTree(Files.readString(json));
        JsonNode meta = j.get("meta");
        for (String f : new String[] {"backend", "threads", "java", "peak_gflops_per_thread", "seq", "vocab"}) {
            assertTrue(meta.hasNonNull(f), f + " in " + meta);
        }
        assertEquals(4, meta.get("seq").asInt());
        assertEquals(BenchModel.VOCAB, meta.get("vocab").asInt());
        assertEquals(6, j.get("train").size());
        JsonNode first = j.get("train").get(0);
        assertEquals("RNN", first.get("cell").asText(), "cell names as bench_rnn.py writes them");
        assertEquals(1, first.get("layers").asInt());
        assertEquals(8, first.get("hidden").asInt());
        assertEquals(2, first.get("batch").asInt());
        assertEquals(4, first.get("seq").asInt());
        for (JsonNode t : j.get("train")) {
            assertPositive(t, "step_s_median", "step_s_min", "step_s_max", "tok_s_median", "tok_s_min", "tok_s_max",
                    "gflops_median", "gflop_per_step", "percent_of_peak", "reps", "steps_per_rep");
            assertTrue(t.get("step_s_min").asDouble() <= t.get("step_s_median").asDouble()
                    && t.get("step_s_median").asDouble() <= t.get("step_s_max").asDouble(), t.toString());
            assertEquals(5, t.get("reps").asInt(), "5 repeats when a step takes under 3 s");
            assertEquals(meta.get("threads").asInt(), t.get("threads").asInt(), "one count: the kernels' own");
            CellType cell = CellType.valueOf(t.get("cell").asText());
            assertEquals(BenchModel.trainGflop(cell, t.get("layers").asInt(), 8, 2, 4),
                    t.get("gflop_per_step").asDouble(), 1e-15);
        }
        assertEquals(6, j.get("infer").size());
        for (JsonNode t : j.get("infer")) {
            assertPositive(t, "step_us_median", "step_us_min", "step_us_max");
            assertEquals(200, t.get("nsteps").asInt());
            assertEquals(5, t.get("reps").asInt());
            assertEquals(8, t.get("hidden").asInt());
        }
        assertFalse(j.has("memory"), "memory only with --memory");
    }

    @Test
    void flopCountIsBenchRnnPysFormula() {
        // 3 x [L x 2*B*T*(H+H)*G*H + 2*B*T*H*65] for LSTM, L=2, H=128, B=32, T=64
        double expected = 3.0 * (2 * 2.0 * 32 * 64 * 256 * 4 * 128 + 2.0 * 32 * 64 * 128 * 65) / 1e9;
        assertEquals(expected, BenchModel.trainGflop(CellType.LSTM, 2, 128, 32, 64), 1e-12);
        // Per token: the embedded input H and the logits 65, and per layer RNN H, GRU 5H, LSTM 6H
        long tokens = 1000L * 32;
        assertEquals(4 * tokens * (512 + 512 + 65), BenchModel.activationBytes(CellType.RNN, 1, 512, 32, 1000));
        assertEquals(4 * tokens * (512 + 2 * 5 * 512 + 65), BenchModel.activationBytes(CellType.GRU, 2, 512, 32, 1000));
        assertEquals(4 * tokens * (512 + 6 * 512 + 65), BenchModel.activationBytes(CellType.LSTM, 1, 512, 32, 1000));
    }

    private static BenchCommand.Grid grid(String... args) {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs(args);
        return command.validate();
    }

    @Test
    void presetsAreBenchRnnPysGridsAndExplicitListsOverrideThem() {
        List<CellType> all = List.of(CellType.LSTM, CellType.GRU, CellType.RNN);
        assertEquals(new BenchCommand.Grid(all, List.of(1, 2), List.of(128, 512, 1024), List.of(1, 32, 64)), grid());
        assertEquals(new BenchCommand.Grid(List.of(CellType.LSTM), List.of(1), List.of(128), List.of(32)),
                grid("--quick"));
        assertEquals(new BenchCommand.Grid(List.of(CellType.LSTM, CellType.RNN), List.of(1), List.of(128, 512, 1024),
                List.of(32, 64)), grid("--subset"));
        assertEquals(new BenchCommand.Grid(List.of(CellType.GRU), List.of(1), List.of(256), List.of(32)),
                grid("--quick", "--cells", "GRU", "--hidden", "256"));
    }

    @Test
    void threadsAreSetForTheRunOnly() throws IOException {
        int before = KernelThreads.current();
        Path json = dir.resolve("t.json");
        Cli.Run r = bench("--cells", "rnn", "--no-infer", "--threads", "1", "--json", json.toString());
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
        r.assertContainsAll(r.out(), "1 thread(s)");
        assertEquals(1, Cli.JSON.readTree(Files.readString(json)).get("meta").get("threads").asInt());
        assertEquals(before, KernelThreads.current(), "the thread count is restored after the run");
    }

    @Test
    void severalThreadCountsGiveARowPerCountAndTheSpeedup() throws IOException {
        int before = KernelThreads.current();
        String property = System.getProperty(KernelThreads.PROPERTY);
        Path json = dir.resolve("t12.json");
        Cli.Run r = bench("--cells", "rnn,lstm", "--threads", "1,2", "--json", json.toString());
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
        assertEquals(before, KernelThreads.current(), "the thread count is restored after the run");
        assertEquals(property, System.getProperty(KernelThreads.PROPERTY), "and so is " + KernelThreads.PROPERTY);
        List<String> lines = r.out().lines().toList();
        r.assertContainsAll(lines.get(0), "1,2 thread(s), repeats interleaved", "per thread");
        r.assertContainsAll(r.out(), "[1/4] train RNN  L=1 H=   8 B= 2 1T  step ",
                "[1/4] train RNN  L=1 H=   8 B= 2 2T  step ", "[1/4] train RNN  L=1 H=   8 B= 2 speedup 2T/1T ",
                "(tokens/s ratio)",
                "[4/4] infer LSTM L=1 H=   8 B=1 1T ", "[4/4] infer LSTM L=1 H=   8 B=1 2T ",
                "[4/4] infer LSTM L=1 H=   8 B=1 speedup 2T/1T ", "(latency ratio)");
        assertEquals(4, lines.stream().filter(l -> l.contains(" speedup ")).count(), r.transcript());

        JsonNode j = Cli.JSON.readTree(Files.readString(json));
        JsonNode threads = j.get("meta").get("threads");
        assertTrue(threads.isArray() && threads.size() == 2 && threads.get(0).asInt() == 1
                && threads.get(1).asInt() == 2, "meta.threads lists the counts: " + threads);
        double peak = j.get("meta").get("peak_gflops_per_thread").asDouble();
        for (String section : new String[] {"train", "infer"}) {
            JsonNode rows = j.get(section);
            assertEquals(4, rows.size(), "2 cells x 2 counts in " + section);
            for (int i = 0; i < rows.size(); i++) {
                JsonNode row = rows.get(i);
                assertEquals(i % 2 + 1, row.get("threads").asInt(), "each point at 1 then 2 threads: " + row);
                assertEquals(i < 2 ? "RNN" : "LSTM", row.get("cell").asText());
                assertEquals(5, row.get("reps").asInt());
                if (section.equals("train")) {
                    assertPositive(row, "tok_s_median", "percent_of_peak");
                    assertEquals(100 * row.get("gflops_median").asDouble() / (peak * row.get("threads").asInt()),
                            row.get("percent_of_peak").asDouble(), 1e-9, "the row's own count times the peak");
                } else {
                    assertPositive(row, "step_us_median");
                }
            }
        }
    }

    @Test
    void memoryReportsHeapAndTheAnalyticActivations() throws IOException {
        Path json = dir.resolve("m.json");
        Cli.Run r = bench("--cells", "lstm,gru", "--no-train", "--no-infer", "--memory", "--memory-seq-len", "50",
                "--memory-hidden", "16", "--memory-batch", "4", "--json", json.toString());
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
        r.assertContainsAll(r.out(), "memory LSTM L=1 T=50 H=16 B=4", "memory GRU", "peak heap", "MB",
                "stored activations (analytic)");
        JsonNode mem = Cli.JSON.readTree(Files.readString(json)).get("memory");
        assertEquals(2, mem.size());
        for (JsonNode m : mem) {
            assertPositive(m, "peak_heap_mb", "heap_before_mb", "heap_after_mb", "activations_mb");
            CellType cell = CellType.valueOf(m.get("cell").asText());
            assertEquals(BenchModel.activationBytes(cell, 1, 16, 4, 50) / 1e6, m.get("activations_mb").asDouble(), 1e-12);
        }
    }

    @Test
    void memoryWithCheckpointingReportsBothAndTheStepTime() throws IOException {
        Path json = dir.resolve("c.json");
        Cli.Run r = bench("--cells", "lstm", "--no-train", "--no-infer", "--memory", "--checkpoint-every", "8",
                "--memory-seq-len", "50", "--memory-hidden", "16", "--memory-batch", "4", "--memory-timed-steps", "1",
                "--json", json.toString());
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
        r.assertContainsAll(r.out(), "[1/2] memory LSTM", "[2/2] memory LSTM", "ckpt=8", "step ");
        JsonNode mem = Cli.JSON.readTree(Files.readString(json)).get("memory");
        assertEquals(2, mem.size());
        assertEquals(0, mem.get(0).get("checkpoint_every").asInt());
        assertEquals(8, mem.get(1).get("checkpoint_every").asInt());
        assertEquals(BenchModel.checkpointedActivationBytes(CellType.LSTM, 1, 16, 4, 50, 8) / 1e6,
                mem.get(1).get("activations_mb").asDouble(), 1e-12);
        assertTrue(mem.get(1).get("activations_mb").asDouble() < mem.get(0).get("activations_mb").asDouble());
        assertPositive(mem.get(1), "peak_heap_mb", "step_s_min");
        bench("--no-train", "--checkpoint-every", "8").assertUsageError("bench", "--checkpoint-every", "add --memory");
        bench("--memory", "--checkpoint-every", "0").assertUsageError("bench", "--checkpoint-every must be at least 1");
    }

    @Test
    void badOptionsAreUsageErrors() {
        bench("--cells", "lstm,foo").assertUsageError("bench", "--cells", "'foo'", "lstm, gru, rnn");
        bench("--hidden", "0").assertUsageError("bench", "--hidden must be a positive integer, got 0");
        bench("--batch", "2,-1").assertUsageError("bench", "--batch must be a positive integer, got -1");
        bench("--layers", "x").assertUsageError("bench", "--layers", "'x'");
        bench("--seq-len", "0").assertUsageError("bench", "--seq-len must be a positive integer, got 0");
        bench("--threads", "0").assertUsageError("bench", "--threads must be at least 1, got 0");
        bench("--threads", "0,2").assertUsageError("bench", "--threads must be at least 1, got 0");
        bench("--threads", "1,,2").assertUsageError("bench", "--threads", "'1,,2'");
        bench("--threads", "x").assertUsageError("bench", "--threads", "'x'");
        bench("--threads", "2,1,2").assertUsageError("bench", "--threads lists 2 twice");
        bench("--peak-gflops", "0").assertUsageError("bench", "--peak-gflops must be positive");
        bench("--jit-warmup", "-1").assertUsageError("bench", "--jit-warmup");
        bench("--quick", "--subset").assertUsageError("bench", "--quick", "--subset", "mutually exclusive");
        bench("--no-train", "--no-infer").assertUsageError("bench", "nothing to measure", "--memory");
        bench("--json", dir.toString()).assertUsageError("bench", "is a directory");
        bench("--bogus").assertUsageError("bench", "Unknown option", "'--bogus'");
    }

    @Test
    void helpListsTheOptionsAndTheTopLevelListsBench() {
        Cli.Run r = Cli.run("bench", "--help");
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
        r.assertContainsAll(r.out(), "Usage: rnn4j bench", "--cells", "--hidden", "--batch", "--layers", "--seq-len",
                "--threads", "--quick", "--subset", "--json", "--memory", "--peak-gflops", "(default: measured at",
                "N[,N...]", "interleaved");
        assertFalse(r.out().contains("--repeat-seconds"), "test-only options stay hidden");
        Cli.run("--help").assertContainsAll(Cli.run("--help").out(), "bench");
    }
}
