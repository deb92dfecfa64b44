package org.rnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.nn.Parameter;

/**
 * Updates worked out by hand on one-element parameters ("because the reference could be wrong too"),
 * the learning-rate setters, and the promise that a step allocates nothing.
 */
class OptimizerUpdateTest {
    /** float32 arithmetic on numbers of order 1: a few ulp. */
    private static final float TOL = 1e-6f;

    private static Parameter scalar(float value) {
        Parameter p = Parameter.vector("x", 1);
        p.value.data[0] = value;
        return p;
    }

    /** Runs one step per gradient and returns the value after each. */
    private static float[] run(Optimizer o, float... grads) {
        Parameter p = o.parameters().get(0);
        float[] out = new float[grads.length];
        for (int k = 0; k < grads.length; k++) {
            p.grad.data[0] = grads[k];
            o.step();
            out[k] = p.value.data[0];
        }
        return out;
    }

    private static void assertValues(float[] want, float[] got) {
        for (int k = 0; k < want.length; k++) {
            assertEquals(want[k], got[k], TOL, "after step " + (k + 1));
        }
    }

    @Test
    void sgd() {
        // θ = 1 − 0.1·0.5 = 0.95, then 0.95 − 0.1·(−1) = 1.05
        assertValues(new float[] {0.95f, 1.05f}, run(new Sgd(List.of(scalar(1)), 0.1f), 0.5f, -1f));
    }

    @Test
    void sgdWeightDecayIsAddedToTheGradient() {
        // d = 0 + 0.1·2 = 0.2, θ = 2 − 0.5·0.2 = 1.9
        Sgd o = new Sgd(List.of(scalar(2)), Sgd.Config.builder().learningRate(0.5).weightDecay(0.1).build());
        assertValues(new float[] {1.9f}, run(o, 0f));
    }

    @Test
    void momentumStartsItsBufferWithTheFirstGradient() {
        // b = 1, 1.9, 2.71 (b = 0.9·b + 1); θ = 1 − 0.1·b each step: 0.9, 0.71, 0.439
        Sgd o = new Sgd(List.of(scalar(1)), Sgd.Config.builder().learningRate(0.1).momentum(0.9).build());
        assertEquals("momentum", o.name());
        assertValues(new float[] {0.9f, 0.71f, 0.439f}, run(o, 1, 1, 1));
    }

    @Test
    void nesterovLooksAhead() {
        // b = 1 then 1.9; d = g + 0.9·b = 1.9 then 2.71; θ = 1 − 0.19 = 0.81, then 0.81 − 0.271 = 0.539
        Sgd o = new Sgd(List.of(scalar(1)), Sgd.Config.builder().learningRate(0.1).momentum(0.9).nesterov(true).build());
        assertEquals("nesterov", o.name());
        assertValues(new float[] {0.81f, 0.539f}, run(o, 1, 1));
    }

    @Test
    void adagradDividesByTheRootOfTheSumOfSquares() {
        // s = 4: θ = 1 − 0.1·2/2 = 0.9; s = 8: θ = 0.9 − 0.1·2/√8 = 0.9 − 0.0707107 = 0.8292893
        Adagrad o = new Adagrad(List.of(scalar(1)), Adagrad.Config.builder().learningRate(0.1).build());
        assertValues(new float[] {0.9f, 0.8292893f}, run(o, 2, 2));
        // lr_decay 1: clr = 0.1/(1 + 1·1) = 0.05 at the second step; s = 1 + 1 (initial 1): 1 − 0.1·1/√2 ...
        Adagrad d = new Adagrad(List.of(scalar(0)), Adagrad.Config.builder().learningRate(0.1).lrDecay(1)
                .initialAccumulatorValue(1).build());
        // step 1: s = 2, θ = −0.1/√2 = −0.0707107; step 2: s = 3, θ −= 0.05/√3 = 0.0288675 → −0.0995782
        assertValues(new float[] {-0.0707107f, -0.0995782f}, run(d, 1, 1));
    }

    @Test
    void rmsprop() {
        // v = 0.01·1 = 0.01, avg = 0.1: θ = 1 − 0.01·1/0.1 = 0.9
        RmsProp o = new RmsProp(List.of(scalar(1)), RmsProp.Config.DEFAULTS);
        assertValues(new float[] {0.9f}, run(o, 1));
        // centered: ḡ = 0.01, v − ḡ² = 0.0099, √ = 0.0994987: θ = 1 − 0.01/0.0994987 = 0.8994962
        RmsProp c = new RmsProp(List.of(scalar(1)), RmsProp.Config.builder().centered(true).build());
        assertValues(new float[] {0.8994962f}, run(c, 1));
        // momentum 0.5: b = 10 then 0.5·10 + 1/avg₂ with v₂ = 0.99·0.01 + 0.01 = 0.0199, avg₂ = 0.1410674
        // → b = 5 + 7.0888120 = 12.088812; θ = 1 − 0.1 − 0.12088812 = 0.7791119
        RmsProp m = new RmsProp(List.of(scalar(1)), RmsProp.Config.builder().momentum(0.5).build());
        assertValues(new float[] {0.9f, 0.7791119f}, run(m, 1, 1));
    }

