package org.rnn4j.io;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorDataTest {

    @Test
    void factoriesCopyTheirArgumentsAndAccessorsReturnCopies() {
        int[] shape = {2};
        float[] values = {1, 2};
        TensorData t = TensorData.ofFloats("w", shape, values);
        shape[0] = 7;
        values[0] = 9;
        t.shape()[0] = 5;
        t.floats()[0] = 5;
        assertArrayEquals(new int[] {2}, t.shape());
        assertArrayEquals(new float[] {1, 2}, t.floats());
    }

    @Test
    void valueCountMustMatchTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorData.ofFloats("w", new int[] {2, 3}, new float[5]));
        assertEquals("tensor 'w' has shape [2, 3] (6 elements) but 5 values were given", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TensorData.ofLongs("ids", new int[] {-1}, new long[0]));
        assertTrue(e.getMessage().contains("negative dimension -1 at shape[0]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TensorData.ofBytes("b", DType.I64, new int[] {1}, new byte[4]));
        assertTrue(e.getMessage().contains("(1 elements, 8 bytes) but 4 bytes were given"), e.getMessage());
    }

    @Test
    void accessorsForAnotherDtypeSayWhichToUse() {
        TensorData ids = TensorData.ofLongs("ids", new int[] {2}, new long[] {3, 4});
        IllegalStateException e = assertThrows(IllegalStateException.class, ids::floats);
        assertEquals("tensor 'ids' is I64, so floats() cannot read it; use longs() or ints()", e.getMessage());
        assertArrayEquals(new int[] {3, 4}, ids.ints());

        TensorData big = TensorData.ofLongs("big", new int[] {2}, new long[] {1, 1L << 40});
        e = assertThrows(IllegalStateException.class, big::ints);
        assertTrue(e.getMessage().contains("element 1 is 1099511627776, which does not fit in an int"), e.getMessage());

        TensorData w = TensorData.ofFloats("w", new int[] {1}, new float[] {0.1f});
        assertArrayEquals(new double[] {0.1f}, w.doubles()); // exact widening
        assertThrows(IllegalStateException.class, w::longs);
        assertArrayEquals(new long[] {-5}, TensorData.ofInts("i", new int[] {1}, new int[] {-5}).longs());
    }

    @Test
    void equalityIsBitwise() {
        float nan = Float.intBitsToFloat(0x7fc12345);
        assertEquals(TensorData.ofFloats("n", new int[] {1}, new float[] {nan}),
                TensorData.ofFloats("n", new int[] {1}, new float[] {nan}));
        assertNotEquals(TensorData.ofFloats("z", new int[] {1}, new float[] {0.0f}),
                TensorData.ofFloats("z", new int[] {1}, new float[] {-0.0f}));
        assertNotEquals(TensorData.ofFloats("s", new int[] {1}, new float[] {1}),
                TensorData.ofFloats("s", new int[] {}, new float[] {1}));
    }
}
