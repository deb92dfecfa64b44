package org.rnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.nn.Parameter;

/** Exporting and importing optimizer state: names, copies, checks, and bit-identical resumption. */
class OptimizerStateTest {
    private static final long SEED = 20240611L;
    private static final int N = 7;

    static List<String> variants() {
        return new ArrayList<>(new TreeSet<>(TestParameters.VARIANTS.keySet()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void resumingFromExportedStateContinuesBitForBit(String variant) {
        // 2N steps in one go
        List<Parameter> whole = TestParameters.parameters(SEED);
        Optimizer a = TestParameters.create(variant, whole);
        for (int s = 0; s < 2 * N; s++) {
            TestParameters.setGradients(whole, SEED, s);
            a.step();
        }
        // N steps, export, a new optimizer (and new parameter objects) imports, N more steps
        List<Parameter> first = TestParameters.parameters(SEED);
        Optimizer b = TestParameters.create(variant, first);
        for (int s = 0; s < N; s++) {
            TestParameters.setGradients(first, SEED, s);
            b.step();
        }
        Map<String, float[]> saved = b.exportState();
        List<Parameter> resumed = TestParameters.parameters(SEED + 1);
        TestParameters.setValues(resumed, TestParameters.values(first));
        Optimizer c = TestParameters.create(variant, resumed);
        c.importState(saved);
        assertEquals(N, c.stepCount(), variant + ": step count after import");
        for (int s = N; s < 2 * N; s++) {
            TestParameters.setGradients(resumed, SEED, s);
            c.step();
        }
        float[][] want = TestParameters.values(whole);
        float[][] got = TestParameters.values(resumed);
        for (int i = 0; i < want.length; i++) {
            assertArrayEquals(want[i], got[i], variant + ": " + whole.get(i).name() + " after resuming");
        }
        Map<String, float[]> stateA = a.exportState();
        Map<String, float[]> stateC = c.exportState();
        assertEquals(stateA.keySet(), stateC.keySet());
        stateA.forEach((k, v) -> assertArrayEquals(v, stateC.get(k), variant + ": state " + k));
    }

    @Test
    void exportUsesPyTorchNamesInAStableOrder() {
        List<Parameter> ps = TestParameters.parameters(SEED);
        assertEquals(List.of("step"), new ArrayList<>(new Sgd(ps, 0.1f).exportState().keySet()));
        assertEquals(List.of("step", "momentum_buffer.w", "momentum_buffer.rnn.bias", "momentum_buffer.u"),
                keys(TestParameters.create("momentum", ps)));
        assertEquals(List.of("step", "sum.w", "sum.rnn.bias", "sum.u"), keys(TestParameters.create("adagrad", ps)));
        assertEquals(List.of("step", "square_avg.w", "square_avg.rnn.bias", "square_avg.u", "momentum_buffer.w",
                "momentum_buffer.rnn.bias", "momentum_buffer.u", "grad_avg.w", "grad_avg.rnn.bias", "grad_avg.u"),
                keys(TestParameters.create("rmsprop+centered+momentum", ps)));
        assertEquals(List.of("step", "exp_avg.w", "exp_avg.rnn.bias", "exp_avg.u", "exp_avg_sq.w", "exp_avg_sq.rnn.bias",
                "exp_avg_sq.u", "max_exp_avg_sq.w", "max_exp_avg_sq.rnn.bias", "max_exp_avg_sq.u"),
                keys(TestParameters.create("adamw+amsgrad", ps)));
        Map<String, float[]> s = TestParameters.create("adam", ps).exportState();
        assertEquals(12, s.get("exp_avg.w").length);
        assertEquals(5, s.get("exp_avg_sq.rnn.bias").length);
        assertArrayEquals(new float[] {0f}, s.get("step"));
    }

    private static List<String> keys(Optimizer o) {
        return new ArrayList<>(o.exportState().keySet());
    }

    @Test
    void adagradStartsFromTheInitialAccumulatorValue() {
        Optimizer o = TestParameters.create("adagrad", TestParameters.parameters(SEED));
        for (float v : o.exportState().get("sum.u")) {
            assertEquals(0.1f, v);
        }
    }

    @Test
    void exportedArraysAreCopies() {
        List<Parameter> ps = TestParameters.parameters(SEED);
        Optimizer o = TestParameters.create("adam", ps);
        TestParameters.setGradients(ps, SEED, 0);
        o.step();
        Map<String, float[]> s = o.exportState();
        float before = s.get("exp_avg.w")[0];
        TestParameters.setGradients(ps, SEED, 1);
        o.step();
        assertEquals(before, s.get("exp_avg.w")[0], "a later step must not change an exported state");
        float[] imported = s.get("exp_avg.u");
        o.importState(s);
        imported[0] = 1e9f;
        assertTrue(o.exportState().get("exp_avg.u")[0] != 1e9f, "import must copy, not keep the caller's array");
        assertNotSame(s.get("exp_avg.w"), o.exportState().get("exp_avg.w"));
    }

    @Test
    void importNamesMissingUnexpectedAndMisSizedEntries() {
        List<Parameter> ps = TestParameters.parameters(SEED);
        Optimizer adam = TestParameters.create("adam", ps);
        Optimizer momentum = TestParameters.create("momentum", ps);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> momentum.importState(adam.exportState()));
        assertTrue(e.getMessage().contains("momentum optimizer") && e.getMessage().contains("missing [momentum_buffer.rnn.bias")
                && e.getMessage().contains("unexpected [exp_avg.rnn.bias"), e.getMessage());

        Map<String, float[]> s = adam.exportState();
        s.put("exp_avg.u", new float[3]);
        e = assertThrows(IllegalArgumentException.class, () -> adam.importState(s));
        assertTrue(e.getMessage().contains("'exp_avg.u' holds 3 values but parameter u[2, 2] has 4"), e.getMessage());

        Map<String, float[]> t = adam.exportState();
        t.put("step", new float[] {2.5f});
        e = assertThrows(IllegalArgumentException.class, () -> adam.importState(t));
        assertTrue(e.getMessage().contains("'step' must hold one non-negative integer"), e.getMessage());
        t.put("step", new float[] {-1f});
        assertThrows(IllegalArgumentException.class, () -> adam.importState(t));

        // a state for parameters of other names (another model)
        List<Parameter> other = List.of(Parameter.vector("v", 4));
        e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.create("adam", other, OptimizerSettings.DEFAULTS).importState(adam.exportState()));
        assertTrue(e.getMessage().contains("missing [exp_avg.v, exp_avg_sq.v]"), e.getMessage());
    }

    @Test
    void aFailedImportChangesNothing() {
        List<Parameter> ps = TestParameters.parameters(SEED);
        Optimizer o = TestParameters.create("adam", ps);
        TestParameters.setGradients(ps, SEED, 0);
        o.step();
        Map<String, float[]> before = o.exportState();
        Map<String, float[]> bad = new LinkedHashMap<>(before);
        bad.replaceAll((k, v) -> new float[v.length]);
        bad.put("step", new float[] {9});
        bad.put("exp_avg_sq.u", new float[1]); // the last entry checked is wrong
        assertThrows(IllegalArgumentException.class, () -> o.importState(bad));
        Map<String, float[]> after = o.exportState();
        before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k));
    }

    @Test
    void parameterNamesMustBeUnique() {
        List<Parameter> ps = List.of(Parameter.vector("b", 2), Parameter.vector("b", 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sgd(ps, 0.1f));
        assertTrue(e.getMessage().contains("two parameters are named 'b'"), e.getMessage());
    }
}
