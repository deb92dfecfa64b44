package org.rnn4j.optim;

import java.util.List;
import java.util.Map;
import org.rnn4j.nn.Parameter;

/**
 * Updates parameters from their accumulated gradients. Implementations follow PyTorch 1.13's
 * {@code torch.optim} update formulas operation by operation in float32 (see each class), keep their
 * per-parameter state in arrays allocated once, and allocate nothing in {@link #step()}.
 *
 * <p>The state can be exported for a checkpoint and imported into a new optimizer of the same kind and
 * hyper-parameters over parameters of the same names and sizes; training then continues bit for bit
 * as if it had never stopped.
 */
public interface Optimizer {
    /** Applies one update to every parameter from its current {@link Parameter#grad}. */
    void step();

    /** The learning rate of the next step, rounded to float. */
    float learningRate();

    /** Sets the learning rate of the following steps; 0 is allowed (a schedule may end there). */
    void setLearningRate(float lr);

    /**
     * As {@link #setLearningRate(float)} without rounding to float: PyTorch's schedules compute in
     * double, and the scalar coefficients of the update are formed in double from it.
     */
    void setLearningRate(double lr);

    List<Parameter> parameters();

    /** The name under which {@link Optimizers#create} builds this optimizer, e.g. {@code "adam"}. */
    String name();

    /** How many steps have been taken (including those of an imported state). */
    long stepCount();

    /**
     * The optimizer's state as named float arrays (copies), in a stable order: {@code "step"} (one
     * value, the step count; exact up to 2^24 steps) and then, for every kind of buffer and every
     * parameter, {@code "<kind>.<parameter name>"}, using PyTorch's names for the kinds
     * ({@code momentum_buffer}, {@code sum}, {@code square_avg}, {@code grad_avg}, {@code exp_avg},
     * {@code exp_avg_sq}, {@code max_exp_avg_sq}), each as long as the parameter.
     */
    Map<String, float[]> exportState();

    /**
     * Replaces the state with one from {@link #exportState()}. Every name must be present with the
     * right length and no other name may appear; nothing is changed unless all checks pass.
     *
     * @throws IllegalArgumentException naming the missing, unexpected or wrongly sized entry
     */
    void importState(Map<String, float[]> state);
}
