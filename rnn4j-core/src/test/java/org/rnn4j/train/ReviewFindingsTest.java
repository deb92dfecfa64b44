package org.rnn4j.train;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.rnn4j.data.TbpttBatcher;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.ModelConfig;
import org.rnn4j.nn.Init;
import org.rnn4j.optim.Sgd;

/** Defects found in review, each pinned by a test that failed before its fix. */
class ReviewFindingsTest {
    private static final int B = 3;

    private static Trainer trainer() {
        LanguageModel m = LanguageModel.create(ModelConfig.builder().vocabSize(4).embeddingDim(3).hiddenSize(5).build(),
                Init.RecurrentInit.PYTORCH, new Rng(1));
        int[] d = new int[200];
        for (int i = 0; i < d.length; i++) {
            d[i] = i % 4;
        }
        TrainingConfig tc = TrainingConfig.builder().steps(4).seqLen(6).backpropSteps(10).batch(B).evalEvery(100).build();
        return new Trainer(m, new TbpttBatcher(d, B, 6), d, tc, new Sgd(m.parameters(), 0.05f), new Rng(2),
                new TrainingListener() { });
    }

    private static TrainingCheckpoint withHistoryTokens(TrainingCheckpoint c, int[] historyTokens) {
        return new TrainingCheckpoint(c.step(), c.epoch(), c.window(), c.stateLayers(), c.stateInitial(), historyTokens,
                c.history(), c.tokens(), c.clippedSteps(), c.trainSum(), c.trainCount(), c.bestValidLoss(), c.bestStep(),
                c.lastValidLoss(), c.lossLimit(), c.dropoutRngState(), c.optimizerState(), c.scheduleState());
    }

    /**
     * Trainer.restore checked the history's step count but not that the history tokens are history·B of
     * them: too many crashed with ArrayIndexOutOfBoundsException, too few were silently padded with
     * whatever the token buffer held.
     */
    @Test
    void restoreRejectsHistoryTokensThatDisagreeWithTheHistory() {
        Trainer t = trainer();
        t.run();
        TrainingCheckpoint c = t.checkpoint();
        assertTrue(c.history() == 4 && c.historyTokens().length == 4 * B, "history " + c.history());
        int[] tooFew = Arrays.copyOf(c.historyTokens(), c.historyTokens().length - 1);
        int[] tooMany = new int[100];
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> trainer().restore(withHistoryTokens(c, tooFew)));
        assertTrue(few.getMessage().contains("11 history tokens"), few.getMessage());
        assertThrows(IllegalArgumentException.class, () -> trainer().restore(withHistoryTokens(c, tooMany)));
    }
}
