package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ForecastDatasetTest {
    /** x = 0, 1, ..., 9; validation fraction 0.3 keeps steps 7..9; the training part 0..6 has mean 3, std 2. */
    private static final TimeSeries LINE = TimeSeries.of("line", List.of("x"),
            new double[][] {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}});

    @Test
    void manyToOneWindowsWorkedOutByHand() {
        ForecastDataset d = ForecastDataset.builder().window(2).validationFraction(0.3).build(LINE);
        assertEquals(7, d.splitPoint());
        assertEquals(new ColumnStats("x", 3, 2), d.stats().get(0));
        ForecastWindows train = d.train();
        assertEquals(5, train.size()); // 7 steps - W
        assertArrayEquals(new float[] {-1.5f, -1f}, train.input(0));  // x = 0, 1
        assertArrayEquals(new float[] {-0.5f}, train.target(0));      // x = 2
        assertArrayEquals(new float[] {0.5f, 1f}, train.input(4));    // x = 4, 5
        assertArrayEquals(new float[] {1.5f}, train.target(4));       // x = 6, the last training value
        ForecastWindows validation = d.validation();
        assertEquals(1, validation.size());
        assertEquals(7, validation.firstStep());
        assertArrayEquals(new float[] {2f, 2.5f}, validation.input(0)); // x = 7, 8
        assertArrayEquals(new float[] {3f}, validation.target(0));      // x = 9
        assertEquals(9.0, d.targetStats().get(0).denormalize(validation.target(0)[0]));
    }

    @Test
    void manyToManyTargetsAreTheNextStepOfEveryStep() {
        ForecastDataset d = ForecastDataset.builder().window(2).validationFraction(0.3).shape(ForecastShape.MANY_TO_MANY)
                .build(LINE);
        assertEquals(5, d.train().size());
        assertArrayEquals(new float[] {-1f, -0.5f}, d.train().target(0)); // x = 1, 2
        assertArrayEquals(new float[] {1f, 1.5f}, d.train().target(4));   // x = 5, 6
        assertThrows(IndexOutOfBoundsException.class, () -> d.train().target(5)); // would predict x = 7
        ForecastBatch batch = d.train().batch(new int[] {1, 0});
        assertEquals(2, batch.targetSteps());
        assertArrayEquals(new float[] {
            -0.5f, -1f,   // t=0: window 1 predicts x=2, window 0 predicts x=1
            0f, -0.5f},   // t=1: x=3 and x=2
                batch.targets());
        assertEquals(0f, batch.target(1, 0, 0));
    }

    @Test
    void batchIsTimeMajorWithEveryColumnAsInputAndTheNamedTarget() {
        TimeSeries s = TimeSeries.of("two", List.of("a", "b"), new double[][] {
            {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {0, 10, 20, 30, 40, 50, 60, 70, 80, 90}});
        ForecastDataset d = ForecastDataset.builder().window(2).validationFraction(0.3).target("b").build(s);
        assertEquals(2, d.inputSize());
        assertEquals(1, d.targetSize());
        assertEquals(List.of("b"), d.targetColumns());
        assertEquals(new ColumnStats("b", 30, 20), d.targetStats().get(0));
        ForecastBatch batch = d.train().batch(new int[] {0, 3});
        PaddedInputs in = batch.inputs();
        assertEquals(2, in.steps());
        assertArrayEquals(new int[] {2, 2}, in.lengths());
        assertArrayEquals(new float[] {
            -1.5f, -1.5f, 0f, 0f,     // t=0: window 0 (a=0, b=0), window 3 (a=3, b=30)
            -1f, -1f, 0.5f, 0.5f},    // t=1: window 0 (1, 10), window 3 (4, 40)
                in.features());
        assertArrayEquals(new float[] {-0.5f, 1f}, batch.targets()); // b = 20 and 50
        assertArrayEquals(new int[] {0, 3}, batch.windows());

        ForecastDataset all = ForecastDataset.builder().window(2).validationFraction(0.3).build(s);
        assertEquals(2, all.targetSize());
        assertArrayEquals(new float[] {-0.5f, -0.5f}, all.train().target(0));
    }

    @Test
    void naiveLastValueBaselineWorkedOutByHand() {
        ForecastDataset d = ForecastDataset.builder().window(2).validationFraction(0.3).build(LINE);
        // every step rises by 1 = 0.5 normalised: squared error 0.25 per prediction
        assertEquals(0.25, d.validation().naiveMse(), 1e-12);
        assertEquals(1.0, d.validation().naiveRmse(), 1e-6);
        ForecastDataset many = ForecastDataset.builder().window(2).validationFraction(0.3)
                .shape(ForecastShape.MANY_TO_MANY).build(LINE);
        assertEquals(0.25, many.train().naiveMse(), 1e-12);
        // a series with one jump: x = 0 0 0 0 0 0 0 | 0 0 4 -> the one validation window predicts 0 for 4
        TimeSeries jump = TimeSeries.of("jump", List.of("x"), new double[][] {{0, 0, 0, 0, 0, 0, 0, 0, 0, 4}});
        ForecastDataset j = ForecastDataset.builder().window(2).validationFraction(0.3).build(jump);
        assertEquals(new ColumnStats("x", 0, 1), j.stats().get(0)); // a constant training part is only centred
        assertEquals(16.0, j.validation().naiveMse(), 1e-12);
        assertEquals(4.0, j.validation().naiveRmse(), 1e-12);
    }

    @Test
    void noValueCrossesTheSplitPoint() {
        double[] x = MackeyGlass.series(200, 1);
        ForecastDataset base = ForecastDataset.builder().window(10).validationFraction(0.25).build(series(x));
        int s = base.splitPoint();
        assertEquals(150, s);

        double[] laterChanged = x.clone();
        for (int t = s; t < x.length; t++) {
            laterChanged[t] = 100 + t;
        }
        ForecastDataset a = ForecastDataset.builder().window(10).validationFraction(0.25).build(series(laterChanged));
        assertEquals(base.stats(), a.stats());
        for (int i = 0; i < base.train().size(); i++) {
            assertArrayEquals(base.train().input(i), a.train().input(i));
            assertArrayEquals(base.train().target(i), a.train().target(i));
        }

        double[] earlierChanged = x.clone();
        for (int t = 0; t < s; t++) {
            earlierChanged[t] = 0.5 + 0.001 * t;
        }
        ForecastDataset b = ForecastDataset.builder().window(10).validationFraction(0.25).build(series(earlierChanged));
        ColumnStats before = base.stats().get(0);
        ColumnStats after = b.stats().get(0);
        for (int i = 0; i < base.validation().size(); i++) {
            float[] u = base.validation().input(i);
            float[] v = b.validation().input(i);
            for (int t = 0; t < u.length; t++) {
                assertEquals(before.denormalize(u[t]), after.denormalize(v[t]), 1e-5); // same raw values
            }
        }
    }

    @Test
    void tooShortPartsSayWhatWouldFit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ForecastDataset.builder().window(3).validationFraction(0.3).build(LINE));
        assertTrue(e.getMessage().contains("line: the validation part has 3 steps (of 10, validation fraction 0.3), too"
                + " few for windows of 3 steps: each part needs at least W + 1 = 4; use a window of at most 2"), e.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ForecastDataset.builder().window(2).validationFraction(0.3).target("y").build(LINE));
        assertTrue(unknown.getMessage().contains("no column \"y\": its columns are \"x\""), unknown.getMessage());
    }

    @Test
    void trainingBatchesAreShuffledPerEpochAndCoverEveryWindow() {
        ForecastDataset d = ForecastDataset.builder().window(4).build(MackeyGlass.timeSeries(100, 2));
        List<ForecastBatch> epoch0 = d.train().batches(8, 11, 0);
        List<ForecastBatch> epoch1 = d.train().batches(8, 11, 1);
        assertEquals(d.train().size(), epoch0.stream().mapToInt(ForecastBatch::batchSize).sum());
        assertTrue(!java.util.Arrays.equals(epoch0.get(0).windows(), epoch1.get(0).windows()));
        assertArrayEquals(epoch0.get(0).targets(), d.train().batches(8, 11, 0).get(0).targets());
    }

    private static TimeSeries series(double[] x) {
        return TimeSeries.of("mg", List.of("x"), new double[][] {x});
    }
}
