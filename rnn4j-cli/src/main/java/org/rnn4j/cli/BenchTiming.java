package org.rnn4j.cli;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import java.util.function.LongSupplier;

/**
 * The timing protocol of the PyTorch peer benchmark ({@code bench_rnn.py}), so that both sides are
 * measured alike.
 * <ul>
 *   <li>Training: time one step; take n = max(1, ⌊0.3 s / first⌋) steps per repeat, so that a repeat
 *       lasts at least 0.3 s; run min(n, 3) more steps as warm-up; then 5 repeats of n steps (3 if the
 *       first step took over 3 s). Each repeat gives the mean time of its steps.</li>
 *   <li>Sampling: generate 50 tokens as warm-up, then 5 repeats of 200 tokens, each from a fresh state.</li>
 * </ul>
 * The median of the repeats is the result; the minimum and maximum show the spread.
 *
 * <p>One addition for the JVM: before the protocol starts, the step (or generation) runs for at least
 * {@value #JIT_WARMUP_SECONDS} s by default, and then on, in rounds of {@value #ROUND_SECONDS} s, until
 * the JIT compiled nothing during a whole round (or {@value #MAX_EXTRA_WARMUP_SECONDS} s more have
 * passed). Until the JIT is done, the Vector API kernels run in the interpreter or in C1 code, tens of
 * times slower; PyTorch's kernels are compiled ahead of time and need no such phase. A fixed time alone
 * was not enough: the first grid point of a run, which compiles everything, was still at a third of
 * its speed after 2 s (LSTM, H = 128, B = 32: 38 ms per step against 14 after 6 s). With a warm-up of 0
 * the protocol is bench_rnn.py's exactly.
 *
 * <p>Several thread counts: each count gets its own JIT warm-up, first step and steps per repeat, in
 * turn; then the repeats are interleaved (repeat 1 at every count, then repeat 2 at every count, ...),
 * switching the kernels' thread count before each. On a shared machine the speed drifts by ±25% over
 * minutes; separate runs made minutes apart gave 2-thread speedups of 0.99–1.31 for LSTM, H = 128,
 * B = 32, where alternating counts every 0.3 s in one JVM gave 1.72. Interleaved, the drift hits every
 * count alike and the medians' ratio is the speedup. With one count the protocol is as above.
 */
final class BenchTiming {
    static final double REPEAT_SECONDS = 0.3;
    static final int MAX_WARMUP_STEPS = 3;
    static final int REPEATS = 5;
    static final int SLOW_REPEATS = 3;
    static final double SLOW_STEP_SECONDS = 3.0;
    static final int SAMPLE_WARMUP = 50;
    static final int SAMPLE_STEPS = 200;
    static final int SAMPLE_REPEATS = 5;
    static final double JIT_WARMUP_SECONDS = 2.0;
    static final double ROUND_SECONDS = 0.25;
    static final double MAX_EXTRA_WARMUP_SECONDS = 20.0;
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    /** Every step's result is added here, so that the JIT cannot drop the work. */
    private static double sink;

    private BenchTiming() {
    }

    /** Seconds per step of each repeat, in the order measured, and of the protocol's first step. */
    record Times(double[] seconds, int stepsPerRepeat, double first) {
        double median() {
            double[] s = seconds.clone();
            Arrays.sort(s);
            int n = s.length;
            return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        }

        double min() {
            return Arrays.stream(seconds).min().orElseThrow();
        }

        double max() {
            return Arrays.stream(seconds).max().orElseThrow();
        }

        int repeats() {
            return seconds.length;
        }
    }

    /** Something to time; its result goes into a sink, so that no work is dead. */
    interface Step {
        double run();
    }

    /** Sets the matrix kernels' thread count between measurements ({@link KernelThreads} in the bench). */
    interface ThreadSwitch {
        void use(int threads);
    }

