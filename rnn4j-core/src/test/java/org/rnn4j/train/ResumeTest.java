package org.rnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.data.TbpttBatcher;
import org.rnn4j.data.TokenLevel;
import org.rnn4j.data.Vocabulary;
import org.rnn4j.io.ModelFile;
import org.rnn4j.io.ModelFileException;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.CellType;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.ModelConfig;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Parameter;
import org.rnn4j.optim.Optimizer;
import org.rnn4j.optim.Sgd;

/**
 * Training 2N steps in one go equals training N steps, saving a checkpoint, and resuming for N more, bit
 * for bit — with dropout (the RNG), overlapping TBPTT windows (the history), a learned initial state, and
 * an epoch boundary crossed after the resume.
 */
class ResumeTest {
    @TempDir
    Path dir;

    private static final int B = 3;
    private static final Vocabulary VOCAB = Vocabulary.of(TokenLevel.CHAR, java.util.List.of("a", "b", "c", "d", "e"));

    private static int[] data() {
        Rng r = new Rng(11);
        int[] t = new int[400];
        for (int i = 0; i < t.length; i++) {
            t[i] = i % 7 == 0 ? 4 : r.nextInt(4);
        }
        return t;
    }

    private static LanguageModel model() {
        return LanguageModel.create(ModelConfig.builder().cell(CellType.LSTM).vocabSize(5).embeddingDim(4).hiddenSize(8)
                .numLayers(2).dropout(0.2f).learnedInitialState().build(), Init.RecurrentInit.PYTORCH, new Rng(5));
    }

    private Trainer trainer(LanguageModel m, long steps, Function<LanguageModel, Optimizer> optimizer) {
        TrainingConfig tc = TrainingConfig.builder().steps(steps).seqLen(6).backpropSteps(10).batch(B).evalEvery(7)
                .build();
        int[] d = data();
        return new Trainer(m, new TbpttBatcher(d, B, 6), d, tc, optimizer.apply(m), new Rng(9).split("dropout"),
                new TrainingListener() { });
    }

    @Test
    void resumedTrainingIsBitIdentical() throws IOException {
        Function<LanguageModel, Optimizer> sgd = m -> new Sgd(m.parameters(), 0.05f);
        int n = 25; // 400 tokens / 3 streams / 6 steps = 23 windows per epoch: the resumed half crosses an epoch
        LanguageModel straight = model();
        trainer(straight, 2L * n, sgd).run();

        LanguageModel first = model();
        Trainer t1 = trainer(first, n, sgd);
        t1.run();
        Path ckpt = dir.resolve("checkpoint.safetensors");
        CheckpointFile.write(ckpt, first, VOCAB, Map.of(), t1.checkpoint());

        CheckpointFile.Contents c = CheckpointFile.read(ckpt);
        LanguageModel resumed = c.model().model();
        Trainer t2 = trainer(resumed, 2L * n, sgd);
        t2.restore(c.training());
        assertEquals(n, t2.step());
        t2.run();
        for (Parameter p : straight.parameters()) {
            assertArrayEquals(p.value.toArray(), resumed.parameter(p.name()).value.toArray(), p.name());
        }
    }

    @Test
    void resumingWithAdamAndAPlateauScheduleIsBitIdentical() throws IOException {
        Function<LanguageModel, Optimizer> adam = m -> org.rnn4j.optim.Optimizers.create("adam", m.parameters(),
                org.rnn4j.optim.OptimizerSettings.builder().learningRate(0.01).build());
        java.util.function.Supplier<org.rnn4j.optim.LearningRateSchedule> plateau = () ->
                org.rnn4j.optim.LearningRateSchedule.reduceOnPlateau(org.rnn4j.optim.ReduceLrOnPlateau.Config
                        .builder(0.01).factor(0.5).patience(0).threshold(0.9).build()); // "improves" only if 90% lower
        int n = 21;
        LanguageModel straight = model();
        Trainer ts = trainer(straight, 2L * n, adam);
        ts.setSchedule(plateau.get());
        ts.run();

        LanguageModel first = model();
        Trainer t1 = trainer(first, n, adam);
        t1.setSchedule(plateau.get());
        t1.run();
        Path ckpt = dir.resolve("checkpoint.safetensors");
        CheckpointFile.write(ckpt, first, VOCAB, Map.of(), t1.checkpoint());
        CheckpointFile.Contents c = CheckpointFile.read(ckpt);
        Trainer t2 = trainer(c.model().model(), 2L * n, adam);
        t2.setSchedule(plateau.get());
        t2.restore(c.training());
        t2.run();
        assertTrue(ts.optimizer().learningRate() < 0.01f, "the plateau schedule lowered the rate");
        assertEquals(ts.optimizer().learningRate(), t2.optimizer().learningRate());
        for (Parameter p : straight.parameters()) {
            assertArrayEquals(p.value.toArray(), c.model().model().parameter(p.name()).value.toArray(), p.name());
        }
    }

