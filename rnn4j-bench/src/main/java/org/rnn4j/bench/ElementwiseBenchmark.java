package org.rnn4j.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rnn4j.matrix.ArrayKernels;
import org.rnn4j.matrix.Elementwise;
import org.rnn4j.matrix.Rng;
import org.rnn4j.matrix.ScalarElementwise;

/**
 * The element-wise kernels of the gate arithmetic over one step's gates: B × G·H values, here
 * {@code n} = 32 × 4·512 = 65,536 by default. {@code backend} = {@code vector} is the start-up choice
 * ({@link ArrayKernels#backend()}: the Vector API when the module is loaded), {@code scalar} the
 * reference ({@link ScalarElementwise}: double-precision {@code Math.exp}/{@code Math.tanh}). The score
 * is the time of one pass; ns per value = score / n.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class ElementwiseBenchmark {
    @Param({"vector", "scalar"})
    public String backend;

    @Param({"sigmoid", "tanh", "mulPlusMul"})
    public String op;

    @Param({"65536"})
    public int n;

    private Elementwise kernels;
    private float[] x;
    private float[] y;
    private float[] z;
    private float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        kernels = backend.equals("scalar") ? new ScalarElementwise() : ArrayKernels.backend();
        Rng rng = new Rng(7);
        x = new float[n];
        y = new float[n];
        z = new float[n];
        out = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.uniform(-6f, 6f); // gate pre-activations: the whole curve, both tails
            y[i] = rng.uniform(0f, 1f);
            z[i] = rng.uniform(0f, 1f);
        }
    }

    @Benchmark
    public float[] pass() {
        switch (op) {
            case "sigmoid" -> kernels.sigmoid(n, x, 0, out, 0);
            case "tanh" -> kernels.tanh(n, x, 0, out, 0);
            case "mulPlusMul" -> kernels.mulPlusMul(n, x, 0, y, 0, z, 0, y, 0, out, 0); // x*y + z*y
            default -> throw new IllegalArgumentException("unknown op " + op);
        }
        return out;
    }
}
