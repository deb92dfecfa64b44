package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The JIT warm-up goes on while the JIT is still compiling, and not forever; at several thread counts
 * the repeats alternate between the counts, each run at its own count.
 */
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

    @Test
    void trainingRepeatsAtSeveralThreadCountsAreInterleaved() {
        List<String> events = new ArrayList<>();
        int[] current = {0};
        BenchTiming.ThreadSwitch threadSwitch = n -> {
            current[0] = n;
            events.add("use " + n);
        };
        BenchTiming.Step shared = () -> {
            events.add("step at " + current[0]);
            return 0;
        };
        // repeats of 0 s: one step per repeat, and one warm-up step after the first
        List<BenchTiming.Times> times = BenchTiming.training(List.of(1, 2), List.of(shared, shared), threadSwitch,
                0, 0);
        List<String> expected = new ArrayList<>(List.of("use 1", "step at 1", "step at 1", "use 2", "step at 2",
                "step at 2"));
        for (int r = 0; r < BenchTiming.REPEATS; r++) {
            expected.addAll(List.of("use 1", "step at 1", "use 2", "step at 2"));
        }
        assertEquals(expected, events);
        assertEquals(2, times.size());
        for (BenchTiming.Times t : times) {
            assertEquals(BenchTiming.REPEATS, t.repeats());
            assertEquals(1, t.stepsPerRepeat());
        }
    }

    @Test
    void samplingRepeatsUseEachCountsOwnGeneratorInTurn() {
        List<String> events = new ArrayList<>();
        int[] current = {0};
        BenchTiming.ThreadSwitch threadSwitch = n -> current[0] = n;
        List<IntToDoubleFunction> generators = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            generators.add(tokens -> {
                events.add(name + " at " + current[0] + ": " + tokens);
                return 0;
            });
        }
        List<BenchTiming.Times> times = BenchTiming.sampling(List.of(1, 2, 4), generators, threadSwitch, 0);
        int w = BenchTiming.SAMPLE_WARMUP;
        int s = BenchTiming.SAMPLE_STEPS;
        List<String> expected = new ArrayList<>(List.of("a at 1: " + w, "b at 2: " + w, "c at 4: " + w));
        for (int r = 0; r < BenchTiming.SAMPLE_REPEATS; r++) {
            expected.addAll(List.of("a at 1: " + s, "b at 2: " + s, "c at 4: " + s));
        }
        assertEquals(expected, events);
        assertEquals(3, times.size());
        assertEquals(BenchTiming.SAMPLE_REPEATS, times.get(2).repeats());
    }

    @Test
    void oneThreadCountIsTheProtocolAlone() {
        List<String> events = new ArrayList<>();
        BenchTiming.Times t = BenchTiming.training(List.of(3), List.of(() -> {
            events.add("step");
            return 0;
        }), n -> events.add("use " + n), 0, 0).get(0);
        assertEquals(2 + BenchTiming.REPEATS, events.stream().filter("step"::equals).count());
        assertEquals(BenchTiming.REPEATS, t.repeats());
    }
}
