package org.rnn4j.matrix;

/**
 * Element-wise kernels over ranges of flat {@code float[]} arrays: the activations and the few
 * products and sums of a recurrent cell's gate arithmetic. Every kernel reads n elements of each input
 * starting at its offset and writes n elements of {@code out}; the output may be one of the inputs
 * at the same offset (in place), but must not overlap an input otherwise.
 *
 * <p>Implementations: {@link ScalarElementwise} (plain loops; the activations in double, as
 * {@link Activation}) and {@link VectorElementwise} (Vector API; float polynomial activations within
 * a few ulp, see {@link PolynomialActivation}). The products and sums give the same bits in both:
 * neither fuses a multiply-add. {@link ArrayKernels} holds the one chosen at start-up.
 */
public interface Elementwise {
    /** out = σ(x) = 1 / (1 + e^(−x)). */
    void sigmoid(int n, float[] x, int xOff, float[] out, int outOff);

    /** out = tanh(x). */
    void tanh(int n, float[] x, int xOff, float[] out, int outOff);

    /** out = a + b. */
    void add(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff);

    /** out = a ⊙ b. */
    void mul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff);

    /** out += a ⊙ b. */
    void mulAdd(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff);

    /** out = a ⊙ b + c ⊙ d. */
    void mulPlusMul(int n, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float[] d, int dOff,
            float[] out, int outOff);

    /** out = (1 − t) ⊙ a + t ⊙ b (linear interpolation from a to b by t). */
    void lerp(int n, float[] t, int tOff, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff);

    /** A short name for reports, e.g. "vector(512-bit, 16 lanes)". */
    String name();
}