    @Test
    void aRejectedCheckpointLeavesTheTrainerAsItWas() {
        Function<LanguageModel, Optimizer> adam = m -> org.rnn4j.optim.Optimizers.create("adam", m.parameters(),
                org.rnn4j.optim.OptimizerSettings.DEFAULTS);
        LanguageModel m = model();
        Trainer done = trainer(m, 5, adam);
        done.run();
        TrainingCheckpoint good = done.checkpoint();
        java.util.Map<String, float[]> broken = new java.util.LinkedHashMap<>(good.optimizerState());
        broken.remove(broken.keySet().iterator().next());
        TrainingCheckpoint bad = new TrainingCheckpoint(good.step(), good.epoch(), good.window(), good.stateLayers(),
                good.stateInitial(), good.historyTokens(), good.history(), good.tokens(), good.clippedSteps(),
                good.trainSum(), good.trainCount(), good.bestValidLoss(), good.bestStep(), good.lastValidLoss(),
                good.lossLimit(), good.dropoutRngState(), broken, good.scheduleState());
        Trainer fresh = trainer(model(), 10, adam);
        assertThrows(IllegalArgumentException.class, () -> fresh.restore(bad));
        assertEquals(0, fresh.step(), "nothing restored");
        assertEquals(0, fresh.checkpoint().history());
        assertEquals(0, fresh.checkpoint().window());
    }

    @Test
    void aCheckpointIsAlsoAModelFileAndAModelFileIsNotACheckpoint() throws IOException {
        LanguageModel m = model();
        Trainer t = trainer(m, 3, mm -> new Sgd(mm.parameters(), 0.05f));
        t.run();
        Path ckpt = dir.resolve("c.safetensors");
        CheckpointFile.write(ckpt, m, VOCAB, Map.of(), t.checkpoint());
        assertEquals(m.config(), ModelFile.load(ckpt).model().config());
        Path model = dir.resolve("m.safetensors");
        ModelFile.save(model, m, VOCAB, Map.of());
        ModelFileException e = assertThrows(ModelFileException.class, () -> CheckpointFile.read(model));
        assertTrue(e.getMessage().contains("not a checkpoint"), e.getMessage());
    }

    @Test
    void aFailedSaveLeavesThePreviousCheckpointReadable() throws IOException {
        LanguageModel m = model();
        Trainer t = trainer(m, 3, mm -> new Sgd(mm.parameters(), 0.05f));
        t.run();
        Path ckpt = dir.resolve("checkpoint.safetensors");
        CheckpointFile.write(ckpt, m, VOCAB, Map.of(), t.checkpoint());
        byte[] before = Files.readAllBytes(ckpt);
        // A save that fails half way (here: a tensor in a model namespace is refused before any byte is
        // written to the target) must leave the old file untouched, and no temporary file behind.
        assertThrows(IllegalArgumentException.class, () -> ModelFile.save(ckpt, m, VOCAB, Map.of(),
                java.util.List.of(org.rnn4j.io.TensorData.ofFloats("rnn.bogus", new int[] {1}, new float[] {1f}))));
        assertArrayEquals(before, Files.readAllBytes(ckpt));
        assertEquals(3, CheckpointFile.read(ckpt).training().step());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary files left");
        }
    }
}
