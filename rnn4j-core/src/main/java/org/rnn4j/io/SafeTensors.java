package org.rnn4j.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format, the
 * tensor file format of Hugging Face that PyTorch, JAX and others read and write. A file is:
 * <pre>
 * bytes 0..8         N, the header length: unsigned 64-bit little-endian
 * bytes 8..8+N       the header: a UTF-8 JSON object, possibly padded at the end with spaces
 *                      {"__metadata__": {"format": "pt"},                       (optional, string to string)
 *                       "rnn.weight_ih_l0": {"dtype": "F32", "shape": [8, 3], "data_offsets": [0, 96]},
 *                       ...}
 * bytes 8+N..end     the data section: each tensor's elements, row-major, little-endian, at
 *                      [begin, end) counted from the start of the data section
 * </pre>
 * Shape {@code []} is a scalar (one element); a shape with a zero, such as {@code [0]}, holds no bytes.
 *
 * <p><b>Reading is strict.</b> Every count and size in the header is checked against the file before
 * anything is allocated from it, and the tensors must cover the data section exactly, with no holes, no
 * overlaps and nothing after the last one. Any problem throws a {@link ModelFileException} that names
 * the file and says what is wrong. rnn4j reads the dtypes of {@link DType} (F32, F64, I32, I64).
 *
 * <p><b>Writing is atomic.</b> {@link #write(Path, Collection, Map)} writes a temporary file beside the
 * target, forces it to disk and renames it over the target, so a crash during a save leaves the
 * previous file intact. Tensors keep the given order in the header and in the data; the header is
 * padded with spaces so that the data section starts at a multiple of 8 bytes, as the reference writer
 * does.
 *
 * <pre>
 * SafeTensors.write(path, List.of(TensorData.ofFloats("w", new int[] {2, 3}, w)), Map.of("format", "pt"));
 * SafeTensorsFile file = SafeTensors.read(path);
 * float[] w = file.tensor("w").floats();
 * </pre>
 */
public final class SafeTensors {
    /** The largest header accepted, as in the reference implementation: 100 MB. */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    /** The header key that holds the string-to-string metadata instead of a tensor. */
    public static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();
    private static final JsonFactory JSON_FACTORY = JSON.getFactory();
    /** Jackson's message for a repeated key inside a tensor entry or the metadata. */
    private static final Pattern DUPLICATE_KEY = Pattern.compile("Duplicate field '(.*?)'");
    private static final AtomicLong TEMP_COUNTER = new AtomicLong();

    private SafeTensors() {
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads a whole safetensors file. Error messages name the file as {@code file.toString()}.
     *
     * @throws ModelFileException if the file is not a valid safetensors file or holds a dtype rnn4j does
     *                            not read
     * @throws IOException        if the file cannot be opened or read
     */
    public static SafeTensorsFile read(Path file) throws IOException {
        String source = file.toString();
        if (java.nio.file.Files.isDirectory(file)) {
            throw new ModelFileException(source, "is a directory, not a model file: give a .safetensors file, e.g. "
                    + file.resolve("best.safetensors"));
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(source, channel.size(), (position, dst) -> {
                while (dst.hasRemaining()) {
                    long at = position + dst.position();
                    if (channel.read(dst, at) < 0) {
                        throw new ModelFileException(source, "ended at byte " + at
                                + " while it was being read (was it changed or truncated meanwhile?)");
                    }
                }
            });
        }
    }

    /**
     * Reads safetensors bytes held in memory, with the same checks as {@link #read(Path)}.
     *
     * @param source how to name the bytes in error messages, e.g. a file or resource name
     */
    public static SafeTensorsFile read(byte[] bytes, String source) throws ModelFileException {
        try {
            return read(source, bytes.length, (position, dst) ->
                    dst.put(ByteBuffer.wrap(bytes, (int) position, dst.remaining())));
        } catch (ModelFileException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // no I/O happens on an array
        }
    }

    /** Positional reads that fill {@code dst} completely or throw. */
    @FunctionalInterface
    private interface ReadAt {
        void readFully(long position, ByteBuffer dst) throws IOException;
    }

    /** One header entry, checked on its own but not yet against the other entries. */
    private record Entry(String name, DType dtype, int[] shape, long begin, long end) {
        String range() {
            return "[" + begin + ", " + end + ")";
        }
    }

    private static SafeTensorsFile read(String source, long size, ReadAt in) throws IOException {
        if (size < 8) {
            throw new ModelFileException(source, "is " + size + " bytes long, too short for the 8-byte header"
                    + " length that starts every safetensors file (the file is empty or truncated)");
        }
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        in.readFully(0, prefix);
        long headerLength = prefix.getLong(0); // unsigned: negative means >= 2^63
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new ModelFileException(source, "header length " + Long.toUnsignedString(headerLength)
                    + " bytes is over the " + MAX_HEADER_BYTES + "-byte limit: this is not a safetensors file,"
                    + " or its first 8 bytes are corrupt" + otherFormatHint(prefix));
        }
        if (headerLength > size - 8) {
            throw new ModelFileException(source, "header length " + headerLength + " bytes is larger than the "
                    + (size - 8) + " bytes after the length field (the file is truncated or is not a"
                    + " safetensors file)" + otherFormatHint(prefix));
        }
        byte[] header = new byte[(int) headerLength];
        in.readFully(8, ByteBuffer.wrap(header));
        long dataStart = 8 + headerLength;
        long dataLength = size - dataStart;

        LinkedHashMap<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = parseHeader(source, header, metadata);
        for (Entry e : entries) {
            checkAgainstData(source, e, dataLength);
        }
        checkCoverage(source, entries, dataLength);

        LinkedHashMap<String, TensorData> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            byte[] data = new byte[(int) (e.end - e.begin)]; // checked: within the file and within MAX_BYTES
            in.readFully(dataStart + e.begin, ByteBuffer.wrap(data));
            tensors.put(e.name, TensorData.adopt(e.name, e.dtype, e.shape, data));
        }
        return new SafeTensorsFile(source, metadata, tensors);
    }

    private static String otherFormatHint(ByteBuffer prefix) {
        if (prefix.get(0) == 'P' && prefix.get(1) == 'K' && prefix.get(2) == 3 && prefix.get(3) == 4) {
            return "; it starts like a zip archive, which is how PyTorch's torch.save writes .pt/.pth/.bin"
                    + " files: save the tensors with safetensors.torch.save_file instead";
        }
        return "";
    }

    /** Parses the header JSON into checked entries (header order), filling {@code metadata}. */
    private static List<Entry> parseHeader(String source, byte[] header, Map<String, String> metadata)
            throws ModelFileException {
        String text = decodeUtf8(source, header);
        if (text.isEmpty() || text.charAt(0) != '{') {
            throw new ModelFileException(source, "header is not a JSON object: it must start with '{' but "
                    + (text.isEmpty() ? "is empty" : "starts with " + quoteStart(text)));
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        boolean sawMetadata = false;
        String current = null; // the key whose value is being parsed, for messages
        try (JsonParser p = JSON_FACTORY.createParser(text)) {
            p.nextToken(); // START_OBJECT, as the text starts with '{'
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                current = key;
                p.nextToken();
                JsonNode value = JSON.readTree(p);
                if (key.equals(METADATA_KEY)) {
                    if (sawMetadata) {
                        throw new ModelFileException(source, "header has \"" + METADATA_KEY + "\" twice");
                    }
                    sawMetadata = true;
                    parseMetadata(source, value, metadata);
                } else {
                    if (!names.add(key)) {
                        throw new ModelFileException(source, "header lists tensor '" + key + "' twice"
                                + " (tensor names must be unique)");
                    }
                    entries.add(parseEntry(source, key, value));
                }
                current = null;
            }
            if (t != JsonToken.END_OBJECT) {
                throw new ModelFileException(source, "header is not valid JSON: expected a tensor name or '}'"
                        + " but found " + t + " at " + location(p));
            }
            if ((t = p.nextToken()) != null) {
                throw new ModelFileException(source, "header has " + t + " after its JSON object at "
                        + location(p) + " (only space padding may follow the object)");
            }
        } catch (JsonProcessingException e) {
            String where = current == null ? "" : " (in the value of '" + current + "')";
            Matcher duplicate = DUPLICATE_KEY.matcher(e.getOriginalMessage());
            if (duplicate.lookingAt()) {
                throw new ModelFileException(source, "header has key '" + duplicate.group(1) + "' twice"
                        + where + " at " + location(e), e);
            }
            throw new ModelFileException(source, "header is not valid JSON" + where + ": "
                    + e.getOriginalMessage() + " at " + location(e), e);
        } catch (ModelFileException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // no I/O happens on a String
        }
        return entries;
    }

    private static String decodeUtf8(String source, byte[] header) throws ModelFileException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(header);
        CharBuffer out = CharBuffer.allocate(header.length); // UTF-8 never decodes to more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new ModelFileException(source, String.format(
                    "header is not valid UTF-8: byte %d of the header (0x%02X) starts a malformed sequence",
                    in.position(), header[in.position()] & 0xff));
        }
        return out.flip().toString();
    }

    private static String quoteStart(String text) {
        char c = text.charAt(0);
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private static String location(JsonParser p) {
        return "line " + p.currentLocation().getLineNr() + ", column " + p.currentLocation().getColumnNr();
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "an unknown position"
                : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    private static void parseMetadata(String source, JsonNode value, Map<String, String> metadata)
            throws ModelFileException {
        if (!value.isObject()) {
            throw new ModelFileException(source, "\"" + METADATA_KEY + "\" must be an object of strings but is "
                    + kind(value));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isTextual()) {
                throw new ModelFileException(source, "\"" + METADATA_KEY + "\" value of '" + field.getKey()
                        + "' is " + kind(field.getValue()) + ", but safetensors metadata maps strings to"
                        + " strings (write numbers as text, e.g. \"3\")");
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
    }

    private static final Set<String> ENTRY_KEYS = Set.of("dtype", "shape", "data_offsets");

    private static Entry parseEntry(String source, String name, JsonNode value) throws ModelFileException {
        String what = "tensor '" + name + "'";
        if (!value.isObject()) {
            throw new ModelFileException(source, what + " must be described by an object with \"dtype\","
                    + " \"shape\" and \"data_offsets\" but is " + kind(value));
        }
        for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!ENTRY_KEYS.contains(key)) {
                throw new ModelFileException(source, what + " has unknown key \"" + key
                        + "\" (a tensor entry has only \"dtype\", \"shape\" and \"data_offsets\")");
            }
        }
        DType dtype = parseDtype(source, what, require(source, what, value, "dtype"));
        int[] shape = parseShape(source, what, require(source, what, value, "shape"));
        JsonNode offsets = require(source, what, value, "data_offsets");
        if (!offsets.isArray() || offsets.size() != 2) {
            throw new ModelFileException(source, what + " has \"data_offsets\" " + abbreviate(offsets)
                    + ", but it must be two integers [begin, end]");
        }
        long begin = offsetValue(source, what, "begin", offsets.get(0));
        long end = offsetValue(source, what, "end", offsets.get(1));
        if (end < begin) {
            throw new ModelFileException(source, what + " has \"data_offsets\" [" + begin + ", " + end
                    + "] whose end is before its begin");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static JsonNode require(String source, String what, JsonNode entry, String key)
            throws ModelFileException {
        JsonNode v = entry.get(key);
        if (v == null) {
            throw new ModelFileException(source, what + " has no \"" + key + "\"");
        }
        return v;
    }

    private static DType parseDtype(String source, String what, JsonNode node) throws ModelFileException {
        if (!node.isTextual()) {
            throw new ModelFileException(source, what + " has \"dtype\" " + abbreviate(node)
                    + ", but it must be a string such as \"F32\"");
        }
        String name = node.textValue();
        DType dtype = DType.fromHeaderName(name);
        if (dtype != null) {
            return dtype;
        }
        String supported = Arrays.toString(DType.values());
        if (DType.SAFETENSORS_NAMES.contains(name)) {
            throw new ModelFileException(source, what + " has dtype " + name + ", which rnn4j does not read"
                    + " (it reads " + supported + "); convert the tensor before saving, e.g. with"
                    + " tensor.float() in PyTorch");
        }
        throw new ModelFileException(source, what + " has unknown dtype \"" + name + "\" (safetensors dtypes"
                + " are " + new TreeSet<>(DType.SAFETENSORS_NAMES) + "; rnn4j reads " + supported + ")");
    }

    private static int[] parseShape(String source, String what, JsonNode node) throws ModelFileException {
        if (!node.isArray()) {
            throw new ModelFileException(source, what + " has \"shape\" " + abbreviate(node)
                    + ", but it must be an array of non-negative integers such as [8, 3]");
        }
        int[] shape = new int[node.size()]; // bounded by the header's size, which is checked
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = node.get(i);
            if (!d.isIntegralNumber()) {
                throw new ModelFileException(source, what + " has shape[" + i + "] = " + abbreviate(d)
                        + ", but dimensions must be non-negative integers");
            }
            if (d.bigIntegerValue().signum() < 0) {
                throw new ModelFileException(source, what + " has negative dimension shape[" + i + "] = "
                        + d.asText());
            }
            if (!d.canConvertToInt()) {
                throw new ModelFileException(source, what + " has dimension shape[" + i + "] = " + d.asText()
                        + ", larger than rnn4j supports (" + Integer.MAX_VALUE + ")");
            }
            shape[i] = d.intValue();
        }
        return shape;
    }

    private static long offsetValue(String source, String what, String role, JsonNode node)
            throws ModelFileException {
        if (!node.isIntegralNumber()) {
            throw new ModelFileException(source, what + " has data_offsets " + role + " " + abbreviate(node)
                    + ", but offsets must be non-negative integers");
        }
        if (node.bigIntegerValue().signum() < 0) {
            throw new ModelFileException(source, what + " has negative data_offsets " + role + " "
                    + node.asText());
        }
        if (!node.canConvertToLong()) {
            throw new ModelFileException(source, what + " has data_offsets " + role + " " + node.asText()
                    + ", beyond any file size");
        }
        return node.longValue();
    }

    /** Checks one entry's range against the data section and against its dtype and shape. */
    private static void checkAgainstData(String source, Entry e, long dataLength) throws ModelFileException {
        String what = "tensor '" + e.name + "'";
        if (e.end > dataLength) {
            throw new ModelFileException(source, what + " claims bytes " + e.range()
                    + " but the data section holds only " + dataLength + " bytes (the file is truncated or its"
                    + " header is wrong)");
        }
        long count = 1;
        boolean empty = false;
        for (int d : e.shape) {
            empty |= d == 0;
        }
        long bytes = 0;
        if (!empty) {
            try {
                for (int d : e.shape) {
                    count = Math.multiplyExact(count, d);
                }
                bytes = Math.multiplyExact(count, e.dtype.byteSize());
            } catch (ArithmeticException overflow) {
                throw new ModelFileException(source, what + " has shape " + Arrays.toString(e.shape)
                        + " whose " + e.dtype + " byte count overflows a 64-bit integer");
            }
        }
        if (bytes != e.end - e.begin) {
            throw new ModelFileException(source, what + " is " + e.dtype + " with shape "
                    + Arrays.toString(e.shape) + " (" + (empty ? 0 : count) + " elements, " + bytes
                    + " bytes) but its data_offsets " + e.range() + " span " + (e.end - e.begin) + " bytes");
        }
        if (bytes > TensorData.MAX_BYTES) {
            throw new ModelFileException(source, what + " holds " + bytes + " bytes; rnn4j reads at most "
                    + TensorData.MAX_BYTES + " bytes per tensor");
        }
    }

    /** Checks that the entries tile the data section exactly: no holes, no overlaps, nothing after. */
    private static void checkCoverage(String source, List<Entry> entries, long dataLength)
            throws ModelFileException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin > covered) {
                throw new ModelFileException(source, "bytes [" + covered + ", " + e.begin + ") of the data"
                        + " section belong to no tensor (a hole before tensor '" + e.name + "'); every data"
                        + " byte must belong to exactly one tensor");
            }
            if (e.begin < covered) {
                throw new ModelFileException(source, "tensors '" + previous.name + "' " + previous.range()
                        + " and '" + e.name + "' " + e.range() + " overlap; every data byte must belong to"
                        + " exactly one tensor");
            }
            covered = e.end;
            previous = e;
        }
        if (covered < dataLength) {
            String after = previous == null ? "the header lists no tensors"
                    : "the last tensor, '" + previous.name + "', ends at byte " + covered;
            throw new ModelFileException(source, "the data section holds " + dataLength + " bytes but "
                    + after + ": " + (dataLength - covered) + " trailing bytes belong to no tensor (the file"
                    + " has extra data appended or its header is wrong)");
        }
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String abbreviate(JsonNode node) {
        String s = node.toString();
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes tensors and metadata to {@code file} atomically: the bytes go to a temporary file in the same
     * directory, which is forced to disk and then renamed over {@code file} (an atomic rename where the
     * file system has one). If anything fails, the previous {@code file} is untouched and the temporary
     * file is removed.
     *
     * @param tensors  in the order they should appear in the header and in the data; names must be unique
     *                 and must not be {@value #METADATA_KEY}
     * @param metadata stored as {@value #METADATA_KEY} in iteration order; omitted from the file when empty
     * @throws IllegalArgumentException if names repeat or are reserved, or metadata holds null
     */
    public static void write(Path file, Collection<TensorData> tensors, Map<String, String> metadata)
            throws IOException {
        byte[] header = header(tensors, metadata); // checks the arguments before touching the disk
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path temp = createTemp(dir, target.getFileName().toString());
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                writeBody(out, header, tensors);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Creates an empty hidden file beside the target, with the default permissions of a new file. */
    private static Path createTemp(Path dir, String targetName) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temp = dir.resolve("." + targetName + "." + ProcessHandle.current().pid() + "-"
                    + TEMP_COUNTER.incrementAndGet() + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    /** Makes the rename durable where the platform allows forcing a directory; elsewhere does nothing. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every platform can open a directory (Windows cannot); the file itself is already on disk.
        }
    }

    /**
     * Writes tensors and metadata to a stream, as {@link #write(Path, Collection, Map)} lays them out in a
     * file. Does not flush or close {@code out}.
     */
    public static void write(OutputStream out, Collection<TensorData> tensors, Map<String, String> metadata)
            throws IOException {
        writeBody(out, header(tensors, metadata), tensors);
    }

    /** The bytes of a safetensors file holding these tensors and metadata. */
    public static byte[] toBytes(Collection<TensorData> tensors, Map<String, String> metadata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(out, tensors, metadata);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // no I/O happens on an array
        }
        return out.toByteArray();
    }

    private static void writeBody(OutputStream out, byte[] header, Collection<TensorData> tensors)
            throws IOException {
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        out.write(header);
        for (TensorData t : tensors) {
            t.writeDataTo(out);
        }
    }

    /** The header JSON, padded with spaces to a multiple of 8 bytes so the data starts 8-aligned. */
    private static byte[] header(Collection<TensorData> tensors, Map<String, String> metadata) {
        checkArguments(tensors, metadata);
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON_FACTORY.createGenerator(json)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeObjectFieldStart(METADATA_KEY);
                for (Map.Entry<String, String> m : metadata.entrySet()) {
                    g.writeStringField(m.getKey(), m.getValue());
                }
                g.writeEndObject();
            }
            long offset = 0;
            for (TensorData t : tensors) {
                g.writeObjectFieldStart(t.name());
                g.writeStringField("dtype", t.dtype().name());
                g.writeArrayFieldStart("shape");
                for (int d : t.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                offset += t.byteCount();
                g.writeNumber(offset);
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // no I/O happens on an array
        }
        int padding = (8 - json.size() % 8) % 8;
        for (int i = 0; i < padding; i++) {
            json.write(' ');
        }
        return json.toByteArray();
    }

    private static void checkArguments(Collection<TensorData> tensors, Map<String, String> metadata) {
        if (tensors == null) {
            throw new IllegalArgumentException("tensors must not be null (pass an empty list for none)");
        }
        if (metadata == null) {
            throw new IllegalArgumentException("metadata must not be null (pass Map.of() for none)");
        }
        for (Map.Entry<String, String> m : metadata.entrySet()) {
            if (m.getKey() == null || m.getValue() == null) {
                throw new IllegalArgumentException("metadata must map strings to strings but has "
                        + m.getKey() + " -> " + m.getValue());
            }
        }
        Set<String> names = new HashSet<>();
        for (TensorData t : tensors) {
            if (t == null) {
                throw new IllegalArgumentException("tensors contains null");
            }
            if (t.name().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("a tensor cannot be named '" + METADATA_KEY
                        + "': the format reserves that key for metadata");
            }
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("two tensors are named '" + t.name()
                        + "'; names in a safetensors file must be unique");
            }
        }
    }
}
