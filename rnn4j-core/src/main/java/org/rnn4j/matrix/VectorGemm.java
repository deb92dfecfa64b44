package org.rnn4j.matrix;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix multiply on the Vector API ({@code jdk.incubator.vector}, {@link FloatVector#SPECIES_PREFERRED},
 * L lanes: 16 with AVX-512). Loaded only by reflection from {@link GemmSelector}, so a JVM without the
 * module never links this class.
 *
 * <p>Blocking scheme (after BLIS: Van Zee and van de Geijn, "BLIS: A Framework for Rapidly
 * Instantiating BLAS Functionality", 2015). op(a) is m×k, op(b) k×n.
 * <pre>
 *   for each column block jc (NC = 16·NR columns)
 *     for each depth block pc (KC = 256)
 *       pack op(b)[pc.., jc..] into strips of NR = 2L columns, p-major   (KC×NC: L2)
 *       for each row strip ic (MR = 8 rows)
 *         pack op(a)[ic.., pc..] p-major: ap[p·MR + r]                  (MR×KC: L1)
 *         for each column strip jr
 *           micro-kernel: 8×2 vector accumulators, for p < kc:
 *             acc[r][v] = fma(broadcast(ap[p·MR + r]), bp[p·NR + v·L ..], acc[r][v])
 *           c[ic.., jc + jr..] (+)= acc
 * </pre>
 * Packing makes both operands of the micro-kernel contiguous whatever the transposition, so one
 * kernel serves {@code mul}, {@code mulTransA} and {@code mulTransB}. Row tails use 4- and 1-row
 * kernels; column tails are zero-padded in the packed strip and written back through a small tile.
 * Packing b costs about as much as the product when a has few rows (a recurrent step), so:
 * <ul>
 *   <li>{@code mul}/{@code mulTransA} with fewer than {@value #PACK_B_MIN_ROWS} rows read b's rows
 *       in place (only a ragged last strip is packed);</li>
 *   <li>{@code mulTransB} with {@value #DOT_MAX_ROWS} to {@value #ROWS_MAX_ROWS} rows computes the
 *       transpose cᵀ = b·aᵀ: the small aᵀ is packed, 8 rows of b are broadcast from where they lie
 *       (same micro-kernel shape), and the tile is written into c transposed;</li>
 *   <li>{@code mulTransB} with fewer than {@value #DOT_MAX_ROWS} rows (batch 1) computes tiles of
 *       dot products of contiguous rows, 4×4 (or 1×16) vector accumulators over p, each reduced at
 *       the end by a fixed tree of lane shuffles.</li>
 * </ul>
 * Measured on a shared AVX-512 VM (one core, about 133 GFLOP/s peak): 60–110 GFLOP/s for the packed
 * path on large products, 55–90 for {@code mulTransB} with 32–64 rows, 10–25 for batch 1 (bound by
 * reading b from L2). See GemmBench in the tests.
 *
 * <p>Arithmetic. In the packed, row-reading and transposed paths every c[i, j] is a chain of fused
 * multiply-adds in index order of p within each depth block of {@value #KC}, and the blocks are
 * added to c in order; in the dot path, lane l of the accumulator sums the p ≡ l (mod L), then a
 * fixed tree adds the lanes. None of this depends on where the element sits in a tile, so splitting
 * the output over threads (in whole rows or columns, see {@link #setThreads(int)}) gives
 * bit-identical results; the path itself depends on the shape only.
 * Products of at least {@link #parallelThreshold()} multiply-adds are split; smaller ones (batch-1
 * shapes) run on the calling thread.
 *
 * <p>Packed operands. {@link #pack} stores op(b) once in the layout of the packed path, and
 * {@link #mulPacked} runs that path without packing b, reading each strip of b from memory once
 * for all rows of a (a recurrent step multiplies a few dozen rows by the same W_hh at every step;
 * repacking W_hh per step, or reading it in place 8 rows at a time, costs as much as the product).
 * The arithmetic is that of the packed path, so the result is bit-identical to {@code mul} and
 * {@code mulTransB} with the same operands, except that {@code mulTransB} with fewer than
 * {@value #DOT_MAX_ROWS} rows (the dot path) sums in another order; and, as with every path here,
 * bit-identical whatever the thread split.
 *
 * <p>Scratch. Each thread keeps its packing buffers in a thread-local, grown when needed; a call
 * allocates nothing else unless it is split over threads.
 */
public final class VectorGemm implements Gemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of the register tile. */
    private static final int MR = 8;
    /** Columns of the register tile: two vectors. */
    private static final int NR = 2 * L;
    /** Depth per block. */
    static final int KC = 256;
    /** Columns per block of packed b. */
    private static final int NC = 16 * NR;
    /** mul/mulTransA with fewer rows read b in place instead of packing it. */
    static final int PACK_B_MIN_ROWS = 16;
    /** mulTransB with fewer rows uses dot-product tiles instead of packing bᵀ. */
    static final int DOT_MAX_ROWS = 16;
    /** mulTransB with fewer rows (and at least DOT_MAX_ROWS) broadcasts b's rows in place. */
    static final int ROWS_MAX_ROWS = 128;
    /** The three ways through a product. */
    private static final int PACKED = 0;
    private static final int DOT = 1;
    private static final int ROWS = 2;
    /**
     * Blocks of b at most this wide (4 strips) read a's rows in place rather than packing them: packing an
     * 8-row tile cost as much as a good part of its products there. Same run, one thread, in place against
     * packed: 1.10-1.19x at N = 65-128 (K = 65-512), and 1.09-1.24x for the packed products of a recurrent
     * step at B = 16-64, N = 65-128; 0.96-0.97x at N ≥ 512, where the packing is shared by many strips.
     */
    static final int ROWS_IN_PLACE_MAX_COLS = 4 * NR;
    /** Strips of a packed operand read together by the 1-row kernel of {@link #mulPacked}. */
    private static final int GROUP = 4;
    /** B rows per dot-product column group (4 tiles of 4×4, or one 1×16). */
    private static final int DOT_COLS = 16;

    private static final ScalarGemm.Workers WORKERS = new ScalarGemm.Workers("rnn4j-vector-gemm");
    /**
     * 4M multiply-adds (about 50 µs on one core here). Measured on a 2-core AVX-512 VM: below a few
     * million, handing half a product to another core (waking it, moving operands between caches)
     * cost as much as it saved; with the second core free, 2 threads gave about 1.2–1.6× at 4–16M
     * and 1.8–1.9× at 100M and more (on a loaded machine, less).
     */
    private static volatile long parallelMinFmas = 1L << 22;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** PREFIX[r]: the first r lanes. */
    private static final VectorMask<Float>[] PREFIX;
    /** Per level of the reduction tree, with h = L/2, L/4, .., 1: lanes whose bit h is set, and lane ↔ lane^h. */
    private static final VectorMask<Float>[] HIGH;
    private static final VectorShuffle<Float>[] SWAP;
    /** Where {@link #reduce16} leaves the sum of vector v. */
    private static final int[] SUM_AT = new int[16];

    static {
        PREFIX = masks(L + 1);
        for (int r = 0; r <= L; r++) {
            PREFIX[r] = S.indexInRange(0, r);
        }
        int levels = Integer.numberOfTrailingZeros(L);
        HIGH = masks(levels);
        @SuppressWarnings("unchecked")
        VectorShuffle<Float>[] swap = (VectorShuffle<Float>[]) new VectorShuffle<?>[levels];
        SWAP = swap;
        for (int level = 0, h = L / 2; h >= 1; level++, h >>= 1) {
            boolean[] high = new boolean[L];
            int[] partner = new int[L];
            for (int l = 0; l < L; l++) {
                high[l] = (l & h) != 0;
                partner[l] = l ^ h;
            }
            HIGH[level] = VectorMask.fromArray(S, high, 0);
            SWAP[level] = VectorShuffle.fromArray(S, partner, 0);
        }
        // Find where the tree leaves each sum by reducing vectors whose lanes all hold v + 1.
        float[] red = new float[16 * L];
        for (int v = 0; v < 16; v++) {
            Arrays.fill(red, v * L, (v + 1) * L, v + 1);
        }
        reduce16(red);
        Arrays.fill(SUM_AT, -1);
        int left = Math.max(1, 16 / L); // vectors left after the last level
        for (int at = 0; at < left * L; at++) {
            int v = Math.round(red[at] / L) - 1;
            if (red[at] != 0f && (v < 0 || v >= 16 || red[at] != (v + 1f) * L || SUM_AT[v] >= 0)) {
                throw new IllegalStateException("VectorGemm: lane reduction tree is broken for " + L + " lanes");
            }
            if (red[at] != 0f) {
                SUM_AT[v] = at;
            }
        }
        for (int v = 0; v < 16; v++) {
            if (SUM_AT[v] < 0) {
                throw new IllegalStateException("VectorGemm: lane reduction tree lost a sum for " + L + " lanes");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static VectorMask<Float>[] masks(int count) {
        return (VectorMask<Float>[]) new VectorMask<?>[count];
    }

    /** Fails when the preferred species is too narrow to beat {@link ScalarGemm}. */
    public VectorGemm() {
        if (L < 4) {
            throw new UnsupportedOperationException("VectorGemm: the preferred float vector has only " + L
                    + " lanes");
        }
    }

    /** Sets the number of threads used for large products (1 = single-threaded). */
    public static void setThreads(int threads) {
        WORKERS.setThreads(threads);
    }

    /** The number of threads used for large products. */
    public static int threads() {
        return WORKERS.threads();
    }

    @Override
    public int parallelism() {
        return WORKERS.available();
    }

    @Override
    public void parallel(int parts, java.util.function.IntConsumer task) {
        WORKERS.run(parts, task);
    }

    /** Products with fewer multiply-adds (m·n·k) than this run on the calling thread only. */
    public static long parallelThreshold() {
        return parallelMinFmas;
    }

    /** Sets {@link #parallelThreshold()}; tests set 0 to exercise the split on small products. */
    static void setParallelThreshold(long fmas) {
        parallelMinFmas = fmas;
    }

    @Override
    public void mul(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float beta) {
        run(ScalarGemm.Op.MUL, m, n, k, a, aOff, b, bOff, c, cOff, beta);
    }

    @Override
    public void mulTransA(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float beta) {
        run(ScalarGemm.Op.TRANS_A, m, n, k, a, aOff, b, bOff, c, cOff, beta);
    }

    @Override
    public void mulTransB(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float beta) {
        run(ScalarGemm.Op.TRANS_B, m, n, k, a, aOff, b, bOff, c, cOff, beta);
    }

    @Override
    public String name() {
        return "vector(" + S.vectorBitSize() + "-bit, " + L + " lanes)";
    }

    /**
     * Packs op(b) (k×n) once, in the layout {@link #block} builds on every call: for each depth block
     * pc of {@value #KC}, the strips of NR columns of op(b)[pc.., ..], strip s at
     * data[pc·nPad + s·kc·NR] with element (p, j) at p·NR + j, where nPad is n rounded up to NR and
     * the padding is zero.
     */
    @Override
    public PackedMatrix pack(boolean transposed, int k, int n, float[] b, int bOff, PackedMatrix reuse) {
        if (k < 0 || n < 0) {
            throw new IllegalArgumentException("pack: sizes must be non-negative, got k=" + k + ", n=" + n);
        }
        ScalarGemm.checkExtent(transposed ? "packTransB" : "pack", "b", b, bOff, (long) k * n);
        int nPad = ScalarGemm.ceilDiv(n, NR) * NR;
        float[] data = PackedMatrix.storage(reuse, Math.multiplyExact(k, nPad)); // every element is written
        for (int pc = 0; pc < k; pc += KC) {
            packB(transposed, b, bOff, n, k, 0, n, pc, Math.min(KC, k - pc), data, pc * nPad);
        }
        return new PackedMatrix(this, PackedMatrix.STRIPS, transposed, k, n, data);
    }

    /**
     * c = a · op(b) + beta·c with op(b) from {@link #pack}: the packed path without packing b, so the
     * bits are those of {@code mul} and {@code mulTransB} (except mulTransB's dot path, fewer than
     * {@value #DOT_MAX_ROWS} rows). The last 1–3 rows (all of them at batch 1) go through a kernel of
     * one row × 4 strips, whose 8 independent chains keep the FMA units busy where the 1-row kernel
     * would wait on one chain per vector.
     */
    @Override
    public void mulPacked(int m, float[] a, int aOff, PackedMatrix b, float[] c, int cOff, float beta) {
        if (b.layout != PackedMatrix.STRIPS) {
            Gemm.super.mulPacked(m, a, aOff, b, c, cOff, beta);
            return;
        }
        int n = b.cols;
        int k = b.rows;
        ScalarGemm.checkOperands("mulPacked", m, n, k, a, aOff, b.data, 0, c, cOff, beta);
        if (m == 0 || n == 0) {
            return;
        }
        boolean add = beta != 0f;
        if (k == 0) {
            if (!add) {
                Arrays.fill(c, cOff, cOff + m * n, 0f);
            }
            return;
        }
        float[] bp = b.data;
        int rowTiles = ScalarGemm.ceilDiv(m, MR);
        int colTiles = ScalarGemm.ceilDiv(n, NR);
        boolean splitRows = rowTiles >= colTiles;
        int parts = WORKERS.parts((long) m * n * k, parallelMinFmas, splitRows ? rowTiles : colTiles);
        if (parts == 1 && m < 4) {
            packedThin(m, n, k, a, aOff, bp, c, cOff, add, b.reverseNextTraversal());
            return;
        }
        if (parts == 1) {
            packedBlock(m, n, k, a, aOff, bp, c, cOff, add, 0, m, 0, n);
            return;
        }
        WORKERS.run(parts, part -> {
            if (splitRows) {
                int i0 = ScalarGemm.Workers.split(rowTiles, parts, part) * MR;
                int i1 = Math.min(m, ScalarGemm.Workers.split(rowTiles, parts, part + 1) * MR);
                packedBlock(m, n, k, a, aOff, bp, c, cOff, add, i0, i1, 0, n);
            } else {
                int j0 = ScalarGemm.Workers.split(colTiles, parts, part) * NR;
                int j1 = Math.min(n, ScalarGemm.Workers.split(colTiles, parts, part + 1) * NR);
                packedBlock(m, n, k, a, aOff, bp, c, cOff, add, 0, m, j0, j1);
            }
        });
    }

    /**
     * Rows [i0, i1) × columns [j0, j1) of c (j0 a multiple of NR) from op(b) packed at bp. Per depth
     * block, all the rows of a are packed (strip q of MR rows at ap[q·MR·kc]); then for each group of
     * {@value #GROUP} strips of b, each strip is read from memory once and reused from L1 by every
     * block of 8 (or 4) rows, and the last 1–3 rows go through {@link #kernel1Wide}.
     */
    private static void packedBlock(int m, int n, int k, float[] a, int aOff, float[] bp, float[] c, int cOff,
            boolean add, int i0, int i1, int j0, int j1) {
        Scratch s = SCRATCH.get();
        int nPad = ScalarGemm.ceilDiv(n, NR) * NR;
        int rows = i1 - i0;
        int iThin = i0 + rows / MR * MR + (rows % MR >= 4 ? 4 : 0); // rows past this take the 1-row kernel
        float[] ap = s.packedA(ScalarGemm.ceilDiv(rows, MR) * MR * KC);
        float[] tile = s.tile;
        boolean rowsInPlace = j1 - j0 <= ROWS_IN_PLACE_MAX_COLS; // 8-row tiles of a read in place, unpacked
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            boolean acc = add || pc > 0;
            for (int ic = i0, q = 0; ic < i1; ic += MR, q++) {
                if (!rowsInPlace || i1 - ic < MR) {
                    packA(false, a, aOff, m, k, ic, Math.min(MR, i1 - ic), pc, kc, ap, q * MR * kc);
                }
            }
            int blockAt = pc * nPad;
            int stripSize = kc * NR;
            for (int jg = j0; jg < j1; jg += GROUP * NR) {
                int jgEnd = Math.min(j1, jg + GROUP * NR);
                for (int jr = jg; jr < jgEnd; jr += NR) {
                    int nr = Math.min(NR, j1 - jr);
                    int bo = blockAt + jr / NR * stripSize;
                    for (int ic = i0, ao = 0; ic < iThin; ic += MR, ao += MR * kc) {
                        int mr = Math.min(MR, iThin - ic);
                        if (mr == MR && rowsInPlace) {
                            kernel8Rows(kc, a, aOff + ic * k + pc, k, 2 * k, 3 * k, 4 * k, 5 * k, 6 * k, 7 * k,
                                    bp, bo, NR, tile);
                        } else if (mr == MR) {
                            kernel8(kc, ap, ao, bp, bo, NR, tile);
                        } else {
                            kernel4(kc, ap, ao, 0, bp, bo, NR, tile);
                        }
                        store(tile, 0, mr, nr, c, cOff + ic * n + jr, n, acc);
                    }
                }
                int strips = ScalarGemm.ceilDiv(jgEnd - jg, NR);
                int bo = blockAt + jg / NR * stripSize;
                for (int i = iThin; i < i1; i++) { // past the group's last strip, repeat it and drop the sums
                    kernel1Wide(kc, ap, (i - i0) / MR * MR * kc + (i - i0) % MR, MR, bp, bo,
                            Math.min(1, strips - 1) * stripSize, Math.min(2, strips - 1) * stripSize,
                            Math.min(3, strips - 1) * stripSize, tile);
                    for (int t = 0, jr = jg; t < strips; t++, jr += NR) {
                        store(tile, t * NR, 1, Math.min(NR, j1 - jr), c, cOff + i * n + jr, n, acc);
                    }
                }
            }
        }
    }

    /**
     * c = a·op(b) (or +=) for 1–3 rows of a, read in place, against op(b) packed at bp: the batch-1 product of
     * a generation step. Each group of {@value #GROUP} strips is finished (all its depth blocks, in order)
     * before the next, and the groups are visited last to first when {@code reverse}: a caller that
     * alternates the direction finds the strips it read last still in L2 (a matrix somewhat larger than
     * L2, read front to back every time, would miss on every line). The arithmetic is that of
     * {@link #packedBlock}'s 1-row kernel, so the direction does not change a bit.
     */
    private static void packedThin(int m, int n, int k, float[] a, int aOff, float[] bp, float[] c, int cOff,
            boolean add, boolean reverse) {
        float[] tile = SCRATCH.get().tile;
        int nPad = ScalarGemm.ceilDiv(n, NR) * NR;
        int groups = ScalarGemm.ceilDiv(n, GROUP * NR);
        for (int gi = 0; gi < groups; gi++) {
            int jg = (reverse ? groups - 1 - gi : gi) * GROUP * NR;
            int jgEnd = Math.min(n, jg + GROUP * NR);
            int strips = ScalarGemm.ceilDiv(jgEnd - jg, NR);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                int stripSize = kc * NR;
                int bo = pc * nPad + jg / NR * stripSize;
                boolean acc = add || pc > 0;
                for (int i = 0; i < m; i++) {
                    kernel1Wide(kc, a, aOff + i * k + pc, 1, bp, bo, Math.min(1, strips - 1) * stripSize,
                            Math.min(2, strips - 1) * stripSize, Math.min(3, strips - 1) * stripSize, tile);
                    for (int t = 0, jr = jg; t < strips; t++, jr += NR) {
                        store(tile, t * NR, 1, Math.min(NR, n - jr), c, cOff + i * n + jr, n, acc);
                    }
                }
            }
        }
    }

    /**
     * tile[t·NR + j] = Σ_p ap[ao + p·aStride] · bp[bo + dt + p·NR + j] for the 4 strips at dt = 0, d1, d2, d3
     * (fma in order of p, as in {@link #kernel8}); aStride is MR for a packed row of a, 1 for a row in place.
     */
    private static void kernel1Wide(int kc, float[] ap, int ao, int aStride, float[] bp, int bo, int d1, int d2, int d3,
            float[] tile) {
        int b1 = bo + d1;
        int b2 = bo + d2;
        int b3 = bo + d3;
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        for (int p = 0; p < kc; p++) {
            FloatVector x = FloatVector.broadcast(S, ap[ao + p * aStride]);
            int o = p * NR;
            c00 = x.fma(FloatVector.fromArray(S, bp, bo + o), c00);
            c01 = x.fma(FloatVector.fromArray(S, bp, bo + o + L), c01);
            c10 = x.fma(FloatVector.fromArray(S, bp, b1 + o), c10);
            c11 = x.fma(FloatVector.fromArray(S, bp, b1 + o + L), c11);
            c20 = x.fma(FloatVector.fromArray(S, bp, b2 + o), c20);
            c21 = x.fma(FloatVector.fromArray(S, bp, b2 + o + L), c21);
            c30 = x.fma(FloatVector.fromArray(S, bp, b3 + o), c30);
            c31 = x.fma(FloatVector.fromArray(S, bp, b3 + o + L), c31);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
    }

    private static void run(ScalarGemm.Op op, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
            float[] c, int cOff, float beta) {
        ScalarGemm.checkOperands(op.label, m, n, k, a, aOff, b, bOff, c, cOff, beta);
        if (m == 0 || n == 0) {
            return;
        }
        boolean add = beta != 0f;
        if (k == 0) {
            if (!add) {
                Arrays.fill(c, cOff, cOff + m * n, 0f);
            }
            return;
        }
        int path = op != ScalarGemm.Op.TRANS_B ? PACKED : m < DOT_MAX_ROWS ? DOT : m < ROWS_MAX_ROWS ? ROWS : PACKED;
        int rowUnit = path == DOT ? 4 : path == ROWS ? NR : MR;
        int colUnit = path == DOT ? DOT_COLS : path == ROWS ? MR : NR;
        int rowTiles = ScalarGemm.ceilDiv(m, rowUnit);
        int colTiles = ScalarGemm.ceilDiv(n, colUnit);
        boolean splitRows = rowTiles >= colTiles;
        int parts = WORKERS.parts((long) m * n * k, parallelMinFmas, splitRows ? rowTiles : colTiles);
        if (parts == 1) {
            block(op, path, m, n, k, a, aOff, b, bOff, c, cOff, add, 0, m, 0, n);
            return;
        }
        WORKERS.run(parts, part -> {
            if (splitRows) {
                int i0 = ScalarGemm.Workers.split(rowTiles, parts, part) * rowUnit;
                int i1 = Math.min(m, ScalarGemm.Workers.split(rowTiles, parts, part + 1) * rowUnit);
                block(op, path, m, n, k, a, aOff, b, bOff, c, cOff, add, i0, i1, 0, n);
            } else {
                int j0 = ScalarGemm.Workers.split(colTiles, parts, part) * colUnit;
                int j1 = Math.min(n, ScalarGemm.Workers.split(colTiles, parts, part + 1) * colUnit);
                block(op, path, m, n, k, a, aOff, b, bOff, c, cOff, add, 0, m, j0, j1);
            }
        });
    }

    /** Computes rows [i0, i1) × columns [j0, j1) of c. */
    private static void block(ScalarGemm.Op op, int path, int m, int n, int k, float[] a, int aOff, float[] b,
            int bOff, float[] c, int cOff, boolean add, int i0, int i1, int j0, int j1) {
        Scratch s = SCRATCH.get();
        if (path == DOT) {
            dotBlock(k, a, aOff, b, bOff, c, cOff, n, add, i0, i1, j0, j1, s);
            return;
        }
        if (path == ROWS) {
            rowsBlock(k, a, aOff, b, bOff, c, cOff, n, add, i0, i1, j0, j1, s);
            return;
        }
        boolean transA = op == ScalarGemm.Op.TRANS_A;
        boolean transB = op == ScalarGemm.Op.TRANS_B;
        boolean packB = transB || m >= PACK_B_MIN_ROWS;
        float[] ap = s.a;
        float[] bp = s.b(packB ? KC * ScalarGemm.ceilDiv(Math.min(NC, j1 - j0), NR) * NR : KC * NR);
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            int fullStrips = nc / NR;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean acc = add || pc > 0;
                if (packB) {
                    packB(transB, b, bOff, n, k, jc, nc, pc, kc, bp, 0);
                } else if (fullStrips * NR < nc) { // only the ragged last strip, zero-padded
                    packB(false, b, bOff, n, k, jc + fullStrips * NR, nc - fullStrips * NR, pc, kc, bp, 0);
                }
                boolean direct = !transA && nc <= ROWS_IN_PLACE_MAX_COLS;
                for (int ic = i0; ic < i1; ic += MR) {
                    int mr = Math.min(MR, i1 - ic);
                    boolean rowsInPlace = direct && mr == MR; // 8 rows of a read where they are: no packing
                    if (!rowsInPlace) {
                        packA(transA, a, aOff, m, k, ic, mr, pc, kc, ap, 0);
                    }
                    for (int strip = 0, jr = 0; jr < nc; strip++, jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        float[] bs;
                        int bo;
                        int bStride;
                        if (packB) {
                            bs = bp;
                            bo = strip * kc * NR;
                            bStride = NR;
                        } else if (nr == NR) {
                            bs = b;
                            bo = bOff + pc * n + jc + jr;
                            bStride = n;
                        } else {
                            bs = bp;
                            bo = 0;
                            bStride = NR;
                        }
                        if (rowsInPlace) {
                            kernel8Rows(kc, a, aOff + ic * k + pc, k, 2 * k, 3 * k, 4 * k, 5 * k, 6 * k, 7 * k,
                                    bs, bo, bStride, s.tile);
                            store(s.tile, 0, MR, nr, c, cOff + ic * n + jc + jr, n, acc);
                        } else {
                            strip(mr, nr, kc, ap, bs, bo, bStride, c, cOff + ic * n + jc + jr, n, acc, s.tile);
                        }
                    }
                }
            }
        }
    }

    /**
     * One strip of mr ≤ MR rows × nr ≤ NR columns: the 8-row kernel, or 4- and 1-row kernels for a
     * tail, each leaving its sums in the tile, which is then added to (or copied into) c.
     */
    private static void strip(int mr, int nr, int kc, float[] ap, float[] bs, int bo, int bStride, float[] c, int co,
            int ldc, boolean acc, float[] tile) {
        int r = 0;
        if (mr == MR) {
            kernel8(kc, ap, 0, bs, bo, bStride, tile);
            r = MR;
        }
        for (; r + 4 <= mr; r += 4) {
            kernel4(kc, ap, 0, r, bs, bo, bStride, tile);
        }
        for (; r < mr; r++) {
            kernel1(kc, ap, 0, r, bs, bo, bStride, tile);
        }
        store(tile, 0, mr, nr, c, co, ldc, acc);
    }

    /** c[co + i·ldc + j] (+)= tile[to + i·NR + j] for i < rows, j < nr ≤ NR. */
    private static void store(float[] tile, int to, int rows, int nr, float[] c, int co, int ldc, boolean acc) {
        if (nr == NR) {
            for (int i = 0, ti = to, ci = co; i < rows; i++, ti += NR, ci += ldc) {
                FloatVector t0 = FloatVector.fromArray(S, tile, ti);
                FloatVector t1 = FloatVector.fromArray(S, tile, ti + L);
                if (acc) {
                    t0 = t0.add(FloatVector.fromArray(S, c, ci));
                    t1 = t1.add(FloatVector.fromArray(S, c, ci + L));
                }
                t0.intoArray(c, ci);
                t1.intoArray(c, ci + L);
            }
        } else {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < nr; j++) {
                    int ci = co + i * ldc + j;
                    float t = tile[to + i * NR + j];
                    c[ci] = acc ? c[ci] + t : t;
                }
            }
        }
    }

    /** tile[r·NR + j] = Σ_p ap[ao + p·MR + r] · bs[bo + p·bStride + j] for r < 8, j < NR (fma in order of p). */
    private static void kernel8(int kc, float[] ap, int ao, float[] bs, int bo, int bStride, float[] tile) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        FloatVector c60 = c00;
        FloatVector c61 = c00;
        FloatVector c70 = c00;
        FloatVector c71 = c00;
        for (int p = 0, bi = bo; p < kc; p++, bi += bStride) {
            FloatVector b0 = FloatVector.fromArray(S, bs, bi);
            FloatVector b1 = FloatVector.fromArray(S, bs, bi + L);
            int ai = ao + p * MR;
            FloatVector x = FloatVector.broadcast(S, ap[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, ap[ai + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, ap[ai + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, 0 + L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
    }

    /** As {@link #kernel8} for packed rows r0 .. r0+3. */
    private static void kernel4(int kc, float[] ap, int ao, int r0, float[] bs, int bo, int bStride, float[] tile) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        for (int p = 0, bi = bo; p < kc; p++, bi += bStride) {
            FloatVector b0 = FloatVector.fromArray(S, bs, bi);
            FloatVector b1 = FloatVector.fromArray(S, bs, bi + L);
            int ai = ao + p * MR + r0;
            FloatVector x = FloatVector.broadcast(S, ap[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        c00.intoArray(tile, r0 * NR);
        c01.intoArray(tile, r0 * NR + L);
        c10.intoArray(tile, (r0 + 1) * NR);
        c11.intoArray(tile, (r0 + 1) * NR + L);
        c20.intoArray(tile, (r0 + 2) * NR);
        c21.intoArray(tile, (r0 + 2) * NR + L);
        c30.intoArray(tile, (r0 + 3) * NR);
        c31.intoArray(tile, (r0 + 3) * NR + L);
    }

    /** As {@link #kernel8} for packed row r. */
    private static void kernel1(int kc, float[] ap, int ao, int r, float[] bs, int bo, int bStride, float[] tile) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        for (int p = 0, bi = bo; p < kc; p++, bi += bStride) {
            FloatVector x = FloatVector.broadcast(S, ap[ao + p * MR + r]);
            c00 = x.fma(FloatVector.fromArray(S, bs, bi), c00);
            c01 = x.fma(FloatVector.fromArray(S, bs, bi + L), c01);
        }
        c00.intoArray(tile, r * NR);
        c01.intoArray(tile, r * NR + L);
    }

    /** ap[apOff + p·MR + r] = op(a)[ic + r, pc + p] for r < mr, p < kc. */
    private static void packA(boolean transA, float[] a, int aOff, int m, int k, int ic, int mr, int pc, int kc,
            float[] ap, int apOff) {
        if (transA) { // a is stored k×m: the mr values of one p are contiguous
            for (int p = 0; p < kc; p++) {
                System.arraycopy(a, aOff + (pc + p) * m + ic, ap, apOff + p * MR, mr);
            }
        } else {
            for (int r = 0; r < mr; r++) {
                int src = aOff + (ic + r) * k + pc;
                for (int p = 0; p < kc; p++) {
                    ap[apOff + p * MR + r] = a[src + p];
                }
            }
        }
    }

    /**
     * Packs op(b)[pc .. pc+kc, jc .. jc+nc) into strips of NR columns, strip s at bp[s·kc·NR], element
     * (p, j) at p·NR + j, all from bp[bpOff]; the last strip is zero-padded to NR columns. b is stored k×n, or
     * n×k when transB (then n is not needed).
     */
    private static void packB(boolean transB, float[] b, int bOff, int n, int k, int jc, int nc, int pc, int kc,
            float[] bp, int bpOff) {
        for (int strip = 0, j0 = 0; j0 < nc; strip++, j0 += NR) {
            int w = Math.min(NR, nc - j0);
            int dst = bpOff + strip * kc * NR;
            if (transB) { // b is stored n×k: op(b)[p, j] = b[j, p]
                for (int j = 0; j < w; j++) {
                    int src = bOff + (jc + j0 + j) * k + pc;
                    for (int p = 0; p < kc; p++) {
                        bp[dst + p * NR + j] = b[src + p];
                    }
                }
                if (w < NR) {
                    for (int p = 0; p < kc; p++) {
                        Arrays.fill(bp, dst + p * NR + w, dst + (p + 1) * NR, 0f);
                    }
                }
            } else if (w == NR) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * n + jc + j0;
                    FloatVector.fromArray(S, b, src).intoArray(bp, dst + p * NR);
                    FloatVector.fromArray(S, b, src + L).intoArray(bp, dst + p * NR + L);
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b, bOff + (pc + p) * n + jc + j0, bp, dst + p * NR, w);
                    Arrays.fill(bp, dst + p * NR + w, dst + (p + 1) * NR, 0f);
                }
            }
        }
    }

    /**
     * mulTransB for a few dozen rows, computed as its transpose cᵀ = b·aᵀ so that b, the large
     * operand, is read in place: aᵀ is packed into strips of NR columns (rows of a), each block of 8
     * rows of b is broadcast against them by {@link #kernel8Rows}, and the 8×NR tile is written to c
     * transposed. Past j1, the last row of b is repeated and its sums dropped. The arithmetic is
     * that of the packed path.
     */
    private static void rowsBlock(int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int n,
            boolean add, int i0, int i1, int j0, int j1, Scratch s) {
        int strips = ScalarGemm.ceilDiv(i1 - i0, NR);
        float[] at = s.b(KC * strips * NR);
        float[] tile = s.tile;
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            boolean acc = add || pc > 0;
            packB(true, a, aOff, 0, k, i0, i1 - i0, pc, kc, at, 0); // aᵀ[p, i] = a[i, p], packed as bᵀ is
            for (int j = j0; j < j1; j += MR) {
                int rows = Math.min(MR, j1 - j);
                int x0 = bOff + j * k + pc;
                for (int strip = 0, i = i0; i < i1; strip++, i += NR) {
                    kernel8Rows(kc, b, x0, Math.min(1, rows - 1) * k, Math.min(2, rows - 1) * k,
                            Math.min(3, rows - 1) * k, Math.min(4, rows - 1) * k, Math.min(5, rows - 1) * k,
                            Math.min(6, rows - 1) * k, Math.min(7, rows - 1) * k, at, strip * kc * NR, NR, tile);
                    int lanes = Math.min(NR, i1 - i);
                    for (int l = 0; l < lanes; l++) {
                        int ci = cOff + (i + l) * n + j;
                        for (int r = 0; r < rows; r++) {
                            float t = tile[r * NR + l];
                            c[ci + r] = acc ? c[ci + r] + t : t;
                        }
                    }
                }
            }
        }
    }

    /**
     * tile[r·NR + j] = Σ_p x[x0 + dr + p] · y[yo + p·yStride + j] for the 8 rows of x at offsets dr = 0, d1 ..
     * d7, read in place (fma in order of p, as {@link #kernel8}, so the same bits as with packed rows).
     */
    private static void kernel8Rows(int kc, float[] x, int x0, int d1, int d2, int d3, int d4, int d5, int d6, int d7,
            float[] y, int yo, int yStride, float[] tile) {
        int x1 = x0 + d1;
        int x2 = x0 + d2;
        int x3 = x0 + d3;
        int x4 = x0 + d4;
        int x5 = x0 + d5;
        int x6 = x0 + d6;
        int x7 = x0 + d7;
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        FloatVector c60 = c00;
        FloatVector c61 = c00;
        FloatVector c70 = c00;
        FloatVector c71 = c00;
        for (int p = 0, yi = yo; p < kc; p++, yi += yStride) {
            FloatVector b0 = FloatVector.fromArray(S, y, yi);
            FloatVector b1 = FloatVector.fromArray(S, y, yi + L);
            FloatVector v = FloatVector.broadcast(S, x[x0 + p]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, x[x1 + p]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, x[x2 + p]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, x[x3 + p]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = FloatVector.broadcast(S, x[x4 + p]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
            v = FloatVector.broadcast(S, x[x5 + p]);
            c50 = v.fma(b0, c50);
            c51 = v.fma(b1, c51);
            v = FloatVector.broadcast(S, x[x6 + p]);
            c60 = v.fma(b0, c60);
            c61 = v.fma(b1, c61);
            v = FloatVector.broadcast(S, x[x7 + p]);
            c70 = v.fma(b0, c70);
            c71 = v.fma(b1, c71);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
    }

    /**
     * mulTransB for few rows, c[i, j] = ⟨a row i, b row j⟩: groups of 16 rows of b; 4×4 tiles while 4
     * rows of a remain, then 1×16 tiles. Rows of b past j1 are clamped to j1 - 1 and their sums dropped.
     */
    private static void dotBlock(int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int n,
            boolean add, int i0, int i1, int j0, int j1, Scratch s) {
        float[] red = s.red;
        for (int j = j0; j < j1; j += DOT_COLS) {
            int last = j1 - 1;
            int i = i0;
            for (; i + 4 <= i1; i += 4) {
                int a0 = aOff + i * k;
                for (int q = 0; q < DOT_COLS; q += 4) {
                    int bj = j + q;
                    if (bj > last) {
                        break;
                    }
                    dot4x4(k, a, a0, a0 + k, a0 + 2 * k, a0 + 3 * k, b,
                            bOff + bj * k, bOff + Math.min(bj + 1, last) * k,
                            bOff + Math.min(bj + 2, last) * k, bOff + Math.min(bj + 3, last) * k, s);
                    reduce16(red);
                    int cols = Math.min(4, j1 - bj);
                    for (int r = 0; r < 4; r++) {
                        for (int t = 0; t < cols; t++) {
                            int ci = cOff + (i + r) * n + bj + t;
                            float v = red[SUM_AT[r * 4 + t]];
                            c[ci] = add ? c[ci] + v : v;
                        }
                    }
                }
            }
            for (; i < i1; i++) {
                int[] rows = s.rows;
                for (int q = 0; q < DOT_COLS; q++) {
                    rows[q] = bOff + Math.min(j + q, last) * k;
                }
                dot1x16(k, a, aOff + i * k, b, rows, s);
                reduce16(red);
                int cols = Math.min(DOT_COLS, j1 - j);
                for (int t = 0; t < cols; t++) {
                    int ci = cOff + i * n + j + t;
                    float v = red[SUM_AT[t]];
                    c[ci] = add ? c[ci] + v : v;
                }
            }
        }
    }

    /** red[(r·4 + t)·L ..] = lane-wise Σ_p a[ar + p]·b[bt + p] for 4 rows of a and 4 of b. */
    private static void dot4x4(int k, float[] a, int ar0, int ar1, int ar2, int ar3, float[] b, int br0, int br1,
            int br2, int br3, Scratch s) {
        FloatVector s00 = FloatVector.zero(S);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s12 = s00;
        FloatVector s13 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s22 = s00;
        FloatVector s23 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        FloatVector s32 = s00;
        FloatVector s33 = s00;
        int kFull = k - k % L;
        for (int p = 0; p < kFull; p += L) {
            FloatVector x0 = FloatVector.fromArray(S, a, ar0 + p);
            FloatVector x1 = FloatVector.fromArray(S, a, ar1 + p);
            FloatVector x2 = FloatVector.fromArray(S, a, ar2 + p);
            FloatVector x3 = FloatVector.fromArray(S, a, ar3 + p);
            FloatVector y0 = FloatVector.fromArray(S, b, br0 + p);
            FloatVector y1 = FloatVector.fromArray(S, b, br1 + p);
            FloatVector y2 = FloatVector.fromArray(S, b, br2 + p);
            FloatVector y3 = FloatVector.fromArray(S, b, br3 + p);
            s00 = x0.fma(y0, s00);
            s10 = x1.fma(y0, s10);
            s20 = x2.fma(y0, s20);
            s30 = x3.fma(y0, s30);
            s01 = x0.fma(y1, s01);
            s11 = x1.fma(y1, s11);
            s21 = x2.fma(y1, s21);
            s31 = x3.fma(y1, s31);
            s02 = x0.fma(y2, s02);
            s12 = x1.fma(y2, s12);
            s22 = x2.fma(y2, s22);
            s32 = x3.fma(y2, s32);
            s03 = x0.fma(y3, s03);
            s13 = x1.fma(y3, s13);
            s23 = x2.fma(y3, s23);
            s33 = x3.fma(y3, s33);
        }
        if (kFull < k) { // the same steps on the last, zero-padded chunk
            int rem = k - kFull;
            float[] t = s.tail;
            FloatVector x0 = tail(a, ar0 + kFull, rem, t);
            FloatVector x1 = tail(a, ar1 + kFull, rem, t);
            FloatVector x2 = tail(a, ar2 + kFull, rem, t);
            FloatVector x3 = tail(a, ar3 + kFull, rem, t);
            FloatVector y0 = tail(b, br0 + kFull, rem, t);
            FloatVector y1 = tail(b, br1 + kFull, rem, t);
            FloatVector y2 = tail(b, br2 + kFull, rem, t);
            FloatVector y3 = tail(b, br3 + kFull, rem, t);
            s00 = x0.fma(y0, s00);
            s10 = x1.fma(y0, s10);
            s20 = x2.fma(y0, s20);
            s30 = x3.fma(y0, s30);
            s01 = x0.fma(y1, s01);
            s11 = x1.fma(y1, s11);
            s21 = x2.fma(y1, s21);
            s31 = x3.fma(y1, s31);
            s02 = x0.fma(y2, s02);
            s12 = x1.fma(y2, s12);
            s22 = x2.fma(y2, s22);
            s32 = x3.fma(y2, s32);
            s03 = x0.fma(y3, s03);
            s13 = x1.fma(y3, s13);
            s23 = x2.fma(y3, s23);
            s33 = x3.fma(y3, s33);
        }
        float[] red = s.red;
        s00.intoArray(red, 0);
        s01.intoArray(red, L);
        s02.intoArray(red, 2 * L);
        s03.intoArray(red, 3 * L);
        s10.intoArray(red, 4 * L);
        s11.intoArray(red, 5 * L);
        s12.intoArray(red, 6 * L);
        s13.intoArray(red, 7 * L);
        s20.intoArray(red, 8 * L);
        s21.intoArray(red, 9 * L);
        s22.intoArray(red, 10 * L);
        s23.intoArray(red, 11 * L);
        s30.intoArray(red, 12 * L);
        s31.intoArray(red, 13 * L);
        s32.intoArray(red, 14 * L);
        s33.intoArray(red, 15 * L);
    }

    /** red[t·L ..] = lane-wise Σ_p a[ar + p]·b[rows[t] + p] for one row of a and 16 of b. */
    private static void dot1x16(int k, float[] a, int ar, float[] b, int[] rows, Scratch s) {
        int b0 = rows[0];
        int b1 = rows[1];
        int b2 = rows[2];
        int b3 = rows[3];
        int b4 = rows[4];
        int b5 = rows[5];
        int b6 = rows[6];
        int b7 = rows[7];
        int b8 = rows[8];
        int b9 = rows[9];
        int b10 = rows[10];
        int b11 = rows[11];
        int b12 = rows[12];
        int b13 = rows[13];
        int b14 = rows[14];
        int b15 = rows[15];
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        FloatVector s4 = s0;
        FloatVector s5 = s0;
        FloatVector s6 = s0;
        FloatVector s7 = s0;
        FloatVector s8 = s0;
        FloatVector s9 = s0;
        FloatVector s10 = s0;
        FloatVector s11 = s0;
        FloatVector s12 = s0;
        FloatVector s13 = s0;
        FloatVector s14 = s0;
        FloatVector s15 = s0;
        int kFull = k - k % L;
        for (int p = 0; p < kFull; p += L) {
            FloatVector x = FloatVector.fromArray(S, a, ar + p);
            s0 = x.fma(FloatVector.fromArray(S, b, b0 + p), s0);
            s1 = x.fma(FloatVector.fromArray(S, b, b1 + p), s1);
            s2 = x.fma(FloatVector.fromArray(S, b, b2 + p), s2);
            s3 = x.fma(FloatVector.fromArray(S, b, b3 + p), s3);
            s4 = x.fma(FloatVector.fromArray(S, b, b4 + p), s4);
            s5 = x.fma(FloatVector.fromArray(S, b, b5 + p), s5);
            s6 = x.fma(FloatVector.fromArray(S, b, b6 + p), s6);
            s7 = x.fma(FloatVector.fromArray(S, b, b7 + p), s7);
            s8 = x.fma(FloatVector.fromArray(S, b, b8 + p), s8);
            s9 = x.fma(FloatVector.fromArray(S, b, b9 + p), s9);
            s10 = x.fma(FloatVector.fromArray(S, b, b10 + p), s10);
            s11 = x.fma(FloatVector.fromArray(S, b, b11 + p), s11);
            s12 = x.fma(FloatVector.fromArray(S, b, b12 + p), s12);
            s13 = x.fma(FloatVector.fromArray(S, b, b13 + p), s13);
            s14 = x.fma(FloatVector.fromArray(S, b, b14 + p), s14);
            s15 = x.fma(FloatVector.fromArray(S, b, b15 + p), s15);
        }
        if (kFull < k) {
            int rem = k - kFull;
            float[] t = s.tail;
            FloatVector x = tail(a, ar + kFull, rem, t);
            s0 = x.fma(tail(b, b0 + kFull, rem, t), s0);
            s1 = x.fma(tail(b, b1 + kFull, rem, t), s1);
            s2 = x.fma(tail(b, b2 + kFull, rem, t), s2);
            s3 = x.fma(tail(b, b3 + kFull, rem, t), s3);
            s4 = x.fma(tail(b, b4 + kFull, rem, t), s4);
            s5 = x.fma(tail(b, b5 + kFull, rem, t), s5);
            s6 = x.fma(tail(b, b6 + kFull, rem, t), s6);
            s7 = x.fma(tail(b, b7 + kFull, rem, t), s7);
            s8 = x.fma(tail(b, b8 + kFull, rem, t), s8);
            s9 = x.fma(tail(b, b9 + kFull, rem, t), s9);
            s10 = x.fma(tail(b, b10 + kFull, rem, t), s10);
            s11 = x.fma(tail(b, b11 + kFull, rem, t), s11);
            s12 = x.fma(tail(b, b12 + kFull, rem, t), s12);
            s13 = x.fma(tail(b, b13 + kFull, rem, t), s13);
            s14 = x.fma(tail(b, b14 + kFull, rem, t), s14);
            s15 = x.fma(tail(b, b15 + kFull, rem, t), s15);
        }
        float[] red = s.red;
        s0.intoArray(red, 0);
        s1.intoArray(red, L);
        s2.intoArray(red, 2 * L);
        s3.intoArray(red, 3 * L);
        s4.intoArray(red, 4 * L);
        s5.intoArray(red, 5 * L);
        s6.intoArray(red, 6 * L);
        s7.intoArray(red, 7 * L);
        s8.intoArray(red, 8 * L);
        s9.intoArray(red, 9 * L);
        s10.intoArray(red, 10 * L);
        s11.intoArray(red, 11 * L);
        s12.intoArray(red, 12 * L);
        s13.intoArray(red, 13 * L);
        s14.intoArray(red, 14 * L);
        s15.intoArray(red, 15 * L);
    }

    /** x[i .. i+rem) followed by zeros, without reading past the end of x. */
    private static FloatVector tail(float[] x, int i, int rem, float[] tmp) {
        if (i + L <= x.length) {
            return FloatVector.fromArray(S, x, i, PREFIX[rem]);
        }
        System.arraycopy(x, i, tmp, 0, rem);
        Arrays.fill(tmp, rem, L, 0f);
        return FloatVector.fromArray(S, tmp, 0);
    }

    /**
     * Sums each of the 16 vectors stored at red[v·L ..] into the float at red[SUM_AT[v]]. Each level
     * pairs vectors u, w and, with h = L/2, L/4, .., 1, leaves u's lane sums l + (l^h) in the lanes
     * whose bit h is clear and w's in the others; every vector goes through the same tree of additions.
     */
    private static void reduce16(float[] red) {
        int count = 16;
        for (int level = 0, h = L / 2; h >= 1; level++, h >>= 1) {
            VectorMask<Float> high = HIGH[level];
            VectorShuffle<Float> swap = SWAP[level];
            int pairs = (count + 1) / 2;
            for (int i = 0; i < pairs; i++) {
                FloatVector u = FloatVector.fromArray(S, red, 2 * i * L);
                FloatVector w = 2 * i + 1 < count
                        ? FloatVector.fromArray(S, red, (2 * i + 1) * L)
                        : FloatVector.zero(S);
                FloatVector mine = u.blend(w, high);
                FloatVector theirs = w.blend(u, high);
                mine.add(theirs.rearrange(swap)).intoArray(red, i * L);
            }
            count = pairs;
        }
    }

    /** Per-thread buffers, grown when needed. */
    private static final class Scratch {
        final float[] a = new float[MR * KC];
        final float[] tile = new float[MR * NR];
        final float[] red = new float[16 * L];
        final float[] tail = new float[L];
        final int[] rows = new int[DOT_COLS];
        private float[] b = new float[0];
        private float[] aAll = new float[0];

        float[] packedA(int size) {
            if (aAll.length < size) {
                aAll = new float[size];
            }
            return aAll;
        }

        float[] b(int size) {
            if (b.length < size) {
                b = new float[size];
            }
            return b;
        }
    }
}
