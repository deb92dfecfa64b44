package org.rnn4j.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.io.ModelFile;
import org.rnn4j.io.SafeTensors;
import org.rnn4j.io.SafeTensorsFile;
import org.rnn4j.io.TensorData;
import org.rnn4j.matrix.Activation;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.ModelConfig;
import org.rnn4j.model.RecurrentState;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.SoftmaxCrossEntropy;

/**
 * The whole language model (embedding or one-hot → Elman stack → decoder → summed cross-entropy) against
 * PyTorch, one fixture {@code charrnn_*.safetensors} at a time: logits, final state, loss (a sum over the
 * 13 positions with a target; two targets are −100) and the gradient of every parameter, including the
 * learned initial states {@code rnn.h0_l{k}}.
 */
class CharModelGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<String> fixtures() {
        // the Elman char models; the gated ones are checked with the gated cells
        return Golden.fixtures("charrnn_").stream().filter(n -> n.matches("charrnn_(tanh|relu|sigmoid)_.*")).toList();
    }

    @Test
    void allFixturesArePresent() {
        // 3 activations × {emb, onehot} × 2 depths, plus 2 with a learned initial state (README, section (b))
        assertEquals(14, fixtures().size(), () -> "charrnn_*.safetensors fixtures found: " + fixtures());
    }

    /** The model described by the fixture's {@code rnn4j.config}, checked against the plain metadata fields. */
    static ModelConfig config(SafeTensorsFile f, String label) throws IOException {
        JsonNode c = JSON.readTree(f.metadata().get("rnn4j.config"));
        assertEquals("rnn", c.get("cell").asText(), label + ": cell");
        ModelConfig.Builder b = ModelConfig.builder()
                .nonlinearity(Activation.fromId(c.get("nonlinearity").asText()))
                .vocabSize(c.get("vocab_size").asInt())
                .embeddingDim(c.get("embedding_dim").asInt())
                .hiddenSize(c.get("hidden_size").asInt())
                .numLayers(c.get("num_layers").asInt());
        if (c.get("learned_initial_state").asBoolean()) {
            b.learnedInitialState();
        }
        ModelConfig config = b.build();
        String summary = config.nonlinearity().id() + " V=" + config.vocabSize() + " E=" + config.embeddingDim()
                + " H=" + config.hiddenSize() + " L=" + config.numLayers() + " learned=" + config.learnedInitialState();
        String expected = f.metadata().get("nonlinearity") + " V=" + f.metadata().get("V") + " E="
                + f.metadata().get("E") + " H=" + f.metadata().get("H") + " L=" + f.metadata().get("num_layers")
                + " learned=" + f.metadata().get("learned_initial_state");
        assertEquals(expected, summary, label + ": rnn4j.config vs the metadata fields");
        return config;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void matchesPyTorch(String file) throws IOException {
        SafeTensorsFile f = Golden.read(file);
        String label = Golden.label(file);
        int steps = Golden.intMeta(f, "T");
        int batch = Golden.intMeta(f, "B");
        LanguageModel model = new LanguageModel(config(f, label));
        Golden.loadParameters(label, f, model.parameters(), "embedding.", "rnn.", "decoder.");
        int[] tokens = f.tensor("tokens").ints();
        int[] targets = f.tensor("targets").ints();
        int withTarget = (int) Arrays.stream(targets).filter(y -> y >= 0).count();
        double torchLoss = f.tensor("loss").floats()[0];

        // Forward only: logits (T, B, V) are the (T·B × V) matrix; the state ends as h_n.
        RecurrentState state = model.newState(batch);
        SoftmaxCrossEntropy.Result r = model.forward(tokens, targets, steps, batch, state);
        Golden.assertClose(label, f.tensor("logits"), model.logits().toArray(), Golden.FLOAT32);
        Golden.assertClose(label, f.tensor("h_n"), Golden.flatten(state), Golden.FLOAT32);
        Golden.assertClose(label, "loss (forward)", r.sum(), torchLoss, Golden.FLOAT32);
        assertEquals(withTarget, r.count(), label + ": positions with a target");

        // Forward and backward from a fresh initial state, loss summed (scale 1), as PyTorch's reduction='sum'.
        model.zeroGrad();
        SoftmaxCrossEntropy.Result rb = model.forwardBackward(tokens, targets, steps, batch, model.newState(batch), 1f);
        Golden.assertClose(label, "loss (forwardBackward)", rb.sum(), torchLoss, Golden.FLOAT32);
        int compared = 0;
        for (String name : f.names()) {
            if (name.startsWith("grad.")) {
                String param = name.substring("grad.".length());
                Golden.assertClose(label, f.tensor(name),
                        ElmanGoldenTest.parameter(model.parameters(), param, label).grad.toArray(), Golden.FLOAT32);
                compared++;
            }
        }
        assertEquals(model.parameters().size(), compared, label + ": every parameter's gradient is in the fixture");
    }

    /**
     * The model tensors of each fixture, written alone as PyTorch's {@code save_rnn4j} writes a model file
     * (its {@code state_dict} and the same metadata), load through {@link ModelFile} into the model the
     * golden values describe: config, vocabulary, parameters bit for bit, and the logits.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void modelTensorsLoadAsAModelFile(String file, @TempDir Path dir) throws IOException {
        SafeTensorsFile f = Golden.read(file);
        List<TensorData> model = new ArrayList<>();
        for (TensorData t : f.tensors()) {
            if (t.name().startsWith("embedding.") || t.name().startsWith("rnn.") || t.name().startsWith("decoder.")) {
                model.add(t);
            }
        }
        Path copy = dir.resolve(file);
        SafeTensors.write(copy, model, f.metadata());
        checkLoaded(ModelFile.load(copy), f, Golden.label(file));
    }

    /**
     * Every {@code charrnn_*} file is itself a valid rnn4j model file (README, section (b)): "a model
     * loader must ignore the tensors that are not model parameters ({@code tokens}, {@code targets},
     * {@code logits}, {@code h_n}, {@code loss}, {@code grad.*}) and the extra metadata keys".
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureLoadsAsAModelFile(String file) throws IOException {
        checkLoaded(ModelFile.load(Golden.resource(file)), Golden.read(file), Golden.label(file));
    }

    private static void checkLoaded(ModelFile.Contents c, SafeTensorsFile f, String label) throws IOException {
        assertEquals(config(f, label), c.model().config(), label + ": config");
        assertEquals(List.of("a", "b", "c", "d", "e", " ", "\n"), c.vocabulary().tokens(), label + ": vocabulary");
        for (Parameter p : c.model().parameters()) {
            Golden.assertClose(label, f.tensor(p.name()), p.value.toArray(), new Golden.Tolerance(0, 0));
        }
        int batch = Golden.intMeta(f, "B");
        c.model().forward(f.tensor("tokens").ints(), null, Golden.intMeta(f, "T"), batch, c.model().newState(batch));
        Golden.assertClose(label, f.tensor("logits"), c.model().logits().toArray(), Golden.FLOAT32);
    }
}
