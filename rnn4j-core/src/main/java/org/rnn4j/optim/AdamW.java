package org.rnn4j.optim;

import java.util.List;
import org.rnn4j.nn.Parameter;

/**
 * AdamW (Loshchilov and Hutter 2019), as PyTorch 1.13's {@code torch.optim.AdamW}: Adam whose weight
 * decay shrinks θ by the factor 1 − lr·λ before the update instead of adding λ·θ to the gradient. The
 * update and its float32 details are in {@link AbstractAdam}; the defaults are Adam's except λ.
 */
public final class AdamW extends AbstractAdam {
    public static final double DEFAULT_WEIGHT_DECAY = 1e-2;

    public record Config(double learningRate, double beta1, double beta2, double eps, double weightDecay,
                         boolean amsgrad) {
        public static final Config DEFAULTS = builder().build();

        public Config {
            Checks.learningRate(learningRate);
            Checks.decayRate("beta1", beta1);
            Checks.decayRate("beta2", beta2);
            Checks.nonNegative("eps", eps);
            Checks.nonNegative("weight decay", weightDecay);
        }

        public static Builder builder() {
            return new Builder();
        }
    }

    public static final class Builder {
        private double learningRate = Adam.DEFAULT_LEARNING_RATE;
        private double beta1 = Adam.DEFAULT_BETA1;
        private double beta2 = Adam.DEFAULT_BETA2;
        private double eps = Adam.DEFAULT_EPS;
        private double weightDecay = DEFAULT_WEIGHT_DECAY;
        private boolean amsgrad;

        private Builder() {
        }

        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        public Builder betas(double b1, double b2) {
            beta1 = b1;
            beta2 = b2;
            return this;
        }

        public Builder eps(double v) {
            eps = v;
            return this;
        }

        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        public Builder amsgrad(boolean v) {
            amsgrad = v;
            return this;
        }

        public Config build() {
            return new Config(learningRate, beta1, beta2, eps, weightDecay, amsgrad);
        }
    }

    private final Config config;

    public AdamW(List<Parameter> parameters, Config config) {
        super(parameters, config.learningRate(), config.beta1(), config.beta2(), config.eps(), config.weightDecay(),
                config.amsgrad(), true);
        this.config = config;
    }

    public Config config() {
        return config;
    }

    @Override
    public String name() {
        return "adamw";
    }
}
