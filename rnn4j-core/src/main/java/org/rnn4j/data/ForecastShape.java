package org.rnn4j.data;

/** What a forecasting window predicts, one step ahead (horizon 1). */
public enum ForecastShape {
    /** Many-to-one: from steps {@code [i, i+W)} predict the targets at step {@code i+W}. */
    MANY_TO_ONE,
    /** Many-to-many: at every step {@code i+t} of the window predict the targets at step {@code i+t+1}. */
    MANY_TO_MANY
}
