package org.rnn4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.diag.GradientChecker;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Parameter;

/**
 * Gradient checkpointing against the plain stack: the same stack run with and without
 * {@link RecurrentStack#setCheckpointEvery} must give (to float rounding) the same outputs, final states, states after a
 * step, input and initial-state gradients and parameter gradients, for every cell, k = 1, a k that does
 * not divide T, k = T and k &gt; T, with and without sequence lengths, a given initial state, a given or
 * absent final-state gradient, 2 layers, and bidirectional layers. The output gradient is random at every
 * step, padding included, so the second backward pass for sequences that ended inside a chunk is
 * exercised too.
 */
class CheckpointedStackTest {
    private static final int T = 7;
    private static final int B = 3;
    private static final int D = 4;
    private static final int H = 5;
    private static final int[] LENGTHS = {7, 2, 5}; // ends in several chunks for k = 2, 3
    /*
     * Float rounding only. The weight gradients are sums over steps (dW = Σ_t da_tᵀ x_t, ...) that
     * checkpointing splits into one sum per chunk, and the matrix kernels may round a product over k·B rows
     * differently from one over T·B rows (tails of their row blocks), so even outputs differ in the last
     * bit: about T·2⁻²⁴ ≈ 4e-7 relative per element. With values of order 1, a difference of 2e-5 (50× that)
     * is a pass; a wrong chunk boundary or a lost carried gradient gives differences of order 0.1. With
     * k ≥ T there is one chunk and the results must be identical.
     */
    private static final float TOLERANCE = 2e-5f;

    record Run(float[] out, List<float[]> finals, float[] stateAfter, float[] dx, List<float[]> dState0,
               List<float[]> grads) {
    }

    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        for (CellType cell : CellType.values()) {
            for (int k : new int[] {1, 3, 7, 10}) {
                for (boolean lengths : new boolean[] {false, true}) {
                    a.add(Arguments.of(cell, k, lengths, false, true));
                }
            }
            a.add(Arguments.of(cell, 2, true, false, false)); // no final-state gradient
            a.add(Arguments.of(cell, 2, true, true, true));   // bidirectional, each direction checkpointed
            a.add(Arguments.of(cell, 3, false, true, false));
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} k={1} lengths={2} bi={3} dFinal={4}")
    @MethodSource("cases")
    void checkpointingChangesNothingButRounding(CellType cell, int k, boolean withLengths, boolean bi, boolean dFinal) {
        RecurrentStack.Builder b = RecurrentStack.builder(cell, D, H).numLayers(2);
        if (bi) {
            b.bidirectional();
        }
        RecurrentStack stack = b.build();
        Rng rng = new Rng(5 + cell.ordinal());
        stack.initialize(Init.RecurrentInit.PYTORCH, rng);
        for (Parameter p : stack.parameters()) {
            rng.fillUniform(p.value, -0.6f, 0.6f);
        }
        Matrix x = new Matrix(T * B, D);
        rng.fillUniform(x, -1f, 1f);
        RecurrentState s0 = stack.newState(B);
        for (int l = 0; l < 2; l++) {
            rng.fillUniform(s0.layer(l), -0.5f, 0.5f); // a given initial state
        }
        Matrix dOut = new Matrix(T * B, stack.outputSize());
        rng.fillUniform(dOut, -1f, 1f);
        RecurrentState dFin = null;
        if (dFinal) {
            dFin = stack.newState(B);
            for (int l = 0; l < 2; l++) {
                rng.fillUniform(dFin.layer(l), -1f, 1f);
            }
        }
        int[] lengths = withLengths ? LENGTHS : null;

        Run plain = run(stack, x, s0, dOut, dFin, lengths);
        stack.setCheckpointEvery(k);
        Run ckpt = run(stack, x, s0, dOut, dFin, lengths);
        stack.setCheckpointEvery(RecurrentStack.NO_CHECKPOINTING);

        if (k >= T) { // one chunk: the very same computation
            assertArrayEquals(plain.out, ckpt.out, "outputs with k >= T");
            assertArrayEquals(plain.dx, ckpt.dx, "input gradient with k >= T");
        }
        close(plain.out, ckpt.out, "outputs");
        for (int l = 0; l < 2; l++) {
            close(plain.finals.get(l), ckpt.finals.get(l), "final state of layer " + l);
            close(plain.dState0.get(l), ckpt.dState0.get(l), "initial-state gradient of layer " + l);
        }
        if (!bi) {
            close(plain.stateAfter, ckpt.stateAfter, "state after step 3");
        }
        close(plain.dx, ckpt.dx, "input gradient");
        List<Parameter> ps = stack.parameters();
        for (int i = 0; i < ps.size(); i++) {
            close(plain.grads.get(i), ckpt.grads.get(i), ps.get(i).name());
        }
    }

