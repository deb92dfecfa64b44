package org.rnn4j.optim;

/** Range checks of hyper-parameters, shared by the configuration records so that messages agree. */
final class Checks {
    private Checks() {
    }

    static double learningRate(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + lr);
        }
        return lr;
    }

    static double nonNegative(String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " must be finite and at least 0, got " + v);
        }
        return v;
    }

    /** A decay rate such as a β or RMSprop's α: 0 ≤ v &lt; 1. */
    static double decayRate(String what, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1), got " + v);
        }
        return v;
    }

    static long positiveCount(String what, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + v);
        }
        return v;
    }
}
