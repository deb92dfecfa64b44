package org.rnn4j.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.rnn4j.io.SafeTensorsFile;
import org.rnn4j.io.TensorData;
import org.rnn4j.model.LanguageModel;
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
}
