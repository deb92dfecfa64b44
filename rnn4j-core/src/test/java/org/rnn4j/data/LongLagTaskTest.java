package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every long-time-lag task promises: determinism, shapes, its baseline, and its success rule. */
class LongLagTaskTest {
    private static final int T = 20;

    @Test
    void namesAreTheCommandLineNamesInOrder() {
        assertEquals(List.of("adding", "adding-hs", "multiplication", "temporal-order-2", "temporal-order-3",
                "permutation", "memorization", "reber", "copy", "latch"), LongLagTask.NAMES);
        assertEquals(LongLagTask.NAMES, LongLagTask.all().stream().map(LongLagTask::name).toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LongLagTask.forName("addition"));
        assertTrue(e.getMessage().contains("'addition'") && e.getMessage().contains("temporal-order-3"), e.getMessage());
    }

    @Test
    void sameSeedSameBatchOtherSeedOtherBatch() {
        for (LongLagTask task : LongLagTask.all()) {
            LongLagBatch a = task.batch(16, T, 7);
            LongLagBatch b = task.batch(16, T, 7);
            LongLagBatch c = task.batch(16, T, 8);
            assertEquals(fingerprint(a), fingerprint(b), task.name());
            assertFalse(fingerprint(a).equals(fingerprint(c)), task.name());
        }
    }

    private static String fingerprint(LongLagBatch batch) {
        PaddedInputs in = batch.inputs();
        return in.steps() + Arrays.toString(in.lengths()) + Arrays.toString(in.tokens()) + Arrays.toString(in.features())
                + Arrays.toString(batch.classTargets()) + Arrays.toString(batch.valueTargets());
    }

    @Test
    void batchesHaveTheDeclaredShapes() {
        for (LongLagTask task : LongLagTask.all()) {
            LongLagBatch batch = task.batch(32, T, 3);
            PaddedInputs in = batch.inputs();
            assertEquals(32, batch.batchSize());
            assertEquals(task.tokenInputs(), in.hasTokens(), task.name());
            assertEquals(task.perStepTargets() ? in.steps() : 1, batch.targetSteps(), task.name());
            if (in.hasTokens()) {
                assertTrue(Arrays.stream(in.tokens()).allMatch(x -> x >= 0 && x < task.inputSize()), task.name());
            } else {
                assertEquals(task.inputSize(), in.featureSize(), task.name());
            }
            if (task.loss() == LongLagTask.Loss.CROSS_ENTROPY) {
                assertTrue(Arrays.stream(batch.classTargets()).allMatch(y -> y >= -1 && y < task.outputSize()), task.name());
                for (int t = 0; t < batch.targetSteps(); t++) {
                    for (int b = 0; b < 32; b++) {
                        if (batch.targetSteps() > 1 && !in.isStep(t, b)) {
                            assertEquals(-1, batch.classTarget(t, b), task.name() + ": padding has no target");
                        }
                    }
                }
            } else {
                assertEquals(1, task.outputSize());
            }
        }
    }

    @Test
    void perfectPredictionsSolveAndTheBaselineDoesNot() {
        for (LongLagTask task : LongLagTask.all()) {
            LongLagBatch batch = task.batch(200, T, 11);
            float[] perfect = task.perfectPredictions(batch);
            float[] baseline = task.baselinePredictions(batch);
            assertTrue(task.solved(perfect, batch), task.name());
            assertEquals(0, task.errorRate(perfect, batch), task.name());
            assertFalse(task.solved(baseline, batch), task.name());
            assertTrue(task.errorRate(baseline, batch) > 0.2, task.name() + ": " + task.errorRate(baseline, batch));
            assertTrue(task.loss(perfect, batch) < task.loss(baseline, batch), task.name());
        }
    }

    @Test
    void theBaselineCostsItsExpectedLoss() {
        // MSE tasks: answering the mean costs the target variance, checked on a large sample.
        for (String name : List.of("adding", "adding-hs", "multiplication")) {
            LongLagTask task = LongLagTask.forName(name);
            LongLagBatch batch = task.batch(60_000, T, 5);
            double measured = task.loss(task.baselinePredictions(batch), batch);
            double expected = task.expectedBaselineLoss(T);
            assertEquals(expected, measured, 0.02 * expected, name);
            assertEquals(expected, variance(batch.valueTargets()), 0.02 * expected, name + ": the target variance");
        }
        assertEquals(1.0 / 24, LongLagTask.forName("adding").expectedBaselineLoss(100), 1e-15);
        assertEquals(7.0 / 144, LongLagTask.forName("multiplication").expectedBaselineLoss(100), 1e-15);
        assertEquals((2 - 0.1 - 0.9 / 49) / 48, LongLagTask.forName("adding-hs").expectedBaselineLoss(100), 1e-15);
        assertEquals(0.0375, LongLagTask.forName("adding-hs").expectedBaselineLoss(20), 1e-15);

        // Cross-entropy tasks with a fixed cost per sequence: exact on any batch.
        for (String name : List.of("temporal-order-2", "temporal-order-3", "permutation", "memorization", "copy")) {
            LongLagTask task = LongLagTask.forName(name);
            LongLagBatch batch = task.batch(50, T, 5);
            assertEquals(task.expectedBaselineLoss(T), task.loss(task.baselinePredictions(batch), batch), 1e-9, name);
        }
        assertEquals(Math.log(4), LongLagTask.forName("temporal-order-2").expectedBaselineLoss(T), 1e-15);
        assertEquals(Math.log(8), LongLagTask.forName("temporal-order-3").expectedBaselineLoss(T), 1e-15);
        assertEquals(Math.log(2), LongLagTask.forName("permutation").expectedBaselineLoss(T), 1e-15);
        assertEquals(10 * Math.log(5) / (T + 20), LongLagTask.forName("memorization").expectedBaselineLoss(T), 1e-15);
        assertEquals(10 * Math.log(8) / (T + 20), LongLagTask.forName("copy").expectedBaselineLoss(T), 1e-15);

        // Reber: the length varies, so the expectation is a large-batch limit.
        LongLagTask reber = LongLagTask.forName("reber");
        LongLagBatch batch = reber.batch(20_000, 30, 5);
        assertEquals(reber.expectedBaselineLoss(30), reber.loss(reber.baselinePredictions(batch), batch), 0.005);
    }

