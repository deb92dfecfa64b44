package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;

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
 * The packed steppers against the layers' own step(), with weights large enough that a batch-1
 * product is split across two kernel threads (PackedStepper.Product), through both step(x) and
 * stepRows(rows), at batch 1 (split) and batch 3 (whole). They agree to float rounding (the products
 * sum in another order): 1e-5 relative to the largest value.
 */
class PackedStepperTest {
    private static final int D = 8;
    private final Gemm saved = Kernels.backend();
    private final int savedThreads = ScalarGemm.threads();

    @AfterEach
    void restore() {
        Kernels.useBackend(saved);
        ScalarGemm.setThreads(savedThreads);
    }

    static Stream<Arguments> layers() {
        Supplier<RecurrentLayer> rnn = () -> new ElmanLayer("rnn.", 0, "", D, 512, Activation.TANH); // 512 × 512
        Supplier<RecurrentLayer> lstm = () -> new LstmLayer("rnn.", 0, "", D, 256);               // 1024 × 256
        Supplier<RecurrentLayer> gru = () -> new GruLayer("rnn.", 0, "", D, 300);                 // 900 × 300
        return Stream.of(Arguments.of("rnn", rnn, 1), Arguments.of("lstm", lstm, 1), Arguments.of("gru", gru, 1),
                Arguments.of("rnn", rnn, 3), Arguments.of("lstm", lstm, 3), Arguments.of("gru", gru, 3));
    }

    @ParameterizedTest(name = "{0} B={2}")
    @MethodSource("layers")
    void stepperEqualsStep(String name, Supplier<RecurrentLayer> make, int batch) {
        Kernels.useBackend(new ScalarGemm());
        ScalarGemm.setThreads(2);
        RecurrentLayer layer = make.get();
        Rng rng = new Rng(7);
        for (Parameter p : layer.parameters()) {
            rng.fillUniform(p.value, -0.1f, 0.1f);
        }
        Matrix table = new Matrix(5, D);
        rng.fillUniform(table, -1f, 1f);
        Stepper free = layer.stepper(null);
        Stepper rows = layer.stepper(table);
        Matrix plain = new Matrix(batch, layer.stateSize());
        rng.fillUniform(plain, -0.5f, 0.5f);
        Matrix viaStep = plain.copy();
        Matrix viaRows = plain.copy();
        int[] ids = new int[batch];
        Matrix x = new Matrix(batch, D);
        for (int t = 0; t < 5; t++) {
            for (int b = 0; b < batch; b++) {
                ids[b] = rng.nextInt(5);
            }
            Stepper.copyRows(table, ids, x);
            Matrix expected = layer.step(x, plain).copy();
            assertClose(expected, free.step(x, viaStep), name + " step(x) at " + t);
            assertClose(expected, rows.stepRows(ids, viaRows), name + " stepRows at " + t);
            assertClose(plain, viaStep, name + " state after step(x) at " + t);
            assertClose(plain, viaRows, name + " state after stepRows at " + t);
        }
        assertThrows(IllegalStateException.class, () -> free.stepRows(ids, viaStep));
        assertThrows(IndexOutOfBoundsException.class, () -> rows.stepRows(filled(batch, 5), viaRows)); // 5 rows: 0..4
    }

    private static int[] filled(int n, int v) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static void assertClose(Matrix expected, Matrix actual, String what) {
        MatrixAssertions.assertCloseToScale(expected, actual, 1e-5, what);
    }
}
