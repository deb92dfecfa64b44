package org.rnn4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The delayed-echo tagging task: tag each character with the character {@code delay} steps earlier.
 * A model must hold the last {@code delay} inputs in its state, so the delay sets how far back the
 * gradient must reach (a plain RNN fails where an LSTM or GRU succeeds as the delay grows).
 *
 * <pre>
 *   length  T ~ uniform integer in [minLength, maxLength]   (minLength &gt; delay)
 *   input   T characters, each uniform over {@value #ALPHABET}
 *   tags    tag[t] = input[t - delay] for t &gt;= delay, else {@value #NO_ECHO}
 *   line    {"input": "cabd", "tags": ["_", "_", "c", "a"]}     (delay 2)
 * </pre>
 * The tag set is always {@value #NO_ECHO} and the letters of {@value #ALPHABET}. Everything is drawn
 * from {@code new SplittableRandom(seed)}, in order: for each example its length, then its characters.
 */
public final class DelayedEcho {
    /** The input characters. */
    public static final String ALPHABET = "abcd";
    /** The tag of the first {@code delay} steps, which have nothing to echo. */
    public static final String NO_ECHO = "_";
    /** Default number of examples. */
    public static final int DEFAULT_COUNT = 2000;
    /** Default shortest sequence. */
    public static final int DEFAULT_MIN_LENGTH = 10;
    /** Default longest sequence. */
    public static final int DEFAULT_MAX_LENGTH = 30;
    /** Default delay. */
    public static final int DEFAULT_DELAY = 3;

    private DelayedEcho() {
    }

    /**
     * {@code count} examples drawn from {@code new SplittableRandom(seed)}.
     *
     * @throws IllegalArgumentException if {@code count < 1}, {@code delay < 1} or not
     *     {@code delay < minLength <= maxLength}
     */
    public static TaggingDataset generate(int count, int minLength, int maxLength, int delay, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("the number of examples must be at least 1, got " + count);
        }
        if (delay < 1 || minLength <= delay || maxLength < minLength) {
            throw new IllegalArgumentException("the lengths and delay need 1 <= delay < minLength <= maxLength, got delay "
                    + delay + ", lengths " + minLength + " and " + maxLength);
        }
        List<String> tagNames = new ArrayList<>();
        tagNames.add(NO_ECHO);
        ALPHABET.chars().forEach(c -> tagNames.add(String.valueOf((char) c)));
        LabelSet tagSet = LabelSet.sorted(tagNames);
        Vocabulary chars = Vocabulary.ofCharacters(ALPHABET);
        RandomGenerator random = new SplittableRandom(seed);
        List<int[]> inputs = new ArrayList<>(count);
        List<int[]> tags = new ArrayList<>(count);
        int noEcho = tagSet.id(NO_ECHO);
        for (int i = 0; i < count; i++) {
            int length = random.nextInt(minLength, maxLength + 1);
            StringBuilder text = new StringBuilder(length);
            int[] tag = new int[length];
            for (int t = 0; t < length; t++) {
                text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                tag[t] = t < delay ? noEcho : tagSet.id(String.valueOf(text.charAt(t - delay)));
            }
            inputs.add(chars.encode(text));
            tags.add(tag);
        }
        return TaggingDataset.of("delayed-echo(delay " + delay + ", seed " + seed + ")", Sequences.ofIds(chars, inputs),
                tagSet, tags);
    }

    /** Writes {@link #generate} as a JSON-lines tagging file. */
    public static void writeJsonl(Path file, int count, int minLength, int maxLength, int delay, long seed)
            throws IOException {
        generate(count, minLength, maxLength, delay, seed).writeJsonl(file);
    }
}