    private static Run run(RecurrentStack stack, Matrix x, RecurrentState s0, Matrix dOut, RecurrentState dFin,
                           int[] lengths) {
        stack.parameters().forEach(Parameter::zeroGrad);
        RecurrentState s = s0.copy();
        float[] out = stack.forward(x, T, B, s, null, lengths).toArray();
        List<float[]> finals = new ArrayList<>();
        for (int l = 0; l < 2; l++) {
            finals.add(s.layer(l).toArray());
        }
        float[] dx = stack.backward(dOut.copy(), dFin).toArray();
        List<float[]> dState0 = new ArrayList<>();
        for (int l = 0; l < 2; l++) {
            dState0.add(stack.initialStateGradient().layer(l).toArray());
        }
        float[] after = null;
        if (!stack.bidirectional()) { // after backward: the checkpointed layer recomputes the chunk holding step 3
            RecurrentState a = stack.newState(B);
            stack.copyStateAfter(3, a);
            after = a.layer(1).toArray();
        }
        List<float[]> grads = stack.parameters().stream().map(p -> p.grad.toArray()).toList();
        return new Run(out, finals, after, dx, dState0, grads);
    }

    private static void close(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            float diff = Math.abs(expected[i] - actual[i]);
            assertTrue(diff <= TOLERANCE * Math.max(1f, Math.abs(expected[i])),
                    what + "[" + i + "]: plain " + expected[i] + ", checkpointed " + actual[i] + ", diff " + diff);
        }
    }

    /**
     * A numerical gradient check of a checkpointed 2-layer stack with lengths and k = 2 (T = 5: chunks of
     * 2, 2, 1), every cell. Tolerances as in {@link RecurrentStackGradientTest}: the loss sums ~50 float32
     * values, so differences with ε = 1e-2 resolve gradients to ≈5e-5; below 1e-2 compare absolutely.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void numericalGradientOfCheckpointedStack(CellType cell) {
        int t = 5;
        int[] lengths = {5, 3};
        int batch = 2;
        RecurrentStack stack = RecurrentStack.builder(cell, D, H).numLayers(2).checkpointEvery(2).build();
        Rng rng = new Rng(77 + cell.ordinal());
        stack.initialize(Init.RecurrentInit.PYTORCH, rng);
        for (Parameter p : stack.parameters()) {
            rng.fillUniform(p.value, -0.6f, 0.6f);
        }
        Parameter x = Parameter.matrix("input", t * batch, D);
        rng.fillUniform(x.value, -1f, 1f);
        List<Parameter> given = new ArrayList<>();
        for (int l = 0; l < 2; l++) {
            Parameter s = Parameter.matrix("state0_l" + l, batch, stack.layer(l).stateSize());
            rng.fillUniform(s.value, -0.5f, 0.5f);
            given.add(s);
        }
        Matrix r = new Matrix(t * batch, H);
        rng.fillUniform(r, -1f, 1f);
        List<Matrix> sWeights = new ArrayList<>();
        for (int l = 0; l < 2; l++) {
            Matrix s = new Matrix(batch, stack.layer(l).stateSize());
            rng.fillUniform(s, -1f, 1f);
            sWeights.add(s);
        }
        List<Parameter> all = new ArrayList<>(stack.parameters());
        all.add(x);
        all.addAll(given);
        GradientChecker.Objective f = new GradientChecker.Objective() {
            @Override
            public double loss() {
                RecurrentState s = stack.newState(batch);
                for (int l = 0; l < 2; l++) {
                    s.layer(l).copyFrom(given.get(l).value);
                }
                Matrix out = stack.forward(x.value, t, batch, s, null, lengths);
                double loss = Kernels.dot(out, r);
                for (int l = 0; l < 2; l++) {
                    loss += Kernels.dot(s.layer(l), sWeights.get(l));
                }
                return loss;
            }

            @Override
            public double lossAndGradient() {
                all.forEach(Parameter::zeroGrad);
                double loss = loss();
                RecurrentState dFinal = stack.newState(batch);
                for (int l = 0; l < 2; l++) {
                    dFinal.layer(l).copyFrom(sWeights.get(l));
                }
                Kernels.addInPlace(x.grad, stack.backward(r.copy(), dFinal));
                for (int l = 0; l < 2; l++) {
                    Kernels.addInPlace(given.get(l).grad, stack.initialStateGradient().layer(l));
                }
                return loss;
            }
        };
        GradientChecker.Report report = new GradientChecker().floor(1e-2).check(f, all);
        assertTrue(report.passed(), cell + " checkpointed k=2: " + report.summary());
    }

    static Stream<CellType> cells() {
        return Stream.of(CellType.values());
    }

    @Test
    void invalidStepsAreRefusedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RecurrentStack.builder(CellType.LSTM, D, H).checkpointEvery(-1).build());
        assertTrue(e.getMessage().contains("k >= 1"), e.getMessage());
    }

    @Test
    void parametersAreTheSameObjectsWithAndWithoutCheckpointing() {
        RecurrentStack plain = RecurrentStack.builder(CellType.GRU, D, H).numLayers(2).bidirectional().build();
        List<String> names = plain.parameters().stream().map(Parameter::name).toList();
        RecurrentStack ckpt = RecurrentStack.builder(CellType.GRU, D, H).numLayers(2).bidirectional()
                .checkpointEvery(4).build();
        assertEquals(names, ckpt.parameters().stream().map(Parameter::name).toList(), "names and order unchanged");
        List<Parameter> before = ckpt.parameters();
        ckpt.setCheckpointEvery(2);
        assertEquals(before, ckpt.parameters(), "the checkpointed layers share the cells' parameters");
    }
}
