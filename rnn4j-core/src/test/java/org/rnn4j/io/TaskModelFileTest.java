package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.data.ColumnStats;
import org.rnn4j.data.LabelSet;
import org.rnn4j.data.Seq2SeqDataset;
import org.rnn4j.data.TokenLevel;
import org.rnn4j.data.Vocabulary;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.CellType;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.ModelConfig;
import org.rnn4j.model.Seq2Seq;
import org.rnn4j.model.Seq2SeqConfig;
import org.rnn4j.model.SequenceModel;
import org.rnn4j.model.SequenceModelConfig;
import org.rnn4j.model.SequenceShape;
import org.rnn4j.model.SequenceTask;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Parameter;

class TaskModelFileTest {
    @TempDir
    Path dir;

    private final Vocabulary words = Vocabulary.of(TokenLevel.WORD, List.of("<unk>", "the", "cat"));
    private final LabelSet labels = LabelSet.of(List.of("neg", "pos"));

    private SequenceModel tagger() {
        SequenceModelConfig c = SequenceModelConfig.builder(SequenceTask.TAG).cell(CellType.LSTM).vocabSize(3)
                .embeddingDim(2).hiddenSize(4).numLayers(2).bidirectional().outputSize(2).build();
        return SequenceModel.create(c, Init.RecurrentInit.PYTORCH, new Rng(1));
    }

