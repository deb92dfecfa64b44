package org.rnn4j.matrix;

import java.util.Locale;

/**
 * Element-wise kernels over ranges of {@code float[]} (see {@link Elementwise} for the contract), run
 * by the fastest {@link Elementwise} available, chosen once at start-up like the matrix multiply of
 * {@link Kernels}: {@link VectorElementwise} when the module {@code jdk.incubator.vector} is loaded
 * (it is then loaded by name, so a JVM without the module never links it), else
 * {@link ScalarElementwise}. The system property {@value #PROPERTY} = {@code scalar | vector} forces one.
 */
public final class ArrayKernels {
    /** The system property that forces a backend. */
    static final String PROPERTY = "rnn4j.elementwise";
    private static final String VECTOR_CLASS = "org.rnn4j.matrix.VectorElementwise";

    private static volatile Elementwise backend = select(System.getProperty(PROPERTY));

    private ArrayKernels() {
    }

    /** The backend in use; {@link Elementwise#name()} says which. */
    public static Elementwise backend() {
        return backend;
    }

    /** Replaces the backend (tests and benchmarks compare backends this way). */
    public static void useBackend(Elementwise b) {
        backend = b;
    }

    /** a[from, to) = σ(a[from, to)). */
    public static void sigmoidInPlace(float[] a, int from, int to) {
        backend.sigmoid(to - from, a, from, a, from);
    }

    /** a[from, to) = tanh(a[from, to)). */
    public static void tanhInPlace(float[] a, int from, int to) {
        backend.tanh(to - from, a, from, a, from);
    }

    /** out[outOff, outOff + n) = σ(x[xOff, xOff + n)). */
    public static void sigmoid(int n, float[] x, int xOff, float[] out, int outOff) {
        backend.sigmoid(n, x, xOff, out, outOff);
    }

    /** out[outOff, outOff + n) = tanh(x[xOff, xOff + n)). */
    public static void tanh(int n, float[] x, int xOff, float[] out, int outOff) {
        backend.tanh(n, x, xOff, out, outOff);
    }

    /** out = e^x for x ≤ 0 (or NaN); out may be x at the same offset. */
    public static void expNonPositive(int n, float[] x, int xOff, float[] out, int outOff) {
        backend.expNonPositive(n, x, xOff, out, outOff);
    }

    /** out = softmax(x) over one row of n; returns log-sum-exp(x) (see {@link Elementwise#softmax}). */
    public static double softmax(int n, float[] x, int xOff, float[] out, int outOff) {
        return backend.softmax(n, x, xOff, out, outOff);
    }

    /** out = a + b over n elements. */

    public static void add(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        backend.add(n, a, aOff, b, bOff, out, outOff);
    }

    /** out = a ⊙ b over n elements. */
    public static void mul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        backend.mul(n, a, aOff, b, bOff, out, outOff);
    }

    /** out += a ⊙ b over n elements. */
    public static void mulAdd(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        backend.mulAdd(n, a, aOff, b, bOff, out, outOff);
    }

    /** out = a ⊙ b + c ⊙ d over n elements. */
    public static void mulPlusMul(int n, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float[] d,
            int dOff, float[] out, int outOff) {
        backend.mulPlusMul(n, a, aOff, b, bOff, c, cOff, d, dOff, out, outOff);
    }

    /** out = (1 − t) ⊙ a + t ⊙ b over n elements. */
    public static void lerp(int n, float[] t, int tOff, float[] a, int aOff, float[] b, int bOff, float[] out,
            int outOff) {
        backend.lerp(n, t, tOff, a, aOff, b, bOff, out, outOff);
    }

    /** The element-wise part of LSTM back-propagation for one row: {@link Elementwise#lstmBackward}. */
    public static void lstmBackward(int n, float[] gates, int gOff, float[] tanhC, int tcOff, float[] cPrev,
            int cpOff, float[] dOut, int dOutOff, float[] dh, int dhOff, float[] dc, int dcOff, float[] dGates,
            int dgOff) {
        backend.lstmBackward(n, gates, gOff, tanhC, tcOff, cPrev, cpOff, dOut, dOutOff, dh, dhOff, dc, dcOff, dGates,
                dgOff);
    }

    /** The element-wise part of GRU back-propagation for one row: {@link Elementwise#gruBackward}. */
    public static void gruBackward(int n, float[] gates, int gOff, float[] hidden, int hidOff, float[] hPrev,
            int hpOff, float[] dOut, int dOutOff, float[] dh, int dhOff, float[] dAx, int dAxOff, float[] dAh,
            int dAhOff) {
        backend.gruBackward(n, gates, gOff, hidden, hidOff, hPrev, hpOff, dOut, dOutOff, dh, dhOff, dAx, dAxOff, dAh,
                dAhOff);
    }

    /** The backend for a value of {@value #PROPERTY}; null or blank picks the fastest available. */
    static Elementwise select(String choice) {
        if (choice == null || choice.isBlank()) {
            if (GemmSelector.vectorModulePresent()) {
                try {
                    return loadVector();
                } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                    return new ScalarElementwise();
                }
            }
            return new ScalarElementwise();
        }
        switch (choice.trim().toLowerCase(Locale.ROOT)) {
            case "scalar":
                return new ScalarElementwise();
            case "vector":
                if (!GemmSelector.vectorModulePresent()) {
                    throw new IllegalStateException(PROPERTY + "=vector but the module " + GemmSelector.VECTOR_MODULE
                            + " is not loaded: start java with --add-modules " + GemmSelector.VECTOR_MODULE);
                }
                try {
                    return loadVector();
                } catch (ReflectiveOperationException | LinkageError e) {
                    throw new IllegalStateException(PROPERTY + "=vector but " + VECTOR_CLASS + " cannot be loaded: "
                            + e, e);
                }
            default:
                throw new IllegalArgumentException(PROPERTY + "=" + choice + " is not one of scalar, vector");
        }
    }

    private static Elementwise loadVector() throws ReflectiveOperationException {
        return (Elementwise) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
    }
}
