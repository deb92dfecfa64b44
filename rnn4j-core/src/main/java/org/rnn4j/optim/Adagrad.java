package org.rnn4j.optim;

import java.util.List;
import org.rnn4j.nn.Parameter;

/**
 * Adagrad (Duchi, Hazan and Singer 2011), as PyTorch 1.13's {@code torch.optim.Adagrad}; the optimizer
 * of Karpathy's min-char-rnn, whose ε = 1e-8 is close to PyTorch's 1e-10 used here. At step t:
 * <pre>
 *   d   = g + λ·θ                       (weight decay λ, if λ ≠ 0)
 *   clr = lr / (1 + (t − 1)·lr_decay)   (in double)
 *   s   = s + d·d                       (s starts at initial_accumulator_value)
 *   θ   = θ − clr·d / (√s + ε)
 * </pre>
 * In float32 as PyTorch's kernels: {@code s.addcmul_(d, d)} is {@code fma(d, d, s)}, √s and + ε round
 * separately, and {@code θ.addcdiv_(d, std, value=−clr)} is {@code θ + ((−clr)·d) / std}.
 */
public final class Adagrad extends AbstractOptimizer {
    public static final double DEFAULT_LEARNING_RATE = 1e-2;
    public static final double DEFAULT_LR_DECAY = 0;
    public static final double DEFAULT_WEIGHT_DECAY = 0;
    public static final double DEFAULT_INITIAL_ACCUMULATOR_VALUE = 0;
    public static final double DEFAULT_EPS = 1e-10;

    public record Config(double learningRate, double lrDecay, double weightDecay, double initialAccumulatorValue,
                         double eps) {
        public static final Config DEFAULTS = builder().build();

        public Config {
            Checks.learningRate(learningRate);
            Checks.nonNegative("lr decay", lrDecay);
            Checks.nonNegative("weight decay", weightDecay);
            Checks.nonNegative("initial accumulator value", initialAccumulatorValue);
            Checks.nonNegative("eps", eps);
        }

        public static Builder builder() {
            return new Builder();
        }
    }

    public static final class Builder {
        private double learningRate = DEFAULT_LEARNING_RATE;
        private double lrDecay = DEFAULT_LR_DECAY;
        private double weightDecay = DEFAULT_WEIGHT_DECAY;
        private double initialAccumulatorValue = DEFAULT_INITIAL_ACCUMULATOR_VALUE;
        private double eps = DEFAULT_EPS;

        private Builder() {
        }

        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        public Builder lrDecay(double v) {
            lrDecay = v;
            return this;
        }

        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        public Builder initialAccumulatorValue(double v) {
            initialAccumulatorValue = v;
            return this;
        }

        public Builder eps(double v) {
            eps = v;
            return this;
        }

        public Config build() {
            return new Config(learningRate, lrDecay, weightDecay, initialAccumulatorValue, eps);
        }
    }

    private final Config config;
    private final float[][] sum;

    public Adagrad(List<Parameter> parameters, Config config) {
        super(parameters, config.learningRate());
        this.config = config;
        this.sum = addState("sum", (float) config.initialAccumulatorValue());
    }

    public Config config() {
        return config;
    }

    @Override
    public String name() {
        return "adagrad";
    }

    @Override
    public void step() {
        steps++;
        boolean decay = config.weightDecay() != 0;
        float wd = (float) config.weightDecay();
        float eps = (float) config.eps();
        double clr = lr / (1 + (steps - 1) * config.lrDecay());
        float negClr = (float) -clr;
        for (int k = 0; k < params.length; k++) {
            Parameter p = params[k];
            float[] w = p.value.data;
            float[] g = p.grad.data;
            int wo = p.value.offset;
            int go = p.grad.offset;
            float[] s = sum[k];
            for (int i = 0, n = p.size(); i < n; i++) {
                float d = g[go + i];
                if (decay) {
                    d = Math.fma(wd, w[wo + i], d);           // d = g + λ·θ
                }
                s[i] = Math.fma(d, d, s[i]);                  // s = s + d·d
                float std = (float) Math.sqrt(s[i]) + eps;    // √s + ε
                w[wo + i] = w[wo + i] + negClr * d / std;     // θ = θ − clr·d / (√s + ε)
            }
        }
    }
}
