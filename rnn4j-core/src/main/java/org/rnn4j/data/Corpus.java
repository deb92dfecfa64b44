package org.rnn4j.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A text tokenized with a {@link Vocabulary} and split into a training part and a validation part.
 *
 * <pre>
 *   tokens:  [ training: n - v tokens            | validation: v = floor(n * fraction) tokens ]
 * </pre>
 * The split is contiguous (the last {@code fraction} of the tokens is for validation) so that the
 * validation text is unseen context, not shuffled lines of the training text; both parts have at
 * least {@value #MIN_PART_TOKENS} tokens (one input and its target). Unless one is given, the
 * vocabulary is built from the whole text (so character-level validation never meets an unknown
 * character; a word that only occurs in the validation part still needs {@code minCount} occurrences).
 *
 * <p>Files are read strictly as UTF-8 ({@link CodingErrorAction#REPORT}); a leading byte order mark is
 * dropped, nothing else is changed ({@code "\r\n"} stays two characters at character level). Every
 * problem is an {@link IOException} whose message names the file: {@link NoSuchFileException},
 * {@link FileSystemException} for a directory, and {@link CorpusException} for an empty file, a binary
 * or non-UTF-8 file (with the byte offset), a text too short to split, or characters outside a given
 * vocabulary. {@link #sha256()} is the hash of the file's bytes, recorded in model files as provenance.
 *
 * <pre>
 *   Corpus corpus = Corpus.builder().level(TokenLevel.CHAR).validationFraction(0.1).load(path);
 *   TbpttBatcher batches = corpus.trainBatcher(batchSize, window);
 *   SequentialWindows eval = corpus.validationWindows(window);
 * </pre>
 */
public final class Corpus {
    /** Default share of the tokens, taken from the end, kept for validation. */
    public static final double DEFAULT_VALIDATION_FRACTION = 0.1;
    /** Smallest accepted validation fraction. */
    public static final double MIN_VALIDATION_FRACTION = 0.001;
    /** Largest accepted validation fraction. */
    public static final double MAX_VALIDATION_FRACTION = 0.9;
    /** Fewest tokens each part may have: one input and its target. */
    public static final int MIN_PART_TOKENS = 2;
    /** Largest file read, in bytes (1 GiB): its characters, tokens and hash must fit in memory. */
    public static final long MAX_FILE_BYTES = 1L << 30;

    private final String source;        // the file's path, or the description given to fromText
    private final String sha256;        // lower-case hex of the bytes' SHA-256
    private final Vocabulary vocabulary;
    private final double validationFraction;
    private final int[] train;          // (n - v) token ids
    private final int[] validation;     // (v) token ids

    private Corpus(String source, String sha256, Vocabulary vocabulary, double validationFraction,
                   int[] train, int[] validation) {
        this.source = source;
        this.sha256 = sha256;
        this.vocabulary = vocabulary;
        this.validationFraction = validationFraction;
        this.train = train;
        this.validation = validation;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The file's path, or the description given to {@link Builder#fromText}. */
    public String source() {
        return source;
    }

    /** SHA-256 of the file's bytes (or of the UTF-8 bytes of a text), 64 lower-case hex digits. */
    public String sha256() {
        return sha256;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public TokenLevel level() {
        return vocabulary.level();
    }

    public double validationFraction() {
        return validationFraction;
    }

    /** A copy of the training token ids. */
    public int[] train() {
        return train.clone();
    }

    /** A copy of the validation token ids. */
    public int[] validation() {
        return validation.clone();
    }

    public int trainSize() {
        return train.length;
    }

    public int validationSize() {
        return validation.length;
    }

    /**
     * TBPTT batches over the training part.
     *
     * @throws IllegalArgumentException naming the source if the training part is too short for
     *     {@code batchSize} streams of at least two tokens, or the sizes are not positive
     */
    public TbpttBatcher trainBatcher(int batchSize, int window) {
        if (batchSize >= 1 && train.length < batchSize + 1) {
            String unit = vocabulary.level().unitName();
            throw new IllegalArgumentException(source + ": the training part has " + train.length + " " + unit
                    + ", too few for batch size " + batchSize + ": each of the " + batchSize
                    + " streams needs at least 2 (an input and its target), so at least " + (batchSize + 1)
                    + "; use a batch size of at most " + (train.length - 1) + " or a longer text");
        }
        return new TbpttBatcher(train, batchSize, window);
    }

    /** Windows over the validation part as one stream, in order, without wrapping. */
    public SequentialWindows validationWindows(int window) {
        return new SequentialWindows(validation, window);
    }

    /**
     * Reads a whole file as strict UTF-8 text, dropping a leading byte order mark.
     *
     * @throws IOException naming the file if it is missing, a directory, empty, binary or not UTF-8
     */
    public static String readText(Path file) throws IOException {
        return decodeUtf8(file.toString(), readBytes(file), "give a non-empty UTF-8 text file");
    }

    private static byte[] readBytes(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null,
                    "is a directory, not a text file: give the path of a UTF-8 text file");
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "no such file: give the path of a UTF-8 text file");
        }
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new CorpusException(file + " has " + size + " bytes, more than the " + MAX_FILE_BYTES
                    + " rnn4j reads: use a part of it");
        }
        return Files.readAllBytes(file);
    }

    /** Strict UTF-8 decoding; {@code emptyAdvice} completes "X is empty: ...". */
    static String decodeUtf8(String source, byte[] bytes, String emptyAdvice) throws CorpusException {
        if (bytes.length == 0) {
            throw new CorpusException(source + " is empty: " + emptyAdvice);
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new CorpusException(source + " contains a NUL byte at byte offset " + i
                        + ": it looks binary (or UTF-16), not UTF-8 text; give a plain UTF-8 text file");
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never has more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            int length = Math.min(result.length(), bytes.length - offset);
            StringBuilder shown = new StringBuilder();
            for (int k = offset; k < offset + length; k++) {
                shown.append(shown.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "0x%02X", bytes[k]));
            }
            throw new CorpusException(source + " is not valid UTF-8: invalid byte sequence " + shown
                    + " at byte offset " + offset + "; it looks binary or uses another encoding (such as Latin-1)."
                    + " Give a UTF-8 text file, e.g. convert it with: iconv -f latin1 -t utf-8");
        }
        out.flip();
        if (out.hasRemaining() && out.get(0) == '\uFEFF') {
            out.position(1); // byte order mark
        }
        String text = out.toString();
        if (text.isEmpty()) {
            throw new CorpusException(source + " is empty (only a byte order mark): " + emptyAdvice);
        }
        return text;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    /** The fewest tokens a text needs so that both parts have {@value #MIN_PART_TOKENS} tokens. */
    static int minimumTokens(double validationFraction) {
        int n = 2 * MIN_PART_TOKENS;
        while (validationCount(n, validationFraction) < MIN_PART_TOKENS
                || n - validationCount(n, validationFraction) < MIN_PART_TOKENS) {
            n++;
        }
        return n;
    }

    /** {@code floor(n * fraction)}, tolerant of the rounding in products like {@code 100 * 0.29}. */
    static int validationCount(int n, double validationFraction) {
        return (int) Math.floor(n * validationFraction + 1e-9);
    }

    private static String percent(double fraction) {
        double p = fraction * 100;
        return p == Math.rint(p) ? (long) p + "%" : String.format(Locale.ROOT, "%.1f%%", p);
    }

    /** Chooses how to read and split a corpus; {@link #load} or {@link #fromText} builds it. */
    public static final class Builder {
        private TokenLevel level; // null: the vocabulary's, or CHAR
        private double validationFraction = DEFAULT_VALIDATION_FRACTION;
        private int minCount = Vocabulary.DEFAULT_MIN_COUNT;
        private Vocabulary vocabulary;

        private Builder() {
        }

        /** Character or word tokens (default: the given vocabulary's level, else {@link TokenLevel#CHAR}). */
        public Builder level(TokenLevel level) {
            this.level = Objects.requireNonNull(level, "level");
            return this;
        }

        /** Share of the tokens, from the end, kept for validation (default {@value #DEFAULT_VALIDATION_FRACTION}). */
        public Builder validationFraction(double fraction) {
            if (!(fraction >= MIN_VALIDATION_FRACTION && fraction <= MAX_VALIDATION_FRACTION)) {
                throw new IllegalArgumentException("the validation fraction must be between "
                        + MIN_VALIDATION_FRACTION + " and " + MAX_VALIDATION_FRACTION + ", got " + fraction);
            }
            this.validationFraction = fraction;
            return this;
        }

        /** Word level: fewest occurrences for a word to get its own id (default {@value Vocabulary#DEFAULT_MIN_COUNT}). */
        public Builder minCount(int minCount) {
            if (minCount < 1) {
                throw new IllegalArgumentException("the minimum word count must be at least 1, got " + minCount);
            }
            this.minCount = minCount;
            return this;
        }

        /** Encode with this vocabulary (e.g. a trained model's) instead of building one from the text. */
        public Builder vocabulary(Vocabulary vocabulary) {
            this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
            return this;
        }

        /**
         * Reads, tokenizes and splits a UTF-8 text file.
         *
         * @throws IOException naming the file: missing, a directory, empty, binary or not UTF-8, too short
         *     to split, or (with a given character vocabulary) containing characters outside it
         */
        public Corpus load(Path file) throws IOException {
            String source = file.toString();
            byte[] bytes = readBytes(file);
            String text = decodeUtf8(source, bytes, advice("give a text file with at least"));
            try {
                return build(source, sha256(bytes), text);
            } catch (IllegalArgumentException e) {
                throw new CorpusException(e.getMessage(), e);
            }
        }

        /**
         * Tokenizes and splits a text held in memory (e.g. a generated {@link EmbeddedReber} corpus).
         *
         * @param source a description for messages and provenance, e.g. {@code "embedded Reber (seed 1)"}
         * @throws IllegalArgumentException naming the source if the text is too short to split, or has
         *     characters outside a given character vocabulary
         */
        public Corpus fromText(String source, String text) {
            Objects.requireNonNull(source, "source");
            if (text.isEmpty()) {
                throw new IllegalArgumentException(source + " is empty: " + advice("give a text with at least"));
            }
            return build(source, sha256(text.getBytes(StandardCharsets.UTF_8)), text);
        }

        private TokenLevel effectiveLevel() {
            if (vocabulary == null) {
                return level == null ? TokenLevel.CHAR : level;
            }
            if (level != null && level != vocabulary.level()) {
                throw new IllegalArgumentException("the level is " + level.jsonName() + " but the given vocabulary is "
                        + vocabulary.level().jsonName() + "-level: leave the level unset to use the vocabulary's");
            }
            return vocabulary.level();
        }

        private String advice(String start) {
            TokenLevel lvl = effectiveLevel();
            return start + " " + minimumTokens(validationFraction) + " " + lvl.unitName()
                    + " (" + percent(validationFraction) + " of them are kept for validation)";
        }

        private Corpus build(String source, String sha, String text) {
            TokenLevel lvl = effectiveLevel();
            List<String> words = lvl == TokenLevel.WORD ? WordTokenizer.tokenize(text) : null;
            int n = words != null ? words.size() : text.codePointCount(0, text.length());
            int v = validationCount(n, validationFraction);
            if (v < MIN_PART_TOKENS || n - v < MIN_PART_TOKENS) {
                throw new IllegalArgumentException(source + " has " + n + " " + lvl.unitName() + ", too few to keep "
                        + percent(validationFraction) + " for validation with at least " + MIN_PART_TOKENS
                        + " in each part: " + advice("give a text with at least"));
            }
            Vocabulary vocab = vocabulary;
            if (vocab != null && lvl == TokenLevel.CHAR) {
                List<String> unknown = vocab.unknownTokens(text);
                if (!unknown.isEmpty()) {
                    throw new IllegalArgumentException(source + " contains characters not in the model's vocabulary: "
                            + Vocabulary.describeCharacters(unknown)
                            + "; remove them, or train a new model on this text");
                }
            }
            if (vocab == null) {
                try {
                    vocab = words != null ? Vocabulary.ofWordTokens(words, minCount) : Vocabulary.ofCharacters(text);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
                }
            }
            int[] ids = words != null ? vocab.encodeWords(words) : vocab.encode(text);
            int[] trainIds = Arrays.copyOfRange(ids, 0, n - v);
            int[] validationIds = Arrays.copyOfRange(ids, n - v, n);
            return new Corpus(source, sha, vocab, validationFraction, trainIds, validationIds);
        }
    }
}
