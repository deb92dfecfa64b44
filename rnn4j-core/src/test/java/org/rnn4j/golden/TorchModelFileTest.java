package org.rnn4j.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
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
 * A model file written by PyTorch ({@code torch_char_rnn.safetensors}: char level, tanh, E=8, H=16, L=2)
 * loads, and rnn4j then generates and evaluates exactly what PyTorch did
 * ({@code torch_char_rnn_expected.json}).
 */
class TorchModelFileTest {
    /**
     * The eval loss tolerance, against the float64 reference {@code eval_loss_float64}. This model's
     * weights are larger than the layer fixtures' (RNN weights ×3, decoder ×4, H=16), so logits reach
     * about ±10 and carry float32 errors of a few 1e-6; the loss is a mean over 62 predictions of
     * log-sum-exp minus a logit, so its error stays at that level. PyTorch's own float32 value
     * ({@code eval_loss}) is 7e-7 from the float64 one; rnn4j's was observed 5e-8 from it. 2e-5
     * absolute allows for the worst case above and is still far below what any real error (a wrong
     * logit, a dropped or doubly counted position, a state reset between windows) moves the loss by.
     */
    private static final double EVAL_LOSS_TOLERANCE = 2e-5;

    private static ModelFile.Contents contents;
    private static JsonNode expected;

    @BeforeAll
    static void load() throws IOException {
        contents = ModelFile.load(Golden.resource("torch_char_rnn.safetensors"));
        expected = new ObjectMapper().readTree(Golden.resource("torch_char_rnn_expected.json").toFile());
    }

    @Test
    void loadsTheConfigAndVocabulary() {
        ModelConfig c = contents.model().config();
        assertEquals("tanh V=24 E=8 H=16 L=2 learned=false", c.nonlinearity().id() + " V=" + c.vocabSize() + " E="
                + c.embeddingDim() + " H=" + c.hiddenSize() + " L=" + c.numLayers() + " learned="
                + c.learnedInitialState());
        // the 24 distinct characters of the training sentence, sorted (README, section (c))
        assertEquals("\n .abcdefhilmnoprstuvwyz", String.join("", contents.vocabulary().tokens()));
    }

    /**
     * Greedy decoding must match exactly: PyTorch's smallest top-1 minus top-2 logit gap along the way
     * ({@code greedy_min_margin}, 0.067) is four orders of magnitude above float32 noise, so any
     * difference is a bug, not rounding.
     */
    @Test
    void greedyContinuationMatchesPyTorch() {
        Vocabulary vocab = contents.vocabulary();
        int[] prime = vocab.encode(expected.get("prime").asText());
        int length = expected.get("greedy_length").asInt();
        int[] ids = new Sampler(contents.model(), SamplingOptions.GREEDY, new Rng(0)).generate(prime, length, id -> { });
        int[] want = new int[length];
        for (int i = 0; i < length; i++) {
            want[i] = expected.get("greedy_ids").get(i).asInt();
        }
        assertEquals(expected.get("greedy").asText(), vocab.decode(ids), "greedy text after the prime");
        assertArrayEquals(want, ids, "greedy ids");
    }

    /** The window only cuts the text into chunks; the state carries across them, so the loss is the same. */
    @ParameterizedTest(name = "window {0}")
    @ValueSource(ints = {16, 7, 200})
    void evalLossMatchesPyTorch(int window) {
        LanguageModel model = contents.model();
        int[] tokens = contents.vocabulary().encode(expected.get("eval_text").asText());
        assertEquals(expected.get("eval_tokens").asInt(), tokens.length, "tokens in eval_text");
        Evaluator.Result r = Evaluator.evaluate(model, tokens, 1, window);
        // Result.tokens() counts the scored predictions, positions 2..N
        assertEquals(expected.get("eval_predictions").asLong(), r.tokens(), "scored tokens");
        Golden.assertClose("torch_char_rnn", "eval loss (window " + window + ")", r.loss(),
                expected.get("eval_loss_float64").asDouble(), new Golden.Tolerance(EVAL_LOSS_TOLERANCE, 0));
    }
}
