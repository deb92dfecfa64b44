package org.rnn4j.matrix;

/**
 * A right-hand operand packed once and multiplied by many times: an immutable snapshot of op(b)
 * (k×n) in the layout of the {@link Gemm} that packed it. A recurrent layer multiplies by the same
 * W_hh at every time step, so it packs it once per pass ({@link Kernels#packTransB(Matrix)} for
 * a_t += h_{t-1}·W_hhᵀ, {@link Kernels#pack(Matrix)} for dh = da_t·W_hh) and saves the per-step
 * repacking that a plain product does.
 *
 * <p>Snapshot: the values are copied when packed, so later writes to the source matrix (an optimizer
 * step) are not seen; pack again after the weights change. Packing with {@code reuse} set to an
 * older packed matrix overwrites that one's storage (a layer repacks W_hh every pass without
 * allocating); the older matrix must not be used afterwards. {@link VectorGemm} stores strips of op(b)
 * in its micro-kernel's order; the other backends keep a plain copy of b as stored and call their
 * ordinary product. The product is always carried out by the backend that packed the matrix.
 */
public final class PackedMatrix {
    /** Layout of {@link #data}: b as stored (n×k when transposed, else k×n), row-major, at index 0. */
    static final int COPY = 0;
    /** Layout of {@link #data}: {@link VectorGemm}'s strips, see {@code VectorGemm.pack}. */
    static final int STRIPS = 1;

    final Gemm packer;
    final int layout;
    /** Whether op(b) = bᵀ (the source was n×k) rather than b (k×n). */
    final boolean transposed;
    /** k: rows of op(b), the inner size of a product. */
    final int rows;
    /** n: columns of op(b), the columns of a product. */
    final int cols;
    final float[] data;
    /** Direction of the next batch-1 pass over {@link #data} (a cache hint; it never changes a result). */
    private boolean reverseNext;

    PackedMatrix(Gemm packer, int layout, boolean transposed, int rows, int cols, float[] data) {
        this.packer = packer;
        this.layout = layout;
        this.transposed = transposed;
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    /**
     * Whether the next batch-1 product should read the strips last to first; flips at every call, so that
     * each pass starts where the one before ended, on lines still in cache. Unsynchronised: a race only
     * costs cache misses.
     */
    boolean reverseNextTraversal() {
        boolean reverse = reverseNext;
        reverseNext = !reverse;
        return reverse;
    }

    /** reuse's array when it holds at least {@code size} floats, else a new one. */
    static float[] storage(PackedMatrix reuse, int size) {
        return reuse != null && reuse.data.length >= size ? reuse.data : new float[size];
    }

    /** k: rows of op(b). */
    public int rows() {
        return rows;
    }

    /** n: columns of op(b). */
    public int cols() {
        return cols;
    }

    /** Whether op(b) is the transpose of the matrix that was packed. */
    public boolean transposed() {
        return transposed;
    }

    /** e.g. "(128, 512) = bᵀ of a (512, 128) matrix, packed by vector(512-bit, 16 lanes)". */
    public String describe() {
        String source = transposed ? "(" + cols + ", " + rows + ")" : "(" + rows + ", " + cols + ")";
        return "(" + rows + ", " + cols + ") = " + (transposed ? "bᵀ" : "b") + " of a " + source
                + " matrix, packed by " + packer.name();
    }

    @Override
    public String toString() {
        return "PackedMatrix" + describe();
    }
}