    private static void assertSameParameters(List<Parameter> expected, List<Parameter> actual) {
        assertEquals(expected.stream().map(Parameter::name).toList(), actual.stream().map(Parameter::name).toList());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).value.toArray(), actual.get(i).value.toArray(), expected.get(i).name());
        }
    }

    @Test
    void aTaggerRoundTripsWithItsVocabularyTagsAndProvenance() throws IOException {
        SequenceModel m = tagger();
        Path f = dir.resolve("tag.safetensors");
        TaskModelFile.save(f, new TaskModelFile.SequenceContents(m, words, labels, null, Map.of("rnn4j.seed", "1",
                "format", "not this")));
        TaskModelFile.SequenceContents c = assertInstanceOf(TaskModelFile.SequenceContents.class, TaskModelFile.load(f));
        assertEquals("tag", c.task());
        assertEquals(m.config(), c.model().config());
        assertEquals(words, c.vocabulary());
        assertEquals(labels, c.labels());
        assertNull(c.forecast());
        assertEquals("1", c.metadata().get("rnn4j.seed"));
        assertEquals("rnn4j", c.metadata().get("format"), "provenance cannot replace the reserved keys");
        assertEquals("tag", c.metadata().get(TaskModelFile.KEY_TASK));
        assertSameParameters(m.parameters(), c.model().parameters());
        assertTrue(SafeTensors.read(f).names().contains("head.weight"));
    }

    @Test
    void aForecasterRoundTripsWithItsNormalisation() throws IOException {
        SequenceModelConfig config = SequenceModelConfig.builder(SequenceTask.FORECAST).shape(SequenceShape.MANY_TO_ONE)
                .cell(CellType.GRU).featureSize(2).hiddenSize(3).outputSize(1).build();
        SequenceModel m = SequenceModel.create(config, Init.RecurrentInit.PYTORCH, new Rng(2));
        TaskModelFile.Forecast settings = new TaskModelFile.Forecast(16,
                List.of(new ColumnStats("load", 3.5, 0.25), new ColumnStats("temp", -1, 2)), List.of("temp"));
        Path f = dir.resolve("forecast.safetensors");
        TaskModelFile.save(f, new TaskModelFile.SequenceContents(m, null, null, settings, Map.of()));
        TaskModelFile.SequenceContents c = (TaskModelFile.SequenceContents) TaskModelFile.load(f);
        assertEquals(settings, c.forecast());
        assertNull(c.vocabulary());
        assertSameParameters(m.parameters(), c.model().parameters());
    }

    @Test
    void anEncoderDecoderRoundTripsWithBothVocabularies() throws IOException {
        Vocabulary source = Vocabulary.ofCharacters("0123456789");
        Vocabulary target = Vocabulary.ofCharacters("0123456789" + Seq2SeqDataset.START + Seq2SeqDataset.END);
        Seq2SeqConfig config = Seq2SeqConfig.builder().cell(CellType.GRU).sourceVocabSize(10).targetVocabSize(12)
                .embeddingDim(3).hiddenSize(5).build();
        Seq2Seq m = Seq2Seq.create(config, Init.RecurrentInit.PYTORCH, new Rng(3));
        Path f = dir.resolve("s2s.safetensors");
        TaskModelFile.save(f, new TaskModelFile.Seq2SeqContents(m, source, target, Map.of()));
        TaskModelFile.Seq2SeqContents c = assertInstanceOf(TaskModelFile.Seq2SeqContents.class, TaskModelFile.load(f));
        assertEquals("seq2seq", c.task());
        assertEquals(config, c.model().config());
        assertEquals(source, c.sourceVocabulary());
        assertEquals(target, c.targetVocabulary());
        assertSameParameters(m.parameters(), c.model().parameters());
        // BOS and EOS must be target ids 0 and 1
        assertThrows(IllegalArgumentException.class, () -> new TaskModelFile.Seq2SeqContents(m, source,
                Vocabulary.ofCharacters("0123456789ab"), Map.of()));
    }

    @Test
    void contentsThatDisagreeWithTheModelAreRefused() {
        SequenceModel m = tagger();
        assertThrows(IllegalArgumentException.class, () -> new TaskModelFile.SequenceContents(m, words,
                LabelSet.of(List.of("a", "b", "c")), null, Map.of()), "3 labels for 2 outputs");
        assertThrows(IllegalArgumentException.class, () -> new TaskModelFile.SequenceContents(m, null, labels, null,
                Map.of()), "token input without a vocabulary");
    }

    @Test
    void languageModelsAndTaskModelsRefuseEachOthersFiles() throws IOException {
        Path lm = dir.resolve("lm.safetensors");
        Vocabulary chars = Vocabulary.of(TokenLevel.CHAR, List.of("a", "b"));
        ModelFile.save(lm, LanguageModel.create(ModelConfig.builder().vocabSize(2).hiddenSize(3).build(),
                Init.RecurrentInit.PYTORCH, new Rng(4)), chars, Map.of());
        ModelFileException e = assertThrows(ModelFileException.class, () -> TaskModelFile.load(lm));
        assertTrue(e.getMessage().contains("is a language model"), e.getMessage());

        Path tag = dir.resolve("tag.safetensors");
        TaskModelFile.save(tag, new TaskModelFile.SequenceContents(tagger(), words, labels, null, Map.of()));
        e = assertThrows(ModelFileException.class, () -> ModelFile.load(tag));
        assertTrue(e.getMessage().contains("is a tag model, not a language model"), e.getMessage());
    }

    @Test
    void aMissingTensorOrAnUnknownTaskIsNamed() throws IOException {
        SequenceModel m = tagger();
        Path f = dir.resolve("t.safetensors");
        TaskModelFile.save(f, new TaskModelFile.SequenceContents(m, words, labels, null, Map.of()));
        SafeTensorsFile st = SafeTensors.read(f);
        List<TensorData> tensors = new ArrayList<>(st.tensors());
        tensors.removeIf(t -> t.name().equals("head.bias"));
        Path missing = dir.resolve("missing.safetensors");
        SafeTensors.write(missing, tensors, st.metadata());
        ModelFileException e = assertThrows(ModelFileException.class, () -> TaskModelFile.load(missing));
        assertTrue(e.getMessage().contains("tensor 'head.bias' is missing"), e.getMessage());

        Map<String, String> meta = new LinkedHashMap<>(st.metadata());
        meta.put(TaskModelFile.KEY_TASK, "translate");
        Path unknown = dir.resolve("unknown.safetensors");
        SafeTensors.write(unknown, st.tensors(), meta);
        e = assertThrows(ModelFileException.class, () -> TaskModelFile.load(unknown));
        assertTrue(e.getMessage().contains("'translate'") && e.getMessage().contains("newer rnn4j"), e.getMessage());
    }
}
