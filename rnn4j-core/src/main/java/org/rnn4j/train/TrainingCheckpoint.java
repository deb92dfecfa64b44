package org.rnn4j.train;

import java.util.Map;

/**
 * The training loop's state between two steps (the model's parameters are saved beside it). Written and
 * read by {@link CheckpointFile}.
 *
 * @param epoch the data position: epoch and window index of the next window
 * @param stateLayers the carried hidden state, one (B × S) block per layer, row-major
 * @param historyTokens the TBPTT history: the last {@code history} steps of inputs (time-major)
 * @param optimizerState the optimizer's buffers and counters, by name
 * @param scheduleState the state of a stateful learning-rate schedule (reduce-on-plateau), else empty
 */
public record TrainingCheckpoint(long step, int epoch, int window, float[][] stateLayers, boolean stateInitial,
                                 int[] historyTokens, int history, long tokens, long clippedSteps, double trainSum,
                                 long trainCount, double bestValidLoss, long bestStep, double lastValidLoss,
                                 double lossLimit, long dropoutRngState, Map<String, float[]> optimizerState,
                                 double[] scheduleState) {
}
