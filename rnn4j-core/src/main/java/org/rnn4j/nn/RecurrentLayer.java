package org.rnn4j.nn;

import java.util.List;
import org.rnn4j.matrix.Matrix;

/**
 * One recurrent layer over a time-major batch: the input of T steps and B sequences is one
 * (T·B × D) matrix whose rows {@code [t·B, (t+1)·B)} are step t. The layer's state is a (B × S)
 * matrix: S = H for the Elman RNN and GRU ({@code h}), and S = 2H for LSTM ({@code [h | c]}).
 *
 * <p>Lifecycle: {@link #forward} caches what {@link #backward} needs and returns an output matrix
 * owned by the layer (valid until the next forward). {@link #step} runs one step for generation
 * without touching those caches.
 */
public interface RecurrentLayer {
    int inputSize();

    int hiddenSize();

    /** Width S of the state (B × S) this layer carries between steps. */
    int stateSize();

    /** Parameters in a stable order with their PyTorch names. */
    List<Parameter> parameters();

    /**
     * Runs T steps from {@code state0} (B × S). Returns the outputs h (T·B × H); the final state is
     * available from {@link #finalState()}.
     */
    default Matrix forward(Matrix x, int steps, int batch, Matrix state0) {
        return forward(x, steps, batch, state0, null);
    }

    /**
     * Runs T steps of sequences of the given lengths (null: all T; see {@link SequenceLengths}): the final
     * state of sequence b is the one after its step length_b − 1, and {@link #backward} injects the final
     * state's gradient there.
     */
    Matrix forward(Matrix x, int steps, int batch, Matrix state0, int[] lengths);

    /** The state after each sequence's last step of the last forward pass, (B × S), owned by the layer. */
    Matrix finalState();

    /**
     * Writes the state after step {@code t} (0 ≤ t &lt; T) of the last forward pass into {@code out} (B × S):
     * where truncated BPTT with overlapping windows resumes, and where a sequence shorter than the batch's
     * T ends.
     */
    void copyStateAfter(int t, Matrix out);

    /**
     * Back-propagates through the last forward pass. {@code dOutput} (T·B × H) is ∂L/∂h for every
     * step; {@code dFinalState} (B × S) is ∂L/∂(final state), or null for zero. Adds the parameter
     * gradients into each {@link Parameter#grad} and returns ∂L/∂x (T·B × D), owned by the layer.
     */
    Matrix backward(Matrix dOutput, Matrix dFinalState);

    /** ∂L/∂state0 (B × S) from the last backward pass, owned by the layer. */
    Matrix initialStateGradient();

    /** One step for generation: {@code state} (B × S) is updated in place; returns h (B × H), owned by the layer. */
    Matrix step(Matrix x, Matrix state);

    /**
     * A step function for generation over the weights as they are now (see {@link Stepper}). If
     * {@code inputTable} is not null, it holds every input the caller will feed, one per row (the weights
     * of an embedding, say), and {@link Stepper#stepRows} feeds row r; a layer may then precompute the
     * input side of every row once. The default runs {@link #step} and precomputes nothing.
     */
    default Stepper stepper(Matrix inputTable) {
        return Stepper.unpacked(this, inputTable);
    }
}
