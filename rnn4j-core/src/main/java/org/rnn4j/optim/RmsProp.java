package org.rnn4j.optim;

import java.util.List;
import org.rnn4j.nn.Parameter;

/**
 * RMSprop (Hinton's lecture 6e; the optimizer of Karpathy's char-rnn), as PyTorch 1.13's
 * {@code torch.optim.RMSprop}, optionally centered (Graves 2013) and with momentum:
 * <pre>
 *   d   = g + λ·θ                         (weight decay λ, if λ ≠ 0)
 *   v   = α·v + (1 − α)·d·d
 *   ḡ   = α·ḡ + (1 − α)·d                 (centered only)
 *   avg = √(v − ḡ·ḡ) + ε   (centered)   or   √v + ε
 *   b   = μ·b + d / avg,  θ = θ − lr·b    (momentum μ &gt; 0)
 *   θ   = θ − lr·d / avg                  (otherwise)
 * </pre>
 * In float32 as PyTorch's kernels: {@code v.mul_(α).addcmul_(d, d, value=1−α)} is
 * {@code fma((1−α)·d, d, α·v)}, {@code ḡ.mul_(α).add_(d, alpha=1−α)} is {@code fma(1−α, d, α·ḡ)},
 * {@code v.addcmul(ḡ, ḡ, value=−1)} is {@code fma(−ḡ, ḡ, v)}, √ and + ε round separately,
 * {@code b.mul_(μ).addcdiv_(d, avg)} is {@code μ·b + d/avg} (three roundings) and
 * {@code θ.addcdiv_(d, avg, value=−lr)} is {@code θ + ((−lr)·d) / avg}.
 */
public final class RmsProp extends AbstractOptimizer {
    public static final double DEFAULT_LEARNING_RATE = 1e-2;
    public static final double DEFAULT_ALPHA = 0.99;
    public static final double DEFAULT_EPS = 1e-8;
    public static final double DEFAULT_WEIGHT_DECAY = 0;
    public static final double DEFAULT_MOMENTUM = 0;

    public record Config(double learningRate, double alpha, double eps, double weightDecay, double momentum,
                         boolean centered) {
        public static final Config DEFAULTS = builder().build();

        public Config {
            Checks.learningRate(learningRate);
            Checks.decayRate("alpha", alpha);
            Checks.nonNegative("eps", eps);
            Checks.nonNegative("weight decay", weightDecay);
            Checks.nonNegative("momentum", momentum);
        }

        public static Builder builder() {
            return new Builder();
        }
    }

    public static final class Builder {
        private double learningRate = DEFAULT_LEARNING_RATE;
        private double alpha = DEFAULT_ALPHA;
        private double eps = DEFAULT_EPS;
        private double weightDecay = DEFAULT_WEIGHT_DECAY;
        private double momentum = DEFAULT_MOMENTUM;
        private boolean centered;

        private Builder() {
        }

        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        public Builder alpha(double v) {
            alpha = v;
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

        public Builder momentum(double v) {
            momentum = v;
            return this;
        }

        public Builder centered(boolean v) {
            centered = v;
            return this;
        }

        public Config build() {
            return new Config(learningRate, alpha, eps, weightDecay, momentum, centered);
        }
    }

    private final Config config;
    private final float[][] squareAvg;
    private final float[][] gradAvg;        // null unless centered
    private final float[][] momentumBuffer; // null without momentum

    public RmsProp(List<Parameter> parameters, Config config) {
        super(parameters, config.learningRate());
        this.config = config;
        this.squareAvg = addState("square_avg", 0f);
        this.momentumBuffer = config.momentum() > 0 ? addState("momentum_buffer", 0f) : null;
        this.gradAvg = config.centered() ? addState("grad_avg", 0f) : null;
    }

    public Config config() {
        return config;
    }

    @Override
    public String name() {
        return "rmsprop";
    }

    @Override
    public void step() {
        steps++;
        boolean decay = config.weightDecay() != 0;
        float wd = (float) config.weightDecay();
        float alpha = (float) config.alpha();
        float oneMinusAlpha = (float) (1 - config.alpha());
        float eps = (float) config.eps();
        float mu = (float) config.momentum();
        float negLr = (float) -lr;
        for (int k = 0; k < params.length; k++) {
            Parameter p = params[k];
            float[] w = p.value.data;
            float[] g = p.grad.data;
            int wo = p.value.offset;
            int go = p.grad.offset;
            float[] v = squareAvg[k];
            float[] gAvg = gradAvg == null ? null : gradAvg[k];
            float[] buf = momentumBuffer == null ? null : momentumBuffer[k];
            for (int i = 0, n = p.size(); i < n; i++) {
                float d = g[go + i];
                if (decay) {
                    d = Math.fma(wd, w[wo + i], d);                        // d = g + λ·θ
                }
                v[i] = Math.fma(oneMinusAlpha * d, d, v[i] * alpha);      // v = α·v + (1 − α)·d·d
                float avg;
                if (gAvg != null) {
                    float ga = Math.fma(oneMinusAlpha, d, gAvg[i] * alpha); // ḡ = α·ḡ + (1 − α)·d
                    gAvg[i] = ga;
                    avg = (float) Math.sqrt(Math.fma(-ga, ga, v[i]));        // √(v − ḡ·ḡ)
                } else {
                    avg = (float) Math.sqrt(v[i]);
                }
                avg += eps;
                if (buf != null) {
                    buf[i] = buf[i] * mu + d / avg;                        // b = μ·b + d / avg
                    w[wo + i] = Math.fma(negLr, buf[i], w[wo + i]);        // θ = θ − lr·b
                } else {
                    w[wo + i] = w[wo + i] + negLr * d / avg;               // θ = θ − lr·d / avg
                }
            }
        }
    }
}
