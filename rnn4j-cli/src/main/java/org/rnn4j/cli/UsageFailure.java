package org.rnn4j.cli;

/** A bad option value found only after parsing (for example a prime the model cannot read): exit code 2. */
final class UsageFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageFailure(String message) {
        super(message);
    }
}
