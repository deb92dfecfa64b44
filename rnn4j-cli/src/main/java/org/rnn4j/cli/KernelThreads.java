package org.rnn4j.cli;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.ScalarGemm;
import org.rnn4j.matrix.VectorGemm;
import picocli.CommandLine;

/**
 * The thread count of the matrix kernels. The backends read the system property {@value #PROPERTY}
 * when their worker pools are created, at class initialisation; later, only their setters change it.
 * {@link #set} does both, so it works whether or not {@link Kernels} has been loaded yet.
 */
final class KernelThreads {
    static final String PROPERTY = "rnn4j.threads";
    private static final String VECTOR_GEMM = "org.rnn4j.matrix.VectorGemm";
    private static final String SCALAR_GEMM = "org.rnn4j.matrix.ScalarGemm";

    private KernelThreads() {
    }

    /** Undoes {@link #set}: the property as it was, and the thread count that it implies. */
    interface Restore {
        void close();
    }

    /** Sets the thread count; call it before anything touches {@link Kernels}. */
    static Restore set(int threads) {
        String old = System.getProperty(PROPERTY);
        change(threads);
        return () -> {
            if (old == null) {
                System.clearProperty(PROPERTY);
            } else {
                System.setProperty(PROPERTY, old);
            }
            apply(implied(old));
        };
    }

    /**
     * Changes the thread count within a run that {@link #set} began (the bench switches between counts);
     * the Restore of that {@code set} still brings back what was there before.
     */
    static void change(int threads) {
        System.setProperty(PROPERTY, Integer.toString(threads));
        apply(threads);
    }

    /** The backend and its threads, for the line a command prints at start: "vector(...), 2 threads". */
    static String describe() {
        int n = current();
        return Kernels.backend().name() + ", " + n + (n == 1 ? " thread" : " threads");
    }

    /** The threads the chosen backend splits large products over (1 for the naive reference). */
    static int current() {
        if (vectorBackend()) {
            return VectorGemm.threads();
        }
        return SCALAR_GEMM.equals(Kernels.backend().getClass().getName()) ? ScalarGemm.threads() : 1;
    }

    private static void apply(int threads) {
        ScalarGemm.setThreads(threads);
        if (vectorBackend()) { // VectorGemm links only where the Vector API module is loaded
            VectorGemm.setThreads(threads);
        }
    }

    /** What a backend's pool starts with for this property value. */
    private static int implied(String property) {
        try {
            return property == null ? Runtime.getRuntime().availableProcessors() : Math.max(1, Integer.parseInt(property.trim()));
        } catch (NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    private static boolean vectorBackend() {
        return VECTOR_GEMM.equals(Kernels.backend().getClass().getName());
    }

    /**
     * The counts of {@code --threads}: a comma-separated list of distinct positive integers; usage errors
     * name the option.
     */
    static List<Integer> parseCounts(String list, CommandLine cl) {
        List<Integer> counts = new ArrayList<>();
        for (String item : list.split(",", -1)) {
            int n;
            try {
                n = Integer.parseInt(item.trim());
            } catch (NumberFormatException e) {
                throw new CommandLine.ParameterException(cl, "--threads takes thread counts separated by commas, such "
                        + "as 1 or 1,2; got '" + list + "'");
            }
            if (n < 1) {
                throw new CommandLine.ParameterException(cl, "--threads must be at least 1, got " + n);
            }
            if (counts.contains(n)) {
                throw new CommandLine.ParameterException(cl, "--threads lists " + n + " twice in '" + list + "'");
            }
            counts.add(n);
        }
        return List.copyOf(counts);
    }
}
