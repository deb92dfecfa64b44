package org.rnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.nn.Parameter;

class ClippingTest {
    private static Parameter grad(String name, float... g) {
        Parameter p = Parameter.vector(name, g.length);
        System.arraycopy(g, 0, p.grad.data, 0, g.length);
        return p;
    }

    @Test
    void globalNormKeepsTheDirection() {
        Parameter a = grad("a", 3, 0);
        Parameter b = grad("b", 0, 4);
        assertEquals(5.0, Clipping.clipGlobalNorm(List.of(a, b), 1.0), 1e-12);
        assertArrayEquals(new float[] {0.6f, 0f}, a.grad.toArray(), 1e-7f);
        assertArrayEquals(new float[] {0f, 0.8f}, b.grad.toArray(), 1e-7f);
        assertEquals(1.0, Clipping.globalNorm(List.of(a, b)), 1e-6);
        // below the threshold nothing changes
        assertEquals(1.0, Clipping.clipGlobalNorm(List.of(a, b), 2.0), 1e-6);
        assertArrayEquals(new float[] {0.6f, 0f}, a.grad.toArray(), 1e-7f);
    }

    @Test
    void aNonFiniteGlobalNormIsReturnedAndNothingChanges() {
        Parameter a = grad("a", 3, Float.POSITIVE_INFINITY);
        Parameter b = grad("b", 1, 2);
        assertEquals(Double.POSITIVE_INFINITY, Clipping.clipGlobalNorm(List.of(a, b), 1.0));
        assertArrayEquals(new float[] {1, 2}, b.grad.toArray());
        Parameter n = grad("n", Float.NaN, 1);
        assertTrue(Double.isNaN(Clipping.clipGlobalNorm(List.of(n, b), 1.0)));
        assertArrayEquals(new float[] {1, 2}, b.grad.toArray());
    }

    @Test
    void perParameterNormsClipEachParameterOnItsOwn() {
        Parameter a = grad("a", 3, 4);        // norm 5 → rescaled to 1
        Parameter b = grad("b", 0.3f, 0.4f);  // norm 0.5 → kept
        Parameter c = grad("c", Float.NaN, 1); // not finite → kept, NaN reported
        double[] norms = Clipping.clipParameterNorms(List.of(a, b, c), 1.0);
        assertEquals(5.0, norms[0], 1e-12);
        assertEquals(0.5, norms[1], 1e-7);
        assertTrue(Double.isNaN(norms[2]));
        assertArrayEquals(new float[] {0.6f, 0.8f}, a.grad.toArray(), 1e-7f);
        assertArrayEquals(new float[] {0.3f, 0.4f}, b.grad.toArray());
        assertEquals(1f, c.grad.data[1]);

        double[] out = new double[4];
        assertEquals(0, Clipping.clipParameterNorms(List.of(a, b), 1.5, out)); // ‖(0.6f, 0.8f)‖ may exceed 1 by an ulp
        assertEquals(1.0, out[0], 1e-6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Clipping.clipParameterNorms(List.of(a, b), 1.0, new double[1]));
        assertTrue(e.getMessage().contains("room for 1 norms but there are 2 parameters"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Clipping.clipParameterNorms(List.of(a), 0));
        assertEquals(1.0, Clipping.norm(a), 1e-6);
    }

    @Test
    void valueClippingCountsTheChangedElements() {
        Parameter a = grad("a", 3, -4, 0.5f);
        assertEquals(2, Clipping.clipValue(List.of(a), 1f));
        assertArrayEquals(new float[] {1, -1, 0.5f}, a.grad.toArray());
    }

    @Test
    void statsSummariseThePreClipNorms() {
        ClippingStats s = new ClippingStats();
        ClippingStats.Summary empty = s.summary();
        assertEquals(0, empty.steps());
        assertEquals(0, empty.fractionClipped());
        assertTrue(Double.isNaN(empty.meanNorm()) && Double.isNaN(empty.maxNorm()) && Double.isNaN(empty.lastNorm()));

        s.recordGlobalNorm(2.0, 1.0);  // clipped
        s.recordGlobalNorm(0.5, 1.0);  // not
        s.record(4.0, true);
        s.recordGlobalNorm(Double.POSITIVE_INFINITY, 1.0); // left alone by clipGlobalNorm: not clipped
        ClippingStats.Summary sum = s.summary();
        assertEquals(4, sum.steps());
        assertEquals(2, sum.clippedSteps());
        assertEquals(0.5, sum.fractionClipped());
        assertEquals(Double.POSITIVE_INFINITY, sum.lastNorm());
        assertEquals((2.0 + 0.5 + 4.0) / 3, sum.meanNorm(), 1e-15); // the finite norms only
        assertEquals(4.0, sum.maxNorm());
        assertEquals(1, sum.nonFiniteSteps());

        s.reset();
        assertEquals(0, s.steps());
        s.record(0.25, false);
        assertEquals(0.25, s.meanNorm());
        assertEquals(0.25, s.maxNorm());
        assertEquals(0.25, s.lastNorm());
    }
}
