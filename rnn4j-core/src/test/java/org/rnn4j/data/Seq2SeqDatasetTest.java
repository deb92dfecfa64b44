package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Seq2SeqDatasetTest {
    @TempDir
    Path dir;

    @Test
    void readsPairsWithStartAndEndInTheTargetVocabulary() throws IOException {
        Seq2SeqDataset d = Seq2SeqDataset.read(write("""
                {"source": "12+3", "target": "15"}
                {"source": "9", "target": "9"}
                """));
        assertEquals(List.of("+", "1", "2", "3", "9"), d.sourceVocabulary().tokens());
        assertEquals(List.of("\u0002", "\u0003", "1", "5", "9"), d.targetVocabulary().tokens());
        assertEquals(0, d.startId());
        assertEquals(1, d.endId());
        assertEquals("12+3", d.sourceText(0));
        assertEquals("15", d.targetText(0));
        assertArrayEquals(new int[] {2, 3}, d.targets().tokens(0));
    }

    @Test
    void roundTrips() throws IOException {
        Seq2SeqDataset d = DigitTasks.addition(20, 3, 4);
        Path out = dir.resolve("pairs.jsonl");
        d.writeJsonl(out);
        Seq2SeqDataset again = Seq2SeqDataset.read(out);
        assertEquals(d.size(), again.size());
        assertEquals(d.sourceVocabulary(), again.sourceVocabulary());
        assertEquals(d.targetVocabulary(), again.targetVocabulary());
        for (int i = 0; i < d.size(); i++) {
            assertEquals(d.sourceText(i), again.sourceText(i));
            assertEquals(d.targetText(i), again.targetText(i));
        }
        assertEquals("{\"source\":\"" + d.sourceText(0) + "\",\"target\":\"" + d.targetText(0) + "\"}",
                Files.readAllLines(out).get(0));
    }

    @Test
    void batchFramesTheDecoderWithStartAndEnd() throws IOException {
        Seq2SeqDataset d = Seq2SeqDataset.read(write("""
                {"source": "ab", "target": "xy"}
                {"source": "b", "target": "z"}
                """)); // source a=0 b=1; target START=0 END=1 x=2 y=3 z=4
        PairBatch batch = d.batch(new int[] {0, 1});
        assertArrayEquals(new int[] {0, 1, 1, 0}, batch.source().tokens()); // t=0: a b, t=1: b pad
        assertArrayEquals(new int[] {2, 1}, batch.source().lengths());
        PaddedInputs dec = batch.decoderInputs();
        assertEquals(3, dec.steps());
        assertArrayEquals(new int[] {3, 2}, dec.lengths());
        assertArrayEquals(new int[] {
            0, 0,   // t=0: START START
            2, 4,   // t=1: x z
            3, 0},  // t=2: y pad
                dec.tokens());
        assertArrayEquals(new int[] {
            2, 4,    // t=0: x z
            3, 1,    // t=1: y END
            1, -1},  // t=2: END ignored
                batch.decoderTargets());
        assertEquals(-1, batch.decoderTarget(2, 1));
    }

    @Test
    void malformedLinesNameTheLine() {
        assertError("1: the object has no \"target\"", "{\"source\": \"1\"}\n");
        assertError("2: \"source\" is a number: it must be a string", "{\"source\": \"1\", \"target\": \"2\"}\n"
                + "{\"source\": 12, \"target\": \"21\"}\n");
        assertError("1: \"target\" is an empty string", "{\"source\": \"1\", \"target\": \"\"}\n");
        assertError("1: \"source\" contains U+0002 or U+0003", "{\"source\": \"1\\u0002\", \"target\": \"1\"}\n");
        assertError("1: \"target\" contains characters not in the model's target vocabulary: '7' (U+0037)",
                () -> Seq2SeqDataset.reader().targetVocabulary(Seq2SeqDataset.of("m", List.of("1"), List.of("1")).targetVocabulary())
                        .read(write("{\"source\": \"1\", \"target\": \"7\"}\n")));
        assertThrows(IllegalArgumentException.class,
                () -> Seq2SeqDataset.reader().targetVocabulary(Vocabulary.ofCharacters("0123")));
    }

    private Path write(String text) throws IOException {
        Path file = Files.createTempFile(dir, "pairs", ".jsonl");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private void assertError(String expected, String fileText) {
        assertError(expected, () -> Seq2SeqDataset.read(write(fileText)));
    }

    private static void assertError(String expected, ClassificationDatasetTest.ThrowingRead read) {
        ClassificationDatasetTest.assertError(expected, read);
    }
}
