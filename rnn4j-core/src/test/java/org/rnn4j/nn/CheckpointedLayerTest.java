package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;

/** The wrapper's own contract: what it refuses and how it says so; outputs are tested in CheckpointedStackTest. */
class CheckpointedLayerTest {
    @Test
    void aBidirectionalPairIsRefusedWithHowToWrapItsDirections() {
        BidirectionalLayer bi = new BidirectionalLayer(new GruLayer("rnn.", 0, "", 3, 4),
                new GruLayer("rnn.", 0, "_reverse", 3, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CheckpointedLayer(bi, 2));
        assertTrue(e.getMessage().contains("new BidirectionalLayer(new CheckpointedLayer(fwd, k)"), e.getMessage());
    }

    @Test
    void fewerThanOneStepPerChunkIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CheckpointedLayer(new LstmLayer("rnn.", 0, "", 3, 4), 0));
        assertTrue(e.getMessage().contains("at least 1 step per chunk, got 0"), e.getMessage());
    }

    @Test
    void lifecycleMisuseSaysWhatToRunFirst() {
        CheckpointedLayer c = new CheckpointedLayer(new ElmanLayer("rnn.", 0, "", 3, 4,
                org.rnn4j.matrix.Activation.TANH), 2);
        assertTrue(assertThrows(IllegalStateException.class, () -> c.backward(null, null)).getMessage()
                .contains("backward() called before forward()"));
        assertTrue(assertThrows(IllegalStateException.class, c::finalState).getMessage()
                .contains("before forward()"));
        Matrix x = new Matrix(5 * 2, 3);
        new Rng(1).fillUniform(x, -1f, 1f);
        c.forward(x, 5, 2, new Matrix(2, 4), null);
        assertTrue(assertThrows(IllegalStateException.class, c::initialStateGradient).getMessage()
                .contains("before backward()"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.forward(x, 5, 2, new Matrix(2, 4), new int[] {5, 6}));
        assertTrue(e.getMessage().contains("sequence 1 has length 6"), e.getMessage());
    }

    @Test
    void sizesAndParametersAreTheInnerLayers() {
        LstmLayer lstm = new LstmLayer("rnn.", 0, "", 3, 4);
        CheckpointedLayer c = new CheckpointedLayer(lstm, 3);
        assertEquals(3, c.inputSize());
        assertEquals(4, c.hiddenSize());
        assertEquals(8, c.stateSize());
        assertSame(lstm.parameters().get(0), c.parameters().get(0));
        assertSame(lstm, c.inner());
    }
}
