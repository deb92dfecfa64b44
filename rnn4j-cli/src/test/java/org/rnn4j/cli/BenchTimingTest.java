package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The JIT warm-up goes on while the JIT is still compiling, and not forever. */
class BenchTimingTest {
    @Test
    void warmUpStopsAfterTheFirstRoundWithoutCompilation() {
        AtomicInteger reads = new AtomicInteger();
        // reads 1-2, 3-4 and 5-6 bracket the first three rounds: the JIT compiled during each; then it is idle
        int rounds = BenchTiming.jitWarmup(() -> { }, 0.001, 0.002, 10,
                () -> Math.min(reads.incrementAndGet(), 6));
        assertEquals(4, rounds);
    }

    @Test
    void anIdleJitEndsTheWarmUpAfterOneRound() {
        assertEquals(1, BenchTiming.jitWarmup(() -> { }, 0.001, 0.002, 10, () -> 7L));
    }

    @Test
    void aJitThatNeverSettlesIsCutOffAtTheCap() {
        AtomicLong clock = new AtomicLong();
        long start = System.nanoTime();
        int rounds = BenchTiming.jitWarmup(() -> { }, 0.001, 0.005, 0.05, clock::incrementAndGet);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(rounds >= 2 && rounds <= 11, "rounds " + rounds);
        assertTrue(seconds < 5, "took " + seconds + " s");
    }

    @Test
    void noWarmUpRunsNothing() {
        AtomicInteger runs = new AtomicInteger();
        assertEquals(0, BenchTiming.jitWarmup(runs::incrementAndGet, 0, 0.002, 10, () -> 1L));
        assertEquals(0, runs.get());
    }
}
