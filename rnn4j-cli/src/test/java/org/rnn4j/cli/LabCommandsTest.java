package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code experiment vanishing}, {@code experiment exploding} and {@code diagnose --task}. */
class LabCommandsTest {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir
    Path dir;

    private static void assertPng(Path file) throws IOException {
        byte[] head = new byte[4];
        System.arraycopy(Files.readAllBytes(file), 0, head, 0, 4);
        assertEquals(new String(PNG, java.nio.charset.StandardCharsets.ISO_8859_1),
                new String(head, java.nio.charset.StandardCharsets.ISO_8859_1), file + " is a PNG");
    }

    @Test
    void vanishingWritesTheTableJsonPlotsAndReport() throws IOException {
        Path out = dir.resolve("v");
        Cli.Run r = Cli.run("experiment", "vanishing", "--task", "latch", "--cells", "gru,rnn", "--lengths", "3,5",
                "--seeds", "2", "--max-updates", "40", "--eval-every", "20", "--test-size", "50", "--hidden", "6",
                "--batch", "8", "--out", out.toString(), "--json");
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
        r.assertContainsAll(r.out(), "latch", "GRU", "RNN tanh", "T=3", "T=5", "/2");
        r.assertContainsAll(r.err(), "[1/8] gru", "[8/8] rnn");
        JsonNode j = r.lastOutJson();
        assertEquals(4, j.get("summary").size(), "cells x lengths");
        assertEquals(8, j.get("runs").size(), "cells x lengths x seeds");
        for (JsonNode row : j.get("summary")) {
            long solved = 0;
            for (JsonNode run : j.get("runs")) {
                if (run.get("cell").equals(row.get("cell")) && run.get("length").equals(row.get("length"))) {
                    solved += "solved".equals(run.get("stop").asText()) ? 1 : 0;
                }
            }
            assertEquals(solved, row.get("solved").asLong(), "the table counts the runs: " + row);
        }
        JsonNode first = j.get("runs").get(0);
        assertEquals(3, first.get("grad_by_lag_init").size(), "lags 0..T-1 of the first seed");
        for (String f : new String[] {"table.md", "results.json", "report.html", "success-rate.png", "success-rate.svg",
                "test-loss.png", "gradient-by-lag.png", "gradient-by-lag.svg"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f + " written");
        }
        assertPng(out.resolve("gradient-by-lag.png"));
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<svg") && html.contains("GRU") && !html.contains("<script src"), "self-contained report");
        assertEquals(Files.readString(out.resolve("results.json")).length() > 0, true);
    }

    @Test
    void vanishingRefusesBadOptionsWithTheReason() {
        Cli.run("experiment", "vanishing", "--task", "nope").assertUsageError("experiment vanishing", "nope");
        Cli.run("experiment", "vanishing", "--cells", "rnn,elman").assertUsageError("experiment vanishing", "elman");
        Cli.run("experiment", "vanishing", "--task", "temporal-order-2", "--lengths", "5").assertUsageError("experiment vanishing",
                "T >= 10");
        Cli.run("experiment", "vanishing", "--seeds", "0").assertUsageError("experiment vanishing", "--seeds");
        Cli.run("experiment", "vanishing", "--cells", "lstm", "--pascanu-alpha", "1").assertUsageError("experiment vanishing",
                "Elman");
        Cli.run("experiment").assertUsageError("experiment", "vanishing or exploding");
    }

    @Test
    void explodingMeasuresTheSeedsThousandAndTwentyFour() throws IOException {
        Path out = dir.resolve("e");
        Cli.Run r = Cli.run("experiment", "exploding", "--updates", "30", "--out", out.toString(), "--json");
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
        JsonNode j = r.lastOutJson();
        assertEquals(2.0, j.get("recurrent_norm").asDouble(), 1e-4);
        assertEquals(1024.0, j.get("bound").asDouble(), 1e-6 * 1024);
        // W_hh = 2I with ReLU: every unit still active after 10 steps carries exactly 2^10
        assertEquals(1024.0, j.get("jacobian_norm_max").asDouble(), 1e-3 * 1024, r.out());
        JsonNode runs = j.get("runs");
        assertEquals("non_finite", runs.get(0).get("stop").asText(), "without clipping the first update overflows");
        assertEquals("budget", runs.get(1).get("stop").asText(), "rescaling keeps it alive");
        assertEquals(30, runs.get(1).get("loss").size());
        double lastTen = 0;
        for (int i = 20; i < 30; i++) {
            lastTen += runs.get(1).get("loss").get(i).asDouble() / 10;
        }
        assertTrue(lastTen < 0.5 * runs.get(1).get("loss").get(0).asDouble(), "the rescaled run learns: " + runs.get(1));
        assertPng(out.resolve("loss-curves.png"));
        Cli.run("experiment", "exploding", "--gain", "0").assertUsageError("experiment exploding", "--gain");
    }

    @Test
    void diagnoseATaskModelBeforeAndAfterTraining() throws IOException {
        Path out = dir.resolve("d");
        Cli.Run r = Cli.run("diagnose", "--task", "latch", "--cell", "lstm", "--hidden", "6", "--length", "12",
                "--batch", "3", "--max-lag", "8", "--train-updates", "5", "--out", out.toString(), "--json");
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
        r.assertContainsAll(r.out(), "LSTM on latch", "trained 5 updates", "layer 0", "gate (forget", "wrote 8 plots");
        JsonNode j = r.lastOutJson();
        assertEquals("task", j.get("source").asText());
        assertEquals(8, j.get("plots").size());
        for (String f : new String[] {"gradient-by-lag", "jacobian-by-lag", "spectra", "saturation-by-step"}) {
            assertPng(out.resolve(f + ".png"));
            assertTrue(Files.readString(out.resolve(f + ".svg")).contains("<svg"), f);
        }
        Cli.run("diagnose", "--task", "latch", "--model", "x.safetensors").assertUsageError("diagnose", "not both");
        Cli.run("diagnose").assertUsageError("diagnose", "--model FILE", "--task NAME");
        Cli.run("diagnose", "--task", "latch", "--text", "t.txt").assertUsageError("diagnose", "--text");
        Cli.run("diagnose", "--task", "latch", "--cell", "tcn").assertUsageError("diagnose", "tcn");
    }

    @Test
    void trainTakesPascanusRemediesAsOptions() {
        Cli.Run r = Cli.run("train", "--steps", "4", "--hidden", "8", "--seq-len", "10", "--batch", "4", "--eval-every", "4",
                "--pascanu-alpha", "0.5", "--nonfinite", "shrink", "--out", dir.resolve("t").toString());
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
        Cli.run("train", "--nonfinite", "ignore").assertUsageError("train", "--nonfinite", "ignore");
        Cli.run("train", "--cell", "lstm", "--pascanu-alpha", "1").assertUsageError("train", "--pascanu-alpha",
                "--cell rnn");
        Cli.run("train", "--pascanu-alpha", "-1").assertUsageError("train", "--pascanu-alpha");
    }
}
