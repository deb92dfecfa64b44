package org.rnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.data.LongLagBatch;
import org.rnn4j.data.LongLagTask;
import org.rnn4j.matrix.Activation;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.CellType;
import org.rnn4j.model.SequenceModel;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Parameter;
import org.rnn4j.optim.OptimizerSettings;
import org.rnn4j.optim.Optimizers;

class LongLagTrainerTest {
    private static SequenceModel model(LongLagTask task, CellType cell, long seed) {
        return SequenceModel.create(LongLagTrainer.modelConfig(task, cell, Activation.TANH, 8), Init.RecurrentInit.PYTORCH,
                new Rng(seed));
    }

    private static LongLagTrainer.Config config(int steps, long updates, NonFiniteGradient nonFinite, double alpha) {
        return new LongLagTrainer.Config(steps, 16, updates, 20, 200, 0.0, 1f, 0f, nonFinite, alpha, 0, 7);
    }

    @Test
    void everyTaskGetsAModelWhoseOutputsTheTaskCanJudge() {
        for (LongLagTask task : LongLagTask.all()) {
            int steps = Math.max(task.minSteps(), 12);
            LongLagBatch batch = task.batch(3, steps, 5);
            float[] p = LongLagTrainer.predictions(model(task, CellType.GRU, 1), batch);
            double loss = task.loss(p, batch); // throws if the layout does not fit
            assertTrue(Double.isFinite(loss), task.name());
            double err = task.errorRate(p, batch);
            assertTrue(err >= 0 && err <= 1, task.name());
        }
    }

    @Test
    void aGatedCellSolvesAShortLatchAndStopsThere() {
        LongLagTask task = LongLagTask.forName("latch");
        SequenceModel m = model(task, CellType.GRU, 3);
        List<Long> evaluated = new ArrayList<>();
        LongLagTrainer.Result r = new LongLagTrainer(task, config(4, 2000, NonFiniteGradient.STOP, 0)).run(m,
                Optimizers.create("adam", m.parameters(), OptimizerSettings.builder().learningRate(0.02).build()),
                new LongLagTrainer.Listener() {
                    @Override
                    public void onEvaluation(LongLagTrainer.Evaluation e) {
                        evaluated.add(e.update());
                    }
                });
        assertTrue(r.solved(), "stopped " + r.stop() + " with error " + r.last().errorRate());
        assertEquals(r.updates(), r.updatesToSolve());
        assertEquals(0.0, r.last().errorRate());
        assertEquals(0L, evaluated.get(0), "the untrained model is judged first");
        assertEquals(r.updatesToSolve(), (long) evaluated.get(evaluated.size() - 1));
        assertTrue(r.evaluations().get(0).errorRate() > 0.5, "untrained: " + r.evaluations().get(0).errorRate());
        // judged by the task's own rule on the trainer's test batch
        LongLagBatch test = new LongLagTrainer(task, config(4, 2000, NonFiniteGradient.STOP, 0)).testBatch();
        assertTrue(task.solved(LongLagTrainer.predictions(m, test), test));
    }

    @Test
    void aRunWithoutSuccessStopsAtItsBudget() {
        LongLagTask task = LongLagTask.forName("adding");
        SequenceModel m = model(task, CellType.RNN, 3);
        LongLagTrainer.Result r = new LongLagTrainer(task, config(30, 5, NonFiniteGradient.STOP, 0)).run(m,
                Optimizers.create("sgd", m.parameters(), OptimizerSettings.builder().learningRate(0.01).build()),
                new LongLagTrainer.Listener() { });
        assertEquals(LongLagTrainer.Stop.BUDGET, r.stop());
        assertEquals(-1, r.updatesToSolve());
        assertEquals(5, r.updates());
        assertEquals(2, r.evaluations().size(), "update 0 and the last update");
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        LongLagTask task = LongLagTask.forName("temporal-order-2");
        float[][] finals = new float[2][];
        for (int i = 0; i < 2; i++) {
            SequenceModel m = model(task, CellType.LSTM, 4);
            new LongLagTrainer(task, config(20, 15, NonFiniteGradient.STOP, 0)).run(m,
                    Optimizers.create("adam", m.parameters(), OptimizerSettings.builder().learningRate(0.01).build()),
                    new LongLagTrainer.Listener() { });
            finals[i] = m.parameter("rnn.weight_hh_l0").value.data.clone();
        }
        assertArrayEquals(finals[0], finals[1]);
    }

    /** A model whose head has an infinite weight: every loss and gradient is non-finite. */
    private static SequenceModel broken(LongLagTask task) {
        SequenceModel m = model(task, CellType.RNN, 2);
        m.parameter("head.weight").value.data[0] = Float.POSITIVE_INFINITY;
        return m;
    }

