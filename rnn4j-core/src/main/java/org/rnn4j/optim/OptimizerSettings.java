package org.rnn4j.optim;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The hyper-parameters of any optimizer, as the command line gives them to {@link Optimizers#create}.
 * An empty value means "the chosen optimizer's default", the constant of that optimizer's class
 * ({@link Adam#DEFAULT_LEARNING_RATE}, {@link Adagrad#DEFAULT_EPS}, ...), so that each default lives in
 * one place; {@link Optimizers#resolve} fills them in. A value the chosen optimizer does not use is an
 * error there rather than silently ignored.
 *
 * <p>{@link #given()} names the values that are set, with PyTorch's keyword names: {@code lr},
 * {@code weight_decay}, {@code momentum}, {@code beta1}, {@code beta2} (PyTorch's {@code betas}),
 * {@code eps}, {@code alpha}, {@code lr_decay}, {@code initial_accumulator_value}, {@code centered},
 * {@code amsgrad}.
 */
public record OptimizerSettings(OptionalDouble learningRate, OptionalDouble weightDecay, OptionalDouble momentum,
                                OptionalDouble beta1, OptionalDouble beta2, OptionalDouble eps, OptionalDouble alpha,
                                OptionalDouble lrDecay, OptionalDouble initialAccumulatorValue, boolean centered,
                                boolean amsgrad) {
    /** Nothing set: every optimizer's own defaults. */
    public static final OptimizerSettings DEFAULTS = builder().build();

    public OptimizerSettings {
        Objects.requireNonNull(learningRate, "learningRate");
        Objects.requireNonNull(weightDecay, "weightDecay");
        Objects.requireNonNull(momentum, "momentum");
        Objects.requireNonNull(beta1, "beta1");
        Objects.requireNonNull(beta2, "beta2");
        Objects.requireNonNull(eps, "eps");
        Objects.requireNonNull(alpha, "alpha");
        Objects.requireNonNull(lrDecay, "lrDecay");
        Objects.requireNonNull(initialAccumulatorValue, "initialAccumulatorValue");
        learningRate.ifPresent(Checks::learningRate);
        weightDecay.ifPresent(v -> Checks.nonNegative("weight decay", v));
        momentum.ifPresent(v -> Checks.nonNegative("momentum", v));
        beta1.ifPresent(v -> Checks.decayRate("beta1", v));
        beta2.ifPresent(v -> Checks.decayRate("beta2", v));
        eps.ifPresent(v -> Checks.nonNegative("eps", v));
        alpha.ifPresent(v -> Checks.decayRate("alpha", v));
        lrDecay.ifPresent(v -> Checks.nonNegative("lr decay", v));
        initialAccumulatorValue.ifPresent(v -> Checks.nonNegative("initial accumulator value", v));
    }

    /** The names (PyTorch's keywords) of the values that are set, in declaration order. */
    public Set<String> given() {
        Set<String> s = new LinkedHashSet<>();
        add(s, "lr", learningRate);
        add(s, "weight_decay", weightDecay);
        add(s, "momentum", momentum);
        add(s, "beta1", beta1);
        add(s, "beta2", beta2);
        add(s, "eps", eps);
        add(s, "alpha", alpha);
        add(s, "lr_decay", lrDecay);
        add(s, "initial_accumulator_value", initialAccumulatorValue);
        if (centered) {
            s.add("centered");
        }
        if (amsgrad) {
            s.add("amsgrad");
        }
        return s;
    }

    private static void add(Set<String> s, String name, OptionalDouble v) {
        if (v.isPresent()) {
            s.add(name);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.learningRate = learningRate;
        b.weightDecay = weightDecay;
        b.momentum = momentum;
        b.beta1 = beta1;
        b.beta2 = beta2;
        b.eps = eps;
        b.alpha = alpha;
        b.lrDecay = lrDecay;
        b.initialAccumulatorValue = initialAccumulatorValue;
        b.centered = centered;
        b.amsgrad = amsgrad;
        return b;
    }

    public static final class Builder {
        private OptionalDouble learningRate = OptionalDouble.empty();
        private OptionalDouble weightDecay = OptionalDouble.empty();
        private OptionalDouble momentum = OptionalDouble.empty();
        private OptionalDouble beta1 = OptionalDouble.empty();
        private OptionalDouble beta2 = OptionalDouble.empty();
        private OptionalDouble eps = OptionalDouble.empty();
        private OptionalDouble alpha = OptionalDouble.empty();
        private OptionalDouble lrDecay = OptionalDouble.empty();
        private OptionalDouble initialAccumulatorValue = OptionalDouble.empty();
        private boolean centered;
        private boolean amsgrad;

        private Builder() {
        }

        public Builder learningRate(double v) {
            learningRate = OptionalDouble.of(v);
            return this;
        }

        public Builder weightDecay(double v) {
            weightDecay = OptionalDouble.of(v);
            return this;
        }

        public Builder momentum(double v) {
            momentum = OptionalDouble.of(v);
            return this;
        }

        public Builder beta1(double v) {
            beta1 = OptionalDouble.of(v);
            return this;
        }

        public Builder beta2(double v) {
            beta2 = OptionalDouble.of(v);
            return this;
        }

        public Builder eps(double v) {
            eps = OptionalDouble.of(v);
            return this;
        }

        /** RMSprop's smoothing constant α. */
        public Builder alpha(double v) {
            alpha = OptionalDouble.of(v);
            return this;
        }

        /** Adagrad's learning-rate decay. */
        public Builder lrDecay(double v) {
            lrDecay = OptionalDouble.of(v);
            return this;
        }

        /** Adagrad's starting value of the sum of squares. */
        public Builder initialAccumulatorValue(double v) {
            initialAccumulatorValue = OptionalDouble.of(v);
            return this;
        }

        /** RMSprop: normalise by the variance rather than the second moment. */
        public Builder centered(boolean v) {
            centered = v;
            return this;
        }

        /** Adam and AdamW: the AMSGrad variant. */
        public Builder amsgrad(boolean v) {
            amsgrad = v;
            return this;
        }

        public OptimizerSettings build() {
            return new OptimizerSettings(learningRate, weightDecay, momentum, beta1, beta2, eps, alpha, lrDecay,
                    initialAccumulatorValue, centered, amsgrad);
        }
    }
}
