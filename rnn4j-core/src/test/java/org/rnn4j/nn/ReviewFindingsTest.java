package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.matrix.Activation;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;

/** Defects found in review, each pinned by a test that failed before its fix. */
class ReviewFindingsTest {
    private static Matrix random(int rows, int cols, Rng rng) {
        Matrix m = new Matrix(rows, cols);
        rng.fillUniform(m, -1, 1);
        return m;
    }

    /**
     * LSTM and GRU refuse initialStateGradient() between a forward and its backward; the Elman layer
     * returned the previous batch's gradient and the bidirectional layer null (before any backward) or the
     * previous batch's, possibly of another B.
     */
    @Test
    void initialStateGradientBeforeBackwardIsRefusedByEveryLayer() {
        Rng rng = new Rng(4);
        for (RecurrentLayer l : List.of(new ElmanLayer("r.", 0, "", 3, 4, Activation.TANH),
                new BidirectionalLayer(new ElmanLayer("r.", 0, "", 3, 4, Activation.TANH),
                        new ElmanLayer("r.", 0, "_reverse", 3, 4, Activation.TANH)),
                new LstmLayer("r.", 0, "", 3, 4), new GruLayer("r.", 0, "", 3, 4))) {
            for (Parameter p : l.parameters()) {
                rng.fillUniform(p.value, -0.5f, 0.5f);
            }
            l.forward(random(6, 3, rng), 3, 2, new Matrix(2, l.stateSize()));
            assertThrows(IllegalStateException.class, l::initialStateGradient, l.getClass().getSimpleName() + " before any backward");
            l.backward(random(6, l.hiddenSize(), rng), null);
            l.initialStateGradient();
            l.forward(random(6, 3, rng), 2, 3, new Matrix(3, l.stateSize()));
            assertThrows(IllegalStateException.class, l::initialStateGradient, l.getClass().getSimpleName() + " after a new forward");
        }
    }
}
