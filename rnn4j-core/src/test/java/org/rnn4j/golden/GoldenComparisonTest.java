package org.rnn4j.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.rnn4j.io.SafeTensorsFile;
import org.rnn4j.io.TensorData;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.model.CellType;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.RecurrentStack;
import org.rnn4j.model.RecurrentState;

/** The comparison used by the golden tests can fail, and says where. */
class GoldenComparisonTest {
    private static TensorData reference() {
        float[] v = new float[36];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(i + 1.0);
        }
        return TensorData.ofFloats("grad.rnn.weight_hh_l1", new int[] {6, 6}, v);
    }

    @Test
    void equalAndNearlyEqualValuesPass() {
        TensorData ref = reference();
        float[] v = ref.floats();
        Golden.assertClose("fixture", ref, v, Golden.FLOAT32);
        v[7] += (float) (0.5 * Golden.FLOAT32.allowed(v[7])); // half the allowance
        Golden.Comparison c = Golden.assertClose("fixture", ref, v, Golden.FLOAT32);
        assertEquals(7, c.worstIndex());
    }

    @Test
    void aPerturbedElementFailsWithTheTensorAndIndex() {
        TensorData ref = reference();
        float[] v = ref.floats();
        float torch = v[7];
        v[7] += 1e-3f;
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> Golden.assertClose("rnn_tanh_l2_b3_given", ref, v, Golden.FLOAT32));
        String m = e.getMessage();
        assertTrue(m.startsWith("rnn_tanh_l2_b3_given: grad.rnn.weight_hh_l1[7]: rnn4j="), m);
        assertTrue(m.contains("torch=" + String.format("%.9g", (double) torch)), m);
        assertTrue(m.contains("err=1.00"), m);
        assertTrue(m.contains("index [1, 1] of shape [6, 6]; 1 of 36 elements"), m);
    }

    @Test
    void justOutsideTheToleranceFails() {
        TensorData ref = reference();
        float[] v = ref.floats();
        v[35] += (float) (1.5 * Golden.FLOAT32.allowed(v[35]));
        assertThrows(AssertionFailedError.class, () -> Golden.assertClose("f", ref, v, Golden.FLOAT32));
    }

    @Test
    void nanAndWrongLengthFail() {
        TensorData ref = reference();
        float[] v = ref.floats();
        v[0] = Float.NaN;
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> Golden.assertClose("f", ref, v, Golden.FLOAT32));
        assertTrue(e.getMessage().contains("[0]: rnn4j=NaN"), e.getMessage());
        assertThrows(AssertionFailedError.class, () -> Golden.assertClose("f", ref, new float[35], Golden.FLOAT32));
        assertThrows(AssertionFailedError.class,
                () -> Golden.assertClose("f", "loss", Double.NaN, 1.0, Golden.FLOAT32));
        assertThrows(AssertionFailedError.class, () -> Golden.assertClose("f", "loss", 1.001, 1.0, Golden.FLOAT32));
    }

    /**
     * End to end: a model with one recurrent weight off by 1e-3 (a far smaller error than any real bug)
     * no longer matches the fixture's logits.
     */
    @Test
    void aSlightlyWrongModelIsCaught() throws IOException {
        String file = "charrnn_tanh_emb_l2_learnedh0.safetensors";
        SafeTensorsFile f = Golden.read(file);
        LanguageModel model = new LanguageModel(CharModelGoldenTest.config(f, file));
        Golden.loadParameters(file, f, model.parameters(), "embedding.", "rnn.", "decoder.");
        model.parameter("rnn.weight_hh_l0").value.data[7] += 1e-3f;
        RecurrentState state = model.newState(3);
        model.forward(f.tensor("tokens").ints(), null, 5, 3, state);
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> Golden.assertClose(file, f.tensor("logits"), model.logits().toArray(), Golden.FLOAT32));
        assertTrue(e.getMessage().contains(": logits["), e.getMessage());
    }

    /**
     * The state helpers put PyTorch's element (layer·dirs + direction, b, j) of h at column
     * direction·2H + j of row b of layer k's (B × 4H) LSTM state, and of c at direction·2H + H + j; and
     * read them back.
     */
    @Test
    void torchStatesMapToTheDocumentedColumns() {
        int layers = 2;
        int dirs = 2;
        int batch = 2;
        int hidden = 3;
        RecurrentState state = RecurrentStack.builder(CellType.LSTM, 4, hidden).numLayers(layers).bidirectional()
                .build().newState(batch);
        int n = layers * dirs * batch * hidden;
        float[] h = new float[n];
        float[] c = new float[n];
        for (int i = 0; i < n; i++) {
            h[i] = i + 1;
            c[i] = -(i + 1);
        }
        int[] shape = {layers * dirs, batch, hidden};
        Golden.setTorchState(state, dirs, hidden, Golden.H_PART, TensorData.ofFloats("h0", shape, h));
        Golden.setTorchState(state, dirs, hidden, Golden.C_PART, TensorData.ofFloats("c0", shape, c));
        for (int k = 0; k < layers; k++) {
            Matrix m = state.layer(k);
            assertEquals(2 * dirs * hidden, m.cols, "LSTM bidirectional state width 4H");
            for (int d = 0; d < dirs; d++) {
                for (int b = 0; b < batch; b++) {
                    for (int j = 0; j < hidden; j++) {
                        float torch = ((k * dirs + d) * batch + b) * hidden + j + 1;
                        assertEquals(torch, m.get(b, d * 2 * hidden + j), "h at layer " + k + " dir " + d);
                        assertEquals(-torch, m.get(b, d * 2 * hidden + hidden + j), "c at layer " + k + " dir " + d);
                    }
                }
            }
        }
        assertArrayEquals(h, Golden.torchState(state, dirs, hidden, Golden.H_PART));
        assertArrayEquals(c, Golden.torchState(state, dirs, hidden, Golden.C_PART));
    }

    /**
     * The given-state network fixtures tell the state layouts apart: starting an L=2 bidirectional LSTM
     * from h0/c0 with the directions swapped, the layers swapped, or h and c swapped no longer gives the
     * fixture's h_n.
     */
    @Test
    void aWrongStateLayoutIsCaught() throws IOException {
        String file = "lstm_l2_bi_b3_given.safetensors";
        SafeTensorsFile f = Golden.read(file);
        TensorData h0 = f.tensor("h0");
        TensorData c0 = f.tensor("c0");
        int[] directionsSwapped = {1, 0, 3, 2};
        int[] layersSwapped = {2, 3, 0, 1};
        int[] same = {0, 1, 2, 3};
        hN(f, h0, c0); // the right layout passes
        assertThrows(AssertionFailedError.class, () -> hN(f, permute(h0, directionsSwapped), permute(c0, directionsSwapped)));
        assertThrows(AssertionFailedError.class, () -> hN(f, permute(h0, layersSwapped), permute(c0, layersSwapped)));
        assertThrows(AssertionFailedError.class, () -> hN(f, permute(c0, same), permute(h0, same)));
    }

    /** Runs the fixture's stack from (h0, c0) and compares h_n. */
    private static void hN(SafeTensorsFile f, TensorData h0, TensorData c0) throws IOException {
        RecurrentStack stack = RecurrentStack.builder(CellType.LSTM, 4, 6).numLayers(2).bidirectional().build();
        Golden.loadParameters("f", f, stack.parameters(), "rnn.");
        RecurrentState state = stack.newState(3);
        Golden.setTorchState(state, 2, 6, Golden.H_PART, h0);
        Golden.setTorchState(state, 2, 6, Golden.C_PART, c0);
        stack.forward(Golden.matrix(f.tensor("input"), new int[] {5, 3, 4}, 15, 4), 5, 3, state);
        Golden.assertClose("f", f.tensor("h_n"), Golden.torchState(state, 2, 6, Golden.H_PART), Golden.FLOAT32);
    }

    /** The (S, B, H) tensor with its first index permuted: slice i of the result is slice order[i]. */
    private static TensorData permute(TensorData t, int[] order) {
        float[] v = t.floats();
        float[] out = new float[v.length];
        int slice = v.length / order.length;
        for (int i = 0; i < order.length; i++) {
            System.arraycopy(v, order[i] * slice, out, i * slice, slice);
        }
        return TensorData.ofFloats(t.name(), t.shape(), out);
    }
}
