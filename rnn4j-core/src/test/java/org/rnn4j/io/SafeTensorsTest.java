package org.rnn4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Round trips, the byte layout against the spec, and atomic writes. Validation is in SafeTensorsValidationTest. */
class SafeTensorsTest {

    private static List<TensorData> sampleTensors() {
        return List.of(
                TensorData.ofFloats("rnn.weight_ih_l0", new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}),
                TensorData.ofLongs("ids", new int[] {4}, new long[] {0, 7, Long.MAX_VALUE, -1}),
                TensorData.ofFloats("scalar", new int[] {}, new float[] {3.5f}),
                TensorData.ofFloats("empty", new int[] {0}, new float[] {}),
                TensorData.ofDoubles("d", new int[] {1, 2}, new double[] {Math.PI, -1e300}),
                TensorData.ofInts("i", new int[] {3}, new int[] {Integer.MIN_VALUE, 0, 42}));
    }

    @Test
    void roundTripKeepsEveryTensorAndTheGivenOrder() throws IOException {
        List<TensorData> tensors = sampleTensors();
        SafeTensorsFile file = SafeTensors.read(SafeTensors.toBytes(tensors, Map.of()), "mem");

        assertEquals(List.of("rnn.weight_ih_l0", "ids", "scalar", "empty", "d", "i"), file.names());
        assertEquals(tensors, file.tensors());
        assertEquals(Map.of(), file.metadata());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, file.tensor("rnn.weight_ih_l0").floats());
        assertArrayEquals(new int[] {2, 3}, file.tensor("rnn.weight_ih_l0").shape());
        assertArrayEquals(new long[] {0, 7, Long.MAX_VALUE, -1}, file.tensor("ids").longs());
        TensorData scalar = file.tensor("scalar");
        assertEquals(0, scalar.rank());
        assertEquals(1, scalar.elementCount());
        assertArrayEquals(new float[] {3.5f}, scalar.floats());
        TensorData empty = file.tensor("empty");
        assertArrayEquals(new int[] {0}, empty.shape());
        assertEquals(0, empty.elementCount());
        assertEquals(0, empty.floats().length);
        assertArrayEquals(new double[] {Math.PI, -1e300}, file.tensor("d").doubles());
        assertArrayEquals(new int[] {Integer.MIN_VALUE, 0, 42}, file.tensor("i").ints());
    }

    @Test
    void metadataRoundTripsInOrder() throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("rnn4j.cell", "lstm");
        metadata.put("note", "ünïcødé \"quoted\" \n newline");
        SafeTensorsFile file = SafeTensors.read(SafeTensors.toBytes(sampleTensors(), metadata), "mem");

        assertEquals(List.copyOf(metadata.entrySet()), List.copyOf(file.metadata().entrySet()));
        assertThrows(UnsupportedOperationException.class, () -> file.metadata().put("x", "y"));
    }

    @Test
    void writerPadsHeaderToEightBytesWithSpaces() {
        for (int n = 0; n < 9; n++) { // names of growing length move the header end through all residues
            List<TensorData> one = List.of(TensorData.ofFloats("t".repeat(n + 1), new int[] {1}, new float[] {1}));
            byte[] bytes = SafeTensors.toBytes(one, Map.of());
            long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            assertEquals(0, (8 + headerLength) % 8, "data section must start 8-aligned");
            String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
            assertTrue(header.stripTrailing().endsWith("}"), header);
            assertTrue(header.substring(header.stripTrailing().length()).chars().allMatch(c -> c == ' '));
        }
    }

    @Test
    void readerAcceptsHeaderPaddedWithSpaces() throws IOException {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}" + " ".repeat(13);
        byte[] bytes = file(header, new byte[] {0, 0, (byte) 0x80, 0x3f});
        assertArrayEquals(new float[] {1f}, SafeTensors.read(bytes, "padded").tensor("a").floats());
    }

    @Test
    void floatsAreBitExactIncludingNaNPayloadsAndNegativeZero() throws IOException {
        int[] floatBits = {
            0x7fc12345, // quiet NaN with a payload
            0xffc00001, // negative quiet NaN with a payload
            0x80000000, // -0.0f
            0x00000001, // smallest subnormal
            0x7f800000, 0xff800000, // +-infinity
            0x3f800000};
        float[] floats = new float[floatBits.length];
        for (int k = 0; k < floats.length; k++) {
            floats[k] = Float.intBitsToFloat(floatBits[k]);
        }
        long[] doubleBits = {0x7ff8000000abcdefL, 0x8000000000000000L, 0x0000000000000001L};
        double[] doubles = new double[doubleBits.length];
        for (int k = 0; k < doubles.length; k++) {
            doubles[k] = Double.longBitsToDouble(doubleBits[k]);
        }
        List<TensorData> tensors = List.of(
                TensorData.ofFloats("f", new int[] {floats.length}, floats),
                TensorData.ofDoubles("d", new int[] {doubles.length}, doubles));

        SafeTensorsFile file = SafeTensors.read(SafeTensors.toBytes(tensors, Map.of()), "mem");
        float[] f = file.tensor("f").floats();
        for (int k = 0; k < f.length; k++) {
            assertEquals(floatBits[k], Float.floatToRawIntBits(f[k]), "float " + k);
        }
        double[] d = file.tensor("d").doubles();
        for (int k = 0; k < d.length; k++) {
            assertEquals(doubleBits[k], Double.doubleToRawLongBits(d[k]), "double " + k);
        }
    }

    /**
     * A file built byte by byte from the format description, so the writer is checked against the spec
     * and not only against our own reader.
     */
    @Test
    void byteLayoutMatchesTheSpecByHand() throws IOException {
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"ids\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[8,16]}}";
        assertEquals(140, json.length()); // + 4 spaces = 144 = 0x90, so the data starts at 152 = 19 * 8
        byte[] expected = concat(
                new byte[] {(byte) 0x90, 0, 0, 0, 0, 0, 0, 0}, // header length, u64 little-endian
                (json + "    ").getBytes(StandardCharsets.US_ASCII),
                new byte[] {0x00, 0x00, (byte) 0x80, 0x3f}, // 1.0f  = 0x3f800000, little-endian
                new byte[] {0x00, 0x00, 0x20, (byte) 0xc0}, // -2.5f = 0xc0200000
                new byte[] {(byte) 0xfe, -1, -1, -1, -1, -1, -1, -1}); // -2L

        byte[] written = SafeTensors.toBytes(List.of(
                TensorData.ofFloats("w", new int[] {2}, new float[] {1.0f, -2.5f}),
                TensorData.ofLongs("ids", new int[] {}, new long[] {-2})), Map.of("format", "pt"));
        assertArrayEquals(expected, written);

        SafeTensorsFile read = SafeTensors.read(expected, "hand-made");
        assertEquals(Map.of("format", "pt"), read.metadata());
        assertArrayEquals(new float[] {1.0f, -2.5f}, read.tensor("w").floats());
        assertArrayEquals(new int[] {-2}, read.tensor("ids").ints());
    }

    @Test
    void readerKeepsHeaderOrderEvenWhenDataIsInAnotherOrder() throws IOException {
        // "b" comes first in the header but second in the data; the reference writer sorts like this.
        String header = "{\"b\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[4,8]},"
                + "\"a\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        SafeTensorsFile file = SafeTensors.read(file(header, new byte[] {1, 0, 0, 0, 2, 0, 0, 0}), "mem");
        assertEquals(List.of("b", "a"), file.names());
        assertArrayEquals(new int[] {1}, file.tensor("a").ints());
        assertArrayEquals(new int[] {2}, file.tensor("b").ints());
    }

    @Test
    void emptyFileRoundTrips() throws IOException {
        byte[] bytes = SafeTensors.toBytes(List.of(), Map.of());
        assertEquals(16, bytes.length); // length + "{}" padded to 8
        SafeTensorsFile file = SafeTensors.read(bytes, "mem");
        assertEquals(0, file.size());
        assertEquals(List.of(), file.names());
    }

    @Test
    void missingTensorNamesTheFileAndWhatItHolds() throws IOException {
        SafeTensorsFile file = SafeTensors.read(SafeTensors.toBytes(sampleTensors(), Map.of()), "model.safetensors");
        ModelFileException e = assertThrows(ModelFileException.class, () -> file.tensor("rnn.weight_hh_l0"));
        assertTrue(e.getMessage().startsWith("model.safetensors: has no tensor 'rnn.weight_hh_l0'"), e.getMessage());
        assertTrue(e.getMessage().contains("'rnn.weight_ih_l0'"), e.getMessage());
        assertFalse(file.find("rnn.weight_hh_l0").isPresent());
        assertTrue(file.contains("ids"));
    }

    @Test
    void writerRejectsDuplicateAndReservedNames() {
        TensorData a = TensorData.ofFloats("a", new int[] {1}, new float[] {1});
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.toBytes(List.of(a, a), Map.of()));
        assertTrue(dup.getMessage().contains("two tensors are named 'a'"), dup.getMessage());
        TensorData reserved = TensorData.ofFloats("__metadata__", new int[] {1}, new float[] {1});
        IllegalArgumentException res = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.toBytes(List.of(reserved), Map.of()));
        assertTrue(res.getMessage().contains("__metadata__"), res.getMessage());
    }

    @Test
    void atomicWriteReplacesTheTargetAndLeavesNoTemporaryFiles(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("model.safetensors");
        SafeTensors.write(target, List.of(TensorData.ofFloats("a", new int[] {1}, new float[] {1})), Map.of());
        SafeTensors.write(target, sampleTensors(), Map.of("format", "pt"));

        SafeTensorsFile file = SafeTensors.read(target);
        assertEquals(sampleTensors(), file.tensors());
        assertEquals(Map.of("format", "pt"), file.metadata());
        assertEquals(target.toString(), file.source());
        assertEquals(List.of(target), list(dir));
        assertArrayEquals(SafeTensors.toBytes(sampleTensors(), Map.of("format", "pt")), Files.readAllBytes(target));
    }

    @Test
    void failedWriteLeavesThePreviousFileIntact(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("model.safetensors");
        SafeTensors.write(target, sampleTensors(), Map.of());
        byte[] before = Files.readAllBytes(target);
        TensorData a = TensorData.ofFloats("a", new int[] {1}, new float[] {1});

        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(target, List.of(a, a), Map.of()));
        assertArrayEquals(before, Files.readAllBytes(target));
        assertEquals(List.of(target), list(dir));
    }

    @Test
    void writeToAMissingDirectoryFailsWithoutLeavingFiles(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("no-such-dir").resolve("model.safetensors");
        assertThrows(IOException.class, () -> SafeTensors.write(target, sampleTensors(), Map.of()));
        assertEquals(List.of(), list(dir));
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    /** A file with this header (not padded) and data section. */
    static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return concat(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array(), h, data);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
