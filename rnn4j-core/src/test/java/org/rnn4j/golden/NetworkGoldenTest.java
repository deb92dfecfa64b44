package org.rnn4j.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.io.SafeTensorsFile;
import org.rnn4j.io.TensorData;
import org.rnn4j.matrix.Activation;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.model.CellType;
import org.rnn4j.model.RecurrentStack;
import org.rnn4j.model.RecurrentState;

/**
 * LSTM, GRU and Elman (tanh) stacks, one or two layers, one or two directions, against PyTorch's
 * {@code nn.LSTM} / {@code nn.GRU} / {@code nn.RNN}: one fixture
 * {@code {cell}_l{L}_{uni|bi}_b{B}_{zero|given}.safetensors} at a time (README, section (d)).
 *
 * <p>Forward from h0 (and c0), zeros when the fixture has none; then the loss
 * {@code Σ output·loss_weight_output + Σ h_n·loss_weight_h_n [+ Σ c_n·loss_weight_c_n]}, whose gradient
 * with respect to the top layer's outputs is {@code loss_weight_output} and with respect to the final
 * states {@code loss_weight_h_n} (and {@code loss_weight_c_n}); back-propagating those must give every
 * {@code grad.*} tensor of the fixture: every parameter of both directions of every layer, the input,
 * and h0 (and c0) when given.
 *
 * <p>PyTorch's states are (L·dirs, B, H) with h and c apart; rnn4j's are one (B × S) matrix per layer,
 * {@code [h (| c)]} per direction, forward then reverse. {@link Golden#setTorchState} and
 * {@link Golden#torchState} convert.
 */
class NetworkGoldenTest {
    private static final String FILE_NAME = "(lstm|gru|rnn)_l[12]_(uni|bi)_b[13]_(zero|given)\\.safetensors";

    static List<String> fixtures() {
        // not the rnn_{tanh,relu,sigmoid}_* Elman fixtures of section (a): those are ElmanGoldenTest's
        return Golden.fixtures("").stream().filter(n -> n.matches(FILE_NAME)).toList();
    }

