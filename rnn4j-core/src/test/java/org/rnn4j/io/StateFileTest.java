package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.CellType;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.ModelConfig;
import org.rnn4j.model.RecurrentState;
import org.rnn4j.nn.Init;

/**
 * The streaming API: one token at a time with an explicit state, which can be copied, saved, restored
 * and reset; its outputs equal those of the full-sequence forward pass, across a save and a restore.
 */
class StateFileTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(CellType.class)
    void streamingWithASavedAndRestoredStateEqualsTheFullSequence(CellType cell) throws IOException {
        LanguageModel m = LanguageModel.create(ModelConfig.builder().cell(cell).vocabSize(6).embeddingDim(4)
                .hiddenSize(7).numLayers(2).learnedInitialState().build(), Init.RecurrentInit.PYTORCH, new Rng(3));
        int t = 9;
        int[] tokens = new int[t];
        Rng r = new Rng(4);
        for (int i = 0; i < t; i++) {
            tokens[i] = r.nextInt(6);
        }
        m.forward(tokens, null, t, 1, m.newState(1));
        float[] full = m.logits().toArray();

        RecurrentState s = m.newState(1);
        for (int i = 0; i < t; i++) {
            if (i == 4) { // save mid-stream, clobber the live state, then restore from the file
                StateFile.write(dir.resolve("s.safetensors"), s);
                RecurrentState copy = s.copy();
                m.rnn().reset(s);
                s = StateFile.read(dir.resolve("s.safetensors"), m.rnn());
                for (int k = 0; k < 2; k++) {
                    assertArrayEquals(copy.layer(k).toArray(), s.layer(k).toArray());
                }
            }
            Matrix z = m.step(new int[] {tokens[i]}, s);
            assertArrayEquals(Arrays.copyOfRange(full, i * 6, (i + 1) * 6), z.toArray(), 1e-5f, "step " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"LSTM"})
    void aStateForAnotherModelIsRefused(CellType cell) throws IOException {
        LanguageModel a = LanguageModel.create(ModelConfig.builder().cell(cell).vocabSize(6).hiddenSize(7).build(),
                Init.RecurrentInit.PYTORCH, new Rng(3));
        LanguageModel b = LanguageModel.create(ModelConfig.builder().cell(cell).vocabSize(6).hiddenSize(8).build(),
                Init.RecurrentInit.PYTORCH, new Rng(3));
        StateFile.write(dir.resolve("a.safetensors"), a.newState(2));
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> StateFile.read(dir.resolve("a.safetensors"), b.rnn()));
        assertTrue(e.getMessage().contains("state.l0") && e.getMessage().contains("[2, 16]"), e.getMessage());
    }
}
