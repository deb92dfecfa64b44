package org.rnn4j.model;

import org.rnn4j.matrix.Matrix;

/**
 * The carried state of a recurrent stack for B sequences: one (B × S) matrix per layer. A state is plain
 * values; carrying it into the next window passes the values but no gradient (truncated BPTT's detach).
 * A state fresh from {@link RecurrentStack#newState(int)} is marked initial, so a learned initial state
 * receives gradient from the first window that starts from it.
 */
public final class RecurrentState {
    final Matrix[] layers;
    boolean initial;

    RecurrentState(Matrix[] layers, boolean initial) {
        this.layers = layers;
        this.initial = initial;
    }

    public int numLayers() {
        return layers.length;
    }

    public int batch() {
        return layers[0].rows;
    }

    /** The state of layer k, (B × S); writes into it change the state. */
    public Matrix layer(int k) {
        return layers[k];
    }

    /** Whether this state is the model's initial state (no step has been taken from it). */
    public boolean isInitial() {
        return initial;
    }

    /** Marks the state as the model's initial state (true) or a carried one (false), as when restoring it. */
    public void setInitial(boolean initial) {
        this.initial = initial;
    }

    public RecurrentState copy() {
        Matrix[] c = new Matrix[layers.length];
        for (int k = 0; k < c.length; k++) {
            c[k] = layers[k].copy();
        }
        return new RecurrentState(c, initial);
    }

    /** Replaces the values with another state's of the same shape. */
    public void copyFrom(RecurrentState other) {
        if (other.layers.length != layers.length) {
            throw new IllegalArgumentException("state has " + other.layers.length + " layers, expected " + layers.length);
        }
        for (int k = 0; k < layers.length; k++) {
            layers[k].copyFrom(other.layers[k]);
        }
        initial = other.initial;
    }
}
