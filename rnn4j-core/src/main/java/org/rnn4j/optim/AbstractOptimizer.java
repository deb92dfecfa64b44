package org.rnn4j.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.rnn4j.nn.Parameter;

/**
 * What every optimizer shares: the parameters, the learning rate, the step count and the per-parameter
 * state buffers with their export and import. A subclass registers its buffers in its constructor with
 * {@link #addState} and increments {@link #steps} at the start of {@link #step()}, as PyTorch does.
 */
abstract class AbstractOptimizer implements Optimizer {
    /** The name of the step count in an exported state. */
    static final String STEP = "step";

    /** The parameters as an array, so that {@link #step()} iterates without an iterator. */
    final Parameter[] params;
    private final List<Parameter> parameterList;
    /** A double, like PyTorch's Python float: the update's scalar coefficients are formed from it. */
    double lr;
    long steps;
    /** Buffer kind (e.g. "exp_avg") → one array per parameter, in parameter order. */
    private final Map<String, float[][]> buffers = new LinkedHashMap<>();

    AbstractOptimizer(List<Parameter> parameters, double learningRate) {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("an optimizer needs at least one parameter");
        }
        Set<String> names = new HashSet<>();
        for (Parameter p : parameters) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("two parameters are named '" + p.name()
                        + "'; the optimizer's state is keyed by name, so names must be unique");
            }
        }
        this.parameterList = List.copyOf(parameters);
        this.params = parameterList.toArray(new Parameter[0]);
        this.lr = Checks.learningRate(learningRate);
    }

    /** Allocates one buffer of this kind per parameter, filled with {@code initial}. */
    final float[][] addState(String kind, float initial) {
        float[][] b = new float[params.length][];
        for (int i = 0; i < params.length; i++) {
            b[i] = new float[params[i].size()];
            Arrays.fill(b[i], initial);
        }
        buffers.put(kind, b);
        return b;
    }

    @Override
    public final float learningRate() {
        return (float) lr;
    }

    @Override
    public final void setLearningRate(float lr) {
        setLearningRate((double) lr);
    }

    @Override
    public final void setLearningRate(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be finite and at least 0, got " + lr);
        }
        this.lr = lr;
    }

    @Override
    public final List<Parameter> parameters() {
        return parameterList;
    }

    @Override
    public final long stepCount() {
        return steps;
    }

    @Override
    public final Map<String, float[]> exportState() {
        Map<String, float[]> state = new LinkedHashMap<>();
        state.put(STEP, new float[] {steps});
        buffers.forEach((kind, arrays) -> {
            for (int i = 0; i < params.length; i++) {
                state.put(kind + "." + params[i].name(), arrays[i].clone());
            }
        });
        return state;
    }

    /** At most 6 names, then how many there are in all. */
    private static String preview(Collection<String> names) {
        if (names.size() <= 6) {
            return names.toString();
        }
        return names.stream().limit(6).collect(Collectors.joining(", ", "[", ", ... (" + names.size() + " in all)]"));
    }

    @Override
    public final void importState(Map<String, float[]> state) {
        Set<String> expected = new TreeSet<>();
        expected.add(STEP);
        buffers.forEach((kind, arrays) -> {
            for (Parameter p : params) {
                expected.add(kind + "." + p.name());
            }
        });
        List<String> missing = new ArrayList<>();
        for (String n : expected) {
            if (!state.containsKey(n)) {
                missing.add(n);
            }
        }
        Set<String> unexpected = new TreeSet<>(state.keySet());
        unexpected.removeAll(expected);
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException("the state does not fit this " + name() + " optimizer:"
                    + (missing.isEmpty() ? "" : " missing " + preview(missing))
                    + (unexpected.isEmpty() ? "" : " unexpected " + preview(unexpected))
                    + " (it keeps " + preview(expected) + "; was the state written by another optimizer, or for another"
                    + " model?)");
        }
        float[] step = state.get(STEP);
        if (step == null || step.length != 1 || !(step[0] >= 0) || step[0] != Math.rint(step[0])
                || Float.isInfinite(step[0])) {
            throw new IllegalArgumentException("state 'step' must hold one non-negative integer, got "
                    + Arrays.toString(step));
        }
        buffers.forEach((kind, arrays) -> {
            for (int i = 0; i < params.length; i++) {
                String n = kind + "." + params[i].name();
                float[] v = state.get(n);
                if (v == null || v.length != arrays[i].length) {
                    throw new IllegalArgumentException("state '" + n + "' holds " + (v == null ? "null" : v.length + " values")
                            + " but parameter " + params[i] + " has " + arrays[i].length);
                }
            }
        });
        // everything checked: now copy
        steps = (long) step[0];
        buffers.forEach((kind, arrays) -> {
            for (int i = 0; i < params.length; i++) {
                float[] v = state.get(kind + "." + params[i].name());
                System.arraycopy(v, 0, arrays[i], 0, v.length);
            }
        });
    }
}
