package org.rnn4j.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.data.Vocabulary;
import org.rnn4j.io.ModelFile;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.ModelConfig;
import org.rnn4j.sample.Sampler;
import org.rnn4j.sample.SamplingOptions;
import org.rnn4j.train.Evaluator;

/**
 * Model files written by PyTorch ({@code torch_char_{rnn,lstm,gru}.safetensors}: char level, cell rnn
 * (tanh), lstm or gru, E=8, H=16, L=2) load, and rnn4j then generates and evaluates exactly what PyTorch
 * did ({@code torch_char_{cell}_expected.json}; README, section (c)).
 */
class TorchModelFileTest {
    /**
     * The eval loss tolerance, against the float64 reference {@code eval_loss_float64}. These models'
     * weights are larger than the layer fixtures' (RNN weights ×3 and decoder ×4 for rnn and gru, ×6 and
     * ×12 for lstm; H=16), so over the eval text the logits reach |z| = 7.0 (rnn), 9.8 (lstm), 3.8 (gru),
     * and PyTorch's own float32 logits are at most 3.0e-6, 5.3e-6 and 8.3e-7 from float64 (measured with
     * {@code scripts/rnn4j_torch.py}). Each position's loss is log-sum-exp(z) − z_target, and log-sum-exp
     * moves by at most the largest logit error, so a loss, and their mean, moves by at most twice it:
     * about 1.1e-5 for the LSTM at float32's level. PyTorch's own float32 {@code eval_loss} is 6.8e-7
     * (rnn), 1.6e-7 (lstm, gru) from float64; rnn4j's was observed at most 4e-8 (rnn), 1.1e-7 (lstm) and
     * 7e-8 (gru) from it, over the three windows. 2e-5 absolute allows for the worst case above and is still
     * far below what any real error (a wrong logit, a dropped or doubly counted position, a state reset
     * between windows, a swapped gate) moves the loss by.
     */
    private static final double EVAL_LOSS_TOLERANCE = 2e-5;

    private static final Map<String, ModelFile.Contents> MODELS = new ConcurrentHashMap<>();
    private static final Map<String, JsonNode> EXPECTED = new ConcurrentHashMap<>();

    private static ModelFile.Contents contents(String cell) {
        return MODELS.computeIfAbsent(cell, c -> {
            try {
                return ModelFile.load(Golden.resource("torch_char_" + c + ".safetensors"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static JsonNode expected(String cell) {
        return EXPECTED.computeIfAbsent(cell, c -> {
            try {
                return new ObjectMapper().readTree(Golden.resource("torch_char_" + c + "_expected.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rnn", "lstm", "gru"})
    void loadsTheConfigAndVocabulary(String cell) {
        ModelConfig c = contents(cell).model().config();
        assertEquals(cell + " tanh V=24 E=8 H=16 L=2 dropout=0.0 bi=false learned=false", c.cell().id() + " "
                + c.nonlinearity().id() + " V=" + c.vocabSize() + " E=" + c.embeddingDim() + " H=" + c.hiddenSize()
                + " L=" + c.numLayers() + " dropout=" + c.dropout() + " bi=" + c.bidirectional() + " learned="
                + c.learnedInitialState(), "torch_char_" + cell + ": config");
        // the 24 distinct characters of the training sentence, sorted (README, section (c))
        assertEquals("\n .abcdefhilmnoprstuvwyz", String.join("", contents(cell).vocabulary().tokens()),
                "torch_char_" + cell + ": vocabulary");
    }

    @Test
    void theThreeModelsDiffer() {
        // a guard against loading the same file three times: the greedy continuations are distinct
        assertEquals(3, Stream.of("rnn", "lstm", "gru").map(c -> expected(c).get("greedy").asText()).distinct().count());
    }

    /**
     * Greedy decoding must match exactly: PyTorch's smallest top-1 minus top-2 logit gap along the way
     * ({@code greedy_min_margin}: 0.067 rnn, 0.061 lstm, 0.054 gru) is four orders of magnitude above the
     * float32 noise of these logits (at most 5.3e-6, see {@link #EVAL_LOSS_TOLERANCE}), so any difference
     * is a bug, not rounding.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rnn", "lstm", "gru"})
    void greedyContinuationMatchesPyTorch(String cell) {
        JsonNode expected = expected(cell);
        Vocabulary vocab = contents(cell).vocabulary();
        int[] prime = vocab.encode(expected.get("prime").asText());
        int length = expected.get("greedy_length").asInt();
        int[] ids = new Sampler(contents(cell).model(), SamplingOptions.GREEDY, new Rng(0))
                .generate(prime, length, id -> { });
        int[] want = new int[length];
        for (int i = 0; i < length; i++) {
            want[i] = expected.get("greedy_ids").get(i).asInt();
        }
        assertEquals(expected.get("greedy").asText(), vocab.decode(ids), "torch_char_" + cell + ": greedy text after the prime");
        assertArrayEquals(want, ids, "torch_char_" + cell + ": greedy ids");
    }

    static Stream<Arguments> cellsAndWindows() {
        return Stream.of("rnn", "lstm", "gru").flatMap(c -> Stream.of(16, 7, 200).map(w -> Arguments.of(c, w)));
    }

    /** The window only cuts the text into chunks; the state carries across them, so the loss is the same. */
    @ParameterizedTest(name = "{0}, window {1}")
    @MethodSource("cellsAndWindows")
    void evalLossMatchesPyTorch(String cell, int window) {
        JsonNode expected = expected(cell);
        LanguageModel model = contents(cell).model();
        int[] tokens = contents(cell).vocabulary().encode(expected.get("eval_text").asText());
        assertEquals(expected.get("eval_tokens").asInt(), tokens.length, "tokens in eval_text");
        Evaluator.Result r = Evaluator.evaluate(model, tokens, 1, window);
        // Result.tokens() counts the scored predictions, positions 2..N
        assertEquals(expected.get("eval_predictions").asLong(), r.tokens(), "scored tokens");
        Golden.assertClose("torch_char_" + cell, "eval loss (window " + window + ")", r.loss(),
                expected.get("eval_loss_float64").asDouble(), new Golden.Tolerance(EVAL_LOSS_TOLERANCE, 0));
    }
}