    @Test
    void adamFirstStepsMoveByTheLearningRate() {
        // step 1: m̂ = g, v̂ = g², so θ moves by lr·g/|g| whatever g is; with a constant g, every step does.
        Adam o = new Adam(List.of(scalar(1)), Adam.Config.builder().learningRate(0.01).build());
        assertValues(new float[] {0.99f, 0.98f, 0.97f}, run(o, 3, 3, 3));
        Adam small = new Adam(List.of(scalar(1)), Adam.Config.builder().learningRate(0.01).build());
        assertValues(new float[] {1.01f}, run(small, -1e-3f));
    }

    @Test
    void adamAddsWeightDecayToTheGradientButAdamWShrinksTheParameter() {
        // Adam, g = 0, λ = 0.5: d = 0.5·θ = 0.5 > 0, so the first step moves by lr: θ = 1 − 0.1 = 0.9
        Adam adam = new Adam(List.of(scalar(1)), Adam.Config.builder().learningRate(0.1).weightDecay(0.5).build());
        assertValues(new float[] {0.9f}, run(adam, 0));
        // AdamW, g = 0: m = v = 0 and the update is 0/ε = 0, only the decay acts: θ = 1·(1 − 0.1·0.5) = 0.95
        AdamW adamw = new AdamW(List.of(scalar(1)), AdamW.Config.builder().learningRate(0.1).weightDecay(0.5).build());
        assertValues(new float[] {0.95f, 0.9025f}, run(adamw, 0, 0));
    }

    @Test
    void amsgradNormalisesByTheLargestSecondMoment() {
        // g = 1 then 0.01: v₁ = 0.001, v₂ = 0.999·0.001 + 0.001·1e-4 = 0.0009991 < v₁.
        // m₂ = 0.9·0.1 + 0.1·0.01 = 0.091; 1 − β1² = 0.19; 1 − β2² = 0.001999.
        // plain:   θ₂ = θ₁ − 0.01/0.19 · 0.091 / (√0.0009991/√0.001999) = 0.99 − 0.0067747 = 0.9832253
        // AMSGrad: θ₂ = θ₁ − 0.01/0.19 · 0.091 / (√0.001/√0.001999)     = 0.99 − 0.0067716 = 0.9832284
        Adam plain = new Adam(List.of(scalar(1)), Adam.Config.builder().learningRate(0.01).build());
        Adam ams = new Adam(List.of(scalar(1)), Adam.Config.builder().learningRate(0.01).amsgrad(true).build());
        assertValues(new float[] {0.99f, 0.9832253f}, run(plain, 1, 0.01f));
        assertValues(new float[] {0.99f, 0.9832284f}, run(ams, 1, 0.01f));
    }

    @Test
    void learningRateCanBeChangedBetweenSteps() {
        Sgd o = new Sgd(List.of(scalar(1)), 0.1f);
        assertEquals(0.1f, o.learningRate());
        o.setLearningRate(0.5f);
        assertValues(new float[] {0.5f}, run(o, 1));
        o.setLearningRate(0.0); // a schedule may end at 0
        assertValues(new float[] {0.5f}, run(o, 1));
        assertThrows(IllegalArgumentException.class, () -> o.setLearningRate(-1f));
        assertThrows(IllegalArgumentException.class, () -> o.setLearningRate(Double.NaN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(scalar(1)), 0f));
        assertTrue(e.getMessage().contains("learning rate must be positive"), e.getMessage());
    }

    @Test
    void hyperParametersAreChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sgd.Config.builder().nesterov(true).build());
        assertTrue(e.getMessage().contains("Nesterov momentum needs a momentum above 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Adam.Config.builder().betas(0.9, 1.0).build());
        assertTrue(e.getMessage().contains("beta2 must be in [0, 1), got 1.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RmsProp.Config.builder().alpha(-0.1).build());
        assertThrows(IllegalArgumentException.class, () -> Adagrad.Config.builder().eps(Double.NaN).build());
        assertThrows(IllegalArgumentException.class, () -> AdamW.Config.builder().weightDecay(-1).build());
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(), Adam.Config.DEFAULTS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.rnn4j.optim.OptimizerStateTest#variants")
    void aStepAllocatesNothing(String variant) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<Parameter> ps = TestParameters.parameters(1);
        TestParameters.setGradients(ps, 1, 0);
        Optimizer o = TestParameters.create(variant, ps);
        for (int i = 0; i < 3000; i++) { // warm up, so that the JIT has compiled step()
            o.step();
        }
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 1000; i++) {
            o.step();
        }
        long bytes = threads.getThreadAllocatedBytes(tid) - before;
        // One object per step would be ≥ 16 kB; allow a little for the measurement itself.
        assertTrue(bytes < 1024, variant + ": 1000 steps allocated " + bytes + " bytes");
    }
}
