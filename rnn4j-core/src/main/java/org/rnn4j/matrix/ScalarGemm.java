package org.rnn4j.matrix;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * Cache-blocked matrix multiply in plain Java (no Vector API), written so that C2 auto-vectorises the
 * inner loop. The fallback when {@code jdk.incubator.vector} is not available.
 *
 * <p>Blocking scheme. Every product is computed in "saxpy" form, one output row at a time:
 * <pre>
 *   for each column block jc (NC = 512 columns of c)
 *     for each depth block pc (KC = 128 values of p)
 *       copy op(b)[pc.., jc..] into KC separate rows bt[p][0..NC)        (256 KB: L2)
 *       for each row i
 *         copy c[i, jc..] into row[0..NC)  (or clear it: beta = 0, first block)
 *         for p in the block, 4 at a time
 *           row[j] = row[j] + a[i,p]·bt[p][j] + a[i,p+1]·bt[p+1][j] + a[i,p+2]·bt[p+2][j] + a[i,p+3]·bt[p+3][j]
 *         copy row back into c
 * </pre>
 * The innermost loop runs over contiguous columns, which C2 turns into SIMD code (about 4× faster
 * than scalar code here); unrolling p by four cuts the loads and stores of the row by four. The
 * copies matter: C2 in JDK 17 does not vectorise a loop that stores into one float[] at a variable
 * offset and loads from another at a different variable offset (they might be the same array), so
 * every array in the inner loop is indexed from 0. For {@code mulTransB} the block copy is a
 * transposition; when a has fewer than {@value #DOT_MAX_ROWS} rows that would cost as much as the
 * product, and each c[i, j] is a dot product of two contiguous rows instead.
 *
 * <p>Arithmetic. Every c[i, j] is summed in float, in index order of p, starting from 0 (beta = 0)
 * or from c[i, j] (beta = 1), so with beta = 0 the result equals {@link NaiveGemm}'s bit for bit.
 * The dot-product path computes the same sum s and then c = c + s.
 *
 * <p>Threads. Products of at least {@link #parallelThreshold()} multiply-adds are split into
 * contiguous blocks of output rows (or columns, when there are more of those) run on a small pool of
 * daemon threads, see {@link #setThreads(int)}. Each output element is computed by one thread with
 * the same arithmetic, so results do not depend on the thread count.
 */
public final class ScalarGemm implements Gemm {
    /** Depth (values of p) per block. */
    private static final int KC = 128;
    /** Columns of c per block. */
    private static final int NC = 512;
    /** {@code mulTransB} with fewer rows than this uses dot products instead of transposing b. */
    static final int DOT_MAX_ROWS = 4;
    /** Rows, and columns, per unit of work when splitting over threads. */
    private static final int ROW_UNIT = 4;
    private static final int COL_UNIT = 64;

    private static final Workers WORKERS = new Workers("rnn4j-scalar-gemm");
    /**
     * 1M multiply-adds (about 0.1 ms on one core here): {@link VectorGemm}'s threshold (see there)
     * scaled down by how much slower this backend is, since the cost of handing work to another
     * core is the same.
     */
    private static volatile long parallelMinFmas = 1L << 20;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

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
    public void parallel(int parts, IntConsumer task) {
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
        run(Op.MUL, m, n, k, a, aOff, b, bOff, c, cOff, beta);
    }

    @Override
    public void mulTransA(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float beta) {
        run(Op.TRANS_A, m, n, k, a, aOff, b, bOff, c, cOff, beta);
    }

    @Override
    public void mulTransB(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float beta) {
        run(Op.TRANS_B, m, n, k, a, aOff, b, bOff, c, cOff, beta);
    }

    @Override
    public String name() {
        return "scalar";
    }

    /** The three operand layouts. */
    enum Op {
        MUL("mul"), TRANS_A("mulTransA"), TRANS_B("mulTransB");

        final String label;

        Op(String label) {
            this.label = label;
        }
    }

    private static void run(Op op, int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c,
            int cOff, float beta) {
        checkOperands(op.label, m, n, k, a, aOff, b, bOff, c, cOff, beta);
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
        boolean dot = op == Op.TRANS_B && m < DOT_MAX_ROWS;
        int rowTiles = ceilDiv(m, ROW_UNIT);
        int colTiles = ceilDiv(n, COL_UNIT);
        boolean splitRows = rowTiles >= colTiles;
        int parts = WORKERS.parts((long) m * n * k, parallelMinFmas, splitRows ? rowTiles : colTiles);
        if (parts == 1) {
            block(op, dot, m, n, k, a, aOff, b, bOff, c, cOff, add, 0, m, 0, n);
            return;
        }
        WORKERS.run(parts, part -> {
            if (splitRows) {
                int i0 = Workers.split(rowTiles, parts, part) * ROW_UNIT;
                int i1 = Math.min(m, Workers.split(rowTiles, parts, part + 1) * ROW_UNIT);
                block(op, dot, m, n, k, a, aOff, b, bOff, c, cOff, add, i0, i1, 0, n);
            } else {
                int j0 = Workers.split(colTiles, parts, part) * COL_UNIT;
                int j1 = Math.min(n, Workers.split(colTiles, parts, part + 1) * COL_UNIT);
                block(op, dot, m, n, k, a, aOff, b, bOff, c, cOff, add, 0, m, j0, j1);
            }
        });
    }

    /** Computes rows [i0, i1) × columns [j0, j1) of c. */
    private static void block(Op op, boolean dot, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
            float[] c, int cOff, boolean add, int i0, int i1, int j0, int j1) {
        if (dot) {
            dotRows(k, a, aOff, b, bOff, c, cOff, n, add, i0, i1, j0, j1);
            return;
        }
        Scratch s = SCRATCH.get();
        float[][] bt = s.block;
        float[] row = s.row;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                if (op == Op.TRANS_B) { // bt[p][j] = b[jc + j, pc + p]
                    for (int j = 0; j < nc; j++) {
                        int src = bOff + (jc + j) * k + pc;
                        for (int p = 0; p < kc; p++) {
                            bt[p][j] = b[src + p];
                        }
                    }
                } else { // bt[p][j] = b[pc + p, jc + j]
                    for (int p = 0; p < kc; p++) {
                        System.arraycopy(b, bOff + (pc + p) * n + jc, bt[p], 0, nc);
                    }
                }
                for (int i = i0; i < i1; i++) {
                    int ci = cOff + i * n + jc;
                    if (pc == 0 && !add) {
                        Arrays.fill(row, 0, nc, 0f);
                    } else {
                        System.arraycopy(c, ci, row, 0, nc);
                    }
                    if (op == Op.TRANS_A) { // a is stored k×m
                        saxpyRow(kc, nc, a, aOff + pc * m + i, m, bt, row);
                    } else {
                        saxpyRow(kc, nc, a, aOff + i * k + pc, 1, bt, row);
                    }
                    System.arraycopy(row, 0, c, ci, nc);
                }
            }
        }
    }

    /**
     * row[j] += Σ_p a[ai + p·aStep] · bt[p][j] for j < nc, p < kc, in order of p. Every array is indexed
     * from 0 in the inner loop: C2 (JDK 17) does not vectorise a loop whose loads and stores have
     * different variable offsets into arrays of one type, which is why b and c are copied.
     */
    private static void saxpyRow(int kc, int nc, float[] a, int ai, int aStep, float[][] bt, float[] row) {
        int p = 0;
        for (; p + 4 <= kc; p += 4) {
            float a0 = a[ai + p * aStep];
            float a1 = a[ai + (p + 1) * aStep];
            float a2 = a[ai + (p + 2) * aStep];
            float a3 = a[ai + (p + 3) * aStep];
            float[] b0 = bt[p];
            float[] b1 = bt[p + 1];
            float[] b2 = bt[p + 2];
            float[] b3 = bt[p + 3];
            for (int j = 0; j < nc; j++) {
                // Evaluated left to right: the same sum as four separate updates, with one load and store of row.
                row[j] = row[j] + a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
            }
        }
        for (; p < kc; p++) {
            float a0 = a[ai + p * aStep];
            float[] b0 = bt[p];
            for (int j = 0; j < nc; j++) {
                row[j] = row[j] + a0 * b0[j];
            }
        }
    }

    /** mulTransB for few rows: c[i, j] = Σ_p a[i, p]·b[j, p], four rows of b at a time. */
    private static void dotRows(int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int n,
            boolean add, int i0, int i1, int j0, int j1) {
        for (int i = i0; i < i1; i++) {
            int ai = aOff + i * k;
            int ci = cOff + i * n;
            int j = j0;
            for (; j + 4 <= j1; j += 4) {
                int b0 = bOff + j * k;
                int b1 = b0 + k;
                int b2 = b1 + k;
                int b3 = b2 + k;
                float s0 = 0f;
                float s1 = 0f;
                float s2 = 0f;
                float s3 = 0f;
                for (int p = 0; p < k; p++) {
                    float x = a[ai + p];
                    s0 += x * b[b0 + p];
                    s1 += x * b[b1 + p];
                    s2 += x * b[b2 + p];
                    s3 += x * b[b3 + p];
                }
                put(c, ci + j, s0, add);
                put(c, ci + j + 1, s1, add);
                put(c, ci + j + 2, s2, add);
                put(c, ci + j + 3, s3, add);
            }
            for (; j < j1; j++) {
                int b0 = bOff + j * k;
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    s += a[ai + p] * b[b0 + p];
                }
                put(c, ci + j, s, add);
            }
        }
    }

    private static void put(float[] c, int ci, float s, boolean add) {
        c[ci] = add ? c[ci] + s : s;
    }

    /** Per-thread buffers: a block of b, row-wise (KC rows of NC), and one row of c. */
    private static final class Scratch {
        final float[][] block = new float[KC][NC];
        final float[] row = new float[NC];
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    /**
     * Checks what the {@link Gemm} contract asks of the raw operands, so that a bad call fails before
     * any output is written: sizes non-negative, each operand inside its array, beta 0 or 1.
     */
    static void checkOperands(String op, int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c,
            int cOff, float beta) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(op + ": sizes must be non-negative, got m=" + m + ", n=" + n
                    + ", k=" + k);
        }
        checkExtent(op, "a", a, aOff, (long) m * k);
        checkExtent(op, "b", b, bOff, (long) k * n);
        checkExtent(op, "c", c, cOff, (long) m * n);
        if (beta != 0f && beta != 1f) {
            throw new IllegalArgumentException(op + ": beta must be 0 (overwrite) or 1 (accumulate), got " + beta);
        }
    }

    static void checkExtent(String op, String name, float[] x, int off, long size) {
        if (off < 0 || off + size > x.length) {
            throw new IllegalArgumentException(op + ": operand " + name + " needs " + size + " floats from offset "
                    + off + " but its array holds " + x.length);
        }
    }

    /**
     * A small fixed pool of daemon threads for one backend. A product is cut into {@code parts}
     * contiguous blocks of output; the calling thread and the workers claim blocks until none is left,
     * so every output element is computed by exactly one thread with the same arithmetic whatever the
     * thread count. Between products a worker spins for {@value #SPIN_NANOS} ns before it parks, and so
     * does the caller while it waits: waking a parked thread costs tens of microseconds (more in a
     * virtual machine), as much as a mid-sized product. One product at a time uses the pool; a
     * product started while another one holds it runs on its own thread.
     */
    static final class Workers {
        static final long SPIN_NANOS = 100_000;
        private final String name;
        private volatile int threads;
        private final ReentrantLock busy = new ReentrantLock();
        private Worker[] workers = new Worker[0]; // guarded by busy
        private volatile Job job; // the product being shared out, or null
        private int started; // guarded by busy, for thread names
        private long jobs; // guarded by busy: the id of the last job

        Workers(String name) {
            this.name = name;
            this.threads = defaultThreads();
        }

        /** {@code rnn4j.threads} if set, else the number of processors. */
        static int defaultThreads() {
            String value = System.getProperty("rnn4j.threads");
            if (value == null || value.isBlank()) {
                return Runtime.getRuntime().availableProcessors();
            }
            try {
                int t = Integer.parseInt(value.trim());
                if (t >= 1) {
                    return t;
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
            throw new IllegalArgumentException("system property rnn4j.threads=" + value
                    + " is not a positive number of threads");
        }

        int threads() {
            return threads;
        }

        /**
         * The threads that work started on the calling thread can use: {@link #threads()}, or 1 inside a part
         * of a job under way, where a nested split would run its parts one after the other on this thread
         * anyway, only in smaller pieces.
         */
        int available() {
            Thread t = Thread.currentThread();
            boolean inPart = busy.isHeldByCurrentThread() || (t instanceof Worker w && w.pool() == this);
            return inPart ? 1 : threads;
        }

        void setThreads(int t) {
            if (t < 1) {
                throw new IllegalArgumentException("the number of threads must be at least 1, got " + t);
            }
            threads = t; // the pool is resized by the next product that uses it
        }

        /** How many parts a product of {@code fmas} multiply-adds with {@code units} splittable units gets. */
        int parts(long fmas, long minFmas, int units) {
            if (fmas < minFmas) {
                return 1;
            }
            return Math.max(1, Math.min(available(), units));
        }

        /** The first unit of part {@code part} of {@code parts} over {@code units} (part = parts gives units). */
        static int split(int units, int parts, int part) {
            return (int) ((long) units * part / parts);
        }

        /** Runs {@code task} for parts 0 .. parts-1 on this thread and the workers; rethrows the first failure. */
        void run(int parts, IntConsumer task) {
            if (parts <= 1 || threads <= 1 || busy.isHeldByCurrentThread() || !busy.tryLock()) { // one thread, nested: here
                for (int p = 0; p < parts; p++) {
                    task.accept(p);
                }
                return;
            }
            Job j = new Job(task, parts, Thread.currentThread(), ++jobs);
            try {
                resize(Math.min(parts, threads) - 1);
                job = j;
                for (Worker w : workers) {
                    LockSupport.unpark(w);
                }
                j.work(0);
                j.await();
            } finally {
                job = null;
                busy.unlock();
            }
            j.rethrow(name);
        }

        /** Keeps at least {@code wanted} workers, and no more than threads - 1. Holds busy. */
        private void resize(int wanted) {
            int target = Math.max(wanted, Math.min(workers.length, threads - 1));
            if (target == workers.length) {
                return;
            }
            Worker[] next = Arrays.copyOf(workers, target);
            for (int i = target; i < workers.length; i++) {
                workers[i].retired = true;
                LockSupport.unpark(workers[i]);
            }
            for (int i = workers.length; i < target; i++) {
                next[i] = new Worker(name + "-" + (++started), i + 1);
                next[i].start();
            }
            workers = next;
        }

        /**
         * One product being shared out. Part 0 goes to the calling thread and part i to worker i (its home
         * part), so that a part whose data stays in a core's cache from one job to the next (a block of a
         * weight matrix, a replica's activations) finds it there: parts claimed by whoever came first moved
         * between the cores at random. A thread then takes any part still unclaimed, so a late thread's
         * home part is not left waiting.
         */
        static final class Job {
            final IntConsumer task;
            final int parts;
            final Thread owner;
            final long id;
            final AtomicIntegerArray claimed;
            final AtomicInteger remaining;
            volatile Throwable failure;

            Job(IntConsumer task, int parts, Thread owner, long id) {
                this.task = task;
                this.parts = parts;
                this.owner = owner;
                this.id = id;
                this.claimed = new AtomicIntegerArray(parts);
                this.remaining = new AtomicInteger(parts);
            }

            /**
             * Runs part {@code home} if no one has taken it, then every part still unclaimed: in order, or, for
             * a thread without a home part here (more threads than parts), from the last, so that it does not
             * take part 0 from the caller.
             */
            void work(int home) {
                if (home < parts && claimed.compareAndSet(home, 0, 1)) {
                    runPart(home);
                }
                boolean spare = home >= parts;
                for (int i = 0; i < parts; i++) {
                    int p = spare ? parts - 1 - i : i;
                    if (claimed.get(p) == 0 && claimed.compareAndSet(p, 0, 1)) {
                        runPart(p);
                    }
                }
            }

            private void runPart(int p) {
                try {
                    task.accept(p);
                } catch (Throwable e) {
                    if (failure == null) {
                        failure = e;
                    }
                } finally {
                    if (remaining.decrementAndGet() == 0) {
                        LockSupport.unpark(owner);
                    }
                }
            }

            /** Waits for the other threads' parts; they write into c, so even an interrupt does not end the wait. */
            void await() {
                long start = System.nanoTime();
                while (remaining.get() > 0) {
                    if (System.nanoTime() - start < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                    }
                }
            }

            void rethrow(String pool) {
                Throwable f = failure;
                if (f instanceof RuntimeException) {
                    throw (RuntimeException) f;
                }
                if (f instanceof Error) {
                    throw (Error) f;
                }
                if (f != null) {
                    throw new IllegalStateException(pool + ": a part of the product failed", f);
                }
            }
        }

        private final class Worker extends Thread {
            volatile boolean retired;
            private final int home; // the part this worker takes first

            Worker(String threadName, int home) {
                super(threadName);
                this.home = home;
                setDaemon(true);
            }

            Workers pool() {
                return Workers.this;
            }

            @Override
            public void run() {
                // The id, not the job: a job's task holds the product's operands, which an idle worker
                // must not keep reachable (a T·B-row gradient can be hundreds of MB).
                long done = 0;
                while (!retired) {
                    Job j = job;
                    if (j != null && j.id != done) {
                        done = j.id;
                        j.work(home);
                        continue;
                    }
                    j = null;
                    long start = System.nanoTime(); // idle: spin a little, then park until unparked
                    while (!retired && idle(done)) {
                        if (System.nanoTime() - start < SPIN_NANOS) {
                            Thread.onSpinWait();
                        } else {
                            LockSupport.park(this);
                        }
                    }
                }
            }

            /** No new job since {@code done}; holds no reference to the job across the park. */
            private boolean idle(long done) {
                Job j = job;
                return j == null || j.id == done;
            }
        }
    }
}
