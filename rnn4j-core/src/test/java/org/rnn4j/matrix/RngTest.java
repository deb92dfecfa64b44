package org.rnn4j.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RngTest {
    @Test
    void restoredStateContinuesTheSameStream() {
        Rng a = new Rng(42);
        for (int i = 0; i < 10; i++) {
            a.nextDouble();
        }
        Rng b = new Rng(0);
        b.setState(a.state());
        for (int i = 0; i < 100; i++) {
            assertEquals(a.nextLong(), b.nextLong());
        }
    }

    @Test
    void splitsAreDeterministicAndIndependentOfDrawsElsewhere() {
        Rng root = new Rng(7);
        long first = root.split("init").nextLong();
        root.nextLong();
        assertEquals(first, root.split("init").nextLong(), "a split depends on the seed only");
        assertNotEquals(first, root.split("dropout").nextLong());
    }

    @Test
    void uniformIntsAndDoublesHaveTheRightMoments() {
        Rng r = new Rng(3);
        int[] counts = new int[7];
        double sum = 0;
        int n = 70000;
        for (int i = 0; i < n; i++) {
            counts[r.nextInt(7)]++;
            double d = r.nextDouble();
            assertTrue(d >= 0 && d < 1);
            sum += d;
        }
        for (int c : counts) {
            assertEquals(n / 7.0, c, 5 * Math.sqrt(n / 7.0)); // within 5 standard deviations
        }
        assertEquals(0.5, sum / n, 0.01);
    }
}
