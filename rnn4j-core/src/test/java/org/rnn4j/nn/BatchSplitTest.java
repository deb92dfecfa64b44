package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.matrix.Activation;
import org.rnn4j.matrix.Gemm;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.MatrixAssertions;
import org.rnn4j.matrix.Rng;
import org.rnn4j.matrix.ScalarGemm;

/**
 * The layers' step loops split a batch's sequences across the kernel threads (BatchSplit). Forward
 * outputs, final states and every gradient must equal the unsplit pass (one thread) up to float
 * rounding: the recurrent products then run on fewer rows and may take another path through the
 * kernels (1e-5 relative to the largest value; the values are O(1)). B = 19 splits unevenly (9 and 10).
 */
class BatchSplitTest {
    private static final int T = 6;
    private static final int B = 19;
    private final Gemm saved = Kernels.backend();
    private final int savedThreads = ScalarGemm.threads();

    @AfterEach
    void restore() {
        Kernels.useBackend(saved);
        ScalarGemm.setThreads(savedThreads);
    }

    static Stream<Arguments> layers() {
        Supplier<RecurrentLayer> rnn = () -> new ElmanLayer("rnn.", 0, "", 5, 7, Activation.TANH);
        Supplier<RecurrentLayer> lstm = () -> new LstmLayer("rnn.", 0, "", 5, 7);
        Supplier<RecurrentLayer> gru = () -> new GruLayer("rnn.", 0, "", 5, 7);
        return Stream.of(Arguments.of("rnn", rnn, false), Arguments.of("lstm", lstm, false), Arguments.of("gru", gru, false),
                Arguments.of("rnn", rnn, true), Arguments.of("lstm", lstm, true), Arguments.of("gru", gru, true));
    }

    @ParameterizedTest(name = "{0} lengths={2}")
    @MethodSource("layers")
    void splitPassEqualsTheUnsplitOne(String name, Supplier<RecurrentLayer> make, boolean withLengths) {
        Kernels.useBackend(new ScalarGemm()); // a backend whose thread count the test sets
        Matrix[] one = run(make.get(), 1, withLengths);
        Matrix[] two = run(make.get(), 2, withLengths);
        String[] what = {"output", "final state", "input gradient", "initial-state gradient", "weight_ih gradient",
            "weight_hh gradient", "bias_ih gradient", "bias_hh gradient"};
        for (int i = 0; i < one.length; i++) {
            assertClose(one[i], two[i], name + " " + what[i]);
        }
    }

    private static Matrix[] run(RecurrentLayer layer, int threads, boolean withLengths) {
        ScalarGemm.setThreads(threads);
        assertEquals(threads, BatchSplit.parts(B), "the batch is split in " + threads);
        Rng rng = new Rng(3);
        for (Parameter p : layer.parameters()) {
            rng.fillUniform(p.value, -0.4f, 0.4f);
        }
        Matrix x = new Matrix(T * B, layer.inputSize());
        rng.fillUniform(x, -1f, 1f);
        Matrix s0 = new Matrix(B, layer.stateSize());
        rng.fillUniform(s0, -0.5f, 0.5f);
        int[] lengths = null;
        if (withLengths) {
            lengths = new int[B];
            for (int b = 0; b < B; b++) {
                lengths[b] = 1 + rng.nextInt(T);
            }
        }
        Matrix out = layer.forward(x, T, B, s0, lengths).copy();
        Matrix fin = layer.finalState().copy();
        Matrix dOut = new Matrix(T * B, layer.hiddenSize());
        rng.fillUniform(dOut, -1f, 1f);
        Matrix dFin = new Matrix(B, layer.stateSize());
        rng.fillUniform(dFin, -1f, 1f);
        Matrix dx = layer.backward(dOut, dFin).copy();
        Matrix ds0 = layer.initialStateGradient().copy();
        Matrix[] r = new Matrix[4 + layer.parameters().size()];
        r[0] = out;
        r[1] = fin;
        r[2] = dx;
        r[3] = ds0;
        for (int i = 0; i < layer.parameters().size(); i++) {
            r[4 + i] = layer.parameters().get(i).grad.copy();
        }
        return r;
    }

    private static void assertClose(Matrix expected, Matrix actual, String what) {
        MatrixAssertions.assertCloseToScale(expected, actual, 1e-5, what);
    }
}
