package org.rnn4j.train;

/** Reference losses a trained model must beat. */
public final class Baselines {
    private Baselines() {
    }

    /**
     * The unigram baseline: the mean −ln p(token) over {@code tokens[1..]} (the positions a language model
     * is scored on) when p is the token frequency in {@code train}, add-one smoothed so that unseen tokens
     * have finite cost. A model that ignores context entirely can do no better than this.
     */
    public static double unigramLoss(int[] train, int[] tokens, int vocabSize) {
        long[] counts = new long[vocabSize];
        for (int t : train) {
            counts[t]++;
        }
        double total = train.length + vocabSize;
        double sum = 0;
        for (int i = 1; i < tokens.length; i++) {
            sum -= Math.log((counts[tokens[i]] + 1) / total);
        }
        return sum / (tokens.length - 1);
    }
}
