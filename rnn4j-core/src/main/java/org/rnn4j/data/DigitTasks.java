package org.rnn4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Two character-level sequence-to-sequence tasks on decimal digits, written as {@link Seq2SeqDataset}
 * JSON lines.
 *
 * <h2>Reversal</h2>
 * <pre>
 *   source  n ~ uniform in [minDigits, maxDigits] digits, each uniform in 0..9 (leading zeros allowed)
 *   target  the digits in reverse order          {"source": "3141", "target": "1413"}
 * </pre>
 *
 * <h2>Addition</h2>
 * <pre>
 *   a, b    each with n ~ uniform in [1, maxDigits] digits, uniform among the n-digit numbers
 *           (0..9 for n = 1, no leading zeros)
 *   source  "a+b"; target  the decimal sum        {"source": "123+45", "target": "168"}
 * </pre>
 * Everything is drawn from {@code new SplittableRandom(seed)}, in the order of the descriptions above.
 */
public final class DigitTasks {
    /** Default number of pairs. */
    public static final int DEFAULT_COUNT = 5000;
    /** Default fewest digits of a reversal source. */
    public static final int DEFAULT_MIN_DIGITS = 1;
    /** Default most digits of a reversal source or an addend. */
    public static final int DEFAULT_MAX_DIGITS = 8;
    /** Most digits of an addend, so that sums fit in a {@code long}. */
    public static final int MAX_ADDITION_DIGITS = 18;

    private DigitTasks() {
    }

    /**
     * {@code count} digit strings and their reversals.
     *
     * @throws IllegalArgumentException if {@code count < 1} or not {@code 1 <= minDigits <= maxDigits}
     */
    public static Seq2SeqDataset reversal(int count, int minDigits, int maxDigits, long seed) {
        checkCount(count);
        if (minDigits < 1 || maxDigits < minDigits) {
            throw new IllegalArgumentException("the digit counts need 1 <= minDigits <= maxDigits, got " + minDigits
                    + " and " + maxDigits);
        }
        RandomGenerator random = new SplittableRandom(seed);
        List<String> sources = new ArrayList<>(count);
        List<String> targets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int n = random.nextInt(minDigits, maxDigits + 1);
            StringBuilder digits = new StringBuilder(n);
            for (int k = 0; k < n; k++) {
                digits.append((char) ('0' + random.nextInt(10)));
            }
            sources.add(digits.toString());
            targets.add(digits.reverse().toString());
        }
        return Seq2SeqDataset.of("digit-reversal(seed " + seed + ")", sources, targets);
    }

    /**
     * {@code count} sums {@code "a+b"} and their results.
     *
     * @throws IllegalArgumentException if {@code count < 1} or {@code maxDigits} is not in [1, 18]
     */
    public static Seq2SeqDataset addition(int count, int maxDigits, long seed) {
        checkCount(count);
        if (maxDigits < 1 || maxDigits > MAX_ADDITION_DIGITS) {
            throw new IllegalArgumentException("an addend has 1 to " + MAX_ADDITION_DIGITS + " digits, got maxDigits "
                    + maxDigits);
        }
        RandomGenerator random = new SplittableRandom(seed);
        List<String> sources = new ArrayList<>(count);
        List<String> targets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long a = number(random, maxDigits);
            long b = number(random, maxDigits);
            sources.add(a + "+" + b);
            targets.add(Long.toString(a + b));
        }
        return Seq2SeqDataset.of("digit-addition(seed " + seed + ")", sources, targets);
    }

    /** A number of n ~ U{1..maxDigits} digits, uniform among those with exactly n digits. */
    private static long number(RandomGenerator random, int maxDigits) {
        int n = random.nextInt(1, maxDigits + 1);
        long low = n == 1 ? 0 : pow10(n - 1);
        return random.nextLong(low, pow10(n));
    }

    private static long pow10(int n) {
        long p = 1;
        for (int k = 0; k < n; k++) {
            p *= 10;
        }
        return p;
    }

    private static void checkCount(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("the number of pairs must be at least 1, got " + count);
        }
    }

    /** Writes {@link #reversal} as a JSON-lines file of pairs. */
    public static void writeReversalJsonl(Path file, int count, int minDigits, int maxDigits, long seed)
            throws IOException {
        reversal(count, minDigits, maxDigits, seed).writeJsonl(file);
    }

    /** Writes {@link #addition} as a JSON-lines file of pairs. */
    public static void writeAdditionJsonl(Path file, int count, int maxDigits, long seed) throws IOException {
        addition(count, maxDigits, seed).writeJsonl(file);
    }
}
