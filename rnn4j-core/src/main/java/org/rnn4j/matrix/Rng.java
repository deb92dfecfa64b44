package org.rnn4j.matrix;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * A seeded random source. All randomness in rnn4j derives from one seed, split by purpose
 * ({@code rng.split("init")}, {@code "shuffle"}, {@code "dropout"}, {@code "sample"}), so changing how
 * many numbers one purpose draws never changes another's.
 */
public final class Rng {
    private final long seed;
    private final SplittableRandom random;

    public Rng(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    public long seed() {
        return seed;
    }

    /** An independent stream for one purpose; the same seed and purpose always give the same stream. */
    public Rng split(String purpose) {
        long h = 0xcbf29ce484222325L; // FNV-1a over the purpose, mixed with the seed
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return new Rng(mix(seed ^ h));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return random.nextDouble();
    }

    /** Uniform in [lo, hi). */
    public float uniform(float lo, float hi) {
        return (float) (lo + (hi - lo) * random.nextDouble());
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** Standard normal (Box-Muller). */
    public double nextGaussian() {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Fills m with values uniform in [lo, hi). */
    public void fillUniform(Matrix m, float lo, float hi) {
        for (int i = 0; i < m.size(); i++) {
            m.data[m.offset + i] = uniform(lo, hi);
        }
    }

    /** Fills m with normal values of the given standard deviation. */
    public void fillGaussian(Matrix m, double std) {
        for (int i = 0; i < m.size(); i++) {
            m.data[m.offset + i] = (float) (std * nextGaussian());
        }
    }
}
