package org.rnn4j.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnn4j.model.RecurrentStack;
import org.rnn4j.model.RecurrentState;

/**
 * A recurrent state saved on its own, for streaming use: a safetensors file with one F32 tensor
 * {@code state.l{k}} of shape (B, S) per layer, and metadata {@code "format": "rnn4j-state"}. Restoring
 * checks every shape against the stack it is restored into.
 */
public final class StateFile {
    public static final String FORMAT = "rnn4j-state";

    private StateFile() {
    }

    public static void write(Path file, RecurrentState state) throws IOException {
        List<TensorData> tensors = new ArrayList<>();
        for (int k = 0; k < state.numLayers(); k++) {
            var m = state.layer(k);
            tensors.add(TensorData.ofFloats("state.l" + k, new int[] {m.rows, m.cols}, m.toArray()));
        }
        SafeTensors.write(file, tensors, Map.of(ModelFile.KEY_FORMAT, FORMAT,
                "rnn4j.state_initial", Boolean.toString(state.isInitial())));
    }

    /** Reads a state saved by {@link #write} for this stack (same layers and state widths). */
    public static RecurrentState read(Path file, RecurrentStack stack) throws IOException {
        SafeTensorsFile st = SafeTensors.read(file);
        String src = st.source();
        if (!FORMAT.equals(st.metadata().get(ModelFile.KEY_FORMAT))) {
            throw new ModelFileException(src, "is not an rnn4j state file (metadata 'format' is not '" + FORMAT + "')");
        }
        int layers = 0;
        while (st.contains("state.l" + layers)) {
            layers++;
        }
        if (layers != stack.numLayers()) {
            throw new ModelFileException(src, "holds the state of " + layers + " layers but the model has "
                    + stack.numLayers());
        }
        TensorData first = st.tensor("state.l0");
        if (first.rank() != 2) {
            throw new ModelFileException(src, "tensor 'state.l0' must have shape (B, S), got rank " + first.rank());
        }
        RecurrentState s = stack.newState(first.dim(0));
        for (int k = 0; k < layers; k++) {
            TensorData t = st.tensor("state.l" + k);
            var m = s.layer(k);
            if (t.rank() != 2 || t.dim(0) != m.rows || t.dim(1) != m.cols || t.dtype() != DType.F32) {
                throw new ModelFileException(src, "tensor 'state.l" + k + "' is " + t.dtype() + " "
                        + java.util.Arrays.toString(t.shape()) + " but layer " + k + " needs F32 [" + m.rows + ", "
                        + m.cols + "]");
            }
            float[] v = t.floats();
            System.arraycopy(v, 0, m.data, m.offset, v.length);
        }
        s.setInitial(Boolean.parseBoolean(st.metadata().get("rnn4j.state_initial")));
        return s;
    }
}
