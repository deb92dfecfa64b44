package org.rnn4j.optim;

import java.util.List;
import org.rnn4j.nn.Parameter;

/** Updates parameters from their accumulated gradients. */
public interface Optimizer {
    /** Applies one update to every parameter from its current {@link Parameter#grad}. */
    void step();

    float learningRate();

    void setLearningRate(float lr);

    List<Parameter> parameters();
}
