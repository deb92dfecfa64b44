package org.rnn4j.data;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A dataset cut into a training part and a validation part.
 *
 * <p>{@link #indices(int, double, long)} chooses {@code v = floor(n * fraction)} validation examples at
 * random (a seeded shuffle), and both parts keep the file's order. Use it for JSON-lines files, whose
 * lines are independent examples; time series are split contiguously instead ({@link ForecastDataset}).
 *
 * @param <T> the dataset type
 */
public record DatasetSplit<T>(T train, T validation) {
    /** Default share of the examples kept for validation. */
    public static final double DEFAULT_VALIDATION_FRACTION = 0.1;

    public DatasetSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
    }

    /**
     * The example indices of the two parts, each ascending: {@code [0]} training, {@code [1]} validation.
     *
     * @throws IllegalArgumentException if the fraction is not in {@code (0, 1)} or a part would be empty
     */
    public static int[][] indices(int n, double validationFraction, long seed) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must be between 0 and 1 (exclusive), got "
                    + validationFraction);
        }
        int v = Corpus.validationCount(n, validationFraction);
        if (v < 1 || n - v < 1) {
            throw new IllegalArgumentException(n + " examples are too few to keep " + validationFraction
                    + " of them for validation: both parts need at least one example; give more examples"
                    + " or change the validation fraction");
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        int[] validation = Arrays.copyOfRange(order, 0, v);
        int[] train = Arrays.copyOfRange(order, v, n);
        Arrays.sort(validation);
        Arrays.sort(train);
        return new int[][] {train, validation};
    }
}
