package org.rnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Schedules with values worked out by hand; {@link ScheduleGoldenTest} compares them with PyTorch's. */
class LearningRateScheduleTest {
    private static final double TOL = 1e-15;

    @Test
    void constant() {
        LearningRateSchedule s = LearningRateSchedule.constant(0.3);
        assertEquals(0.3, s.learningRate(0));
        assertEquals(0.3, s.learningRate(1_000_000));
        s.reportValidationLoss(1.0); // ignored
        assertEquals(0.3, s.learningRate(5));
    }

    @Test
    void stepHalvesEveryThreeSteps() {
        LearningRateSchedule s = LearningRateSchedule.step(0.1, 3, 0.5);
        double[] want = {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025};
        for (int k = 0; k < want.length; k++) {
            assertEquals(want[k], s.learningRate(k), TOL, "step " + k);
        }
        assertEquals(0.1, LearningRateSchedule.StepSchedule.DEFAULT_GAMMA);
    }

    @Test
    void exponential() {
        LearningRateSchedule s = LearningRateSchedule.exponential(1.0, 0.5);
        assertEquals(1.0, s.learningRate(0));
        assertEquals(0.125, s.learningRate(3));
    }

    @Test
    void warmupThenCosine() {
        // W = 4, T = 12: warm-up 1/4, 2/4, 3/4, 1; cosine over steps 4..11 (progress (s − 4)/8); min from 12 on
        LearningRateSchedule s = LearningRateSchedule.warmupCosine(1.0, 4, 12, 0.0);
        assertEquals(0.25, s.learningRate(0), TOL);
        assertEquals(0.75, s.learningRate(2), TOL);
        assertEquals(1.0, s.learningRate(3), TOL);
        assertEquals(1.0, s.learningRate(4), TOL);                             // the peak, cos 0
        assertEquals((1 + Math.cos(Math.PI / 4)) / 2, s.learningRate(6), TOL); // 0.8535534
        assertEquals(0.5, s.learningRate(8), TOL);                             // half-way, cos(π/2) = 0
        assertEquals(0.0, s.learningRate(12), TOL);
        assertEquals(0.0, s.learningRate(100), TOL);
        // with a floor of 0.1 the half-way value is 0.1 + 0.9/2
        assertEquals(0.55, LearningRateSchedule.warmupCosine(1.0, 4, 12, 0.1).learningRate(8), TOL);
        // without warm-up the first step has the peak
        assertEquals(2.0, LearningRateSchedule.warmupCosine(2.0, 0, 10, 0).learningRate(0), TOL);
    }

    @Test
    void plateauCutsAfterPatienceIsExhausted() {
        ReduceLrOnPlateau s = LearningRateSchedule.reduceOnPlateau(ReduceLrOnPlateau.Config.builder(1.0)
                .factor(0.5).patience(1).threshold(0.1).minLearningRate(0.3).build());
        double[] losses = {1.0, 0.95, 0.95, 0.8, 0.79, 0.79, 0.79, 0.79, 0.79, 0.79};
        // 1.0: best (from +∞); 0.95 > 1.0·0.9: bad 1; 0.95: bad 2 > patience → 0.5, bad 0;
        // 0.8 < 1.0·0.9: best; 0.79 > 0.72: bad 1; 0.79: bad 2 → 0.25, floored at 0.3;
        // then 0.3 → max(0.15, 0.3) = 0.3 changes nothing.
        double[] want = {1.0, 1.0, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3, 0.3, 0.3};
        for (int k = 0; k < losses.length; k++) {
            s.reportValidationLoss(losses[k]);
            assertEquals(want[k], s.learningRate(k), TOL, "after loss " + k);
        }
        assertEquals(0.8, s.state().best(), "0.79 is not 10% better than 0.8");
    }

    @Test
    void plateauCooldownIgnoresBadReportsAndNaNIsNeverBetter() {
        ReduceLrOnPlateau s = new ReduceLrOnPlateau(ReduceLrOnPlateau.Config.builder(1.0)
                .factor(0.1).patience(0).cooldown(2).build());
        s.reportValidationLoss(1.0);        // best
        s.reportValidationLoss(Double.NaN); // bad 1 > 0 → 0.1, cool-down 2
        assertEquals(0.1, s.learningRate(0), TOL);
        s.reportValidationLoss(2.0);        // in cool-down (2 → 1): not counted
        s.reportValidationLoss(2.0);        // in cool-down (1 → 0): not counted
        assertEquals(0.1, s.learningRate(0), TOL);
        s.reportValidationLoss(2.0);        // bad 1 > 0 → 0.01
        assertEquals(0.01, s.learningRate(0), 1e-17);
    }

    @Test
    void plateauStateCanBeRestored() {
        ReduceLrOnPlateau.Config c = ReduceLrOnPlateau.Config.builder(0.1).patience(2).build();
        ReduceLrOnPlateau a = new ReduceLrOnPlateau(c);
        for (double loss : new double[] {3, 2, 2, 2}) {
            a.reportValidationLoss(loss);
        }
        ReduceLrOnPlateau b = new ReduceLrOnPlateau(c);
        b.restore(a.state());
        a.reportValidationLoss(2);
        b.reportValidationLoss(2);
        assertEquals(a.state(), b.state());
        assertEquals(0.01, b.learningRate(0), 1e-17);
        assertThrows(IllegalArgumentException.class, () -> b.restore(new ReduceLrOnPlateau.State(-1, 1, 0, 0)));
    }

    @Test
    void defaultsArePyTorchs() {
        ReduceLrOnPlateau.Config c = ReduceLrOnPlateau.Config.builder(0.1).build();
        assertEquals(new ReduceLrOnPlateau.Config(0.1, 0.1, 10, 1e-4, 0, 0, 1e-8), c);
    }

    @Test
    void invalidSchedulesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.warmupCosine(0.1, 10, 10, 0));
        assertTrue(e.getMessage().contains("0 ≤ warm-up steps < total steps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.warmupCosine(0.1, 0, 10, 0.2));
        assertTrue(e.getMessage().contains("the minimum learning rate must be in [0, 0.1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.step(0.1, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.exponential(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(0.1).learningRate(-1));
        assertThrows(IllegalArgumentException.class, () -> ReduceLrOnPlateau.Config.builder(0.1).factor(1).build());
    }
}
