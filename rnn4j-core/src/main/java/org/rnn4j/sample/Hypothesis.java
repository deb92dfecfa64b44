package org.rnn4j.sample;

/**
 * A decoded target sequence: its tokens before EOS, and ln P(tokens EOS | start) under the model (EOS
 * included, also when the length limit forced it).
 */
public record Hypothesis(int[] tokens, double logProbability) {
    public Hypothesis {
        tokens = tokens.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    /** Number of tokens, EOS not counted. */
    public int length() {
        return tokens.length;
    }

    /**
     * The ranking score with length normalisation α: ln P / (n + 1)^α, where n + 1 counts EOS. α = 0 ranks
     * by probability (which favours short outputs), α = 1 by the mean log-probability per token.
     */
    public double score(double lengthPenalty) {
        return lengthPenalty == 0 ? logProbability : logProbability / Math.pow(tokens.length + 1, lengthPenalty);
    }
}
