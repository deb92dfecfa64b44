package org.rnn4j.diag;

/**
 * One step of a {@link Cell} on one sequence: the state before and after and the cell's internals.
 * {@code gates} holds, per cell:
 * <pre>
 *   RNN:  f'(a_t)                       (H)
 *   LSTM: [i, f, g, o, tanh(c_t)]        (5H)
 *   GRU:  [r, z, n, hn]                  (4H)   hn = W_hn h_{t−1} + b_hn
 * </pre>
 */
final class CellStep {
    final double[] prev;  // s_{t−1} (S)
    final double[] state; // s_t (S)
    final double[] gates;

    CellStep(double[] prev, double[] state, double[] gates) {
        this.prev = prev;
        this.state = state;
        this.gates = gates;
    }
}
