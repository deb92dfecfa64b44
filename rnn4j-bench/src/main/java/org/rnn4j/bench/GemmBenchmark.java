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
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.PackedMatrix;
import org.rnn4j.matrix.Rng;

/**
 * The three products of {@link Kernels} at the shape of a recurrent step: (B × H) times (H × G·H), an
 * output of B × G·H, 2·B·H·G·H flops. The operands are laid out as each kernel reads them:
 * <pre>
 *   mul        a (B × H)    · b (H × G·H)
 *   mulTransA  a (H × B)ᵀ   · b (H × G·H)
 *   mulTransB  a (B × H)    · b (G·H × H)ᵀ    (the forward step: h_{t-1} · W_hhᵀ, W_hh stored (G·H, H))
 *   mulPacked  a (B × H)    · b (G·H × H)ᵀ    the same product with bᵀ packed once at set-up
 *                                            ({@link Kernels#packTransB}), as the layers and generators do
 * </pre>
 * The score is the time of one product; GFLOP/s = 2·B·H·G·H / time. The kernel thread count is the
 * {@code rnn4j.threads} system property ({@code -jvmArgsAppend -Drnn4j.threads=1}); the backend is
 * {@link Kernels#backend()}, forced with {@code -Drnn4j.gemm=scalar}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class GemmBenchmark {
    @Param({"mul", "mulTransA", "mulTransB", "mulPacked"})
    public String op;

    @Param({"1", "32", "64"})
    public int batch;

    @Param({"128", "512", "1024"})
    public int hidden;

    /** G: 4 for LSTM, 3 for GRU, 1 for the Elman RNN. */
    @Param({"4"})
    public int gates;

    private Matrix a;
    private Matrix b;
    private Matrix out;
    private PackedMatrix packed;

    @Setup(Level.Trial)
    public void setUp() {
        Rng rng = new Rng(42);
        int gh = gates * hidden;
        a = op.equals("mulTransA") ? new Matrix(hidden, batch) : new Matrix(batch, hidden);
        boolean wHh = op.equals("mulTransB") || op.equals("mulPacked"); // b stored as W_hh, (G·H, H)
        b = wHh ? new Matrix(gh, hidden) : new Matrix(hidden, gh);
        out = new Matrix(batch, gh);
        rng.fillUniform(a, -1f, 1f);
        rng.fillUniform(b, -1f, 1f);
        packed = op.equals("mulPacked") ? Kernels.packTransB(b) : null;
    }

    @Benchmark
    public Matrix product() {
        switch (op) {
            case "mul" -> Kernels.mul(a, b, out);
            case "mulTransA" -> Kernels.mulTransA(a, b, out);
            case "mulTransB" -> Kernels.mulTransB(a, b, out);
            case "mulPacked" -> Kernels.mulPacked(a, packed, out);
            default -> throw new IllegalArgumentException("unknown op " + op);
        }
        return out;
    }
}
