package org.rnn4j.optim;

import java.util.List;
import org.rnn4j.nn.Parameter;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, as
 * PyTorch 1.13's {@code torch.optim.SGD} with dampening 0:
 * <pre>
 *   d = g + λ·θ                      (weight decay λ, if λ ≠ 0)
 *   b = d at the first step, else μ·b + d     (momentum μ, if μ ≠ 0)
 *   d = d + μ·b  (Nesterov)   or   d = b
 *   θ = θ − lr·d
 * </pre>
 * In float32, operation by operation as PyTorch's CPU kernels: {@code x.add(y, alpha=a)} is one fused
 * multiply-add {@code fma(a, y, x)}, while {@code b.mul_(μ).add_(d)} rounds twice; the scalars λ, μ and
 * −lr are rounded from double to float first.
 */
public final class Sgd extends AbstractOptimizer {
    /** rnn4j's choice: {@code torch.optim.SGD} has no default learning rate. */
    public static final double DEFAULT_LEARNING_RATE = 0.1;
    public static final double DEFAULT_MOMENTUM = 0;
    public static final double DEFAULT_WEIGHT_DECAY = 0;

    /** The hyper-parameters; PyTorch's dampening is always 0 here. */
    public record Config(double learningRate, double momentum, double weightDecay, boolean nesterov) {
        public static final Config DEFAULTS = builder().build();

        public Config {
            Checks.learningRate(learningRate);
            Checks.nonNegative("momentum", momentum);
            Checks.nonNegative("weight decay", weightDecay);
            if (nesterov && !(momentum > 0)) {
                throw new IllegalArgumentException("Nesterov momentum needs a momentum above 0, got " + momentum);
            }
        }

        public static Builder builder() {
            return new Builder();
        }
    }

    public static final class Builder {
        private double learningRate = DEFAULT_LEARNING_RATE;
        private double momentum = DEFAULT_MOMENTUM;
        private double weightDecay = DEFAULT_WEIGHT_DECAY;
        private boolean nesterov;

        private Builder() {
        }

        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        public Builder momentum(double v) {
            momentum = v;
            return this;
        }

        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        public Builder nesterov(boolean v) {
            nesterov = v;
            return this;
        }

        public Config build() {
            return new Config(learningRate, momentum, weightDecay, nesterov);
        }
    }

    private final Config config;
    private final float[][] momentumBuffer; // null without momentum

    /** Plain SGD, {@code θ ← θ − lr · g}. */
    public Sgd(List<Parameter> parameters, float learningRate) {
        this(parameters, Config.builder().learningRate(learningRate).build());
    }

    public Sgd(List<Parameter> parameters, Config config) {
        super(parameters, config.learningRate());
        this.config = config;
        this.momentumBuffer = config.momentum() != 0 ? addState("momentum_buffer", 0f) : null;
    }

    public Config config() {
        return config;
    }

    @Override
    public String name() {
        return config.nesterov() ? "nesterov" : config.momentum() != 0 ? "momentum" : "sgd";
    }

    @Override
    public void step() {
        steps++;
        boolean first = steps == 1; // PyTorch creates the buffer from the first d
        boolean decay = config.weightDecay() != 0;
        boolean nesterov = config.nesterov();
        float wd = (float) config.weightDecay();
        float mu = (float) config.momentum();
        float negLr = (float) -lr;
        for (int k = 0; k < params.length; k++) {
            Parameter p = params[k];
            float[] w = p.value.data;
            float[] g = p.grad.data;
            int wo = p.value.offset;
            int go = p.grad.offset;
            float[] buf = momentumBuffer == null ? null : momentumBuffer[k];
            for (int i = 0, n = p.size(); i < n; i++) {
                float d = g[go + i];
                if (decay) {
                    d = Math.fma(wd, w[wo + i], d);        // d = g + λ·θ
                }
                if (buf != null) {
                    float b = first ? d : buf[i] * mu + d; // b = μ·b + d (two roundings)
                    buf[i] = b;
                    d = nesterov ? Math.fma(mu, b, d) : b; // d = d + μ·b, or b
                }
                w[wo + i] = Math.fma(negLr, d, w[wo + i]); // θ = θ − lr·d
            }
        }
    }
}
