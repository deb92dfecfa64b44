package org.rnn4j.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.rnn4j.matrix.ArrayKernels;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.SoftmaxCrossEntropy;

/**
 * The models of a data-parallel training pass (see {@link DataParallel}): part 0 is the model itself, part
 * p ≥ 1 a replica of the same config, made on first use, that copies the model's weights at the start of each
 * pass and keeps gradients of its own, which {@link #sumGradients} then adds into the model's. Runtime
 * settings that are not part of the config (gradient checkpointing) are copied into the replicas before
 * every pass.
 *
 * @param <M> the model class
 */
final class Replicas<M> {
    /** Sequences per part below which a part's products get too thin to pay for the split. */
    static final int MIN_ROWS = 8;
    /** Multiply-adds of a forward pass (about a third of a training step) below which it stays on one thread. */
    private static volatile long minFmas = 1L << 22;

    private final M model;
    private final Supplier<M> make;
    private final Function<M, List<Parameter>> parameters;
    private final BiConsumer<M, M> settings;
    private final List<M> replicas = new ArrayList<>();

    /**
     * @param make a fresh model of the same config
     * @param settings copies the model's runtime settings (first argument) into a replica (second)
     */
    Replicas(M model, Supplier<M> make, Function<M, List<Parameter>> parameters, BiConsumer<M, M> settings) {
        this.model = model;
        this.make = make;
        this.parameters = parameters;
        this.settings = settings;
    }

    /** The runtime setting of a stack that a replica's stack must share: its gradient checkpointing. */
    static void copyCheckpointing(RecurrentStack from, RecurrentStack to) {
        if (to.checkpointEvery() != from.checkpointEvery()) {
            to.setCheckpointEvery(from.checkpointEvery());
        }
    }

    /**
     * Parts for a pass over B sequences of {@code fmas} forward multiply-adds: the kernel threads, as long as
     * each part gets {@value #MIN_ROWS} sequences and the pass is large enough; else 1.
     */
    static int parts(int batch, long fmas) {
        int parts = Math.min(Kernels.parallelism(), batch / MIN_ROWS);
        return parts < 2 || fmas < minFmas ? 1 : parts;
    }

    /** Forward multiply-adds of a recurrent stack per step of one sequence. */
    static long stackFmasPerStep(CellType cell, int inputSize, int hidden, int layers, boolean bidirectional) {
        int gates = switch (cell) {
            case RNN -> 1;
            case GRU -> 3;
            case LSTM -> 4;
        };
        int dirs = bidirectional ? 2 : 1;
        long fmas = 0;
        int in = inputSize;
        for (int k = 0; k < layers; k++) {
            fmas += (long) dirs * gates * hidden * (in + hidden);
            in = dirs * hidden;
        }
        return fmas;
    }

    /** Sets the size below which a pass is not split; tests set 0 to split small models. */
    static void setMinFmas(long fmas) {
        minFmas = fmas;
    }

    static long minFmas() {
        return minFmas;
    }

    /** What one part of a split pass does on its own thread: the pass of sequences b0 .. b1−1 on {@code model}. */
    @FunctionalInterface
    interface PartPass<M, R> {
        R run(int part, M model, int b0, int b1, Rng dropout);
    }

    /** The first sequence of part p of n over a batch of B (p = n gives B). */
    static int first(int batch, int parts, int part) {
        return (int) ((long) batch * part / parts);
    }

    /**
     * One split training pass over B sequences: each part's {@code pass} on its own thread, a replica copying
     * the weights first, with the dropout generators of {@link #dropout}; then the replicas' gradients added
     * into the model's. Returns the parts' results in order.
     */
    <R> List<R> train(int parts, int batch, Rng dropoutRng, boolean dropout, PartPass<M, R> pass) {
        reserve(parts);
        Rng[] rngs = dropout(dropoutRng, dropout, parts);
        List<R> results = new ArrayList<>(java.util.Collections.nCopies(parts, null));
        Kernels.parallel(parts, p -> {
            pull(p);
            results.set(p, pass.run(p, part(p), first(batch, parts, p), first(batch, parts, p + 1), rngs[p]));
        });
        sumGradients(parts);
        return results;
    }

    /** The summed loss of a split pass's parts. */
    static SoftmaxCrossEntropy.Result total(List<SoftmaxCrossEntropy.Result> parts) {
        double sum = 0;
        int count = 0;
        for (SoftmaxCrossEntropy.Result r : parts) {
            sum += r.sum();
            count += r.count();
        }
        return new SoftmaxCrossEntropy.Result(sum, count);
    }

    /** Makes the replicas that {@code parts} parts need and gives them the model's settings; call before the parts start. */
    void reserve(int parts) {
        while (replicas.size() < parts - 1) {
            replicas.add(make.get());
        }
        for (int p = 1; p < parts; p++) {
            settings.accept(model, replicas.get(p - 1));
        }
    }

    /** The model of part p. */
    M part(int p) {
        return p == 0 ? model : replicas.get(p - 1);
    }

    /** On part p's own thread, before its pass: a replica copies the model's weights and clears its gradients. */
    private void pull(int p) {
        if (p == 0) {
            return;
        }
        List<Parameter> from = parameters.apply(model);
        List<Parameter> own = parameters.apply(replicas.get(p - 1));
        for (int k = 0; k < own.size(); k++) {
            own.get(k).value.copyFrom(from.get(k).value);
            own.get(k).grad.zero();
        }
    }

    /**
     * The dropout generators of the parts: part 0 uses {@code rng} itself, part p ≥ 1 a generator seeded from
     * it in order of the parts, so that a run is reproducible for a given number of threads. Null without
     * dropout.
     */
    private static Rng[] dropout(Rng rng, boolean dropout, int parts) {
        Rng[] r = new Rng[parts];
        r[0] = rng;
        for (int p = 1; p < parts; p++) {
            r[p] = dropout && rng != null ? new Rng(rng.nextLong()) : null;
        }
        return r;
    }

    /**
     * model.grad += Σ replica.grad over the first parts − 1 replicas, every parameter's values split evenly
     * across the kernel threads as one run of floats.
     */
    private void sumGradients(int parts) {
        List<Parameter> own = parameters.apply(model);
        long total = 0;
        for (Parameter q : own) {
            total += q.size();
        }
        long n = total;
        Kernels.parallel(parts, part -> {
            long from = n * part / parts, to = n * (part + 1) / parts;
            long start = 0;
            for (int k = 0; k < own.size() && start < to; k++) {
                Matrix g = own.get(k).grad;
                long end = start + g.size();
                int lo = (int) (Math.max(from, start) - start), hi = (int) (Math.min(to, end) - start);
                for (int r = 0; r < parts - 1 && lo < hi; r++) {
                    Matrix rg = parameters.apply(replicas.get(r)).get(k).grad;
                    ArrayKernels.add(hi - lo, g.data, g.offset + lo, rg.data, rg.offset + lo, g.data, g.offset + lo);
                }
                start = end;
            }
        });
    }
}
