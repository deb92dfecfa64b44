package org.rnn4j.optim;

import java.util.List;
import org.rnn4j.nn.Parameter;

/**
 * Adam (Kingma and Ba 2015), optionally AMSGrad (Reddi, Kale and Kumar 2018), as PyTorch 1.13's
 * {@code torch.optim.Adam}: weight decay is L2, added to the gradient. The update and its float32
 * details are in {@link AbstractAdam}; {@link AdamW} decouples the decay.
 */
public final class Adam extends AbstractAdam {
    public static final double DEFAULT_LEARNING_RATE = 1e-3;
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPS = 1e-8;
    public static final double DEFAULT_WEIGHT_DECAY = 0;

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
        private double learningRate = DEFAULT_LEARNING_RATE;
        private double beta1 = DEFAULT_BETA1;
        private double beta2 = DEFAULT_BETA2;
        private double eps = DEFAULT_EPS;
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

    public Adam(List<Parameter> parameters, Config config) {
        super(parameters, config.learningRate(), config.beta1(), config.beta2(), config.eps(), config.weightDecay(),
                config.amsgrad(), false);
        this.config = config;
    }

    public Config config() {
        return config;
    }

    @Override
    public String name() {
        return "adam";
    }
}
