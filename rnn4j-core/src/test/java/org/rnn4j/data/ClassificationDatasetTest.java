package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassificationDatasetTest {
    @TempDir
    Path dir;

    @Test
    void readsTextAtCharacterLevelWithSortedLabels() throws IOException {
        Path file = write("""
                {"input": "ab", "label": "pos"}

                {"input": "bca", "label": "neg", "id": 7}
                {"input": "c", "label": "pos"}
                """);
        ClassificationDataset d = ClassificationDataset.read(file);
        assertEquals(3, d.size());
        assertEquals(Sequences.Kind.TEXT, d.inputs().kind());
        assertEquals(List.of("a", "b", "c"), d.inputs().vocabulary().tokens());
        assertEquals(List.of("neg", "pos"), d.labels().names());
        assertArrayEquals(new int[] {1, 2, 0}, d.inputs().tokens(1));
        assertEquals(1, d.label(0));
        assertEquals(0, d.label(1));
        assertArrayEquals(new int[] {1, 2}, d.labelCounts());
        assertEquals(file.toString(), d.source());
    }

    @Test
    void integerLabelsSortNumericallyAndAreWrittenAsNumbers() throws IOException {
        Path file = write("""
                {"input": [1, 2], "label": 10}
                {"input": [3], "label": "2"}
                {"input": [4.5, 5], "label": 2.0}
                """);
        ClassificationDataset d = ClassificationDataset.read(file);
        assertEquals(List.of("2", "10"), d.labels().names());
        assertEquals(Sequences.Kind.FEATURES, d.inputs().kind());
        assertEquals(1, d.inputs().featureSize());
        assertArrayEquals(new float[] {4.5f, 5f}, d.inputs().features(2));
        Path out = dir.resolve("out.jsonl");
        d.writeJsonl(out);
        assertEquals("""
                {"input":[1.0,2.0],"label":10}
                {"input":[3.0],"label":2}
                {"input":[4.5,5.0],"label":2}
                """, Files.readString(out));
    }

    @Test
    void roundTripsEveryInputForm() throws IOException {
        for (String lines : List.of(
                "{\"input\": \"héllo 😀\", \"label\": \"x\"}\n{\"input\": \"\\n\\t\\\"q\\\"\", \"label\": \"y\"}\n",
                "{\"input\": [\"the\", \"cat\"], \"label\": \"x\"}\n{\"input\": [\"a\", \"<unk>\", \"cat\"], \"label\": 3}\n",
                "{\"input\": [0.1, -2e-7, 3], \"label\": 0}\n{\"input\": [1], \"label\": 1}\n",
                "{\"input\": [[0.1, 1], [2, 3]], \"label\": \"a\"}\n{\"input\": [[5, 6]], \"label\": \"b\"}\n")) {
            ClassificationDataset d = ClassificationDataset.read(write(lines));
            Path out = dir.resolve("round.jsonl");
            d.writeJsonl(out);
            ClassificationDataset again = ClassificationDataset.read(out);
            assertEquals(d.labels(), again.labels(), lines);
            assertEquals(d.inputs().kind(), again.inputs().kind(), lines);
            for (int i = 0; i < d.size(); i++) {
                assertEquals(d.label(i), again.label(i));
                if (d.inputs().hasTokens()) {
                    assertEquals(d.inputs().vocabulary(), again.inputs().vocabulary());
                    assertArrayEquals(d.inputs().tokens(i), again.inputs().tokens(i));
                } else {
                    assertEquals(d.inputs().featureSize(), again.inputs().featureSize());
                    assertArrayEquals(d.inputs().features(i), again.inputs().features(i));
                }
            }
        }
    }

    @Test
    void numbersAreRoundedOnceToFloat() throws IOException {
        // 1 + 2^-24 + 1e-27 is just above the midpoint between the floats 1 and 1 + 2^-23: through a double it
        // would become the midpoint itself and then round to even (1.0); read once, it rounds up
        ClassificationDataset d = ClassificationDataset.read(write(
                "{\"input\": [0.1, 1.000000059604644775390625001, 16777217], \"label\": 0}\n"));
        assertArrayEquals(new float[] {0.1f, Float.parseFloat("1.000000059604644775390625001"), 16777216f},
                d.inputs().features(0));
    }

    @Test
    void tokenListsGetAWordLevelVocabulary() throws IOException {
        ClassificationDataset d = ClassificationDataset.read(write("""
                {"input": ["the", "cat", "the"], "label": "a"}
                {"input": ["dog"], "label": "b"}
                """));
        assertEquals(Sequences.Kind.TOKENS, d.inputs().kind());
        assertEquals(List.of("<unk>", "the", "cat", "dog"), d.inputs().vocabulary().tokens());
        assertArrayEquals(new int[] {1, 2, 1}, d.inputs().tokens(0));
    }

    @Test
    void readsWithAModelsVocabularyAndClasses() throws IOException {
        Vocabulary chars = Vocabulary.ofCharacters("abcxyz");
        LabelSet classes = LabelSet.of(List.of("pos", "neg"));
        Path file = write("{\"input\": \"cab\", \"label\": \"neg\"}\n");
        ClassificationDataset d = ClassificationDataset.reader().inputVocabulary(chars).labels(classes).read(file);
        assertEquals(chars, d.inputs().vocabulary());
        assertArrayEquals(new int[] {2, 0, 1}, d.inputs().tokens(0));
        assertEquals(1, d.label(0));

        assertError("2: \"input\" contains characters not in the model's vocabulary: 'q' (U+0071)",
                () -> ClassificationDataset.reader().inputVocabulary(chars)
                        .read(write("{\"input\": \"a\", \"label\": 1}\n{\"input\": \"aq\", \"label\": 1}\n")));
        assertError("1: \"label\" is \"meh\", not one of the model's classes: \"pos\", \"neg\"",
                () -> ClassificationDataset.reader().labels(classes).read(write("{\"input\": \"a\", \"label\": \"meh\"}\n")));
        assertError("1: the inputs are a list of numbers, but the model reads characters",
                () -> ClassificationDataset.reader().inputVocabulary(chars).read(write("{\"input\": [1], \"label\": 1}\n")));
        assertError("1: the inputs are text, but the model reads word tokens",
                () -> ClassificationDataset.reader().inputVocabulary(Vocabulary.ofWords("a a", 1))
                        .read(write("{\"input\": \"a\", \"label\": 1}\n")));
    }

    @Test
    void malformedLinesNameTheLineAndWhatIsWrong() {
        String ok = "{\"input\": \"ab\", \"label\": \"x\"}\n";
        assertError("2: not valid JSON at column 17", ok + "{\"input\": \"ab\", label: 1}\n");
        assertError("2: not valid JSON", ok + "{\"input\": \"ab\", \"label\": 1\n");
        assertError("1: not valid JSON", "{\"input\": \"ab\", \"label\": 1} {\"input\": \"c\"}\n");
        assertError("1: not valid JSON", "{\"input\": \"ab\", \"input\": \"c\", \"label\": 1}\n");
        assertError("1: not valid JSON", "{\"input\": [NaN], \"label\": 1}\n");
        assertError("2: the line is a list, not a JSON object", ok + "[\"ab\", 1]\n");
        assertError("3: the object has no \"label\": each line of this file needs it", ok + ok + "{\"input\": \"ab\"}\n");
        assertError("1: the object has no \"input\"", "{\"inputs\": \"ab\", \"label\": 1}\n");
        assertError("1: the value of \"label\" is null", "{\"input\": \"ab\", \"label\": null}\n");
        assertError("1: \"label\" is a list: a label is a class name (\"spam\") or an integer (3)",
                "{\"input\": \"ab\", \"label\": [1]}\n");
        assertError("1: \"label\" is 1.5, not an integer", "{\"input\": \"ab\", \"label\": 1.5}\n");
        assertError("1: \"label\" is an empty string", "{\"input\": \"ab\", \"label\": \"\"}\n");
        assertError("1: \"input\" is a number: it must be text", "{\"input\": 3, \"label\": 1}\n");
        assertError("1: \"input\" is an empty string", "{\"input\": \"\", \"label\": 1}\n");
        assertError("1: \"input\" is an empty list", "{\"input\": [], \"label\": 1}\n");
        assertError("1: \"input\"[2] is a string but \"input\"[0] is a number",
                "{\"input\": [1, 2, \"3\"], \"label\": 1}\n");
        assertError("1: \"input\"[1] is a number but \"input\"[0] is a string",
                "{\"input\": [\"a\", 2], \"label\": 1}\n");
        assertError("1: \"input\"[1] has 3 numbers but \"input\"[0] has 2",
                "{\"input\": [[1, 2], [3, 4, 5]], \"label\": 1}\n");
        assertError("1: \"input\"[0][1] is a string, not a number", "{\"input\": [[1, \"x\"]], \"label\": 1}\n");
        assertError("1: \"input\"[0] is 1E+39, outside the float range", "{\"input\": [1e39], \"label\": 1}\n");
        assertError("2: \"input\" has 3 numbers per step but line 1 has 2",
                "{\"input\": [[1, 2]], \"label\": 1}\n{\"input\": [[1, 2, 3]], \"label\": 1}\n");
        assertError("3: \"input\" is text but on line 1 it is a list of numbers",
                "{\"input\": [1], \"label\": 1}\n\n{\"input\": \"a\", \"label\": 1}\n");
        assertError("is empty: a JSON-lines dataset has one JSON object per line", "");
        assertError("has only blank lines", "\n  \n\n");
    }

    @Test
    void missingFileIsReportedByName() {
        Path missing = dir.resolve("nope.jsonl");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> ClassificationDataset.read(missing));
        assertTrue(e.getMessage().contains("nope.jsonl"), e.getMessage());
    }

    @Test
    void paddedBatchIsTimeMajor() throws IOException {
        ClassificationDataset d = ClassificationDataset.read(write("""
                {"input": "ab", "label": "x"}
                {"input": "c", "label": "y"}
                {"input": "bca", "label": "x"}
                """)); // a=0, b=1, c=2; x=0, y=1
        ClassificationBatch batch = d.batch(new int[] {2, 0, 1});
        PaddedInputs in = batch.inputs();
        assertEquals(3, in.steps());
        assertEquals(3, in.batchSize());
        // columns: example 2 "bca", example 0 "ab", example 1 "c"
        assertArrayEquals(new int[] {
            1, 0, 2,   // t=0: 'b' 'a' 'c'
            2, 1, 0,   // t=1: 'c' 'b' pad
            0, 0, 0},  // t=2: 'a' pad pad
                in.tokens());
        assertArrayEquals(new int[] {3, 2, 1}, in.lengths());
        assertArrayEquals(new int[] {0, 0, 1}, batch.labels());
        assertArrayEquals(new int[] {2, 0, 1}, batch.examples());
        assertTrue(in.isStep(1, 1));
        assertTrue(!in.isStep(2, 1));
    }

    @Test
    void paddedFeatureBatchIsTimeMajorWithDFeaturesPerStep() throws IOException {
        ClassificationDataset d = ClassificationDataset.read(write("""
                {"input": [[1, 2], [3, 4]], "label": 0}
                {"input": [[5, 6]], "label": 1}
                """));
        PaddedInputs in = d.batch(new int[] {0, 1}).inputs();
        assertEquals(2, in.featureSize());
        assertArrayEquals(new float[] {
            1, 2, 5, 6,   // t=0: sequence 0 (1,2), sequence 1 (5,6)
            3, 4, 0, 0},  // t=1: sequence 0 (3,4), padding
                in.features());
        assertEquals(6f, in.feature(0, 1, 1));
    }

    @Test
    void batchesCoverEveryExampleOncePerEpochInASeededOrder() throws IOException {
        ClassificationDataset d = SignOfSum.generate(10, 1, 3, 1);
        List<ClassificationBatch> epoch = d.batches(4, 42, 0);
        assertEquals(3, epoch.size());
        assertEquals(2, epoch.get(2).batchSize());
        boolean[] seen = new boolean[10];
        for (ClassificationBatch b : epoch) {
            for (int i : b.examples()) {
                assertTrue(!seen[i]);
                seen[i] = true;
            }
        }
        assertArrayEquals(epoch.get(0).examples(), d.batches(4, 42, 0).get(0).examples());
        assertArrayEquals(new int[] {0, 1, 2, 3}, d.batches(4).get(0).examples());
    }

    @Test
    void splitKeepsVocabularyAndClassesAndPartitionsTheExamples() {
        ClassificationDataset d = SignOfSum.generate(50, 2, 4, 3);
        DatasetSplit<ClassificationDataset> parts = d.split(0.2, 9);
        assertEquals(40, parts.train().size());
        assertEquals(10, parts.validation().size());
        assertEquals(d.labels(), parts.validation().labels());
        int[][] indices = DatasetSplit.indices(50, 0.2, 9);
        assertArrayEquals(d.inputs().features(indices[1][3]), parts.validation().inputs().features(3));
        assertArrayEquals(indices[1], DatasetSplit.indices(50, 0.2, 9)[1]);
        assertThrows(IllegalArgumentException.class, () -> d.split(0.01, 1));
    }

    private Path write(String text) throws IOException {
        Path file = Files.createTempFile(dir, "data", ".jsonl");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private void assertError(String expected, String fileText) {
        assertError(expected, () -> ClassificationDataset.read(write(fileText)));
    }

    static void assertError(String expected, ThrowingRead read) {
        DatasetException e = assertThrows(DatasetException.class, read::run);
        assertTrue(e.getMessage().contains(expected), "expected \"" + expected + "\" in: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(e.file()), e.getMessage());
    }

    interface ThrowingRead {
        void run() throws IOException;
    }
}
