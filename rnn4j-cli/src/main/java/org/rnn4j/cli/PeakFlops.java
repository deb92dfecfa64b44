package org.rnn4j.cli;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fp32 multiply-add peak of one core, measured: twelve independent chains of vector fused
 * multiply-adds ({@link FloatVector#SPECIES_PREFERRED}, 16 lanes with AVX-512), enough to cover the
 * latency of the FMA units, so the loop runs at their throughput. On the project's AVX-512 machines it
 * agrees with the same loop in C (within 2%). Used by {@code bench} for its percent-of-peak column.
 */
final class PeakFlops {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static volatile float sink;

    private PeakFlops() {
    }

    /** GFLOP/s of the best of several short runs lasting about {@code seconds} in all, on this thread. */
    static double measure(double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        double best = 0;
        long iters = 1 << 16;
        while (System.nanoTime() < end) { // the first runs are interpreted; the JIT compiles the loop within a few
            long t0 = System.nanoTime();
            run(iters);
            long t = System.nanoTime() - t0;
            best = Math.max(best, iters * 12.0 * S.length() * 2 / t);
            if (t < 5_000_000) {
                iters *= 2;
            }
        }
        return best;
    }

    private static void run(long iters) {
        FloatVector x = FloatVector.broadcast(S, 0.9999f);
        FloatVector y = FloatVector.broadcast(S, 1e-4f);
        FloatVector a0 = FloatVector.broadcast(S, 0f), a1 = FloatVector.broadcast(S, 1f);
        FloatVector a2 = FloatVector.broadcast(S, 2f), a3 = FloatVector.broadcast(S, 3f);
        FloatVector a4 = FloatVector.broadcast(S, 4f), a5 = FloatVector.broadcast(S, 5f);
        FloatVector a6 = FloatVector.broadcast(S, 6f), a7 = FloatVector.broadcast(S, 7f);
        FloatVector a8 = FloatVector.broadcast(S, 8f), a9 = FloatVector.broadcast(S, 9f);
        FloatVector a10 = FloatVector.broadcast(S, 10f), a11 = FloatVector.broadcast(S, 11f);
        for (long k = 0; k < iters; k++) { // a = a*x + y, twelve chains
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
            a8 = a8.fma(x, y);
            a9 = a9.fma(x, y);
            a10 = a10.fma(x, y);
            a11 = a11.fma(x, y);
        }
        sink = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
