package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SequentialWindowsTest {

    @Test
    void coversEveryPredictionInOrderWithoutWrapping() {
        // 10 tokens: 9 predictions; T = 4 gives windows of 4, 4, 1 steps.
        SequentialWindows windows = new SequentialWindows(IntStream.range(0, 10).toArray(), 4);
        assertEquals(9, windows.predictions());
        assertEquals(3, windows.windowCount());
        TbpttBatcherTest.assertWindow(windows.next(), 0, 0, 4, new int[] {0, 1, 2, 3}, new int[] {1, 2, 3, 4});
        Window w = windows.next();
        TbpttBatcherTest.assertWindow(w, 0, 1, 4, new int[] {4, 5, 6, 7}, new int[] {5, 6, 7, 8});
        assertFalse(w.startsEpoch());
        assertEquals(1, w.batchSize());
        TbpttBatcherTest.assertWindow(windows.next(), 0, 2, 1, new int[] {8}, new int[] {9});
        assertFalse(windows.hasNext());
        NoSuchElementException e = assertThrows(NoSuchElementException.class, windows::next);
        assertTrue(e.getMessage().contains("call reset()"), e.getMessage());

        windows.reset();
        assertTrue(windows.hasNext());
        assertTrue(windows.next().startsEpoch());
    }

    @Test
    void exactMultipleAndSingleWindow() {
        SequentialWindows even = new SequentialWindows(IntStream.range(0, 9).toArray(), 4);
        assertEquals(2, even.windowCount());
        assertEquals(4, even.next().steps());
        assertEquals(4, even.next().steps());
        SequentialWindows one = new SequentialWindows(new int[] {3, 1}, 100);
        TbpttBatcherTest.assertWindow(one.next(), 0, 0, 1, new int[] {3}, new int[] {1});
        assertFalse(one.hasNext());
    }

    @Test
    void errors() {
        VocabularyTest.assertMessage("at least 2 tokens (an input and its target), got 1",
                () -> new SequentialWindows(new int[] {0}, 3));
        VocabularyTest.assertMessage("at least 1, got 0", () -> new SequentialWindows(new int[] {0, 1}, 0));
    }
}
