package org.rnn4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.io.SafeTensorsTest.concat;
import static org.rnn4j.io.SafeTensorsTest.file;

/** One test per way a safetensors file can be wrong; each checks that the message says what and where. */
class SafeTensorsValidationTest {
    private static final String NAME = "bad.safetensors";

    /** Reads the bytes, expects a ModelFileException naming the file, and checks it mentions each fragment. */
    private static String rejects(byte[] bytes, String... fragments) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> SafeTensors.read(bytes, NAME));
        String message = e.getMessage();
        assertTrue(message.startsWith(NAME + ": "), message);
        assertEquals(NAME, e.source());
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), "expected '" + fragment + "' in: " + message);
        }
        return message;
    }

    private static String rejectsHeader(String header, int dataBytes, String... fragments) {
        return rejects(file(header, new byte[dataBytes]), fragments);
    }

    private static String entry(String name, String dtype, String shape, String offsets) {
        return "\"" + name + "\":{\"dtype\":" + dtype + ",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
    }

    private static String f32(String name, String shape, long begin, long end) {
        return entry(name, "\"F32\"", shape, "[" + begin + "," + end + "]");
    }

    private static byte[] lengthPrefix(long headerLength) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength).array();
    }

    // ---------------------------------------------------------------- the length field

    @Test
    void fileShorterThanEightBytes(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("short.safetensors");
        Files.write(path, new byte[] {1, 2, 3, 4, 5});
        ModelFileException e = assertThrows(ModelFileException.class, () -> SafeTensors.read(path));
        assertTrue(e.getMessage().startsWith(path + ": is 5 bytes long, too short"), e.getMessage());
        rejects(new byte[0], "is 0 bytes long", "empty or truncated");
    }

    @Test
    void headerLengthOverTheLimit() {
        rejects(concat(lengthPrefix(200L * 1024 * 1024), "{}".getBytes(StandardCharsets.US_ASCII)),
                "header length 209715200 bytes is over the 104857600-byte limit", "not a safetensors file");
        rejects(lengthPrefix(-1), "header length 18446744073709551615 bytes"); // read as unsigned
    }

    @Test
    void headerLengthLargerThanTheFile() {
        rejects(concat(lengthPrefix(1000), "{}".getBytes(StandardCharsets.US_ASCII)),
                "header length 1000 bytes is larger than the 2 bytes after the length field", "truncated");
    }

    @Test
    void zipArchiveGetsAHintAboutPyTorchFiles() {
        byte[] zip = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0};
        rejects(zip, "zip archive", "safetensors.torch.save_file");
    }

    // ---------------------------------------------------------------- the header as a whole

    @Test
    void headerNotUtf8() {
        byte[] header = {'{', '"', (byte) 0xff, '"', ':', '1', '}'};
        rejects(concat(lengthPrefix(header.length), header), "not valid UTF-8", "byte 2", "0xFF");
    }

    @Test
    void headerNotJson() {
        rejectsHeader("{\"a\": {\"dtype\": \"F32\",}", 0, "header is not valid JSON");
        rejectsHeader("{\"a\" 1}", 0, "header is not valid JSON", "line 1");
    }

    @Test
    void headerNotAnObject() {
        rejectsHeader("[]", 0, "not a JSON object", "starts with '['");
        rejectsHeader("", 0, "not a JSON object", "is empty");
        rejectsHeader(" {}", 0, "must start with '{'"); // the spec requires '{' as the first byte
    }

    @Test
    void headerWithSomethingAfterTheObject() {
        rejectsHeader("{} {}", 0, "after its JSON object");
        rejectsHeader("{}x", 0, "not valid JSON");
    }

    // ---------------------------------------------------------------- __metadata__

    @Test
    void metadataNotAnObject() {
        rejectsHeader("{\"__metadata__\":[\"a\"]}", 0, "\"__metadata__\" must be an object of strings but is an array");
    }

    @Test
    void metadataValueNotAString() {
        rejectsHeader("{\"__metadata__\":{\"epochs\":3}}", 0, "value of 'epochs' is a number", "strings to strings");
        rejectsHeader("{\"__metadata__\":{\"x\":null}}", 0, "value of 'x' is null");
    }

    @Test
    void metadataTwice() {
        rejectsHeader("{\"__metadata__\":{},\"__metadata__\":{}}", 0, "\"__metadata__\" twice");
    }

    // ---------------------------------------------------------------- tensor entries

    @Test
    void entryNotAnObject() {
        rejectsHeader("{\"w\":[1,2]}", 0, "tensor 'w' must be described by an object", "is an array");
    }

    @Test
    void entryMissingAKey() {
        rejectsHeader("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "tensor 'w' has no \"dtype\"");
        rejectsHeader("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4, "tensor 'w' has no \"shape\"");
        rejectsHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, "tensor 'w' has no \"data_offsets\"");
    }

    @Test
    void entryWithAnUnknownKey() {
        rejectsHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"stride\":[1]}}", 4,
                "tensor 'w' has unknown key \"stride\"");
    }

    @Test
    void entryWithWrongTypes() {
        rejectsHeader("{" + entry("w", "32", "[1]", "[0,4]") + "}", 4, "tensor 'w' has \"dtype\" 32", "must be a string");
        rejectsHeader("{" + entry("w", "\"F32\"", "\"2x2\"", "[0,16]") + "}", 16,
                "tensor 'w' has \"shape\" \"2x2\"", "array of non-negative integers");
    }

    @Test
    void entryWithARepeatedKey() {
        rejectsHeader("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4,
                "header has key 'dtype' twice", "in the value of 'w'");
    }

    @Test
    void unknownDtype() {
        rejectsHeader("{" + entry("w", "\"Q7\"", "[1]", "[0,4]") + "}", 4,
                "tensor 'w' has unknown dtype \"Q7\"", "rnn4j reads [F32, F64, I32, I64]");
    }

    @Test
    void validButUnsupportedDtype() {
        rejectsHeader("{" + entry("w", "\"BF16\"", "[2]", "[0,4]") + "}", 4,
                "tensor 'w' has dtype BF16, which rnn4j does not read", "tensor.float()");
    }

    @Test
    void negativeDimension() {
        rejectsHeader("{" + f32("w", "[2,-3]", 0, 24) + "}", 24, "tensor 'w' has negative dimension shape[1] = -3");
    }

    @Test
    void nonIntegerDimension() {
        rejectsHeader("{" + f32("w", "[2.5]", 0, 10) + "}", 10, "tensor 'w' has shape[0] = 2.5", "integers");
        rejectsHeader("{" + f32("w", "[\"2\"]", 0, 8) + "}", 8, "tensor 'w' has shape[0] = \"2\"");
    }

    @Test
    void dimensionBeyondInt() {
        rejectsHeader("{" + f32("w", "[4294967296]", 0, 4) + "}", 4, "shape[0] = 4294967296", "larger than rnn4j supports");
    }

    @Test
    void elementCountOverflow() {
        rejectsHeader("{" + f32("w", "[2147483647,2147483647,2147483647]", 0, 4) + "}", 4,
                "tensor 'w' has shape [2147483647, 2147483647, 2147483647]", "overflows a 64-bit integer");
    }

    @Test
    void dataOffsetsNotTwoIntegers() {
        rejectsHeader("{" + entry("w", "\"F32\"", "[1]", "[0]") + "}", 4, "\"data_offsets\" [0]", "two integers [begin, end]");
        rejectsHeader("{" + entry("w", "\"F32\"", "[1]", "[0,4,8]") + "}", 4, "two integers [begin, end]");
        rejectsHeader("{" + entry("w", "\"F32\"", "[1]", "{\"begin\":0}") + "}", 4, "two integers [begin, end]");
        rejectsHeader("{" + entry("w", "\"F32\"", "[1]", "[\"0\",4]") + "}", 4, "data_offsets begin \"0\"");
        rejectsHeader("{" + entry("w", "\"F32\"", "[1]", "[0,4.0]") + "}", 4, "data_offsets end 4.0");
    }

    @Test
    void negativeOffset() {
        rejectsHeader("{" + f32("w", "[1]", -4, 0) + "}", 4, "tensor 'w' has negative data_offsets begin -4");
    }

    @Test
    void offsetsEndBeforeBegin() {
        rejectsHeader("{" + f32("w", "[1]", 8, 4) + "}", 8, "tensor 'w' has \"data_offsets\" [8, 4]", "end is before its begin");
    }

    @Test
    void offsetBeyondTheDataSection() {
        // The message of the style guide, word for word.
        String message = rejectsHeader("{" + f32("rnn.weight_hh_l0", "[1994]", 1024, 9000) + "}", 4096);
        assertEquals(NAME + ": tensor 'rnn.weight_hh_l0' claims bytes [1024, 9000) but the data section holds"
                + " only 4096 bytes (the file is truncated or its header is wrong)", message);
    }

    @Test
    void offsetBeyondAnyFileSize() {
        rejectsHeader("{" + entry("w", "\"F32\"", "[1]", "[0," + Long.MAX_VALUE + "1]") + "}", 4, "data_offsets end 92233720368547758071",
                "beyond any file size");
    }

    @Test
    void byteLengthDisagreesWithShapeAndDtype() {
        rejectsHeader("{" + f32("w", "[2,3]", 0, 20) + "}", 20,
                "tensor 'w' is F32 with shape [2, 3] (6 elements, 24 bytes) but its data_offsets [0, 20) span 20 bytes");
        rejectsHeader("{" + f32("s", "[]", 0, 0) + "}", 0, "(1 elements, 4 bytes)"); // a scalar is not empty
    }

    // ---------------------------------------------------------------- coverage of the data section

    @Test
    void overlappingTensors() {
        rejectsHeader("{" + f32("a", "[2]", 0, 8) + "," + f32("b", "[2]", 4, 12) + "}", 12,
                "tensors 'a' [0, 8) and 'b' [4, 12) overlap");
        rejectsHeader("{" + f32("a", "[2]", 0, 8) + "," + f32("b", "[2]", 0, 8) + "}", 8, "overlap");
    }

    @Test
    void holeInTheDataSection() {
        rejectsHeader("{" + f32("a", "[1]", 0, 4) + "," + f32("b", "[1]", 8, 12) + "}", 12,
                "bytes [4, 8) of the data section belong to no tensor", "before tensor 'b'");
        rejectsHeader("{" + f32("a", "[1]", 4, 8) + "}", 8, "bytes [0, 4) of the data section belong to no tensor");
    }

    @Test
    void trailingBytesAfterTheLastTensor() {
        rejectsHeader("{" + f32("a", "[1]", 0, 4) + "}", 7,
                "the data section holds 7 bytes but the last tensor, 'a', ends at byte 4", "3 trailing bytes");
        rejectsHeader("{}", 5, "the header lists no tensors", "5 trailing bytes");
    }

    @Test
    void duplicateTensorName() {
        rejectsHeader("{" + f32("a", "[1]", 0, 4) + "," + f32("a", "[1]", 4, 8) + "}", 8, "tensor 'a' twice");
    }

    @Test
    void emptyTensorsMayShareAnOffset() throws IOException {
        // Accepted, as by the reference reader: zero-length ranges at a tensor boundary cover nothing.
        String header = "{" + f32("e1", "[0]", 0, 0) + "," + f32("a", "[1]", 0, 4) + "," + f32("e2", "[3,0]", 4, 4)
                + "," + f32("e3", "[0]", 4, 4) + "}";
        SafeTensorsFile file = SafeTensors.read(file(header, new byte[4]), NAME);
        assertEquals(List.of("e1", "a", "e2", "e3"), file.names());
    }

    @Test
    void truncatedFileOnDisk(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("model.safetensors");
        byte[] whole = SafeTensors.toBytes(List.of(TensorData.ofFloats("w", new int[] {4}, new float[4])), Map.of());
        Files.write(path, java.util.Arrays.copyOf(whole, whole.length - 3));
        ModelFileException e = assertThrows(ModelFileException.class, () -> SafeTensors.read(path));
        assertTrue(e.getMessage().startsWith(path + ": tensor 'w' claims bytes [0, 16) but the data section holds"
                + " only 13 bytes"), e.getMessage());
    }
}