    @Test
    void aNonFiniteGradientStopsSkipsOrShrinks() {
        LongLagTask task = LongLagTask.forName("adding");
        SequenceModel stop = broken(task);
        float[] before = stop.parameter("rnn.weight_hh_l0").value.data.clone();
        LongLagTrainer.Result r = new LongLagTrainer(task, config(10, 50, NonFiniteGradient.STOP, 0)).run(stop,
                Optimizers.create("sgd", stop.parameters(), OptimizerSettings.builder().learningRate(0.01).build()),
                new LongLagTrainer.Listener() { });
        assertEquals(LongLagTrainer.Stop.NON_FINITE, r.stop());
        assertEquals(0, r.updates());
        assertArrayEquals(before, stop.parameter("rnn.weight_hh_l0").value.data, "no update was applied");

        SequenceModel skip = broken(task);
        r = new LongLagTrainer(task, config(10, 30, NonFiniteGradient.SKIP, 0)).run(skip,
                Optimizers.create("sgd", skip.parameters(), OptimizerSettings.builder().learningRate(0.01).build()),
                new LongLagTrainer.Listener() { });
        assertEquals(LongLagTrainer.Stop.BUDGET, r.stop());
        assertEquals(30, r.skippedUpdates());
        assertArrayEquals(before, skip.parameter("rnn.weight_hh_l0").value.data, "every update was dropped");

        SequenceModel shrink = broken(task);
        new LongLagTrainer(task, config(10, 1, NonFiniteGradient.SHRINK, 0)).run(shrink,
                Optimizers.create("sgd", shrink.parameters(), OptimizerSettings.builder().learningRate(0.5).build()),
                new LongLagTrainer.Listener() { });
        float[] after = shrink.parameter("rnn.weight_hh_l0").value.data;
        for (int i = 0; i < before.length; i++) { // θ − lr·0.1·θ = 0.95 θ
            assertEquals(before[i] * (1 - 0.5f * NonFiniteGradient.SHRINK_FACTOR), after[i], 1e-7, "W_hh[" + i + "]");
        }
    }

    @Test
    void pascanusRegularizerChangesTheElmanUpdateAndRefusesGatedCells() {
        LongLagTask task = LongLagTask.forName("adding");
        float[][] w = new float[2][];
        for (int i = 0; i < 2; i++) {
            SequenceModel m = model(task, CellType.RNN, 5);
            new LongLagTrainer(task, config(15, 3, NonFiniteGradient.STOP, i == 0 ? 0 : 2.0)).run(m,
                    Optimizers.create("sgd", m.parameters(), OptimizerSettings.builder().learningRate(0.1).build()),
                    new LongLagTrainer.Listener() { });
            w[i] = m.parameter("rnn.weight_hh_l0").value.data.clone();
        }
        assertFalse(java.util.Arrays.equals(w[0], w[1]), "the regularizer's gradient reaches W_hh");
        SequenceModel lstm = model(task, CellType.LSTM, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LongLagTrainer(task,
                config(15, 3, NonFiniteGradient.STOP, 1.0)).run(lstm, Optimizers.create("sgd", lstm.parameters(),
                OptimizerSettings.builder().learningRate(0.1).build()), new LongLagTrainer.Listener() { }));
        assertTrue(e.getMessage().contains("Elman"), e.getMessage());
    }

    @Test
    void configurationErrorsSayWhatIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LongLagTrainer.Config(10, 0, 5, 1, 1, 0, 0, 0, NonFiniteGradient.STOP, 0, 0, 1));
        assertTrue(e.getMessage().contains("batch"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LongLagTrainer(LongLagTask.forName("temporal-order-2"),
                config(5, 5, NonFiniteGradient.STOP, 0)));
        assertTrue(e.getMessage().contains("T >="), e.getMessage());
        assertNotEquals(NonFiniteGradient.STOP, NonFiniteGradient.fromId("shrink"));
        assertThrows(IllegalArgumentException.class, () -> NonFiniteGradient.fromId("explode"));
    }

    @Test
    void shrinkReplacesEachGradientByATenthOfItsParameter() {
        Parameter p = Parameter.vector("p", 3);
        p.value.data[0] = 1f;
        p.value.data[1] = -2f;
        p.value.data[2] = 0.5f;
        p.grad.data[1] = Float.NaN;
        NonFiniteGradient.shrink(List.of(p));
        assertArrayEquals(new float[] {0.1f, -0.2f, 0.05f}, p.grad.data, 1e-7f);
    }
}
