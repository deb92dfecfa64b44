package org.rnn4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken, lying or foreign files given as --model, to both sample and eval. */
class ModelFileErrorsTest {
    @TempDir
    static Path shared;

    static Path model;
    static Path text;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() throws IOException {
        model = Fixtures.trainedModel(shared);
        text = Cli.text(shared, "eval.txt", Fixtures.PATTERN, 2);
    }

    /** Runs sample and eval on the file and checks both fail with exit 1 and the key words. */
    private static void bothFail(Path file, String... keywords) {
        Cli.run("sample", "--model", file.toString(), "--length", "5").assertFailure(file.toString(), keywords);
        Cli.run("eval", "--model", file.toString(), "--text", text.toString()).assertFailure(file.toString(), keywords);
    }

    @Test
    void truncatedInHalf() throws IOException {
        bothFail(Cli.truncated(model, dir.resolve("half.safetensors"), 0.5), "claims bytes", "truncated");
    }

    @Test
    void truncatedInsideTheLengthPrefix() throws IOException {
        bothFail(Cli.bytes(dir, "five.safetensors", new byte[] {1, 2, 3, 4, 5}), "too short", "8-byte header");
    }

    @Test
    void emptyModelFile() throws IOException {
        bothFail(Cli.bytes(dir, "empty.safetensors", new byte[0]), "too short");
    }

    @Test
    void headerClaimsMoreDataThanThereIs() throws IOException {
        Path f = Cli.withHeader(model, dir.resolve("offsets.safetensors"), h -> {
            ArrayNode off = (ArrayNode) h.get("rnn.weight_hh_l0").get("data_offsets");
            off.set(1, off.get(1).asLong() + 4000);
        });
        bothFail(f, "'rnn.weight_hh_l0'", "claims bytes", "the file is truncated or its header is wrong");
    }

    @Test
    void headerShapeDisagreesWithDataOffsets() throws IOException {
        Path f = Cli.withHeader(model, dir.resolve("shape.safetensors"), h -> {
            ArrayNode shape = (ArrayNode) h.get("rnn.weight_hh_l0").get("shape");
            shape.set(1, shape.get(1).asInt() + 1);
        });
        bothFail(f, "'rnn.weight_hh_l0'", "shape [16, 17]", "data_offsets");
    }

    @Test
    void configDisagreesWithTensorShapes() throws IOException {
        Path f = Cli.withHeader(model, dir.resolve("config.safetensors"), h -> {
            ObjectNode meta = (ObjectNode) h.get("__metadata__");
            meta.put("rnn4j.config", meta.get("rnn4j.config").asText().replace("\"hidden_size\":16", "\"hidden_size\":32"));
        });
        bothFail(f, "'rnn.weight_ih_l0'", "has shape [16, 12]", "config needs [32, 12]");
    }

    @Test
    void vocabularyDisagreesWithConfig() throws IOException {
        Path f = Cli.withHeader(model, dir.resolve("vocab.safetensors"), h ->
                ((ObjectNode) h.get("__metadata__")).put("rnn4j.vocab", "{\"level\":\"char\",\"tokens\":[\"a\"]}"));
        bothFail(f, "vocab_size 12", "1 tokens");
    }

    @Test
    void safetensorsThatIsNotAnRnn4jModel() throws IOException {
        Path f = Cli.withHeader(model, dir.resolve("foreign.safetensors"), h ->
                ((ObjectNode) h.get("__metadata__")).remove("format"));
        bothFail(f, "not an rnn4j model", "'format' is missing");
    }

    @Test
    void textFileAsModel() throws IOException {
        Path f = Files.writeString(dir.resolve("notes.txt"), "hello, these are notes\n", StandardCharsets.UTF_8);
        bothFail(f, "header length", "not a safetensors file");
    }

    @Test
    void hugeHeaderLength() throws IOException {
        byte[] b = Files.readAllBytes(model);
        b[7] = 0x40; // header length 2^62 + ...
        bothFail(Cli.bytes(dir, "huge.safetensors", b), "header length", "limit");
    }

    @Test
    void directoryAsModel() {
        Path runDir = model.getParent();
        bothFail(runDir, "directory", ".safetensors");
    }
}
