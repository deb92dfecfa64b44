package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TbpttBatcherTest {
    private static final int[] TOKENS = IntStream.rangeClosed(0, 20).toArray(); // 21 tokens

    @Test
    void layoutWorkedOutByHand() {
        // n = 21, B = 2: L = (21 - 1) / 2 = 10 steps per stream;
        // stream 0 inputs 0..9 (targets 1..10), stream 1 inputs 10..19 (targets 11..20).
        // T = 3: W = ceil(10 / 3) = 4 windows of 3, 3, 3, 1 steps.
        TbpttBatcher batcher = new TbpttBatcher(TOKENS, 2, 3);
        assertEquals(10, batcher.streamLength());
        assertEquals(4, batcher.windowsPerEpoch());
        assertEquals(20, batcher.predictionsPerEpoch());

        Window w = batcher.next();
        assertWindow(w, 0, 0, 3, new int[] {0, 10, 1, 11, 2, 12}, new int[] {1, 11, 2, 12, 3, 13});
        assertTrue(w.startsEpoch());
        assertEquals(0, w.firstStep());
        assertEquals(11, w.input(1, 1));
        assertEquals(13, w.target(2, 1));

        w = batcher.next();
        assertWindow(w, 0, 1, 3, new int[] {3, 13, 4, 14, 5, 15}, new int[] {4, 14, 5, 15, 6, 16});
        assertFalse(w.startsEpoch());
        assertEquals(3, w.firstStep());

        w = batcher.next();
        assertWindow(w, 0, 2, 3, new int[] {6, 16, 7, 17, 8, 18}, new int[] {7, 17, 8, 18, 9, 19});

        w = batcher.next(); // the short last window
        assertWindow(w, 0, 3, 1, new int[] {9, 19}, new int[] {10, 20});
        assertEquals(new TbpttBatcher.Position(1, 0), batcher.position());

        w = batcher.next(); // epoch 1 starts over
        assertWindow(w, 1, 0, 3, new int[] {0, 10, 1, 11, 2, 12}, new int[] {1, 11, 2, 12, 3, 13});
        assertTrue(w.startsEpoch());
    }

    @Test
    void eachWindowContinuesThePreviousAndAnEpochCoversEveryStreamOnce() {
        int[] tokens = IntStream.range(0, 1000).map(i -> (i * 37) % 101).toArray();
        for (int batch : new int[] {1, 3, 7, 32}) {
            for (int window : new int[] {1, 5, 16, 1000}) {
                TbpttBatcher batcher = new TbpttBatcher(tokens, batch, window);
                int length = batcher.streamLength();
                assertEquals((tokens.length - 1) / batch, length);
                int[] lastTargets = null;
                int[] seen = new int[batch];
                for (int k = 0; k < batcher.windowsPerEpoch(); k++) {
                    Window w = batcher.next();
                    assertEquals(w.steps() * batch, w.inputs().length);
                    for (int b = 0; b < batch; b++) {
                        if (lastTargets != null) {
                            assertEquals(lastTargets[b], w.input(0, b), "stream " + b + " must continue");
                        }
                        for (int t = 0; t < w.steps(); t++) {
                            int position = b * length + seen[b];
                            assertEquals(tokens[position], w.input(t, b));
                            assertEquals(tokens[position + 1], w.target(t, b));
                            seen[b]++;
                        }
                    }
                    lastTargets = new int[batch];
                    for (int b = 0; b < batch; b++) {
                        lastTargets[b] = w.target(w.steps() - 1, b);
                    }
                }
                for (int b = 0; b < batch; b++) {
                    assertEquals(length, seen[b], "stream " + b + " covered once");
                }
                assertEquals(new TbpttBatcher.Position(1, 0), batcher.position());
            }
        }
    }

    @Test
    void buffersAreReused() {
        TbpttBatcher batcher = new TbpttBatcher(TOKENS, 2, 3);
        Window first = batcher.next();
        int[] inputs = first.inputs();
        Window second = batcher.next();
        assertSame(first, second);
        assertSame(inputs, second.inputs());
        batcher.next();
        assertNotSame(first, batcher.next(), "the short last window has its own buffers");
    }

    @Test
    void seekRestoresAPosition() {
        TbpttBatcher reference = new TbpttBatcher(TOKENS, 2, 3);
        reference.next();
        reference.next();
        Window expected = reference.next();
        int[] inputs = expected.inputs().clone();
        int[] targets = expected.targets().clone();

        TbpttBatcher batcher = new TbpttBatcher(TOKENS, 2, 3);
        batcher.seek(new TbpttBatcher.Position(5, 2));
        assertEquals(5, batcher.epoch());
        assertEquals(2, batcher.windowIndex());
        Window w = batcher.next();
        assertWindow(w, 5, 2, 3, inputs, targets);
        assertEquals(new TbpttBatcher.Position(5, 3), batcher.position());
        batcher.next();
        assertEquals(new TbpttBatcher.Position(6, 0), batcher.position());

        VocabularyTest.assertMessage("window 4 does not exist: an epoch has 4 windows",
                () -> batcher.seek(new TbpttBatcher.Position(0, 4)));
        VocabularyTest.assertMessage("non-negative", () -> new TbpttBatcher.Position(-1, 0));
    }

    @Test
    void windowLongerThanTheStreams() {
        TbpttBatcher batcher = new TbpttBatcher(TOKENS, 4, 50); // L = 5
        assertEquals(1, batcher.windowsPerEpoch());
        Window w = batcher.next();
        assertEquals(5, w.steps());
        assertTrue(w.startsEpoch());
        assertSame(w, batcher.next());
        assertEquals(1, w.epoch());
    }

    @Test
    void windowDividingTheStreamsHasNoShortWindow() {
        TbpttBatcher batcher = new TbpttBatcher(TOKENS, 2, 5); // L = 10
        assertEquals(2, batcher.windowsPerEpoch());
        assertEquals(5, batcher.next().steps());
        assertEquals(5, batcher.next().steps());
    }

    @Test
    void leftoverTokensAtTheEndAreDropped() {
        TbpttBatcher batcher = new TbpttBatcher(TOKENS, 3, 100); // L = 20 / 3 = 6; predictions 18 of 20
        assertEquals(6, batcher.streamLength());
        Window w = batcher.next();
        assertEquals(17, w.input(5, 2));
        assertEquals(18, w.target(5, 2));
    }

    @Test
    void errors() {
        VocabularyTest.assertMessage("5 tokens are too few for batch size 5: each of the 5 streams needs at least 2"
                + " tokens (an input and its target), so at least 6 tokens; use a batch size of at most 4",
                () -> new TbpttBatcher(new int[5], 5, 3));
        VocabularyTest.assertMessage("batch size must be at least 1, got 0", () -> new TbpttBatcher(TOKENS, 0, 3));
        VocabularyTest.assertMessage("must be at least 1, got 0", () -> new TbpttBatcher(TOKENS, 2, 0));
        assertThrows(NullPointerException.class, () -> new TbpttBatcher(null, 1, 1));
        TbpttBatcher smallest = new TbpttBatcher(new int[] {4, 2, 7}, 2, 3); // streams of exactly 2 tokens
        assertWindow(smallest.next(), 0, 0, 1, new int[] {4, 2}, new int[] {2, 7});
    }

    static void assertWindow(Window w, int epoch, int index, int steps, int[] inputs, int[] targets) {
        assertEquals(epoch, w.epoch(), "epoch");
        assertEquals(index, w.index(), "index");
        assertEquals(steps, w.steps(), "steps");
        assertArrayEquals(inputs, w.inputs(), "inputs");
        assertArrayEquals(targets, w.targets(), "targets");
    }
}
