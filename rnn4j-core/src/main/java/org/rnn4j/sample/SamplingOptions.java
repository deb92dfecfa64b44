package org.rnn4j.sample;

/**
 * How to pick each next token from the logits z: temperature T (0 = greedy argmax, otherwise sample
 * from softmax(z / T)) and top-k (0 = all tokens; otherwise only the k most likely).
 */
public record SamplingOptions(float temperature, int topK) {
    public static final float DEFAULT_TEMPERATURE = 1f;
    public static final SamplingOptions GREEDY = new SamplingOptions(0f, 0);

    public SamplingOptions {
        if (!(temperature >= 0f) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be 0 (greedy) or positive, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be 0 (off) or positive, got " + topK);
        }
    }

    public boolean greedy() {
        return temperature == 0f;
    }
}
