package org.rnn4j.matrix;

/**
 * Element-wise kernels over ranges of flat {@code float[]} arrays: the activations, the few products
 * and sums of a recurrent cell's gate arithmetic, and the element-wise part of the LSTM and GRU
 * backward passes (fused into one pass per row: a dozen separate vector passes over the row loaded and
 * stored as much as the scalar loop and were no faster). Every kernel reads n elements of each input
 * starting at its offset and writes n elements of {@code out}; the output may be one of the inputs
 * at the same offset (in place), but must not overlap an input otherwise.
 *
 * <p>Implementations: {@link ScalarElementwise} (plain loops; the activations in double, as
 * {@link Activation}) and {@link VectorElementwise} (Vector API; float polynomial activations within
 * a few ulp, see {@link PolynomialActivation}). The products, sums and backward passes give the same
 * bits in both: neither fuses a multiply-add, and both do the operations in the same order.
 * {@link ArrayKernels} holds the one chosen at start-up.
 */
public interface Elementwise {
    /** out = σ(x) = 1 / (1 + e^(−x)). */
    void sigmoid(int n, float[] x, int xOff, float[] out, int outOff);

    /** out = tanh(x). */
    void tanh(int n, float[] x, int xOff, float[] out, int outOff);

    /** out = e^x for x ≤ 0 (or NaN; larger x are not supported); out may be x at the same offset. */
    void expNonPositive(int n, float[] x, int xOff, float[] out, int outOff);

    /**
     * Softmax of one row of n logits: out = e^(x − m) / s with m = max x and s = Σ e^(x − m); returns
     * ln s + m (log-sum-exp, the log of the softmax's normaliser). out may be x at the same offset. The
     * sum is a float sum whose order differs between the backends, so they agree to rounding only.
     */
    double softmax(int n, float[] x, int xOff, float[] out, int outOff);

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

    /**
     * The element-wise part of LSTM back-propagation through one step, for one row (batch element) of
     * n = H units, fused into one pass (see {@code nn.LstmLayer} for the cell):
     * <pre>
     *   dh' = dh + dOut                                    (dOut null: no gradient from the output)
     *   h = o*tanh(c)       =&gt;  do = dh'*tanh(c),   dc' = dc + dh'*o*(1 − tanh²(c))
     *   c = f*cPrev + i*g   =&gt;  di = dc'*g,  df = dc'*cPrev,  dg = dc'*i,  dc ← dc'*f   (dcPrev)
     *   i, f, o = σ(a), g = tanh(a)  =&gt;  dGates = [di*i(1−i) | df*f(1−f) | dg*(1−g²) | do*o(1−o)]
     * </pre>
     * gates and dGates hold the four blocks [i | f | g | o] of n from their offsets; dh is read, dc is
     * updated in place.
     */
    void lstmBackward(int n, float[] gates, int gOff, float[] tanhC, int tcOff, float[] cPrev, int cpOff,
            float[] dOut, int dOutOff, float[] dh, int dhOff, float[] dc, int dcOff, float[] dGates, int dgOff);

    /**
     * The element-wise part of GRU back-propagation through one step, for one row of n = H units, fused
     * into one pass (see {@code nn.GruLayer} for the cell; hn = W_hn hPrev + b_hn):
     * <pre>
     *   dh' = dh + dOut                                    (dOut null: no gradient from the output)
     *   h = (1−z)*n + z*hPrev  =&gt;  dn = dh'*(1−z),  dz = dh'*(hPrev − n),  dh ← dh'*z   (+ dAh·W_hh later)
     *   n = tanh(ax_n + r*hn)  =&gt;  da_n = dn*(1−n²),  dr = da_n*hn,  dhn = da_n*r
     *   r, z = σ(a)            =&gt;  dAx = [dr*r(1−r) | dz*z(1−z) | da_n],  dAh = [dr*r(1−r) | dz*z(1−z) | dhn]
     * </pre>
     * gates holds [r | z | n] and hidden [· | · | hn] from their offsets, dAx and dAh three blocks of n;
     * dh is updated in place.
     */
    void gruBackward(int n, float[] gates, int gOff, float[] hidden, int hidOff, float[] hPrev, int hpOff,
            float[] dOut, int dOutOff, float[] dh, int dhOff, float[] dAx, int dAxOff, float[] dAh, int dAhOff);

    /** A short name for reports, e.g. "vector(512-bit, 16 lanes)". */
    String name();
}
