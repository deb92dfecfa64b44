package org.rnn4j.sample;

/**
 * Beam search settings.
 *
 * @param width k, the number of hypotheses kept at every step (1 = greedy)
 * @param maxLength the most tokens of an output, EOS not counted: after that many, EOS is forced
 * @param lengthPenalty α of the length normalisation ln P / (n + 1)^α that ranks finished hypotheses
 *                      (0 = none: rank by probability; 1 = mean log-probability per token)
 */
public record BeamSearchOptions(int width, int maxLength, double lengthPenalty) {
    public static final int DEFAULT_WIDTH = 5;
    public static final int DEFAULT_MAX_LENGTH = 100;
    public static final double DEFAULT_LENGTH_PENALTY = 0;

    public BeamSearchOptions {
        if (width < 1) {
            throw new IllegalArgumentException("beam width must be at least 1, got " + width);
        }
        if (maxLength < 0) {
            throw new IllegalArgumentException("max length must be non-negative, got " + maxLength);
        }
        if (!(lengthPenalty >= 0) || Double.isInfinite(lengthPenalty)) {
            throw new IllegalArgumentException("length penalty must be 0 (none) or positive and finite, got "
                    + lengthPenalty);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from the defaults; {@link #build()} checks the invariants. */
    public static final class Builder {
        private int width = DEFAULT_WIDTH;
        private int maxLength = DEFAULT_MAX_LENGTH;
        private double lengthPenalty = DEFAULT_LENGTH_PENALTY;

        private Builder() {
        }

        public Builder width(int v) {
            width = v;
            return this;
        }

        public Builder maxLength(int v) {
            maxLength = v;
            return this;
        }

        public Builder lengthPenalty(double v) {
            lengthPenalty = v;
            return this;
        }

        public BeamSearchOptions build() {
            return new BeamSearchOptions(width, maxLength, lengthPenalty);
        }
    }
}
