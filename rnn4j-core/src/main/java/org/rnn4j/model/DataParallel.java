package org.rnn4j.model;

import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.nn.SoftmaxCrossEntropy;

/**
 * Data-parallel training of a {@link LanguageModel} on the kernel threads. The B sequences of a batch are
 * independent until their gradients are summed, so part p of P takes sequences b0 .. b1−1 through the whole
 * pass (embedding, stack, decoder, loss, backward) on one thread with activations of its own: part 0 in the
 * model itself, part p ≥ 1 in a replica, a model of the same config that copies the weights at the start
 * of each pass and keeps its own gradients. The replicas' gradients are then added into the model's.
 *
 * <p>Why the whole pass rather than each product: the kernels split every product on its own, by rows of
 * T·B or by columns, so data written by one core was read by the other at every hand-over (projection →
 * step loop → decoder → loss → backward). On the 2-core machine of the benchmarks a cache line takes about
 * 240 ns to move between the cores (a ping-pong measures 480 ns round trips), and a training step at
 * H = 128, B = 32 gained only 1.0–1.3× from a second thread, while two half batches run side by side gained
 * 1.6–1.8×. Here the only data that crosses is the weights (read by the replicas) and the replicas'
 * gradients (read by the sum), once each per pass.
 *
 * <p>Results agree with one part to float rounding (the products run on fewer rows, the gradients are
 * summed in another order). With dropout, each replica draws its masks from a generator seeded by the
 * model's dropout generator, so a run is reproducible for a given number of threads.
 */
final class DataParallel {
    private final LanguageModel model;
    private final Replicas<LanguageModel> replicas;
    private Part[] parts = new Part[0];
    private int batch;
    private boolean lastRun; // the model's last training pass ran here

    DataParallel(LanguageModel model) {
        this.model = model;
        this.replicas = new Replicas<>(model, () -> new LanguageModel(model.config()), LanguageModel::parameters,
                (m, r) -> Replicas.copyCheckpointing(m.rnn(), r.rnn()));
    }

    /** Parts for a pass of T steps over B sequences: 1 when the pass is too small or there is one kernel thread. */
    static int parts(ModelConfig config, int steps, int batch) {
        long perStep = Replicas.stackFmasPerStep(config.cell(), config.inputSize(), config.hiddenSize(),
                config.numLayers(), config.bidirectional()) + (long) config.hiddenSize() * config.vocabSize();
        return Replicas.parts(batch, (long) steps * batch * perStep);
    }

    /** The pass of {@link LanguageModel#forwardBackward}, split into {@code p} parts by sequence. */
    SoftmaxCrossEntropy.Result forwardBackward(int[] tokens, int[] targets, int steps, int batch, RecurrentState state,
            float scale, Rng dropoutRng, int p) {
        lastRun = false; // until this pass has completed
        prepare(p, batch, steps);
        SoftmaxCrossEntropy.Result r = Replicas.total(replicas.train(p, batch, dropoutRng, model.config().dropout() > 0f,
                (i, m, b0, b1, dropout) -> parts[i].run(tokens, targets, state, scale, dropout)));
        state.initial = false;
        lastRun = true;
        return r;
    }

    /** The model's serial pass ran after the last split one. */
    void ranSerially() {
        lastRun = false;
    }

    /** Whether the model's last training pass was split here. */
    boolean lastRunSplit() {
        return lastRun;
    }

    /** {@link RecurrentStack#copyStateAfter} of the last split pass: every part writes its rows of {@code out}. */
    void copyStateAfter(int t, RecurrentState out) {
        if (out.batch() != batch) {
            throw new IllegalArgumentException("state of batch " + out.batch() + " given for the last training pass's "
                    + "batch of " + batch);
        }
        model.checkState(out, batch);
        for (Part part : parts) {
            part.model.rnn().copyStateAfter(t, part.state);
            part.copyRowsTo(out);
        }
        out.initial = false;
    }

    private void prepare(int p, int batch, int steps) {
        replicas.reserve(p);
        if (parts.length != p || this.batch != batch || parts[0].steps != steps) {
            parts = new Part[p];
            for (int i = 0; i < p; i++) {
                parts[i] = new Part(replicas.part(i), Replicas.first(batch, p, i), Replicas.first(batch, p, i + 1), batch,
                        steps);
            }
            this.batch = batch;
        }
    }

    /** One part: its model, its rows of the batch, and buffers kept across passes. */
    private static final class Part {
        final LanguageModel model;
        final int b0;
        final int rows;
        final int batch;
        final int steps;
        final int[] tokens;  // (T · rows), time-major
        final int[] targets;
        final RecurrentState state;

        Part(LanguageModel model, int b0, int b1, int batch, int steps) {
            this.model = model;
            this.b0 = b0;
            this.rows = b1 - b0;
            this.batch = batch;
            this.steps = steps;
            this.tokens = new int[steps * rows];
            this.targets = new int[steps * rows];
            this.state = model.newState(rows);
        }

        /** This part's pass, on the thread that runs it; its rows of {@code all} take the final state. */
        SoftmaxCrossEntropy.Result run(int[] allTokens, int[] allTargets, RecurrentState all, float scale, Rng dropout) {
            for (int t = 0; t < steps; t++) {
                System.arraycopy(allTokens, t * batch + b0, tokens, t * rows, rows);
                System.arraycopy(allTargets, t * batch + b0, targets, t * rows, rows);
            }
            for (int k = 0; k < state.layers.length; k++) {
                Matrix src = all.layers[k], dst = state.layers[k];
                System.arraycopy(src.data, src.offset + b0 * src.cols, dst.data, dst.offset, rows * src.cols);
            }
            state.initial = all.initial;
            SoftmaxCrossEntropy.Result result = model.forwardBackwardOnOneThread(tokens, targets, steps, rows, state,
                    scale, dropout);
            copyRowsTo(all);
            return result;
        }

        void copyRowsTo(RecurrentState all) {
            for (int k = 0; k < state.layers.length; k++) {
                Matrix src = state.layers[k], dst = all.layers[k];
                System.arraycopy(src.data, src.offset, dst.data, dst.offset + b0 * dst.cols, rows * dst.cols);
            }
        }
    }
}
