package org.rnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.ModelConfig;
import org.rnn4j.model.RecurrentState;
import org.rnn4j.nn.Init;

class EvaluatorTest {
    @Test
    void oneStreamEqualsStepByStepDefinition() {
        ModelConfig c = ModelConfig.builder().vocabSize(6).hiddenSize(8).numLayers(2).learnedInitialState().build();
        LanguageModel m = LanguageModel.create(c, Init.RecurrentInit.PYTORCH, new Rng(2));
        Rng rng = new Rng(3);
        int[] tokens = new int[37];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = rng.nextInt(6);
        }
        // The definition: from the initial state, −ln p(token_i | before) for i = 2..N, one token at a time.
        RecurrentState s = m.newState(1);
        double sum = 0;
        for (int i = 0; i + 1 < tokens.length; i++) {
            Matrix z = m.step(new int[] {tokens[i]}, s);
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < 6; v++) {
                max = Math.max(max, z.get(0, v));
            }
            double total = 0;
            for (int v = 0; v < 6; v++) {
                total += Math.exp(z.get(0, v) - max);
            }
            sum -= z.get(0, tokens[i + 1]) - max - Math.log(total);
        }
        double expected = sum / (tokens.length - 1);
        for (int window : new int[] {1, 5, 36, 100}) {
            Evaluator.Result r = Evaluator.evaluate(m, tokens, 1, window);
            assertEquals(tokens.length - 1, r.tokens());
            assertEquals(expected, r.loss(), 1e-5, "window " + window);
        }
        // Several streams score the same number of tokens minus one per extra stream boundary.
        Evaluator.Result r3 = Evaluator.evaluate(m, tokens, 3, 7);
        assertEquals(tokens.length - 3, r3.tokens());
    }

    @Test
    void unigramBaselineOfUniformTokensIsLogV() {
        int[] t = {0, 1, 2, 3, 0, 1, 2, 3};
        assertEquals(Math.log(4), Baselines.unigramLoss(t, t, 4), 1e-12);
    }
}
