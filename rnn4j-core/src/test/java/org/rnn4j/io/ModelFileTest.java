package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.data.TokenLevel;
import org.rnn4j.data.Vocabulary;
import org.rnn4j.matrix.Activation;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.ModelConfig;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Parameter;

class ModelFileTest {
    @TempDir
    Path dir;

    private final Vocabulary vocab = Vocabulary.of(TokenLevel.CHAR, List.of("\n", " ", "a", "b", "c"));

    private LanguageModel model(boolean learned) {
        ModelConfig.Builder b = ModelConfig.builder().nonlinearity(Activation.RELU).vocabSize(5).embeddingDim(3)
                .hiddenSize(4).numLayers(2);
        if (learned) {
            b.learnedInitialState();
        }
        return LanguageModel.create(b.build(), Init.RecurrentInit.PYTORCH, new Rng(8));
    }

    @Test
    void roundTripKeepsEveryTensorConfigVocabAndProvenance() throws IOException {
        LanguageModel m = model(true);
        m.parameter("rnn.h0_l1").value.fill(0.25f);
        Path f = dir.resolve("m.safetensors");
        ModelFile.save(f, m, vocab, Map.of("rnn4j.seed", "8"));
        ModelFile.Contents c = ModelFile.load(f);
        assertEquals(m.config(), c.model().config());
        assertEquals(vocab, c.vocabulary());
        assertEquals("8", c.metadata().get("rnn4j.seed"));
        for (Parameter p : m.parameters()) {
            assertArrayEquals(p.value.toArray(), c.model().parameter(p.name()).value.toArray(), p.name());
        }
        List<String> names = SafeTensors.read(f).names();
        assertEquals(List.of("embedding.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
                "rnn.weight_ih_l1", "rnn.weight_hh_l1", "rnn.bias_ih_l1", "rnn.bias_hh_l1", "rnn.h0_l0", "rnn.h0_l1",
                "decoder.weight", "decoder.bias"), names);
    }

    @Test
    void absentConfigKeysTakeTheirDefaults() throws IOException {
        // A minimal file as an outside tool might write it: only hidden_size-bearing tensors and the vocab.
        LanguageModel m = LanguageModel.create(ModelConfig.builder().vocabSize(5).hiddenSize(4).build(),
                Init.RecurrentInit.PYTORCH, new Rng(1));
        List<TensorData> ts = new ArrayList<>();
        for (Parameter p : m.parameters()) {
            ts.add(TensorData.ofFloats(p.name(), p.shape(), p.value.toArray()));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "rnn4j");
        meta.put("rnn4j.config", "{}");
        meta.put("rnn4j.vocab", ModelFile.vocabJson(vocab));
        Path f = dir.resolve("minimal.safetensors");
        SafeTensors.write(f, ts, meta);
        assertEquals(m.config(), ModelFile.load(f).model().config());
    }

    @Test
    void fileProblemsAreNamed() throws IOException {
        LanguageModel m = model(false);
        Path good = dir.resolve("good.safetensors");
        ModelFile.save(good, m, vocab, Map.of());
        byte[] bytes = Files.readAllBytes(good);

        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertMessage(truncated, "truncated.safetensors");

        Path notModel = dir.resolve("plain.safetensors");
        SafeTensors.write(notModel, List.of(TensorData.ofFloats("x", new int[] {1}, new float[] {1f})), Map.of());
        assertMessage(notModel, "not an rnn4j model");

        Path wrongShape = dir.resolve("shape.safetensors");
        Map<String, String> meta = new LinkedHashMap<>(SafeTensors.read(good).metadata());
        meta.put("rnn4j.config", meta.get("rnn4j.config").replace("\"hidden_size\":4", "\"hidden_size\":5"));
        rewrite(good, wrongShape, meta);
        assertMessage(wrongShape, "shape");

        Path vocabMismatch = dir.resolve("vocab.safetensors");
        meta = new LinkedHashMap<>(SafeTensors.read(good).metadata());
        meta.put("rnn4j.vocab", "{\"level\":\"char\",\"tokens\":[\"a\",\"b\"]}");
        rewrite(good, vocabMismatch, meta);
        assertMessage(vocabMismatch, "vocab_size 5");

        Path badJson = dir.resolve("json.safetensors");
        meta = new LinkedHashMap<>(SafeTensors.read(good).metadata());
        meta.put("rnn4j.config", "{\"hidden_size\": ");
        rewrite(good, badJson, meta);
        assertMessage(badJson, "not valid JSON");

        Path nan = dir.resolve("nan.safetensors");
        m.parameter("decoder.bias").value.set(0, 2, Float.NaN);
        ModelFile.save(nan, m, vocab, Map.of());
        assertMessage(nan, "decoder.bias");
    }

    @Test
    void headerThatLiesAboutSizesIsCaughtBeforeAllocating() throws IOException {
        Path good = dir.resolve("good.safetensors");
        ModelFile.save(good, model(false), vocab, Map.of());
        byte[] bytes = Files.readAllBytes(good);
        long headerLen = java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8);
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(header);
        var offsets = (com.fasterxml.jackson.databind.node.ArrayNode) node.get("decoder.bias").get("data_offsets");
        offsets.set(1, offsets.get(1).asLong() + 4_000_000_000L);
        byte[] h = node.toString().getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(8 + h.length + bytes.length - 8 - (int) headerLen)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.putLong(h.length).put(h).put(bytes, 8 + (int) headerLen, bytes.length - 8 - (int) headerLen);
        Path liar = dir.resolve("liar.safetensors");
        Files.write(liar, out.array());
        assertMessage(liar, "decoder.bias");
    }

    /**
     * A model file written by rnn4j 0.1.0 is kept in the repository and must load forever, scoring the same
     * loss on a fixed text as when it was written (recorded beside it). Greedy text is not compared: at
     * the grammar's branch points the model is close to 50/50, so a last-bit change in a kernel could flip it.
     */
    @Test
    void loadsTheCommittedFileOfVersion010() throws Exception {
        Path f = Path.of(getClass().getResource("/compat/rnn4j-0.1.0-reber.safetensors").toURI());
        ModelFile.Contents c = ModelFile.load(f);
        var expected = new ObjectMapper().readTree(getClass().getResource("/compat/rnn4j-0.1.0-reber.json"));
        assertEquals(expected.get("config").asText(), c.metadata().get(ModelFile.KEY_CONFIG));
        int[] tokens = c.vocabulary().encode(expected.get("eval_text").asText());
        org.rnn4j.train.Evaluator.Result r = org.rnn4j.train.Evaluator.evaluate(c.model(), tokens, 1, 256);
        assertEquals(expected.get("eval_tokens").asLong(), r.tokens());
        // float32 over ~40 steps of H=16: differences in summation order stay near 1e-6 relative
        assertEquals(expected.get("eval_loss").asDouble(), r.loss(), 1e-5 * expected.get("eval_loss").asDouble());
    }

    private static void rewrite(Path from, Path to, Map<String, String> meta) throws IOException {
        SafeTensors.write(to, SafeTensors.read(from).tensors(), meta);
    }

    private static void assertMessage(Path file, String fragment) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(file));
        assertTrue(e.getMessage().contains(file.getFileName().toString()) || e.getMessage().contains(file.toString()),
                "message names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "message mentions '" + fragment + "': " + e.getMessage());
    }
}
