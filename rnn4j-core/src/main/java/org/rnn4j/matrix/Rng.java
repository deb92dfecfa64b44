package org.rnn4j.matrix;

import java.nio.charset.StandardCharsets;

/**
 * A seeded random source: SplitMix64 (Steele, Lea and Flood 2014), whose whole state is one long, so a
 * checkpoint can save it and a resumed run continues the same stream ({@link #state()},
 * {@link #setState(long)}). All randomness in rnn4j derives from one seed, split by purpose
 * ({@code rng.split("init")}, {@code "dropout"}, {@code "sample"}, …), so changing how many numbers one
 * purpose draws never changes another's.
 */
public final class Rng {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private final long seed;
    private long state;

    public Rng(long seed) {
        this.seed = seed;
        this.state = seed;
    }

    public long seed() {
        return seed;
    }

    /** The current position in the stream. */
    public long state() {
        return state;
    }

    /** Continues the stream from a position returned by {@link #state()}. */
    public void setState(long state) {
        this.state = state;
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

    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [lo, hi). */
    public float uniform(float lo, float hi) {
        return (float) (lo + (hi - lo) * nextDouble());
    }

    /** Uniform in [0, bound), without modulo bias (Lemire's method with rejection). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xffffffffL;
        if (low < bound) {
            long threshold = (0x100000000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xffffffffL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Standard normal (Box-Muller). */
    public double nextGaussian() {
        double u1 = nextDouble();
        double u2 = nextDouble();
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
