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

    /**
     * A window longer than the text is legal (the batcher cuts it to the stream length, and the CLI only
     * notes it), but the Trainer sized its token buffers k2·B and the Evaluator window·streams: a --seq-len
     * of 1.5e9 with B = 2 overflowed int into NegativeArraySizeException, and a merely large one allocated
     * buffers far beyond the text at every evaluation.
     */
    @Test
    void windowsLongerThanTheTextNeedBuffersNoLongerThanTheText() {
        LanguageModel m = LanguageModel.create(ModelConfig.builder().vocabSize(4).embeddingDim(3).hiddenSize(5).build(),
                Init.RecurrentInit.PYTORCH, new Rng(1));
        int[] d = new int[200];
        for (int i = 0; i < d.length; i++) {
            d[i] = i % 4;
        }
        int huge = 1_500_000_000;
        Evaluator.Result a = Evaluator.evaluate(m, d, 2, 1000);
        Evaluator.Result b = Evaluator.evaluate(m, d, 2, huge);
        org.junit.jupiter.api.Assertions.assertEquals(a.loss(), b.loss(), 1e-9);
        TrainingConfig tc = TrainingConfig.builder().steps(2).seqLen(huge).batch(2).evalEvery(100).build();
        new Trainer(m, new TbpttBatcher(d, 2, huge), d, tc, new Sgd(m.parameters(), 0.05f), new Rng(2),
                new TrainingListener() { }).run();
    }
}
