package org.rnn4j.matrix;

/**
 * Matrix kernels with explicit outputs. The name says whether a kernel overwrites its output
 * ({@code mul}) or accumulates into it ({@code mulAdd}); shape and aliasing checks come first.
 *
 * <p>The matrix products run on the fastest {@link Gemm} available, chosen once at start-up (see
 * {@link #backend()}); set the system property {@code rnn4j.gemm=naive|scalar|vector} to force one.
 */
public final class Kernels {
    private static volatile Gemm gemm = GemmSelector.select();

    private Kernels() {
    }

    /** The backend in use; {@link Gemm#name()} says which. */
    public static Gemm backend() {
        return gemm;
    }

    /** Replaces the backend (tests and benchmarks compare backends this way). */
    public static void useBackend(Gemm backend) {
        gemm = backend;
    }

    /** Element-wise passes over at least this many values are split across the kernel threads. */
    static final long ELEMENTWISE_PARALLEL_MIN = 1 << 17;

    /** Parts for an element-wise pass over {@code values} values with {@code units} splittable units. */
    static int elementwiseParts(long values, int units) {
        if (values < ELEMENTWISE_PARALLEL_MIN) {
            return 1;
        }
        return Math.max(1, Math.min(gemm.parallelism(), units));
    }

    /** The threads of the current backend's kernels (1 if it has none). */
    public static int parallelism() {
        return gemm.parallelism();
    }

    /** {@link Gemm#parallel}: parts 0 .. parts−1 on the kernel threads, products inside a part unsplit. */
    public static void parallel(int parts, java.util.function.IntConsumer task) {
        gemm.parallel(parts, task);
    }

    /** out = a · b. */
    public static void mul(Matrix a, Matrix b, Matrix out) {
        checkMul(a.rows, a.cols, b.rows, b.cols, out, "mul", a, b);
        gemm.mul(out.rows, out.cols, a.cols, a.data, a.offset, b.data, b.offset, out.data, out.offset, 0f);
    }

    /** out += a · b. */
    public static void mulAdd(Matrix a, Matrix b, Matrix out) {
        checkMul(a.rows, a.cols, b.rows, b.cols, out, "mulAdd", a, b);
        gemm.mul(out.rows, out.cols, a.cols, a.data, a.offset, b.data, b.offset, out.data, out.offset, 1f);
    }

    /** out = aᵀ · b. */
    public static void mulTransA(Matrix a, Matrix b, Matrix out) {
        checkMul(a.cols, a.rows, b.rows, b.cols, out, "mulTransA", a, b);
        gemm.mulTransA(out.rows, out.cols, a.rows, a.data, a.offset, b.data, b.offset, out.data, out.offset, 0f);
    }

    /** out += aᵀ · b. */
    public static void mulTransAAdd(Matrix a, Matrix b, Matrix out) {
        checkMul(a.cols, a.rows, b.rows, b.cols, out, "mulTransAAdd", a, b);
        gemm.mulTransA(out.rows, out.cols, a.rows, a.data, a.offset, b.data, b.offset, out.data, out.offset, 1f);
    }

    /** out = a · bᵀ. */
    public static void mulTransB(Matrix a, Matrix b, Matrix out) {
        checkMul(a.rows, a.cols, b.cols, b.rows, out, "mulTransB", a, b);
        gemm.mulTransB(out.rows, out.cols, a.cols, a.data, a.offset, b.data, b.offset, out.data, out.offset, 0f);
    }

    /** out += a · bᵀ. */
    public static void mulTransBAdd(Matrix a, Matrix b, Matrix out) {
        checkMul(a.rows, a.cols, b.cols, b.rows, out, "mulTransBAdd", a, b);
        gemm.mulTransB(out.rows, out.cols, a.cols, a.data, a.offset, b.data, b.offset, out.data, out.offset, 1f);
    }

    /**
     * Packs bᵀ once for many products {@code a · bᵀ} ({@link #mulPacked}, {@link #mulPackedAdd}) on the
     * current backend: a snapshot, so pack again after b changes. For a recurrent layer's
     * a_t += h_{t-1}·W_hhᵀ.
     */
    public static PackedMatrix packTransB(Matrix b) {
        return packTransB(b, null);
    }

    /** {@link #packTransB(Matrix)} into the storage of {@code reuse} (or null), which must not be used again. */
    public static PackedMatrix packTransB(Matrix b, PackedMatrix reuse) {
        return gemm.pack(true, b.cols, b.rows, b.data, b.offset, reuse);
    }

    /**
     * Packs b once for many products {@code a · b} ({@link #mulPacked}, {@link #mulPackedAdd}) on the
     * current backend: a snapshot, so pack again after b changes. For a recurrent layer's dh = da_t·W_hh.
     */
    public static PackedMatrix pack(Matrix b) {
        return pack(b, null);
    }

    /** {@link #pack(Matrix)} into the storage of {@code reuse} (or null), which must not be used again. */
    public static PackedMatrix pack(Matrix b, PackedMatrix reuse) {
        return gemm.pack(false, b.rows, b.cols, b.data, b.offset, reuse);
    }

    /**
     * out = a · op(b), op(b) packed by {@link #pack} or {@link #packTransB}. The backend that packed it
     * computes the product; {@link VectorGemm} gives the bits of its unpacked product except with
     * fewer than 16 rows and op(b) = bᵀ, where the unpacked product sums in another order (a difference
     * of float rounding, see its class comment); the other backends give the unpacked product's bits.
     */
    public static void mulPacked(Matrix a, PackedMatrix b, Matrix out) {
        checkPacked(a, b, out, "mulPacked");
        b.packer.mulPacked(out.rows, a.data, a.offset, b, out.data, out.offset, 0f);
    }

