package org.rnn4j.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.io.ModelFile;
import org.rnn4j.io.SafeTensors;
import org.rnn4j.io.SafeTensorsFile;
import org.rnn4j.io.TensorData;
import org.rnn4j.matrix.Activation;
import org.rnn4j.model.CellType;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.ModelConfig;
import org.rnn4j.model.RecurrentState;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.SoftmaxCrossEntropy;

/**
 * The whole language model (embedding or one-hot → Elman, LSTM or GRU stack → decoder → summed
 * cross-entropy) against PyTorch, one fixture {@code charrnn_*.safetensors} at a time: logits, final
 * state ({@code h_n}, and {@code c_n} for LSTM), loss (a sum over the 13 positions with a target; two
 * targets are −100) and the gradient of every parameter, including the learned initial states
 * {@code rnn.h0_l{k}} (and {@code rnn.c0_l{k}}).
 */
class CharModelGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<String> fixtures() {
        return Golden.fixtures("charrnn_");
    }

    @Test
    void allFixturesArePresent() {
        // README, section (b): Elman, 3 activations × {emb, onehot} × 2 depths plus 2 with a learned initial
        // state; gated, {lstm, gru} × {emb, onehot} × 2 depths plus 2 with a learned initial state
        List<String> all = fixtures();
        assertEquals(24, all.size(), () -> "charrnn_*.safetensors fixtures found: " + all);
        assertEquals(14, all.stream().filter(n -> n.matches("charrnn_(tanh|relu|sigmoid)_.*")).count(), "Elman: " + all);
        assertEquals(5, all.stream().filter(n -> n.startsWith("charrnn_lstm_")).count(), "LSTM: " + all);
        assertEquals(5, all.stream().filter(n -> n.startsWith("charrnn_gru_")).count(), "GRU: " + all);
    }

    /** The family a fixture's errors are reported under: "char " and the cell (Elman: its activation). */
    private static String family(ModelConfig c) {
        return "char " + (c.cell() == CellType.RNN ? c.nonlinearity().id() : c.cell().id());
    }

    /**
     * The model described by the fixture's {@code rnn4j.config}, checked against the plain metadata fields
     * (the Elman files have no {@code cell} or {@code bidirectional} field: rnn, false). Keys missing from
     * the config take the README's defaults.
     */
    static ModelConfig config(SafeTensorsFile f, String label) throws IOException {
        JsonNode c = JSON.readTree(f.metadata().get("rnn4j.config"));
        ModelConfig.Builder b = ModelConfig.builder()
                .cell(CellType.fromId(c.path("cell").asText("rnn")))
                .nonlinearity(Activation.fromId(c.get("nonlinearity").asText()))
                .vocabSize(c.get("vocab_size").asInt())
                .embeddingDim(c.get("embedding_dim").asInt())
                .hiddenSize(c.get("hidden_size").asInt())
                .numLayers(c.get("num_layers").asInt())
                .dropout(c.path("dropout").floatValue());
        if (c.path("bidirectional").asBoolean(false)) {
            b.bidirectional();
        }
        if (c.get("learned_initial_state").asBoolean()) {
            b.learnedInitialState();
        }
        ModelConfig config = b.build();
        String summary = config.cell().id() + " " + config.nonlinearity().id() + " V=" + config.vocabSize() + " E="
                + config.embeddingDim() + " H=" + config.hiddenSize() + " L=" + config.numLayers() + " bi="
                + config.bidirectional() + " learned=" + config.learnedInitialState() + " dropout=" + config.dropout();
        Map<String, String> m = f.metadata();
        String expected = m.getOrDefault("cell", "rnn") + " " + m.get("nonlinearity") + " V=" + m.get("V") + " E="
                + m.get("E") + " H=" + m.get("H") + " L=" + m.get("num_layers") + " bi="
                + m.getOrDefault("bidirectional", "false") + " learned=" + m.get("learned_initial_state")
                + " dropout=0.0";
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
        ModelConfig config = config(f, label);
        String family = family(config);
        boolean lstm = config.cell() == CellType.LSTM;
        assertEquals(lstm, f.contains("c_n"), label + ": c_n present exactly for LSTM");
        int hidden = config.hiddenSize();
        LanguageModel model = new LanguageModel(config);
        Golden.loadParameters(label, f, model.parameters(), "embedding.", "rnn.", "decoder.");
        int[] tokens = f.tensor("tokens").ints();
        int[] targets = f.tensor("targets").ints();
        int withTarget = (int) Arrays.stream(targets).filter(y -> y >= 0).count();
        double torchLoss = f.tensor("loss").floats()[0];

        // Forward only: logits (T, B, V) are the (T·B × V) matrix; the state ends as h_n.
        RecurrentState state = model.newState(batch);
        SoftmaxCrossEntropy.Result r = model.forward(tokens, targets, steps, batch, state);
        Golden.check(family, label, f.tensor("logits"), model.logits().toArray());
        Golden.check(family, label, f.tensor("h_n"), Golden.torchState(state, 1, hidden, Golden.H_PART));
        if (lstm) {
            Golden.check(family, label, f.tensor("c_n"), Golden.torchState(state, 1, hidden, Golden.C_PART));
        }
        Golden.check(family, label, "loss (forward)", r.sum(), torchLoss);
        assertEquals(withTarget, r.count(), label + ": positions with a target");

        // Forward and backward from a fresh initial state, loss summed (scale 1), as PyTorch's reduction='sum'.
        model.zeroGrad();
        SoftmaxCrossEntropy.Result rb = model.forwardBackward(tokens, targets, steps, batch, model.newState(batch), 1f);
        Golden.check(family, label, "loss (forwardBackward)", rb.sum(), torchLoss);
        int compared = 0;
        for (String name : f.names()) {
            if (name.startsWith("grad.")) {
                String param = name.substring("grad.".length());
                Golden.check(family, label, f.tensor(name),
                        ElmanGoldenTest.parameter(model.parameters(), param, label).grad.toArray());
                compared++;
            }
        }
        assertEquals(model.parameters().size(), compared, label + ": every parameter's gradient is in the fixture");
        // embedding (emb only), 4 per layer, learned h0 per layer (and c0 for LSTM), decoder weight and bias
        int perLayer = 4 + (config.learnedInitialState() ? (lstm ? 2 : 1) : 0);
        assertEquals((config.embeddingDim() > 0 ? 1 : 0) + perLayer * config.numLayers() + 2, compared,
                label + ": number of grad.* tensors compared");
    }

    @AfterAll
    static void report() {
        Golden.printReportIfAsked("char tanh", "char relu", "char sigmoid", "char lstm", "char gru");
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
     * {@code logits}, {@code h_n}, {@code c_n}, {@code loss}, {@code grad.*}) and the extra metadata keys".
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureLoadsAsAModelFile(String file) throws IOException {
        checkLoaded(ModelFile.load(Golden.resource(file)), Golden.read(file), Golden.label(file));
    }

    private static void checkLoaded(ModelFile.Contents c, SafeTensorsFile f, String label) throws IOException {
        ModelConfig want = config(f, label);
        assertEquals(want, c.model().config(), label + ": config");
        assertEquals(CellType.fromId(f.metadata().getOrDefault("cell", "rnn")), c.model().config().cell(), label + ": cell");
        assertEquals(List.of("a", "b", "c", "d", "e", " ", "\n"), c.vocabulary().tokens(), label + ": vocabulary");
        List<String> loaded = new ArrayList<>();
        for (Parameter p : c.model().parameters()) {
            Golden.assertClose(label, f.tensor(p.name()), p.value.toArray(), new Golden.Tolerance(0, 0));
            loaded.add(p.name());
        }
        List<String> modelTensors = f.names().stream().filter(n -> n.startsWith("embedding.") || n.startsWith("rnn.")
                || n.startsWith("decoder.")).toList();
        assertEquals(modelTensors.stream().sorted().toList(), loaded.stream().sorted().toList(),
                label + ": the loaded parameters are exactly the fixture's model tensors");
        int batch = Golden.intMeta(f, "B");
        c.model().forward(f.tensor("tokens").ints(), null, Golden.intMeta(f, "T"), batch, c.model().newState(batch));
        Golden.assertClose(label, f.tensor("logits"), c.model().logits().toArray(), Golden.FLOAT32);
    }
}
