package org.rnn4j.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ActivationTest {
    @Test
    void fastTanhGivesTheSameFloatAsMathTanh() {
        Rng r = new Rng(1);
        for (int i = 0; i < 200_000; i++) {
            float a = (float) ((r.nextDouble() * 2 - 1) * Math.pow(10, r.nextDouble() * 6 - 4)); // 1e-4 .. 100
            assertEquals((float) Math.tanh(a), Activation.tanh(a), "tanh(" + a + ")");
        }
        for (float a : new float[] {0f, -0f, 1e-30f, -1e-20f, 9f, -9f, 50f, Float.MAX_VALUE, -Float.MAX_VALUE,
                Float.MIN_VALUE}) {
            assertEquals((float) Math.tanh(a), Activation.tanh(a), "tanh(" + a + ")");
        }
        assertEquals(Float.NaN, Activation.tanh(Float.NaN));
        assertEquals(1f, Activation.tanh(Float.POSITIVE_INFINITY));
    }

    @Test
    void derivativesFromOutputs() {
        assertEquals(1f - 0.25f, Activation.TANH.derivativeFromOutput(0.5f));
        assertEquals(0.25f, Activation.SIGMOID.derivativeFromOutput(0.5f));
        assertEquals(0f, Activation.RELU.derivativeFromOutput(0f));
        assertEquals(1f, Activation.RELU.derivativeFromOutput(2f));
    }
}
