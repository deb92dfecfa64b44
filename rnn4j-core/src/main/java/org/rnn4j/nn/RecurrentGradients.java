package org.rnn4j.nn;

import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Matrix;

/**
 * The end of every cell's backward pass, the same for RNN, LSTM and GRU once the gate pre-activation
 * gradients of all steps are known:
 * <pre>
 *   a_t = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh     (per gate block)
 *   dW_ih += Σ_t da_tᵀ x_t,   dW_hh += Σ_t da'_tᵀ h_{t-1},   db_ih += Σ_t da_t,   db_hh += Σ_t da'_t
 *   dx_t  = da_t · W_ih
 * </pre>
 * where da' is the gradient of the hidden-side pre-activation: the same as da for RNN and LSTM, and
 * different in the GRU's n block (r multiplies the hidden projection). Each line is one matrix product
 * over all T·B rows; h_{-1} is the initial state, h_{0..T-2} the first T−1 output blocks.
 */
final class RecurrentGradients {
    private RecurrentGradients() {
    }

    /**
     * @param dIn  da  (T·B × G·H), input side
     * @param dHid da' (T·B × G·H), hidden side (may be dIn itself)
     * @param x    (T·B × D) the layer's input
     * @param h0   (B × H) h_{-1}
     * @param h    (T·B × H) the outputs h_t
     * @param dX   (T·B × D) receives dx
     */
    static void accumulate(Matrix dIn, Matrix dHid, Matrix x, Matrix h0, Matrix h, int steps, int batch,
                           Parameter weightIh, Parameter weightHh, Parameter biasIh, Parameter biasHh, Matrix dX) {
        Kernels.mulTransAAdd(dIn, x, weightIh.grad);                           // dW_ih += daᵀ x
        Kernels.mulTransAAdd(dHid.rows(0, batch), h0, weightHh.grad);          // dW_hh += da'_0ᵀ h_{-1}
        if (steps > 1) {
            int rest = (steps - 1) * batch;
            Kernels.mulTransAAdd(dHid.rows(batch, rest), h.rows(0, rest), weightHh.grad); // + Σ_{t≥1} da'_tᵀ h_{t-1}
        }
        if (dHid == dIn) { // db_ih = db_hh = Σ da: one sum, added to both
            Matrix sum = new Matrix(1, dIn.cols);
            Kernels.sumRowsAdd(dIn, sum);
            Kernels.addRowVector(biasIh.grad, sum);
            Kernels.addRowVector(biasHh.grad, sum);
        } else {
            Kernels.sumRowsAdd(dIn, biasIh.grad);
            Kernels.sumRowsAdd(dHid, biasHh.grad);
        }
        Kernels.mul(dIn, weightIh.value, dX);                                  // dx = da · W_ih
    }
}
