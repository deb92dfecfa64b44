package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
    @TempDir
    Path dir;

    private static final String TEXT = "the quick brown fox jumps over the lazy dog\n".repeat(3); // 132 chars

    @Test
    void loadsSplitsAndHashes() throws Exception {
        Path file = write("text.txt", TEXT);
        Corpus c = Corpus.builder().load(file);
        assertEquals(TokenLevel.CHAR, c.level());
        assertEquals(Vocabulary.ofCharacters(TEXT), c.vocabulary());
        assertEquals(13, c.validationSize()); // floor(132 * 0.1)
        assertEquals(119, c.trainSize());
        Vocabulary v = c.vocabulary();
        assertEquals(TEXT, v.decode(c.train()) + v.decode(c.validation()));
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), c.sha256());
        assertEquals(file.toString(), c.source());
        assertEquals(Corpus.DEFAULT_VALIDATION_FRACTION, c.validationFraction());
    }

    @Test
    void sha256MatchesTheStandardTestVector() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                Corpus.sha256("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void validationFractionIsTakenFromTheEnd() throws Exception {
        Corpus c = Corpus.builder().validationFraction(0.25).load(write("t.txt", "abcdefghijklmnopqrstuvwxyz0123456789abcd"));
        assertEquals(10, c.validationSize());
        assertEquals("456789abcd", c.vocabulary().decode(c.validation()));
        assertMessage("between 0.001 and 0.9, got 0.0", () -> Corpus.builder().validationFraction(0.0));
        assertMessage("got NaN", () -> Corpus.builder().validationFraction(Double.NaN));
    }

    @Test
    void wordLevel() throws Exception {
        String text = "The cat sat.\nThe dog sat.\n".repeat(5); // 50 tokens: the, sat, ., \n 10 times; cat, dog 5
        Corpus c = Corpus.builder().level(TokenLevel.WORD).minCount(6).load(write("w.txt", text));
        assertEquals(TokenLevel.WORD, c.level());
        assertEquals(45, c.trainSize());
        assertEquals(5, c.validationSize());
        assertEquals(List.of("<unk>", "\n", ".", "sat", "the"), c.vocabulary().tokens());
        assertEquals("the <unk> sat.\n", c.vocabulary().decode(c.validation()));
    }

    @Test
    void byteOrderMarkIsDropped() throws Exception {
        Path file = dir.resolve("bom.txt");
        byte[] body = TEXT.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[body.length + 3];
        bytes[0] = (byte) 0xEF;
        bytes[1] = (byte) 0xBB;
        bytes[2] = (byte) 0xBF;
        System.arraycopy(body, 0, bytes, 3, body.length);
        Files.write(file, bytes);
        assertEquals(TEXT, Corpus.readText(file));
        assertEquals(TEXT.length(), Corpus.builder().load(file).trainSize() + Corpus.builder().load(file).validationSize());
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("nope.txt");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Corpus.builder().load(file));
        assertContains(e, file.toString());
        assertContains(e, "no such file");
    }

    @Test
    void directory() {
        FileSystemException e = assertThrows(FileSystemException.class, () -> Corpus.builder().load(dir));
        assertContains(e, dir.toString());
        assertContains(e, "is a directory");
    }

    @Test
    void emptyFile() throws Exception {
        Path file = write("empty.txt", "");
        CorpusException e = assertThrows(CorpusException.class, () -> Corpus.builder().load(file));
        assertEquals(file + " is empty: give a text file with at least 20 characters (10% of them are kept for"
                + " validation)", e.getMessage());
        CorpusException words = assertThrows(CorpusException.class,
                () -> Corpus.builder().level(TokenLevel.WORD).validationFraction(0.5).load(file));
        assertContains(words, "at least 4 word tokens (50% of them");
        assertThrows(CorpusException.class, () -> Corpus.readText(file));
    }

    @Test
    void nulByteLooksBinary() throws Exception {
        Path file = dir.resolve("bin.dat");
        Files.write(file, new byte[] {'a', 'b', 'c', 0, 'd'});
        CorpusException e = assertThrows(CorpusException.class, () -> Corpus.builder().load(file));
        assertContains(e, file.toString());
        assertContains(e, "NUL byte at byte offset 3");
        assertContains(e, "binary");
    }

    @Test
    void invalidUtf8SaysWhere() throws Exception {
        Path latin1 = dir.resolve("latin1.txt");
        Files.write(latin1, "caf\u00E9 au lait".getBytes(StandardCharsets.ISO_8859_1));
        CorpusException e = assertThrows(CorpusException.class, () -> Corpus.builder().load(latin1));
        assertContains(e, latin1 + " is not valid UTF-8");
        assertContains(e, "0xE9 at byte offset 3");
        assertContains(e, "iconv");

        Path truncated = dir.resolve("truncated.txt");
        Files.write(truncated, new byte[] {'a', 'b', (byte) 0xC3});
        assertContains(assertThrows(CorpusException.class, () -> Corpus.readText(truncated)), "byte offset 2");

        Path surrogate = dir.resolve("cesu.txt"); // an encoded surrogate is not UTF-8
        Files.write(surrogate, new byte[] {'x', (byte) 0xED, (byte) 0xA0, (byte) 0x80});
        assertContains(assertThrows(CorpusException.class, () -> Corpus.readText(surrogate)), "byte offset 1");
    }

    @Test
    void tooShortToSplit() throws Exception {
        Path file = write("short.txt", "0123456789");
        CorpusException e = assertThrows(CorpusException.class, () -> Corpus.builder().load(file));
        assertContains(e, file + " has 10 characters, too few to keep 10% for validation");
        assertContains(e, "at least 20 characters");
        assertEquals(20, Corpus.minimumTokens(0.1));
        assertEquals(4, Corpus.minimumTokens(0.5));
        assertEquals(200, Corpus.minimumTokens(0.01));
        Corpus shortest = Corpus.builder().load(write("ok.txt", "01234567890123456789"));
        assertEquals(18, shortest.trainSize());
        assertEquals(2, shortest.validationSize());
    }

    @Test
    void givenVocabularyMustCoverTheCharacters() throws Exception {
        Vocabulary v = Vocabulary.ofCharacters(TEXT);
        Corpus same = Corpus.builder().vocabulary(v).load(write("same.txt", TEXT));
        assertEquals(v, same.vocabulary());
        Path file = write("other.txt", TEXT + "Zé");
        CorpusException e = assertThrows(CorpusException.class, () -> Corpus.builder().vocabulary(v).load(file));
        assertContains(e, file + " contains characters not in the model's vocabulary: 'Z' (U+005A), 'é' (U+00E9)");
        assertMessage("leave the level unset",
                () -> Corpus.builder().vocabulary(v).level(TokenLevel.WORD).fromText("x", TEXT));
    }

    @Test
    void batcherTooSmallNamesTheSource() throws Exception {
        Corpus c = Corpus.builder().fromText("tiny text", "abcdefghijklmnopqrst");
        assertEquals(18, c.trainSize());
        assertEquals(1, c.trainBatcher(17, 4).streamLength());
        assertMessage("tiny text: the training part has 18 characters, too few for batch size 18",
                () -> c.trainBatcher(18, 4));
        assertMessage("at most 17", () -> c.trainBatcher(18, 4));
    }

    @Test
    void validationWindowsCoverTheValidationPart() {
        Corpus c = Corpus.builder().fromText("mem", TEXT);
        SequentialWindows windows = c.validationWindows(5);
        assertEquals(c.validationSize() - 1, windows.predictions());
        int[] validation = c.validation();
        int p = 0;
        while (windows.hasNext()) {
            Window w = windows.next();
            for (int t = 0; t < w.steps(); t++, p++) {
                assertEquals(validation[p], w.input(t, 0));
                assertEquals(validation[p + 1], w.target(t, 0));
            }
        }
        assertEquals(validation.length - 1, p);
    }

    @Test
    void fromTextErrorsAreIllegalArguments() {
        assertMessage("reber is empty: give a text with at least 20 characters", () -> Corpus.builder().fromText("reber", ""));
        assertMessage("reber has 3 characters", () -> Corpus.builder().fromText("reber", "abc"));
        assertMessage("reber: no word occurs at least 2 times",
                () -> Corpus.builder().level(TokenLevel.WORD).fromText("reber", "a b c d e f g h i j k l m n o p q r s t"));
    }

    @Test
    void arraysAreCopies() {
        Corpus c = Corpus.builder().fromText("mem", TEXT);
        c.train()[0] = -1;
        c.validation()[0] = -1;
        assertArrayEquals(c.train(), Corpus.builder().fromText("mem", TEXT).train());
        assertArrayEquals(c.validation(), Corpus.builder().fromText("mem", TEXT).validation());
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static void assertContains(Exception e, String part) {
        assertTrue(e.getMessage().contains(part), () -> "message \"" + e.getMessage() + "\" should contain \"" + part + "\"");
    }

    private static void assertMessage(String part, Executable call) {
        VocabularyTest.assertMessage(part, call);
    }
}