    private static double variance(float[] x) {
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= x.length;
        double s = 0;
        for (float v : x) {
            s += (v - mean) * (v - mean);
        }
        return s / x.length;
    }

    @Test
    void lossAndRuleOnHandWorkedExamples() {
        LongLagTask adding = LongLagTask.forName("adding");
        PaddedInputs features = new PaddedInputs(1, 2, 2, new int[] {1, 1}, null, new float[4]);
        LongLagBatch values = LongLagBatch.ofValues(features, new float[] {0.5f, 0.25f});
        float[] predictions = {0.75f, 0.25f};  // squared errors 1/16 (> 0.04: wrong) and 0
        assertEquals((0.0625 + 0) / 2, adding.loss(predictions, values), 1e-12);
        assertEquals(0.5, adding.errorRate(predictions, values));
        float[] close = {0.6f, 0.25f};          // squared error 0.01: right by Pascanu's rule
        assertTrue(adding.solved(close, values));
        LongLagTask addingHs = LongLagTask.forName("adding-hs");
        assertFalse(addingHs.solved(close, values), "|0.1| is not below 0.04");
        assertTrue(addingHs.solved(new float[] {0.53f, 0.22f}, values));

        LongLagTask order = LongLagTask.forName("temporal-order-2");
        PaddedInputs tokens = new PaddedInputs(1, 1, 0, new int[] {1}, new int[] {TemporalOrder.TRIGGER}, null);
        LongLagBatch classes = LongLagBatch.ofClasses(tokens, new int[] {1});
        float[] half = {0f, (float) Math.log(3), 0f, 0f};      // p(class 1) = 3/6
        assertEquals(Math.log(2), order.loss(half, classes), 1e-6);
        assertFalse(order.solved(half, classes), "p = 0.5 is not above 0.7");
        float[] sure = {0f, (float) Math.log(21), 0f, 0f};     // p(class 1) = 21/24 = 0.875
        assertEquals(Math.log(24.0 / 21), order.loss(sure, classes), 1e-6);
        assertTrue(order.solved(sure, classes));

        LongLagTask permutation = LongLagTask.forName("permutation");
        float[] tie = new float[100];
        assertFalse(permutation.solved(tie, classes), "a tie for the top is not an answer");
        tie[1] = 1e-3f;
        assertTrue(permutation.solved(tie, classes), "argmax, not a probability threshold");
        assertEquals(Math.log(100) - 1e-3 + Math.log(1 + (Math.exp(1e-3) - 1) / 100), permutation.loss(tie, classes), 1e-6);
    }

    @Test
    void misuseSaysWhatIsWrong() {
        LongLagTask copy = LongLagTask.forName("copy");
        LongLagBatch batch = copy.batch(2, 10, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> copy.loss(new float[7], batch));
        assertEquals("predictions have 7 values but the copy task needs T*B*K = 30*2*9 = 540 for this batch",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LongLagTask.forName("adding").batch(4, 9, 1));
        assertEquals("the adding task needs T >= 10, got 9", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> copy.batch(0, 10, 1));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LongLagTask.forName("adding").loss(new float[2], batch));
        assertEquals("this batch was not made by the adding task", e.getMessage());
    }

    @Test
    void aDivergedModelNeverSolves() {
        for (LongLagTask task : LongLagTask.all()) {
            LongLagBatch batch = task.batch(4, T, 2);
            float[] nan = task.perfectPredictions(batch);
            Arrays.fill(nan, Float.NaN);
            assertEquals(1.0, task.errorRate(nan, batch), task.name());
            assertTrue(Double.isNaN(task.loss(nan, batch)), task.name());
        }
    }

    @Test
    void aTaskAcceptsAGeneratorToo() {
        LongLagTask task = LongLagTask.forName("temporal-order-3");
        LongLagBatch a = task.batch(8, 30, new java.util.SplittableRandom(4));
        LongLagBatch b = task.batch(8, 30, 4);
        assertArrayEquals(a.inputs().tokens(), b.inputs().tokens());
        assertArrayEquals(a.classTargets(), b.classTargets());
    }
}