    /**
     * The training protocol at each of {@code threads}, with the repeats interleaved: at each count in
     * turn the JIT warm-up, the first step, n steps per repeat and the warm-up steps; then for each
     * repeat r, at each count in turn, that count's repeat r. {@code steps.get(i)} runs at
     * {@code threads.get(i)}; the slow repeat count applies to all if any first step is slow. Returns
     * the times in the order of {@code threads}; the kernels are left at the last count.
     */
    static List<Times> training(List<Integer> threads, List<Step> steps, ThreadSwitch threadSwitch,
            double repeatSeconds, double jitWarmupSeconds) {
        checkSizes(threads, steps);
        int counts = threads.size();
        double[] first = new double[counts];
        int[] n = new int[counts];
        boolean slow = false;
        for (int c = 0; c < counts; c++) {
            Step step = steps.get(c);
            threadSwitch.use(threads.get(c));
            jitWarmup(() -> sink += step.run(), jitWarmupSeconds);
            long t0 = System.nanoTime();
            sink += step.run();
            first[c] = (System.nanoTime() - t0) / 1e9;
            n[c] = (int) Math.max(1, Math.floor(repeatSeconds / Math.max(first[c], 1e-6)));
            for (int i = 0; i < Math.min(n[c], MAX_WARMUP_STEPS); i++) {
                sink += step.run();
            }
            slow |= first[c] >= SLOW_STEP_SECONDS;
        }
        double[][] times = new double[counts][slow ? SLOW_REPEATS : REPEATS];
        for (int r = 0; r < times[0].length; r++) {
            for (int c = 0; c < counts; c++) {
                Step step = steps.get(c);
                threadSwitch.use(threads.get(c));
                long start = System.nanoTime();
                for (int i = 0; i < n[c]; i++) {
                    sink += step.run();
                }
                times[c][r] = (System.nanoTime() - start) / 1e9 / n[c];
            }
        }
        List<Times> result = new ArrayList<>();
        for (int c = 0; c < counts; c++) {
            result.add(new Times(times[c], n[c], first[c]));
        }
        return result;
    }

    /**
     * The sampling protocol at each of {@code threads}, interleaved as {@link #training}; {@code
     * generators.get(i).applyAsDouble(n)} runs n network steps and n draws at {@code threads.get(i)}.
     */
    static List<Times> sampling(List<Integer> threads, List<IntToDoubleFunction> generators,
            ThreadSwitch threadSwitch, double jitWarmupSeconds) {
        checkSizes(threads, generators);
        int counts = threads.size();
        double[] first = new double[counts];
        for (int c = 0; c < counts; c++) {
            IntToDoubleFunction generate = generators.get(c);
            threadSwitch.use(threads.get(c));
            jitWarmup(() -> sink += generate.applyAsDouble(SAMPLE_WARMUP), jitWarmupSeconds);
            long t0 = System.nanoTime();
            sink += generate.applyAsDouble(SAMPLE_WARMUP);
            first[c] = (System.nanoTime() - t0) / 1e9 / SAMPLE_WARMUP;
        }
        double[][] times = new double[counts][SAMPLE_REPEATS];
        for (int r = 0; r < SAMPLE_REPEATS; r++) {
            for (int c = 0; c < counts; c++) {
                threadSwitch.use(threads.get(c));
                long start = System.nanoTime();
                sink += generators.get(c).applyAsDouble(SAMPLE_STEPS);
                times[c][r] = (System.nanoTime() - start) / 1e9 / SAMPLE_STEPS;
            }
        }
        List<Times> result = new ArrayList<>();
        for (int c = 0; c < counts; c++) {
            result.add(new Times(times[c], SAMPLE_STEPS, first[c]));
        }
        return result;
    }

    private static void checkSizes(List<Integer> threads, List<?> work) {
        if (threads.isEmpty() || threads.size() != work.size()) {
            throw new IllegalArgumentException(threads.size() + " thread counts but " + work.size()
                    + " things to time; give one per count, at least one");
        }
    }

    /** Runs {@code work} as the JIT warm-up of {@link BenchTiming} (not at all for 0 seconds). */
    private static void jitWarmup(Runnable work, double seconds) {
        if (JIT != null && JIT.isCompilationTimeMonitoringSupported()) {
            jitWarmup(work, seconds, ROUND_SECONDS, MAX_EXTRA_WARMUP_SECONDS, JIT::getTotalCompilationTime);
        } else {
            jitWarmup(work, seconds, ROUND_SECONDS, 0, () -> 0L);
        }
    }

    /**
     * Runs {@code work} for {@code seconds}, then in rounds of {@code roundSeconds} until a round in which
     * {@code compileMillis} (the JIT's accumulated compilation time) did not move, or {@code maxExtraSeconds}
     * more have passed. Nothing runs for 0 seconds. Returns the rounds run after the fixed time.
     */
    static int jitWarmup(Runnable work, double seconds, double roundSeconds, double maxExtraSeconds,
            LongSupplier compileMillis) {
        if (seconds <= 0) {
            return 0;
        }
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            work.run();
        }
        long cap = System.nanoTime() + (long) (maxExtraSeconds * 1e9);
        int rounds = 0;
        while (System.nanoTime() < cap) {
            long compiled = compileMillis.getAsLong();
            long roundEnd = System.nanoTime() + (long) (roundSeconds * 1e9);
            do {
                work.run();
            } while (System.nanoTime() < roundEnd);
            rounds++;
            if (compileMillis.getAsLong() == compiled) {
                break;
            }
        }
        return rounds;
    }
}
