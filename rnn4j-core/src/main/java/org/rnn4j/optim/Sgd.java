package org.rnn4j.optim;

import java.util.List;
import org.rnn4j.nn.Parameter;

/** Plain stochastic gradient descent: {@code θ ← θ − lr · g}. */
public final class Sgd implements Optimizer {
    public static final float DEFAULT_LEARNING_RATE = 0.1f;

    private final List<Parameter> parameters;
    private float lr;

    public Sgd(List<Parameter> parameters, float learningRate) {
        if (!(learningRate > 0f) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
        }
        this.parameters = List.copyOf(parameters);
        this.lr = learningRate;
    }

    @Override
    public void step() {
        for (Parameter p : parameters) {
            float[] w = p.value.data;
            float[] g = p.grad.data;
            int wo = p.value.offset;
            int go = p.grad.offset;
            for (int i = 0; i < p.size(); i++) {
                w[wo + i] -= lr * g[go + i];
            }
        }
    }

    @Override
    public float learningRate() {
        return lr;
    }

    @Override
    public void setLearningRate(float lr) {
        this.lr = lr;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }
}
