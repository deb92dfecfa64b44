package org.rnn4j.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON-lines layer shared by the sequence datasets: one JSON object per line, blank lines skipped,
 * everything else strict (duplicate keys, trailing text after the object and non-finite numbers are
 * errors). Keys other than the ones a format reads are ignored, so lines may carry ids or notes.
 * Numbers are read exactly ({@link BigDecimal}) and rounded once to {@code float}.
 */
final class JsonLines {
    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** One non-blank line: its 1-based number and its object. */
    record Line(int number, ObjectNode object) {
    }

    private JsonLines() {
    }

    /**
     * The objects of a JSON-lines file.
     *
     * @param example a valid line of the format, quoted in messages
     * @throws DatasetException for a line that is not one JSON object, an empty file or one without objects
     */
    static List<Line> read(Path file, String example) throws IOException {
        String name = file.toString();
        String advice = "a JSON-lines dataset has one JSON object per line, such as " + example;
        List<String> text = DatasetFiles.readLines(file, "a JSON-lines dataset", advice);
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            String line = text.get(i);
            if (!line.isBlank()) {
                lines.add(new Line(i + 1, parse(name, i + 1, line, example)));
            }
        }
        if (lines.isEmpty()) {
            throw new DatasetException(name, "has only blank lines: " + advice);
        }
        return lines;
    }

    private static ObjectNode parse(String file, int number, String line, String example) throws DatasetException {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            String reason = e.getOriginalMessage().lines().findFirst().orElse("");
            int column = e.getLocation() != null ? e.getLocation().getColumnNr() : -1;
            throw new DatasetException(file, number, "not valid JSON" + (column > 0 ? " at column " + column : "")
                    + " (" + reason + "): each line must be one JSON object, such as " + example, e);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new DatasetException(file, number, "the line is " + describe(node)
                    + ", not a JSON object: each line must be one object, such as " + example);
        }
        return object;
    }

    /**
     * The value under {@code key}.
     *
     * @throws DatasetException if the key is missing or null
     */
    static JsonNode require(String file, Line line, String key, String example) throws DatasetException {
        JsonNode value = line.object().get(key);
        if (value == null || value.isNull()) {
            throw new DatasetException(file, line.number(), (value == null ? "the object has no " : "the value of ")
                    + quote(key) + (value == null ? "" : " is null") + ": each line of this file needs it, as in "
                    + example);
        }
        return value;
    }

    /** How a JSON value is called in messages: "a string", "a number", "a list", ... */
    static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case BOOLEAN -> node.booleanValue() ? "true" : "false";
            case NULL, MISSING -> "null";
            default -> "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    static String quote(String key) {
        return "\"" + key + "\"";
    }

    /**
     * A JSON number rounded once to the nearest {@code float}.
     *
     * @param where names the value in messages, e.g. {@code "input"[3]}
     * @throws DatasetException if the value is not a number or outside the float range
     */
    static float toFloat(String file, int line, JsonNode node, String where) throws DatasetException {
        if (!node.isNumber()) {
            throw new DatasetException(file, line, where + " is " + describe(node) + ", not a number");
        }
        float value = node.decimalValue().floatValue();
        if (!Float.isFinite(value)) {
            throw new DatasetException(file, line, where + " is " + node.asText() + ", outside the float range (about "
                    + "±3.4e38): scale the values down");
        }
        return value;
    }

    /**
     * A label or tag: a non-empty string, or an integer written as its decimal digits ({@code 3},
     * {@code 3.0} and {@code "3"} are the same class).
     *
     * @throws DatasetException for other values, naming {@code where}
     */
    static String toLabel(String file, int line, JsonNode node, String where) throws DatasetException {
        String rule = ": a " + (where.startsWith("\"tags\"") ? "tag" : "label")
                + " is a class name (\"spam\") or an integer (3)";
        if (node.isTextual()) {
            if (node.textValue().isEmpty()) {
                throw new DatasetException(file, line, where + " is an empty string" + rule);
            }
            return node.textValue();
        }
        if (node.isNumber()) {
            BigDecimal value = node.decimalValue();
            try {
                return value.toBigIntegerExact().toString();
            } catch (ArithmeticException e) {
                throw new DatasetException(file, line, where + " is " + node.asText() + ", not an integer" + rule);
            }
        }
        throw new DatasetException(file, line, where + " is " + describe(node) + rule);
    }

    /** A label or tag as JSON: a number if it is written as an integer, else a string. */
    static JsonNode labelNode(String label) {
        return LabelSet.isInteger(label) ? MAPPER.getNodeFactory().numberNode(new BigInteger(label))
                : MAPPER.getNodeFactory().textNode(label);
    }

    /** Writes one object per line. */
    static void write(Path file, List<ObjectNode> objects) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (ObjectNode object : objects) {
            sb.append(MAPPER.writeValueAsString(object)).append('\n');
        }
        DatasetFiles.write(file, sb);
    }
}
