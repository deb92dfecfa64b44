package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BatchOrderTest {
    @Test
    void everyEpochIsAPermutationCutIntoBatches() {
        BatchOrder order = new BatchOrder(10, 4, 7);
        assertEquals(3, order.batchesPerEpoch());
        for (int epoch = 0; epoch < 5; epoch++) {
            int[][] batches = order.epoch(epoch);
            assertEquals(4, batches[0].length);
            assertEquals(4, batches[1].length);
            assertEquals(2, batches[2].length);
            int[] all = Arrays.stream(batches).flatMapToInt(Arrays::stream).sorted().toArray();
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, all);
        }
    }

    @Test
    void theOrderDependsOnlyOnSeedAndEpoch() {
        BatchOrder a = new BatchOrder(50, 8, 3);
        assertArrayEquals(a.epoch(4), new BatchOrder(50, 8, 3).epoch(4)); // epoch 4 without epochs 0..3
        assertFalse(Arrays.deepEquals(a.epoch(0), a.epoch(1)));
        assertFalse(Arrays.deepEquals(a.epoch(0), new BatchOrder(50, 8, 4).epoch(0)));
    }

    @Test
    void inOrderKeepsTheExamplesOrder() {
        assertArrayEquals(new int[][] {{0, 1, 2}, {3, 4}}, new BatchOrder(5, 3, 0).inOrder());
        assertThrows(IllegalArgumentException.class, () -> new BatchOrder(0, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> new BatchOrder(3, 0, 0));
    }
}
