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
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.LstmLayer;
import org.rnn4j.nn.Parameter;

/**
 * One LSTM layer (input H, hidden H) over T = 64 steps of B sequences: {@code forward} alone, and
 * {@code forward} then {@code backward} (the recurrent part of a training step, without embedding,
 * output layer or update). FLOP of the forward pass as bench_rnn.py counts it: 2·B·T·(H+H)·4H; forward
 * and backward: 3× that.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class LstmBenchmark {
    static final int STEPS = 64; // T

    @Param({"1", "32", "64"})
    public int batch;

    @Param({"128", "512", "1024"})
    public int hidden;

    private LstmLayer layer;
    private Matrix x;      // (T·B, H)
    private Matrix state0; // (B, 2H) zeros
    private Matrix dH;     // (T·B, H)

    @Setup(Level.Trial)
    public void setUp() {
        Rng rng = new Rng(42);
        layer = new LstmLayer("rnn.", 0, "", hidden, hidden);
        float bound = (float) (1.0 / Math.sqrt(hidden)); // nn.LSTM: U(±1/√H)
        for (Parameter p : layer.parameters()) {
            Init.uniform(p.value, bound, rng);
        }
        x = new Matrix(STEPS * batch, hidden);
        dH = new Matrix(STEPS * batch, hidden);
        rng.fillUniform(x, -1f, 1f);
        rng.fillUniform(dH, -1e-2f, 1e-2f);
        state0 = new Matrix(batch, 2 * hidden);
    }

    @Benchmark
    public Matrix forward() {
        return layer.forward(x, STEPS, batch, state0);
    }

    @Benchmark
    public Matrix forwardBackward() {
        layer.forward(x, STEPS, batch, state0);
        for (Parameter p : layer.parameters()) {
            p.zeroGrad();
        }
        return layer.backward(dH, null);
    }
}
