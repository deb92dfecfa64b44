package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.ModelFile;
import org.rnn4j.matrix.Matrix;

class DiagnoseCommandTest {
    static final int T = 20;
    static final int B = 3;
    static final int LAG = 12;

    @TempDir
    static Path shared;

    static Path model;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() throws IOException {
        model = Fixtures.trainedModel(shared);
    }

    private static Cli.Run diagnose(Path file, String... more) {
        String[] a = new String[more.length + 11];
        a[0] = "diagnose";
        a[1] = "--model";
        a[2] = file.toString();
        a[3] = "--length";
        a[4] = String.valueOf(T);
        a[5] = "--batch";
        a[6] = String.valueOf(B);
        a[7] = "--max-lag";
        a[8] = String.valueOf(LAG);
        a[9] = "--out";
        a[10] = shared.resolve("plots").toString();
        System.arraycopy(more, 0, a, 11, more.length);
        return Cli.run(a);
    }

    private static void assertFiniteArray(JsonNode a, int length, String what) {
        assertTrue(a != null && a.isArray(), what + " is an array");
        assertEquals(length, a.size(), what + " length");
        for (JsonNode v : a) {
            assertTrue(v.isNumber() && Double.isFinite(v.asDouble()), what + " has finite numbers: " + a);
        }
    }

    private static JsonNode checkedJson(Cli.Run r) throws IOException {
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
        r.assertContainsAll(r.out(), "layer 0", "spectra", "by step", "by lag", "saturated share", "bound");
        JsonNode j = r.lastOutJson();
        assertEquals("RNN", j.get("cell").asText());
        assertEquals(T, j.get("steps").asInt());
        assertEquals(B, j.get("batch").asInt());
        assertEquals(LAG, j.get("max_lag").asInt());
        assertTrue(Double.isFinite(j.get("loss").asDouble()) && j.get("loss").asDouble() > 0, r.transcript());
        JsonNode layers = j.get("per_layer");
        assertEquals(j.get("layers").asInt(), layers.size());
        for (JsonNode l : layers) {
            assertEquals(1, l.get("spectra").size(), "one block for the Elman cell");
            JsonNode s = l.get("spectra").get(0);
            assertTrue(s.get("largest_singular_value").asDouble() >= s.get("spectral_radius").asDouble() - 1e-6, s.toString());
            assertFiniteArray(l.get("grad_by_step"), T, "grad_by_step");
            assertFiniteArray(l.get("state_grad_by_step"), T, "state_grad_by_step");
            JsonNode byLag = l.get("by_lag");
            for (String k : new String[] {"grad_geometric_mean", "grad_mean", "jacobian_geometric_mean",
                    "step_product_geometric_mean", "bound"}) {
                assertFiniteArray(byLag.get(k), LAG + 1, k);
            }
            assertEquals(1.0, byLag.get("jacobian_geometric_mean").get(0).asDouble(), 1e-9, "J(t, t) = I");
            // ‖J(t, k)‖ ≤ Π‖J_j‖ ≤ (‖W_hh‖ γ)^τ
            for (int k = 1; k <= LAG; k++) {
                double jac = byLag.get("jacobian_geometric_mean").get(k).asDouble();
                assertTrue(jac <= byLag.get("step_product_geometric_mean").get(k).asDouble() * (1 + 1e-6), "lag " + k);
                assertTrue(jac <= byLag.get("bound").get(k).asDouble() * (1 + 1e-6), "lag " + k);
            }
            JsonNode sat = l.get("saturation");
            assertEquals(1, sat.get("parts").size());
            assertFiniteArray(sat.get("share_by_step").get(0), T, "share_by_step");
            assertTrue(l.get("memory_gate").isNull());
        }
        return j;
    }

    @Test
    void textWindowsGiveTheFullReportAndJson() throws IOException {
        Path text = Cli.text(dir, "t.txt", Fixtures.PATTERN, 8);
        JsonNode j = checkedJson(diagnose(model, "--text", text.toString(), "--json"));
        assertEquals("text", j.get("source").asText());
    }

    @Test
    void withoutTextTheModelsSamplesAreUsed() throws IOException {
        Cli.Run r = diagnose(model, "--json");
        JsonNode j = checkedJson(r);
        assertEquals("samples", j.get("source").asText());
        r.assertContainsAll(r.out(), "the model's samples");
    }

    @Test
    void withoutJsonNoJsonLine() throws IOException {
        Cli.Run r = diagnose(model);
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
        assertTrue(!r.lastOutLine().startsWith("{"), r.transcript());
    }

    @Test
    void scaledRecurrentWeightsGiveLargerJacobians() throws IOException {
        ModelFile.Contents c = ModelFile.load(model);
        Matrix w = c.model().parameter("rnn.weight_hh_l0").value;
        for (int r = 0; r < w.rows; r++) {
            for (int k = 0; k < w.cols; k++) {
                w.set(r, k, 3 * w.get(r, k));
            }
        }
        Path scaled = dir.resolve("scaled.safetensors");
        ModelFile.save(scaled, c.model(), c.vocabulary(), Map.of());
        Path text = Cli.text(dir, "t.txt", Fixtures.PATTERN, 8);
        JsonNode before = checkedJson(diagnose(model, "--text", text.toString(), "--json"));
        JsonNode after = checkedJson(diagnose(scaled, "--text", text.toString(), "--json"));
        double j0 = before.get("per_layer").get(0).get("by_lag").get("jacobian_geometric_mean").get(10).asDouble();
        double j1 = after.get("per_layer").get(0).get("by_lag").get("jacobian_geometric_mean").get(10).asDouble();
        assertTrue(j1 > j0, "lag-10 Jacobian norm " + j0 + " -> " + j1 + " with W_hh x 3");
        double s0 = before.get("per_layer").get(0).get("recurrent_norm").asDouble();
        double s1 = after.get("per_layer").get(0).get("recurrent_norm").asDouble();
        assertEquals(3 * s0, s1, 1e-3 * s1);
    }

    @Test
    void missingModel() {
        Path missing = dir.resolve("nope.safetensors");
        diagnose(missing).assertFailure(missing.toString());
    }

    @Test
    void textWithUnknownCharacters() throws IOException {
        Path text = Cli.text(dir, "unknown.txt", "the QUICK cat\u20ac\n", 3);
        diagnose(model, "--text", text.toString()).assertFailure(text.toString(), "not in the model's vocabulary",
                "'Q' (U+0051)");
    }

    @Test
    void textShorterThanAWindow() throws IOException {
        Path text = Cli.text(dir, "short.txt", "the cat", 1);
        diagnose(model, "--text", text.toString()).assertFailure(text.toString(), "7 token", "at least " + (T + 1));
    }

    @Test
    void badNumbersAreUsageErrors() {
        Cli.run("diagnose", "--model", model.toString(), "--length", "-5").assertUsageError("diagnose", "--length", "-5");
        Cli.run("diagnose", "--model", model.toString(), "--batch", "0").assertUsageError("diagnose", "--batch");
        Cli.run("diagnose", "--model", model.toString(), "--max-lag", "0").assertUsageError("diagnose", "--max-lag");
    }
}
