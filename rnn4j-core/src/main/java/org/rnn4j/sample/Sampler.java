package org.rnn4j.sample;

import java.util.function.IntConsumer;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.RecurrentState;

/**
 * Generates tokens one at a time: start from the model's initial state, feed the prime, then repeatedly
 * pick a token from the last logits and feed it back. Each token costs one step of the network (the
 * state carries the prefix, which is never re-run).
 *
 * <p>A sampler generates from the weights as they were when it was made: it steps through a
 * {@link LanguageModel.Generator}, which packs them once. After the weights change (further training, a
 * load), make a new sampler.
 */
public final class Sampler {
    private final LanguageModel model;
    private final LanguageModel.Generator steps;
    private final TokenPicker picker;

    public Sampler(LanguageModel model, SamplingOptions options, Rng rng) {
        this.model = model;
        this.steps = model.generator();
        this.picker = new TokenPicker(model.config().vocabSize(), options, rng);
    }

    /**
     * Feeds {@code prime} (at least one token) and generates {@code length} tokens, passing each to
     * {@code sink} as soon as it is chosen. Returns the generated tokens.
     */
    public int[] generate(int[] prime, int length, IntConsumer sink) {
        if (prime.length == 0) {
            throw new IllegalArgumentException("the prime must hold at least one token");
        }
        if (length < 0) {
            throw new IllegalArgumentException("length must be non-negative, got " + length);
        }
        RecurrentState state = model.newState(1);
        int[] one = new int[1];
        Matrix logits = null;
        for (int id : prime) {
            one[0] = id;
            logits = steps.step(one, state);
        }
        int[] out = new int[length];
        for (int i = 0; i < length; i++) {
            int next = pick(logits);
            out[i] = next;
            sink.accept(next);
            if (i + 1 < length) {
                one[0] = next;
                logits = steps.step(one, state);
            }
        }
        return out;
    }

    /** Chooses a token from one row of logits (1 × V) according to the options. */
    public int pick(Matrix logits) {
        return picker.pick(logits);
    }
}
