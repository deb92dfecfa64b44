package org.rnn4j.matrix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kernel threads must not keep a finished product's operands reachable: at T = 1000, H = 512, B = 32
 * a gate gradient is ~260 MB, and an idle worker holding the last one counted in every later heap
 * measurement (and in the heap of whatever ran next).
 */
class GemmWorkersTest {
    @Test
    void idleWorkersDoNotKeepTheLastProductsOperands() throws InterruptedException {
        int savedThreads = ScalarGemm.threads();
        long savedThreshold = ScalarGemm.parallelThreshold();
        try {
            ScalarGemm.setThreads(2);
            ScalarGemm.setParallelThreshold(0); // share even a small product with the worker
            WeakReference<float[]> operand = runProducts();
            for (int i = 0; i < 50 && operand.get() != null; i++) {
                System.gc();
                Thread.sleep(10);
            }
            assertTrue(operand.get() == null, "a kernel worker still references the operand of a finished product");
        } finally {
            ScalarGemm.setThreads(savedThreads);
            ScalarGemm.setParallelThreshold(savedThreshold);
        }
    }

    /**
     * Inside a part of a job, on the calling thread and on a worker, a nested split could only run its parts
     * one after the other in smaller pieces: the work there sees one thread, and outside it the full count.
     */
    @Test
    void workInsideAPartSeesOneThread() {
        int savedThreads = ScalarGemm.threads();
        try {
            ScalarGemm.setThreads(2);
            ScalarGemm g = new ScalarGemm();
            assertEquals(2, g.parallelism(), "outside a job");
            int[] seen = new int[2];
            for (int round = 0; round < 20; round++) { // the worker takes part 1 in some rounds, the caller in others
                java.util.Arrays.fill(seen, 0);
                g.parallel(2, part -> seen[part] = g.parallelism());
                assertArrayEquals(new int[] {1, 1}, seen, "inside both parts");
            }
            assertEquals(2, g.parallelism(), "after the job");
        } finally {
            ScalarGemm.setThreads(savedThreads);
        }
    }

    /**
     * Part 0 goes to the calling thread and part i to worker i, so that what a part leaves in a core's cache
     * (a block of weights, a replica's activations) is there at the next job; parts claimed by whoever came
     * first moved between the cores at random (a probe with 0.2 ms parts saw part 0 on the worker in about
     * half the rounds). A thread runs its home part first, then every part still unclaimed, in order.
     */
    @Test
    void aThreadRunsItsHomePartFirstThenTheUnclaimedOnes() {
        List<Integer> order = new ArrayList<>();
        new ScalarGemm.Workers.Job(order::add, 4, Thread.currentThread(), 1).work(2);
        assertEquals(List.of(2, 0, 1, 3), order);
        order.clear();
        new ScalarGemm.Workers.Job(order::add, 3, Thread.currentThread(), 2).work(3); // no home part: a spare worker
        assertEquals(List.of(2, 1, 0), order, "a spare worker takes the last parts first, leaving part 0 to the caller");
    }

    /** Every part runs, whether there are more parts than threads or one thread only. */
    @Test
    void everyPartRunsWhateverTheThreadCount() {
        int savedThreads = ScalarGemm.threads();
        try {
            ScalarGemm g = new ScalarGemm();
            for (int threads = 1; threads <= 2; threads++) {
                ScalarGemm.setThreads(threads);
                java.util.concurrent.atomic.AtomicIntegerArray ran = new java.util.concurrent.atomic.AtomicIntegerArray(5);
                g.parallel(5, ran::incrementAndGet);
                for (int p = 0; p < 5; p++) {
                    assertEquals(1, ran.get(p), "part " + p + " of 5 at " + threads + " thread(s)");
                }
            }
        } finally {
            ScalarGemm.setThreads(savedThreads);
        }
    }

    /** Many shared products over the same arrays, so that the worker takes part in some; returns a weak reference to one. */
    private static WeakReference<float[]> runProducts() {
        int n = 64;
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        float[] c = new float[n * n];
        java.util.Arrays.fill(a, 1f);
        java.util.Arrays.fill(b, 1f);
        ScalarGemm g = new ScalarGemm();
        for (int i = 0; i < 200; i++) {
            g.mul(n, n, n, a, 0, b, 0, c, 0, 0f);
        }
        return new WeakReference<>(a);
    }
}