    @Test
    void allFixturesArePresent() {
        // 3 cells × 2 depths × {uni, bi} × 2 batch sizes × 2 initial states (README, section (d))
        List<String> all = fixtures();
        assertEquals(48, all.size(), () -> "network fixtures found: " + all);
        Map<String, Long> perCell = all.stream().collect(Collectors.groupingBy(n -> n.substring(0, n.indexOf('_')),
                TreeMap::new, Collectors.counting()));
        assertEquals(Map.of("gru", 16L, "lstm", 16L, "rnn", 16L), perCell, "fixtures per cell");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void matchesPyTorch(String file) throws IOException {
        SafeTensorsFile f = Golden.read(file);
        String label = Golden.label(file);
        Map<String, String> meta = f.metadata();
        CellType cell = CellType.fromId(meta.get("cell"));
        String family = "network " + cell.id();
        boolean lstm = cell == CellType.LSTM;
        int steps = Golden.intMeta(f, "T");
        int batch = Golden.intMeta(f, "B");
        int inputSize = Golden.intMeta(f, "D");
        int hidden = Golden.intMeta(f, "H");
        int layers = Golden.intMeta(f, "num_layers");
        boolean bidirectional = Boolean.parseBoolean(meta.get("bidirectional"));
        assertEquals(file.contains("_bi_"), bidirectional, label + ": metadata bidirectional vs the file name");
        int dirs = bidirectional ? 2 : 1;
        boolean given = f.contains("h0");
        assertEquals("given".equals(meta.get("h0")), given, label + ": metadata h0 vs tensor h0");
        assertEquals(given && lstm, f.contains("c0"), label + ": c0 present exactly for a given LSTM state");
        assertEquals(lstm, f.contains("c_n"), label + ": c_n present exactly for LSTM");

        RecurrentStack.Builder builder = RecurrentStack.builder(cell, inputSize, hidden).numLayers(layers);
        if (cell == CellType.RNN) {
            builder.nonlinearity(Activation.fromId(meta.get("nonlinearity")));
        }
        if (bidirectional) {
            builder.bidirectional();
        }
        RecurrentStack stack = builder.build();
        assertEquals(4 * layers * dirs, stack.parameters().size(), label + ": parameters " + stack.parameters());
        assertEquals(dirs * hidden, stack.outputSize(), label + ": output width");
        Golden.loadParameters(label, f, stack.parameters(), "rnn.");

        Matrix x = Golden.matrix(f.tensor("input"), new int[] {steps, batch, inputSize}, steps * batch, inputSize);
        RecurrentState state = stack.newState(batch);
        if (given) {
            Golden.setTorchState(state, dirs, hidden, Golden.H_PART, f.tensor("h0"));
            if (lstm) {
                Golden.setTorchState(state, dirs, hidden, Golden.C_PART, f.tensor("c0"));
            }
        }

        // Forward: output (T, B, dirs·H) is the (T·B × dirs·H) matrix [forward | reverse]; the state ends final.
        float[] output = stack.forward(x, steps, batch, state).toArray();
        float[] hN = Golden.torchState(state, dirs, hidden, Golden.H_PART);
        Golden.check(family, label, f.tensor("output"), output);
        Golden.check(family, label, f.tensor("h_n"), hN);
        double loss = ElmanGoldenTest.dot(output, f.tensor("loss_weight_output").floats())
                + ElmanGoldenTest.dot(hN, f.tensor("loss_weight_h_n").floats());
        if (lstm) {
            float[] cN = Golden.torchState(state, dirs, hidden, Golden.C_PART);
            Golden.check(family, label, f.tensor("c_n"), cN);
            loss += ElmanGoldenTest.dot(cN, f.tensor("loss_weight_c_n").floats());
        }
        Golden.check(family, label, "loss", loss, f.tensor("loss").floats()[0]);

        // Backward: ∂loss/∂output = loss_weight_output, ∂loss/∂h_n = loss_weight_h_n, ∂loss/∂c_n = loss_weight_c_n.
        Matrix dTop = Golden.matrix(f.tensor("loss_weight_output"), new int[] {steps, batch, dirs * hidden},
                steps * batch, dirs * hidden);
        RecurrentState dFinal = stack.newState(batch);
        Golden.setTorchState(dFinal, dirs, hidden, Golden.H_PART, f.tensor("loss_weight_h_n"));
        if (lstm) {
            Golden.setTorchState(dFinal, dirs, hidden, Golden.C_PART, f.tensor("loss_weight_c_n"));
        }
        float[] dX = stack.backward(dTop, dFinal).toArray();
        RecurrentState dInit = stack.initialStateGradient(); // views owned by the layers: read them now
        float[] dH0 = Golden.torchState(dInit, dirs, hidden, Golden.H_PART);
        float[] dC0 = lstm ? Golden.torchState(dInit, dirs, hidden, Golden.C_PART) : null;

        int compared = 0;
        for (String name : f.names()) {
            if (!name.startsWith("grad.")) {
                continue;
            }
            String of = name.substring("grad.".length());
            float[] actual = switch (of) {
                case "input" -> dX;
                case "h0" -> dH0;
                case "c0" -> dC0 != null ? dC0 : fail(label + ": grad.c0 in a fixture of cell " + cell.id());
                default -> ElmanGoldenTest.parameter(stack.parameters(), of, label).grad.toArray();
            };
            Golden.check(family, label, f.tensor(name), actual);
            compared++;
        }
        // every parameter of both directions, the input, and h0 (and c0) when given: nothing left unchecked
        int expected = 4 * layers * dirs + 1 + (given ? (lstm ? 2 : 1) : 0);
        assertEquals(expected, compared, label + ": number of grad.* tensors compared");
    }

    @AfterAll
    static void report() {
        Golden.printReportIfAsked("network lstm", "network gru", "network rnn");
    }
}
