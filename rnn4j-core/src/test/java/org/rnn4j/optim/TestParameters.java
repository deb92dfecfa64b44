package org.rnn4j.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnn4j.matrix.Rng;
import org.rnn4j.nn.Parameter;

/** Small seeded parameter sets and gradient streams for the optimizer tests. */
final class TestParameters {
    /** One variant of each optimizer and option, by factory name and settings. */
    static final Map<String, OptimizerSettings> VARIANTS = Map.ofEntries(
            Map.entry("sgd", OptimizerSettings.builder().learningRate(0.1).build()),
            Map.entry("sgd+wd", OptimizerSettings.builder().learningRate(0.1).weightDecay(0.01).build()),
            Map.entry("momentum", OptimizerSettings.builder().learningRate(0.1).build()),
            Map.entry("nesterov", OptimizerSettings.builder().learningRate(0.1).weightDecay(1e-3).build()),
            Map.entry("adagrad", OptimizerSettings.builder().lrDecay(0.01).initialAccumulatorValue(0.1).build()),
            Map.entry("rmsprop", OptimizerSettings.DEFAULTS),
            Map.entry("rmsprop+centered+momentum",
                    OptimizerSettings.builder().centered(true).momentum(0.9).weightDecay(0.01).build()),
            Map.entry("adam", OptimizerSettings.builder().learningRate(0.01).weightDecay(0.01).build()),
            Map.entry("adam+amsgrad", OptimizerSettings.builder().learningRate(0.01).amsgrad(true).build()),
            Map.entry("adamw", OptimizerSettings.DEFAULTS),
            Map.entry("adamw+amsgrad", OptimizerSettings.builder().amsgrad(true).build()));

    private TestParameters() {
    }

    /** The factory name of a variant ("adam+amsgrad" → "adam"). */
    static String factoryName(String variant) {
        int plus = variant.indexOf('+');
        return plus < 0 ? variant : variant.substring(0, plus);
    }

    static Optimizer create(String variant, List<Parameter> params) {
        return Optimizers.create(factoryName(variant), params, VARIANTS.get(variant));
    }

    /** Parameters "w" (3, 4), "rnn.bias" (5) and "u" (2, 2) with values from the seed. */
    static List<Parameter> parameters(long seed) {
        List<Parameter> ps = new ArrayList<>(List.of(
                Parameter.matrix("w", 3, 4), Parameter.vector("rnn.bias", 5), Parameter.matrix("u", 2, 2)));
        Rng rng = new Rng(seed).split("init");
        for (Parameter p : ps) {
            rng.fillGaussian(p.value, 0.5);
        }
        return ps;
    }

    /** Fills every gradient with the values of update {@code step} (the same for the same seed and step). */
    static void setGradients(List<Parameter> params, long seed, long step) {
        Rng rng = new Rng(seed).split("grad " + step);
        double scale = 0.1 + 2 * rng.nextDouble();
        for (Parameter p : params) {
            rng.fillGaussian(p.grad, scale);
        }
    }

    /** A copy of every parameter's values. */
    static float[][] values(List<Parameter> params) {
        float[][] v = new float[params.size()][];
        for (int i = 0; i < v.length; i++) {
            v[i] = params.get(i).value.toArray();
        }
        return v;
    }

    static void setValues(List<Parameter> params, float[][] values) {
        for (int i = 0; i < values.length; i++) {
            Parameter p = params.get(i);
            System.arraycopy(values[i], 0, p.value.data, p.value.offset, values[i].length);
        }
    }
}
