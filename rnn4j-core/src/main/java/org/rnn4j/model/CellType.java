package org.rnn4j.model;

import java.util.Locale;

/** The recurrent cell of a model, named as in the model file's {@code "cell"} key. */
public enum CellType {
    RNN, LSTM, GRU;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CellType fromId(String id) {
        for (CellType c : values()) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown cell '" + id + "': expected rnn, lstm or gru");
    }
}
