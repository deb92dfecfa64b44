package org.rnn4j.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rnn4j.matrix.Activation;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.nn.ElmanLayer;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.RecurrentLayer;

/**
 * L recurrent layers, layer k reading layer k−1's outputs, as PyTorch's {@code nn.RNN(num_layers=L)}.
 * Parameters are named {@code rnn.weight_ih_l{k}} etc.; a learned initial state adds
 * {@code rnn.h0_l{k}} of shape (S), shared by every sequence of a batch.
 */
public final class RecurrentStack {
    public static final String PREFIX = "rnn.";

    private final CellType cell;
    private final RecurrentLayer[] layers;
    private final Parameter[] learnedInit; // per layer, (S), or null
    private final RecurrentState gradInit;  // views of each layer's ∂L/∂state0 after backward
    private boolean startedFromInitial;
    private int batch;

    public RecurrentStack(CellType cell, Activation nonlinearity, int inputSize, int hiddenSize, int numLayers,
                          boolean learnedInitialState) {
        if (cell != CellType.RNN) {
            throw new UnsupportedOperationException("cell '" + cell.id() + "' is not implemented yet; use rnn");
        }
        this.cell = cell;
        this.layers = new RecurrentLayer[numLayers];
        for (int k = 0; k < numLayers; k++) {
            layers[k] = new ElmanLayer(PREFIX, k, "", k == 0 ? inputSize : hiddenSize, hiddenSize, nonlinearity);
        }
        if (learnedInitialState) {
            learnedInit = new Parameter[numLayers];
            for (int k = 0; k < numLayers; k++) {
                learnedInit[k] = Parameter.vector(PREFIX + "h0_l" + k, layers[k].stateSize());
            }
        } else {
            learnedInit = null;
        }
        this.gradInit = new RecurrentState(new Matrix[numLayers], false);
    }

    public CellType cell() {
        return cell;
    }

    public int numLayers() {
        return layers.length;
    }

    public RecurrentLayer layer(int k) {
        return layers[k];
    }

    public int hiddenSize() {
        return layers[0].hiddenSize();
    }

    /** All parameters: each layer's in order, then the learned initial states. */
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        for (RecurrentLayer l : layers) {
            ps.addAll(l.parameters());
        }
        if (learnedInit != null) {
            Collections.addAll(ps, learnedInit);
        }
        return ps;
    }

    /**
     * PyTorch's initialisation (every weight and bias U(−1/√H, 1/√H)), then the recurrent recipe applied
     * to each H×H gate block of W_hh. Learned initial states start at zero.
     */
    public void initialize(Init.RecurrentInit recurrentInit, Rng rng) {
        float bound = (float) (1.0 / Math.sqrt(hiddenSize()));
        for (RecurrentLayer l : layers) {
            for (Parameter p : l.parameters()) {
                Init.uniform(p.value, bound, rng);
            }
            Parameter whh = l.parameters().get(1);
            for (int g = 0; g < whh.value.rows / hiddenSize(); g++) {
                Init.recurrent(whh.value, g * hiddenSize(), hiddenSize(), recurrentInit, rng);
            }
        }
        if (learnedInit != null) {
            for (Parameter p : learnedInit) {
                p.value.zero();
            }
        }
    }

    /** The initial state for B sequences: zeros, or the learned state in every row. Marked initial. */
    public RecurrentState newState(int batch) {
        Matrix[] m = new Matrix[layers.length];
        for (int k = 0; k < layers.length; k++) {
            m[k] = new Matrix(batch, layers[k].stateSize());
        }
        RecurrentState s = new RecurrentState(m, true);
        reset(s);
        return s;
    }

    /** Sets a state back to the initial state (zeros or learned) and marks it initial. */
    public void reset(RecurrentState s) {
        for (int k = 0; k < layers.length; k++) {
            Matrix m = s.layers[k];
            if (learnedInit == null) {
                m.zero();
            } else {
                for (int b = 0; b < m.rows; b++) {
                    System.arraycopy(learnedInit[k].value.data, 0, m.data, m.offset + b * m.cols, m.cols);
                }
            }
        }
        s.initial = true;
    }

    /**
     * Runs all layers over x (T·B × D) from {@code state}, which is then overwritten with the final state
     * (values only: gradient does not flow into the next window). Returns the top layer's outputs
     * (T·B × H), owned by that layer.
     */
    public Matrix forward(Matrix x, int steps, int batch, RecurrentState state) {
        checkState(state, batch);
        startedFromInitial = state.initial;
        this.batch = batch;
        Matrix in = x;
        for (int k = 0; k < layers.length; k++) {
            in = layers[k].forward(in, steps, batch, state.layers[k]);
        }
        for (int k = 0; k < layers.length; k++) {
            state.layers[k].copyFrom(layers[k].finalState());
        }
        state.initial = false;
        return in;
    }

    /**
     * Back-propagates ∂L/∂(top outputs) through all layers; {@code dFinal} (per layer (B × S)) is the
     * gradient of the final state, or null for none. Adds parameter gradients (including the learned
     * initial state when the forward pass started from it) and returns ∂L/∂x (T·B × D).
     */
    public Matrix backward(Matrix dTop, RecurrentState dFinal) {
        Matrix d = dTop;
        for (int k = layers.length - 1; k >= 0; k--) {
            d = layers[k].backward(d, dFinal == null ? null : dFinal.layers[k]);
            gradInit.layers[k] = layers[k].initialStateGradient();
        }
        if (learnedInit != null && startedFromInitial) {
            for (int k = 0; k < layers.length; k++) {
                Matrix g = gradInit.layers[k];
                float[] acc = learnedInit[k].grad.data;
                for (int b = 0; b < batch; b++) {
                    for (int c = 0; c < g.cols; c++) {
                        acc[c] += g.data[g.offset + b * g.cols + c]; // h0 is shared by the batch: sum the rows
                    }
                }
            }
        }
        return d;
    }

    /** ∂L/∂(initial state) of the last backward pass, per layer (B × S); views owned by the layers. */
    public RecurrentState initialStateGradient() {
        return gradInit;
    }

    /** One step of every layer for generation; {@code state} is updated in place. Returns the top h (B × H). */
    public Matrix step(Matrix x, RecurrentState state) {
        checkState(state, state.batch());
        Matrix in = x;
        for (int k = 0; k < layers.length; k++) {
            in = layers[k].step(in, state.layers[k]);
        }
        state.initial = false;
        return in;
    }

    private void checkState(RecurrentState s, int batch) {
        if (s.layers.length != layers.length) {
            throw new IllegalArgumentException("state has " + s.layers.length + " layers but the model has " + layers.length);
        }
        for (int k = 0; k < layers.length; k++) {
            s.layers[k].requireShape(batch, layers[k].stateSize(), "state of layer " + k);
        }
    }
}
