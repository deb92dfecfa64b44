package org.rnn4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code "input"} values of a JSON-lines file, checks that they are all of one
 * {@link Sequences.Kind} (and one feature count), and builds the {@link Sequences}, naming the line of
 * every problem.
 */
final class InputCollector {
    static final String FORMS = "text (\"abc\"), a list of token strings ([\"the\", \"cat\"]), a list of numbers"
            + " ([0.5, -1], one feature per step) or a list of lists of numbers ([[0.5, 1], [0, 2]], D features per step)";

    private final String file;
    private final String key;
    private Sequences.Kind kind;
    private int firstLine;
    private int featureSize;                          // D, fixed by the first line with features
    private final List<Object> values = new ArrayList<>(); // String, List<String> or float[] (T*D)
    private final List<Integer> lines = new ArrayList<>();

    InputCollector(String file, String key) {
        this.file = file;
        this.key = key;
    }

    /**
     * Reads one input value.
     *
     * @return its number of steps
     * @throws DatasetException if it has none of the accepted forms, is empty, or differs in kind or
     *     feature count from the first line's
     */
    int add(int line, JsonNode node) throws DatasetException {
        String name = JsonLines.quote(key);
        Sequences.Kind k;
        Object value;
        int steps;
        int d = 0;
        if (node.isTextual()) {
            String text = node.textValue();
            if (text.isEmpty()) {
                throw new DatasetException(file, line, name + " is an empty string: every sequence needs at least one step");
            }
            k = Sequences.Kind.TEXT;
            value = text;
            steps = text.codePointCount(0, text.length());
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                throw new DatasetException(file, line, name + " is an empty list: every sequence needs at least one step");
            }
            JsonNode first = node.get(0);
            if (first.isTextual()) {
                k = Sequences.Kind.TOKENS;
                value = tokens(line, node, name);
            } else if (first.isNumber()) {
                k = Sequences.Kind.FEATURES;
                d = 1;
                float[] out = new float[node.size()];
                for (int t = 0; t < out.length; t++) {
                    JsonNode step = node.get(t);
                    if (!step.isNumber()) {
                        throw new DatasetException(file, line, name + "[" + t + "] is " + JsonLines.describe(step)
                                + " but " + name + "[0] is a number: a list of numbers holds only numbers");
                    }
                    out[t] = JsonLines.toFloat(file, line, step, name + "[" + t + "]");
                }
                value = out;
            } else if (first.isArray()) {
                k = Sequences.Kind.FEATURES;
                d = first.size();
                if (d == 0) {
                    throw new DatasetException(file, line, name + "[0] is an empty list:"
                            + " every step needs at least one number");
                }
                value = vectors(line, node, name, d);
            } else {
                throw new DatasetException(file, line, name + "[0] is " + JsonLines.describe(first) + ": " + name
                        + " must be " + FORMS);
            }
            steps = node.size();
        } else {
            throw new DatasetException(file, line, name + " is " + JsonLines.describe(node) + ": it must be " + FORMS);
        }
        if (kind == null) {
            kind = k;
            firstLine = line;
            featureSize = d;
        } else if (k != kind) {
            throw new DatasetException(file, line, name + " is " + describe(k, d) + " but on line " + firstLine + " it is "
                    + describe(kind, featureSize) + ": every line's input must be of the same kind");
        } else if (d != featureSize) {
            throw new DatasetException(file, line, name + " has " + d + (d == 1 ? " number" : " numbers")
                    + " per step but line " + firstLine + " has " + featureSize
                    + ": every step of every line needs the same number of features");
        }
        values.add(value);
        lines.add(line);
        return steps;
    }

    private List<String> tokens(int line, JsonNode node, String name) throws DatasetException {
        List<String> out = new ArrayList<>(node.size());
        for (int t = 0; t < node.size(); t++) {
            JsonNode step = node.get(t);
            if (!step.isTextual() || step.textValue().isEmpty()) {
                throw new DatasetException(file, line, name + "[" + t + "] is "
                        + (step.isTextual() ? "an empty string" : JsonLines.describe(step))
                        + " but " + name + "[0] is a string: a token list holds only non-empty strings");
            }
            out.add(step.textValue());
        }
        return out;
    }

    private float[] vectors(int line, JsonNode node, String name, int d) throws DatasetException {
        float[] out = new float[node.size() * d];
        for (int t = 0; t < node.size(); t++) {
            JsonNode step = node.get(t);
            String where = name + "[" + t + "]";
            if (!step.isArray()) {
                throw new DatasetException(file, line, where + " is " + JsonLines.describe(step) + " but " + name
                        + "[0] is a list: with D features per step, every step is a list of D numbers");
            }
            if (step.size() != d) {
                throw new DatasetException(file, line, where + " has " + step.size() + " numbers but " + name + "[0] has "
                        + d + ": every step needs the same number of features");
            }
            for (int k = 0; k < d; k++) {
                out[t * d + k] = JsonLines.toFloat(file, line, step.get(k), where + "[" + k + "]");
            }
        }
        return out;
    }

    private static String describe(Sequences.Kind kind, int d) {
        return switch (kind) {
            case TEXT -> "text";
            case TOKENS -> "a list of token strings";
            case FEATURES -> d == 1 ? "a list of numbers" : "a list of " + d + "-number steps";
        };
    }

    /** Sequence {@code i} as the JSON value it is read from: text, a token list, numbers or lists of numbers. */
    static JsonNode toJson(Sequences sequences, int i) {
        JsonNodeFactory f = JsonLines.MAPPER.getNodeFactory();
        switch (sequences.kind()) {
            case TEXT -> {
                return f.textNode(sequences.describe(i));
            }
            case TOKENS -> {
                ArrayNode out = f.arrayNode();
                for (int id : sequences.tokens(i)) {
                    out.add(sequences.vocabulary().token(id));
                }
                return out;
            }
            default -> {
                int d = sequences.featureSize();
                float[] x = sequences.features(i);
                ArrayNode out = f.arrayNode();
                for (int t = 0; t < x.length / d; t++) {
                    if (d == 1) {
                        out.add(x[t]);
                    } else {
                        ArrayNode step = out.addArray();
                        for (int k = 0; k < d; k++) {
                            step.add(x[t * d + k]);
                        }
                    }
                }
                return out;
            }
        }
    }

    /** The kind of the inputs read so far (null before the first). */
    Sequences.Kind kind() {
        return kind;
    }

    /**
     * The sequences, encoded with {@code given} (a trained model's vocabulary) or with a vocabulary built
     * from all of them when {@code given} is null.
     *
     * @throws DatasetException if the inputs do not fit the given vocabulary
     */
    Sequences build(Vocabulary given) throws DatasetException {
        try {
            return encode(given);
        } catch (IllegalArgumentException e) { // e.g. a lone surrogate, written as an escape in the JSON
            throw new DatasetException(file, 0, "cannot encode the " + JsonLines.quote(key) + " values: "
                    + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private Sequences encode(Vocabulary given) throws DatasetException {
        switch (kind) {
            case TEXT -> {
                List<String> texts = (List<String>) (List<?>) values;
                if (given == null) {
                    return Sequences.ofText(texts);
                }
                requireLevel(given, TokenLevel.CHAR);
                for (int i = 0; i < texts.size(); i++) {
                    List<String> unknown = given.unknownTokens(texts.get(i));
                    if (!unknown.isEmpty()) {
                        throw new DatasetException(file, lines.get(i), JsonLines.quote(key)
                                + " contains characters not in the model's vocabulary: "
                                + Vocabulary.describeCharacters(unknown)
                                + "; remove them, or train a new model on this file");
                    }
                }
                return Sequences.ofText(texts, given);
            }
            case TOKENS -> {
                List<List<String>> lists = (List<List<String>>) (List<?>) values;
                if (given == null) {
                    return Sequences.ofTokens(lists);
                }
                requireLevel(given, TokenLevel.WORD);
                return Sequences.ofTokens(lists, given);
            }
            default -> {
                if (given != null) {
                    throw new DatasetException(file, firstLine, "the inputs are " + describe(kind, featureSize)
                            + ", but the model reads " + given.level().unitName() + ": give a file whose "
                            + JsonLines.quote(key) + " values are "
                            + (given.level() == TokenLevel.CHAR ? "text" : "token lists"));
                }
                float[][] flat = new float[values.size()][];
                for (int i = 0; i < flat.length; i++) {
                    flat[i] = (float[]) values.get(i);
                }
                return Sequences.ofFlatFeatures(featureSize, flat);
            }
        }
    }

    private void requireLevel(Vocabulary given, TokenLevel level) throws DatasetException {
        if (given.level() != level) {
            throw new DatasetException(file, firstLine, "the inputs are " + describe(kind, featureSize)
                    + ", but the model reads " + given.level().unitName() + ": give a file whose "
                    + JsonLines.quote(key) + " values are " + (given.level() == TokenLevel.CHAR ? "text" : "token lists"));
        }
    }
}
