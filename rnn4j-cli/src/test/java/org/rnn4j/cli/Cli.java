package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/** Runs the command line in-process with its own writers, and makes test data. */
final class Cli {
    static final ObjectMapper JSON = new ObjectMapper();

    private Cli() {
    }

    /** What one run printed and returned. */
    record Run(List<String> args, int exit, String out, String err) {
        String lastOutLine() {
            String[] lines = out.strip().split("\\R");
            return lines[lines.length - 1];
        }

        JsonNode lastOutJson() throws IOException {
            return JSON.readTree(lastOutLine());
        }

        /** For assertion messages: the command and everything it printed. */
        String transcript() {
            return "rnn4j " + String.join(" ", args) + "\n--- exit " + exit + "\n--- out:\n" + out + "--- err:\n" + err;
        }

        /** Exit 1 with a one-line cause naming {@code source}, the --verbose hint, and no stack trace. */
        Run assertFailure(String source, String... keywords) {
            assertEquals(Main.EXIT_FAILURE, exit, transcript());
            assertTrue(err.startsWith("rnn4j: "), transcript());
            assertTrue(firstErrLine().contains(source), "the cause names " + source + "\n" + transcript());
            assertContainsAll(firstErrLine(), keywords);
            assertTrue(err.contains("--verbose"), transcript());
            assertNoStackTrace();
            return this;
        }

        /** Exit 2 with the problem first and the command's usage line, and no stack trace. */
        Run assertUsageError(String command, String... keywords) {
            assertEquals(Main.EXIT_USAGE, exit, transcript());
            assertContainsAll(firstErrLine(), keywords);
            assertTrue(err.contains("Usage: rnn4j" + (command.isEmpty() ? "" : " " + command)), transcript());
            assertNoStackTrace();
            return this;
        }

        String firstErrLine() {
            return err.lines().findFirst().orElse("");
        }

        void assertContainsAll(String text, String... keywords) {
            for (String k : keywords) {
                assertTrue(text.contains(k), "expected '" + k + "' in: " + text + "\n" + transcript());
            }
        }

        void assertNoStackTrace() {
            assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace without --verbose\n"
                    + transcript());
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new Run(List.of(args), exit, out.toString(), err.toString());
    }

    /** A small text with a repeated pattern: {@code times} copies of {@code unit}. */
    static Path text(Path dir, String name, String unit, int times) throws IOException {
        return Files.writeString(dir.resolve(name), unit.repeat(times), StandardCharsets.UTF_8);
    }

    static Path bytes(Path dir, String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** The JSON header of a safetensors file. */
    static ObjectNode header(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int n = (int) ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return (ObjectNode) JSON.readTree(new String(b, 8, n, StandardCharsets.UTF_8));
    }

    /** Copies a safetensors file with its JSON header changed by {@code edit} and the data section kept. */
    static Path withHeader(Path src, Path dst, Consumer<ObjectNode> edit) throws IOException {
        byte[] b = Files.readAllBytes(src);
        int n = (int) ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ObjectNode header = header(src);
        edit.accept(header);
        byte[] h = JSON.writeValueAsBytes(header);
        ByteBuffer out = ByteBuffer.allocate(8 + h.length + b.length - 8 - n).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(h.length).put(h).put(b, 8 + n, b.length - 8 - n);
        return Files.write(dst, out.array());
    }

    /** The first {@code fraction} of a file's bytes. */
    static Path truncated(Path src, Path dst, double fraction) throws IOException {
        byte[] b = Files.readAllBytes(src);
        return Files.write(dst, Arrays.copyOf(b, (int) (b.length * fraction)));
    }
}
