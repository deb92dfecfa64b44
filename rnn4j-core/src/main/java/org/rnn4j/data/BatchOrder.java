package org.rnn4j.data;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Which examples go into which batch: {@code n} examples cut into {@code ceil(n / B)} batches of
 * {@code B} (the last one smaller when {@code B} does not divide {@code n}, so every example is used
 * once per epoch).
 *
 * <p>{@link #epoch(int)} shuffles the examples with a Fisher-Yates shuffle drawn from a
 * {@link SplittableRandom} whose seed is mixed from the order's seed and the epoch number: each epoch
 * has its own order, the same for the same seed, and epoch {@code e} can be computed without the
 * epochs before it (resuming training). {@link #inOrder()} keeps the examples' order (evaluation).
 */
public final class BatchOrder {
    private final int size;      // n
    private final int batchSize; // B
    private final long seed;

    /**
     * @throws IllegalArgumentException if {@code n} or {@code B} is not positive
     */
    public BatchOrder(int size, int batchSize, long seed) {
        if (size < 1) {
            throw new IllegalArgumentException("there are no examples to batch: give at least one");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1, got " + batchSize);
        }
        this.size = size;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /** {@code n}, the number of examples. */
    public int size() {
        return size;
    }

    /** {@code B}, the size of every batch but perhaps the last. */
    public int batchSize() {
        return batchSize;
    }

    public long seed() {
        return seed;
    }

    /** {@code ceil(n / B)}. */
    public int batchesPerEpoch() {
        return (size + batchSize - 1) / batchSize;
    }

    /**
     * The batches of epoch {@code epoch} (from 0): {@code epoch(e)[k]} are the example indices of batch
     * {@code k}; together they are a permutation of {@code [0, n)}.
     */
    public int[][] epoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("the epoch must be non-negative, got " + epoch);
        }
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(mix(seed, epoch));
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return cut(order);
    }

    /** The batches in the examples' order: batch {@code k} holds {@code [k*B, min((k+1)*B, n))}. */
    public int[][] inOrder() {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        return cut(order);
    }

    private int[][] cut(int[] order) {
        int[][] batches = new int[batchesPerEpoch()][];
        for (int k = 0; k < batches.length; k++) {
            int from = k * batchSize;
            batches[k] = Arrays.copyOfRange(order, from, Math.min(from + batchSize, size));
        }
        return batches;
    }

    /** A list whose element {@code k} is {@code make(batches[k])}, made when it is read (not stored). */
    static <B> List<B> view(int[][] batches, Function<int[], B> make) {
        return new AbstractList<>() {
            @Override
            public B get(int k) {
                return make.apply(batches[k]);
            }

            @Override
            public int size() {
                return batches.length;
            }
        };
    }

    /** A seed for one epoch: the order's seed and the epoch number through the SplitMix64 finalizer. */
    static long mix(long seed, int epoch) {
        long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
