package org.rnn4j.matrix;

import java.util.Locale;

/**
 * Chooses the matrix-multiply backend once, at class initialisation of {@link Kernels}.
 *
 * <p>By default {@link VectorGemm} when the module {@code jdk.incubator.vector} is in the boot layer
 * (the JVM was started with {@code --add-modules jdk.incubator.vector}), else {@link ScalarGemm}.
 * VectorGemm is loaded by name, so a JVM without the module never links it. The system property
 * {@value #PROPERTY} = {@code naive | scalar | vector} forces a backend. Nothing is printed: ask
 * {@link Kernels#backend()} for the choice.
 */
final class GemmSelector {
    /** The system property that forces a backend. */
    static final String PROPERTY = "rnn4j.gemm";
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_CLASS = "org.rnn4j.matrix.VectorGemm";

    private GemmSelector() {
    }

    static Gemm select() {
        return select(System.getProperty(PROPERTY));
    }

    /** The backend for a value of {@value #PROPERTY}; null or blank picks the fastest available. */
    static Gemm select(String choice) {
        if (choice == null || choice.isBlank()) {
            if (vectorModulePresent()) {
                try {
                    return loadVector();
                } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                    return new ScalarGemm(); // e.g. a vector shape too narrow to pay off
                }
            }
            return new ScalarGemm();
        }
        switch (choice.trim().toLowerCase(Locale.ROOT)) {
            case "naive":
                return new NaiveGemm();
            case "scalar":
                return new ScalarGemm();
            case "vector":
                if (!vectorModulePresent()) {
                    throw new IllegalStateException(PROPERTY + "=vector but the module " + VECTOR_MODULE
                            + " is not loaded: start java with --add-modules " + VECTOR_MODULE);
                }
                try {
                    return loadVector();
                } catch (ReflectiveOperationException | LinkageError e) {
                    throw new IllegalStateException(PROPERTY + "=vector but " + VECTOR_CLASS + " cannot be loaded: "
                            + e, e);
                }
            default:
                throw new IllegalArgumentException(PROPERTY + "=" + choice + " is not one of naive, scalar, vector");
        }
    }

    static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    private static Gemm loadVector() throws ReflectiveOperationException {
        return (Gemm) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
    }
}
