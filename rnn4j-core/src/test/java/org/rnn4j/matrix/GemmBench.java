package org.rnn4j.matrix;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Throughput of the backends on the shapes rnn4j uses, in GFLOP/s (2·m·n·k flops per product). Not
 * part of the normal test run; run it with
 * <pre>
 *   mvn -o -q -pl rnn4j-core test -Dtest=GemmBench -Drnn4j.bench=true
 * </pre>
 * Each configuration is warmed up for a second, then timed in samples of at least 50 ms; the table
 * gives the median (and the spread) because the machine may be shared.
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "rnn4j.bench", matches = "true")
class GemmBench {
    private static final String[][] SHAPES = {
        {"mul", "512", "512", "512", "square"},
        {"mulTransB", "2048", "512", "128", "input projection, T*B=2048, G*H=512, D=128"},
        {"mulTransB", "32", "2048", "512", "recurrent step, B=32, G*H=2048, H=512"},
        {"mulTransB", "1", "512", "512", "recurrent step, batch 1"},
        {"mulTransA", "512", "128", "2048", "weight gradient dW += dGatesᵀ·X"},
        {"mul", "32", "512", "2048", "step backward dH = dGates·W_hh"},
        {"packedTransB", "32", "2048", "512", "recurrent step on W_hhᵀ packed once, B=32, H=512"},
        {"packedTransB", "64", "512", "128", "recurrent step on W_hhᵀ packed once, B=64, H=128"},
        {"packedTransB", "1", "512", "512", "batch-1 step on W_hhᵀ packed once"},
        {"packed", "32", "512", "2048", "step backward on W_hh packed once"},
    };

    @Test
    void throughput() {
        int savedScalar = ScalarGemm.threads();
        int savedVector = VectorGemm.threads();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-10s %5s %5s %5s  %-7s %3s  %8s  %s%n", "op", "m", "n", "k", "backend",
                "thr", "median", "min..max"));
        try {
            for (String[] s : SHAPES) {
                int m = Integer.parseInt(s[1]);
                int n = Integer.parseInt(s[2]);
                int k = Integer.parseInt(s[3]);
                SplittableRandom r = new SplittableRandom(1);
                float[] a = random(m * k, r);
                float[] b = random(k * n, r);
                float[] c = new float[m * n];
                packed = null;
                for (String backend : new String[] {"naive", "scalar", "vector"}) {
                    for (int threads : backend.equals("naive") ? new int[] {1} : new int[] {1, 2}) {
                        ScalarGemm.setThreads(threads);
                        VectorGemm.setThreads(threads);
                        Gemm g = GemmSelector.select(backend);
                        double[] gflops = measure(g, s[0], m, n, k, a, b, c, backend.equals("naive") ? 5 : 15);
                        out.append(String.format(Locale.ROOT, "%-10s %5d %5d %5d  %-7s %3d  %8.2f  %.2f..%.2f%n", s[0],
                                m, n, k, backend, threads, gflops[gflops.length / 2], gflops[0],
                                gflops[gflops.length - 1]));
                    }
                }
            }
        } finally {
            ScalarGemm.setThreads(savedScalar);
            VectorGemm.setThreads(savedVector);
        }
        System.out.print(out);
    }

    /** The packed b of the current configuration. */
    private static PackedMatrix packed;

    private static float[] random(int size, SplittableRandom r) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return x;
    }

    /** Sorted GFLOP/s of {@code samples} timed samples after a warm-up. */
    private static double[] measure(Gemm g, String op, int m, int n, int k, float[] a, float[] b, float[] c,
            int samples) {
        long warm = System.nanoTime();
        int calls = 0;
        while (System.nanoTime() - warm < 1_000_000_000L || calls < 2) {
            call(g, op, m, n, k, a, b, c);
            calls++;
        }
        double seconds = (System.nanoTime() - warm) / 1e9 / calls;
        int reps = (int) Math.max(1, Math.ceil(0.05 / seconds));
        double[] gflops = new double[samples];
        for (int s = 0; s < samples; s++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                call(g, op, m, n, k, a, b, c);
            }
            gflops[s] = 2.0 * m * n * k * reps / (System.nanoTime() - t0);
        }
        Arrays.sort(gflops);
        return gflops;
    }

    private static void call(Gemm g, String op, int m, int n, int k, float[] a, float[] b, float[] c) {
        if (op.startsWith("packed")) { // b is packed outside the timed loop
            if (packed == null || packed.packer != g || packed.rows != k || packed.cols != n) {
                packed = g.pack(op.equals("packedTransB"), k, n, b, 0, null);
            }
            g.mulPacked(m, a, 0, packed, c, 0, 0f);
            return;
        }
        switch (op) {
            case "mul":
                g.mul(m, n, k, a, 0, b, 0, c, 0, 0f);
                break;
            case "mulTransA":
                g.mulTransA(m, n, k, a, 0, b, 0, c, 0, 0f);
                break;
            default:
                g.mulTransB(m, n, k, a, 0, b, 0, c, 0, 0f);
                break;
        }
    }
}
