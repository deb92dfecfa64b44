package org.rnn4j.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.List;
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
import org.rnn4j.nn.Parameter;

/**
 * The Elman stack against PyTorch, one fixture {@code rnn_{act}_l{L}_b{B}_{zero|given}.safetensors} at a
 * time: forward from h0 (zeros when the fixture has none), then the loss
 * {@code Σ output·loss_weight_output + Σ h_n·loss_weight_h_n}, whose gradient with respect to the top
 * layer's outputs is {@code loss_weight_output} and with respect to the final states
 * {@code loss_weight_h_n}; back-propagating those must give every {@code grad.*} tensor of the fixture.
 */
class ElmanGoldenTest {
    static List<String> fixtures() {
        // rnn_{tanh,relu,sigmoid}_*: the activation-specific Elman fixtures (the rnn_l* network ones are
        // covered with the gated cells)
        return Golden.fixtures("rnn_").stream().filter(n -> n.matches("rnn_(tanh|relu|sigmoid)_.*")).toList();
    }

    @Test
    void allFixturesArePresent() {
        // 3 activations × 2 depths × 2 batch sizes × 2 initial states (README, section (a))
        assertEquals(24, fixtures().size(), () -> "rnn_*.safetensors fixtures found: " + fixtures());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void matchesPyTorch(String file) throws IOException {
        SafeTensorsFile f = Golden.read(file);
        String label = Golden.label(file);
        int steps = Golden.intMeta(f, "T");
        int batch = Golden.intMeta(f, "B");
        int inputSize = Golden.intMeta(f, "D");
        int hidden = Golden.intMeta(f, "H");
        int layers = Golden.intMeta(f, "num_layers");
        Activation act = Activation.fromId(f.metadata().get("nonlinearity"));
        String family = "elman " + act.id();
        boolean given = f.contains("h0");
        assertEquals("given".equals(f.metadata().get("h0")), given, label + ": metadata h0 vs tensor h0");

        RecurrentStack stack = RecurrentStack.builder(CellType.RNN, inputSize, hidden).nonlinearity(act).numLayers(layers)
                .build();
        Golden.loadParameters(label, f, stack.parameters(), "rnn.");
        Matrix x = Golden.matrix(f.tensor("input"), new int[] {steps, batch, inputSize}, steps * batch, inputSize);
        RecurrentState state = stack.newState(batch);
        if (given) {
            Golden.setTorchState(state, 1, hidden, Golden.H_PART, f.tensor("h0"));
        }

        // Forward: output (T, B, H) is the (T·B × H) matrix; the state now holds h_n.
        float[] output = stack.forward(x, steps, batch, state).toArray();
        float[] hN = Golden.torchState(state, 1, hidden, Golden.H_PART);
        Golden.check(family, label, f.tensor("output"), output);
        Golden.check(family, label, f.tensor("h_n"), hN);

        TensorData wOut = f.tensor("loss_weight_output");
        TensorData wState = f.tensor("loss_weight_h_n");
        double loss = dot(output, wOut.floats()) + dot(hN, wState.floats());
        Golden.check(family, label, "loss", loss, f.tensor("loss").floats()[0]);

        // Backward: ∂loss/∂output = loss_weight_output, ∂loss/∂h_n = loss_weight_h_n.
        Matrix dTop = Golden.matrix(wOut, new int[] {steps, batch, hidden}, steps * batch, hidden);
        RecurrentState dFinal = stack.newState(batch);
        Golden.setTorchState(dFinal, 1, hidden, Golden.H_PART, wState);
        float[] dX = stack.backward(dTop, dFinal).toArray();
        float[] dH0 = Golden.torchState(stack.initialStateGradient(), 1, hidden, Golden.H_PART);

        int compared = 0;
        for (String name : f.names()) {
            if (!name.startsWith("grad.")) {
                continue;
            }
            String of = name.substring("grad.".length());
            float[] actual = switch (of) {
                case "input" -> dX;
                case "h0" -> dH0;
                default -> parameter(stack.parameters(), of, label).grad.toArray();
            };
            Golden.check(family, label, f.tensor(name), actual);
            compared++;
        }
        // every parameter, the input, and h0 when given: nothing may be left unchecked
        assertEquals(4 * layers + 1 + (given ? 1 : 0), compared, label + ": number of grad.* tensors compared");
        assertEquals(4 * layers, stack.parameters().size(), label + ": parameters " + stack.parameters());
    }

    @AfterAll
    static void report() {
        Golden.printReportIfAsked("elman tanh", "elman relu", "elman sigmoid");
    }

    static Parameter parameter(List<Parameter> params, String name, String label) {
        for (Parameter p : params) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return fail(label + ": the fixture has grad." + name + " but rnn4j has no parameter " + name + "; it has "
                + params);
    }

    static double dot(float[] a, float[] b) {
        assertEquals(a.length, b.length, "dot product lengths");
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
