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

class TaggingDatasetTest {
    @TempDir
    Path dir;

    @Test
    void readsOneTagPerStep() throws IOException {
        TaggingDataset d = TaggingDataset.read(write("""
                {"input": ["the", "cat", "sat"], "tags": ["DET", "NOUN", "VERB"]}
                {"input": ["a", "dog"], "tags": ["DET", "NOUN"]}
                """));
        assertEquals(2, d.size());
        assertEquals(List.of("DET", "NOUN", "VERB"), d.tagSet().names());
        assertArrayEquals(new int[] {0, 1, 2}, d.tags(0));
        assertEquals(5, d.stepCount());
    }

    @Test
    void textHasOneTagPerCodePoint() throws IOException {
        TaggingDataset d = TaggingDataset.read(write("{\"input\": \"a😀b\", \"tags\": [0, 1, 0]}\n"));
        assertEquals(3, d.inputs().length(0));
        assertEquals(List.of("0", "1"), d.tagSet().names());
    }

    @Test
    void roundTrips() throws IOException {
        TaggingDataset d = TaggingDataset.read(write("""
                {"input": [[0.5, 1], [2, 3]], "tags": [1, 10]}
                {"input": [[4, 5]], "tags": [2]}
                """));
        Path out = dir.resolve("out.jsonl");
        d.writeJsonl(out);
        assertEquals("""
                {"input":[[0.5,1.0],[2.0,3.0]],"tags":[1,10]}
                {"input":[[4.0,5.0]],"tags":[2]}
                """, Files.readString(out));
        TaggingDataset again = TaggingDataset.read(out);
        assertEquals(d.tagSet(), again.tagSet());
        assertArrayEquals(d.tags(0), again.tags(0));
        assertArrayEquals(d.inputs().features(1), again.inputs().features(1));
    }

    @Test
    void malformedLinesNameTheLine() {
        assertError("2: \"tags\" has 2 entries but \"input\" has 3 steps: give one tag per input step (one per character"
                + " for text)", "{\"input\": \"ab\", \"tags\": [1, 2]}\n{\"input\": \"abc\", \"tags\": [1, 2]}\n");
        assertError("1: \"tags\" has 1 entries but \"input\" has 2 steps: give one tag per input step",
                "{\"input\": [1, 2], \"tags\": [1]}\n");
        assertError("1: \"tags\" is a string: it must be a list", "{\"input\": \"ab\", \"tags\": \"xy\"}\n");
        assertError("1: \"tags\"[1] is true: a tag is a class name", "{\"input\": \"ab\", \"tags\": [1, true]}\n");
        assertError("1: the object has no \"tags\"", "{\"input\": \"ab\", \"label\": 1}\n");
        assertError("1: \"tags\"[0] is \"Z\", not one of the model's tags: \"A\", \"B\"", () -> TaggingDataset.reader()
                .tagSet(LabelSet.of(List.of("A", "B"))).read(write("{\"input\": \"a\", \"tags\": [\"Z\"]}\n")));
    }

    @Test
    void paddedTagsAreMinusOne() throws IOException {
        TaggingDataset d = TaggingDataset.read(write("""
                {"input": "ab", "tags": ["x", "y"]}
                {"input": "abc", "tags": ["y", "y", "x"]}
                {"input": "c", "tags": ["y"]}
                """)); // x=0, y=1
        TaggingBatch batch = d.batch(new int[] {0, 1, 2});
        assertEquals(3, batch.inputs().steps());
        assertArrayEquals(new int[] {
            0, 1, 1,     // t=0
            1, 1, -1,    // t=1
            -1, 0, -1},  // t=2
                batch.tags());
        assertEquals(-1, batch.tag(2, 2));
        assertEquals(3, d.batches(2, 5, 1).stream().mapToInt(TaggingBatch::batchSize).sum());
    }

    @Test
    void inMemoryTagListsMustMatchTheLengths() {
        Sequences inputs = Sequences.ofText(List.of("ab"));
        LabelSet tags = LabelSet.of(List.of("x"));
        assertThrows(IllegalArgumentException.class, () -> TaggingDataset.of("t", inputs, tags, List.of(new int[] {0})));
        assertThrows(IllegalArgumentException.class, () -> TaggingDataset.of("t", inputs, tags, List.of(new int[] {0, 1})));
        assertEquals(1, TaggingDataset.of("t", inputs, tags, List.of(new int[] {0, 0})).size());
    }

    private Path write(String text) throws IOException {
        Path file = Files.createTempFile(dir, "tags", ".jsonl");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private void assertError(String expected, String fileText) {
        assertError(expected, () -> TaggingDataset.read(write(fileText)));
    }

    private static void assertError(String expected, ClassificationDatasetTest.ThrowingRead read) {
        ClassificationDatasetTest.assertError(expected, read);
    }
}
