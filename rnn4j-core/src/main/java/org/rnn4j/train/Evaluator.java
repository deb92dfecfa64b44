package org.rnn4j.train;

import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.RecurrentState;
import org.rnn4j.nn.SoftmaxCrossEntropy;

/**
 * The loss of a language model on a token sequence: start from the initial state and run through the
 * text without resets, scoring every token after the first:
 * <pre>  loss = mean over i = 2..N of −ln p(token_i | token_1 … token_{i−1})</pre>
 * With {@code streams} &gt; 1 the text is cut into that many contiguous parts run side by side as one
 * batch (each from the initial state): faster, and slightly higher because each part's start has less
 * context. {@code streams = 1} is the exact definition above.
 */
public final class Evaluator {
    private Evaluator() {
    }

    /** Mean loss per scored token, with the count. */
    public record Result(double loss, long tokens) {
        public double bitsPerToken() {
            return loss / Math.log(2);
        }

        public double perplexity() {
            return Math.exp(loss);
        }
    }

    public static Result evaluate(LanguageModel model, int[] tokens, int streams, int window) {
        if (tokens.length < 2) {
            throw new IllegalArgumentException("evaluation needs at least 2 tokens, got " + tokens.length);
        }
        if (window < 1) {
            throw new IllegalArgumentException("window must be positive, got " + window);
        }
        int b = Math.max(1, Math.min(streams, tokens.length / 2));
        int len = tokens.length / b; // each stream scores len − 1 tokens; the remainder goes to the last
        int last = tokens.length - len * (b - 1);
        RecurrentState state = model.newState(b);
        int steps = Math.min(window, last - 1); // the longest forward; a window may be longer than the text
        int[] x = new int[steps * b];
        int[] y = new int[steps * b];
        double sum = 0;
        long count = 0;
        for (int start = 0; start < last - 1; start += window) {
            int t = Math.min(window, last - 1 - start);
            for (int s = 0; s < t; s++) {
                for (int j = 0; j < b; j++) {
                    int streamLen = j == b - 1 ? last : len;
                    int pos = j * len + start + s;
                    boolean inside = start + s + 1 < streamLen;
                    x[s * b + j] = inside ? tokens[pos] : tokens[j * len];
                    y[s * b + j] = inside ? tokens[pos + 1] : -1; // streams shorter than the last score nothing here
                }
            }
            SoftmaxCrossEntropy.Result r = model.forward(x, y, t, b, state);
            sum += r.sum();
            count += r.count();
        }
        return new Result(sum / count, count);
    }
}