    /** out += a · op(b), op(b) packed by {@link #pack} or {@link #packTransB}; see {@link #mulPacked}. */
    public static void mulPackedAdd(Matrix a, PackedMatrix b, Matrix out) {
        checkPacked(a, b, out, "mulPackedAdd");
        b.packer.mulPacked(out.rows, a.data, a.offset, b, out.data, out.offset, 1f);
    }

    private static void checkPacked(Matrix a, PackedMatrix b, Matrix out, String op) {
        if (a.cols != b.rows) {
            throw new IllegalArgumentException(op + ": left operand is " + a.rows + "x" + a.cols
                    + " but the packed right operand is " + b.rows + "x" + b.cols + " (inner sizes " + a.cols
                    + " and " + b.rows + " differ; it is " + b.describe() + ")");
        }
        if (out.rows != a.rows || out.cols != b.cols) {
            throw new IllegalArgumentException(op + ": output is " + out.shape() + " but the product is ("
                    + a.rows + ", " + b.cols + ")");
        }
        if (out.overlaps(a)) {
            throw new IllegalArgumentException(op + ": the output shares storage with the left operand");
        }
    }

    /** Checks op(a) (ar×ac) · op(b) (br×bc) → out and that out does not alias an operand. */
    private static void checkMul(int ar, int ac, int br, int bc, Matrix out, String op, Matrix a, Matrix b) {
        if (ac != br) {
            throw new IllegalArgumentException(op + ": left operand is " + ar + "x" + ac + " but right operand is "
                    + br + "x" + bc + " (inner sizes " + ac + " and " + br + " differ)");
        }
        if (out.rows != ar || out.cols != bc) {
            throw new IllegalArgumentException(op + ": output is " + out.shape() + " but the product is ("
                    + ar + ", " + bc + ")");
        }
        if (out.overlaps(a) || out.overlaps(b)) {
            throw new IllegalArgumentException(op + ": the output shares storage with an operand");
        }
    }

    /** Each row of m += v, where v has m.cols values (adding a bias to every row). */
    public static void addRowVector(Matrix m, Matrix v) {
        if (v.size() != m.cols) {
            throw new IllegalArgumentException("addRowVector: vector has " + v.size() + " values but the matrix has "
                    + m.cols + " columns");
        }
        int parts = elementwiseParts((long) m.rows * m.cols, m.rows);
        parallel(parts, part -> { // rows split across the kernel threads; row r += v on the element-wise kernels
            for (int r = (int) ((long) m.rows * part / parts); r < (int) ((long) m.rows * (part + 1) / parts); r++) {
                int base = m.offset + r * m.cols;
                ArrayKernels.add(m.cols, m.data, base, v.data, v.offset, m.data, base);
            }
        });
    }

    /** out[c] += Σ_r m[r, c] (the gradient of a bias added to every row). */
    public static void sumRowsAdd(Matrix m, Matrix out) {
        if (out.size() != m.cols) {
            throw new IllegalArgumentException("sumRowsAdd: output has " + out.size() + " values but the matrix has "
                    + m.cols + " columns");
        }
        // columns split across the kernel threads (each column still sums its rows in order: the same bits);
        // acc += row r on the element-wise kernels. Each part sums into its own copy of its columns and writes
        // them back once: summed in place, the cache line where two parts' columns meet went back and forth
        // between the cores at every row. Same run: 2 threads were 1.4-6x slower than one (2048 x 128: 27 against
        // 145 us); now 1.1-1.4x faster (2048 x 128 to 4096 x 2048).
        int parts = elementwiseParts((long) m.rows * m.cols, m.cols / 64);
        parallel(parts, part -> {
            int c0 = m.cols * part / parts / 16 * 16;
            int c1 = part + 1 == parts ? m.cols : m.cols * (part + 1) / parts / 16 * 16;
            int width = c1 - c0;
            float[] acc = parts == 1 ? out.data : java.util.Arrays.copyOfRange(out.data, out.offset + c0,
                    out.offset + c1);
            int at = parts == 1 ? out.offset : 0;
            for (int r = 0; r < m.rows; r++) {
                ArrayKernels.add(width, acc, at, m.data, m.offset + r * m.cols + c0, acc, at);
            }
            if (parts > 1) {
                System.arraycopy(acc, 0, out.data, out.offset + c0, width);
            }
        });
    }

    /** out += a (same shape). */
    public static void addInPlace(Matrix out, Matrix a) {
        out.requireSameShape(a, "addInPlace");
        for (int i = 0; i < out.size(); i++) {
            out.data[out.offset + i] += a.data[a.offset + i];
        }
    }

    /** out *= s. */
    public static void scaleInPlace(Matrix out, float s) {
        for (int i = 0; i < out.size(); i++) {
            out.data[out.offset + i] *= s;
        }
    }

    /** Σ a[i]² accumulated in double. */
    public static double sumOfSquares(Matrix a) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            double v = a.data[a.offset + i];
            s += v * v;
        }
        return s;
    }

    /** ⟨a, b⟩ accumulated in double (same shape). */
    public static double dot(Matrix a, Matrix b) {
        a.requireSameShape(b, "dot");
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += (double) a.data[a.offset + i] * b.data[b.offset + i];
        }
        return s;
    }
}
