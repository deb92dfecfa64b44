package org.rnn4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The sign-of-the-sum task, a small many-to-one classification benchmark: a sequence of numbers, and
 * whether their sum is positive. The model must accumulate over the whole sequence, so it exercises
 * memory over variable lengths.
 *
 * <pre>
 *   length  T ~ uniform integer in [minLength, maxLength]
 *   x[t]    ~ U(-1, 1), rounded to 3 decimals (so the file holds exactly the values labelled)
 *   label   1 if x[0] + ... + x[T-1] &gt; 0 (summed in double), else 0
 *   line    {"input": [0.318, -0.822, 0.051], "label": 0}
 * </pre>
 * The classes are always {@code 0} and {@code 1}. Everything is drawn from
 * {@code new SplittableRandom(seed)}, in order: for each example its length, then its values.
 */
public final class SignOfSum {
    /** Default number of examples. */
    public static final int DEFAULT_COUNT = 2000;
    /** Default shortest sequence. */
    public static final int DEFAULT_MIN_LENGTH = 5;
    /** Default longest sequence. */
    public static final int DEFAULT_MAX_LENGTH = 20;

    private static final LabelSet CLASSES = LabelSet.of(List.of("0", "1"));

    private SignOfSum() {
    }

    /**
     * {@code count} examples drawn from {@code new SplittableRandom(seed)}.
     *
     * @throws IllegalArgumentException if {@code count < 1} or not {@code 1 <= minLength <= maxLength}
     */
    public static ClassificationDataset generate(int count, int minLength, int maxLength, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("the number of examples must be at least 1, got " + count);
        }
        if (minLength < 1 || maxLength < minLength) {
            throw new IllegalArgumentException("the lengths need 1 <= minLength <= maxLength, got " + minLength + " and "
                    + maxLength);
        }
        RandomGenerator random = new SplittableRandom(seed);
        float[][] values = new float[count][];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = new float[random.nextInt(minLength, maxLength + 1)];
            for (int t = 0; t < values[i].length; t++) {
                values[i][t] = Math.round(random.nextDouble(-1, 1) * 1000) / 1000f;
            }
            labels[i] = label(values[i]);
        }
        return ClassificationDataset.of("sign-of-sum(seed " + seed + ")", Sequences.ofFlatFeatures(1, values), CLASSES,
                labels);
    }

    /** 1 if the sum of {@code values} (in double) is positive, else 0. */
    public static int label(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum > 0 ? 1 : 0;
    }

    /** Writes {@link #generate} as a JSON-lines classification file. */
    public static void writeJsonl(Path file, int count, int minLength, int maxLength, long seed) throws IOException {
        generate(count, minLength, maxLength, seed).writeJsonl(file);
    }
}
