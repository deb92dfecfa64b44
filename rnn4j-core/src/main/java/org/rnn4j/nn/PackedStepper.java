package org.rnn4j.nn;

import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.PackedMatrix;

/**
 * The fast {@link Stepper} of the Elman, LSTM and GRU layers. At batch 1 a step is two matrix-vector
 * products, with W_ih and with W_hh, each reading its whole matrix from memory; this stepper
 * <ul>
 *   <li>packs W_ihᵀ and W_hhᵀ once, in the layout the product streams through
 *       ({@link Kernels#packTransB}), instead of reading the row-major weights each step;</li>
 *   <li>with an input table (every input the caller will feed, one per row: an embedding's weights,
 *       or the identity for one-hot inputs), computes the input side {@code table·W_ihᵀ + bias} of a
 *       row the first time it is fed and keeps it, so that later steps on row r copy a row instead of
 *       multiplying by W_ih. Rows are computed when first needed, not all at once, so that making a
 *       stepper stays cheap (a sampler makes one per generated text) and a large vocabulary costs only
 *       the rows it uses.</li>
 * </ul>
 * It copies the input table and the biases too, so it never reads the layer's parameters after it is made.
 */
final class PackedStepper implements Stepper {
    /**
     * What a cell lends the stepper: its weights, copies of its biases, and one step from a precomputed
     * input side.
     *
     * @param inputWeight W_ih (G·H × D)
     * @param recurrentWeight W_hh (G·H × H)
     * @param inputBias a copy of the bias the cell adds to x·W_ihᵀ (1 × G·H): b_ih + b_hh, or b_ih alone (GRU)
     * @param hiddenBias a copy of the bias the cell adds on the hidden side inside the step (GRU: b_hh), or null
     * @param step one step from the input side
     */
    record Cell(Matrix inputWeight, Matrix recurrentWeight, Matrix inputBias, Matrix hiddenBias, StepFrom step) {
        int inputSize() {
            return inputWeight.cols;
        }

        int hiddenSize() {
            return recurrentWeight.cols;
        }
    }

    /** One step of a cell from its input side. */
    @FunctionalInterface
    interface StepFrom {
        /**
         * One step from {@code a} (B × G·H), which holds x·W_ihᵀ + inputBias and may be overwritten: adds
         * h_{t-1}·W_hhᵀ (from {@code wHhT}), applies the gates, updates {@code state} in place and writes h
         * into {@code scratch.h}.
         */
        void apply(Matrix a, Matrix state, Product wHhT, Matrix hiddenBias, Scratch scratch);
    }

    /** Buffers of one batch size: the input side a (B × G·H), the hidden side (B × G·H), h_{t-1} and h (B × H). */
    static final class Scratch {
        final Matrix a;
        final Matrix hidden;
        final Matrix hPrev;
        final Matrix h;

        Scratch(int batch, int gateWidth, int hiddenSize) {
            a = new Matrix(batch, gateWidth);
            hidden = new Matrix(batch, gateWidth);
            hPrev = new Matrix(batch, hiddenSize);
            h = new Matrix(batch, hiddenSize);
        }
    }

    /**
     * x·Wᵀ for a weight W (N × K) packed once. At batch 1 with more than one kernel thread and a large W,
     * the product is split by output columns (blocks of W's rows, each packed on its own) across the
     * threads: a batch-1 step streams all of W from memory, and two cores stream it about twice as fast.
     * The products of larger batches, or on one thread, use the whole packed W.
     */
    static final class Product {
        /** Multiply-adds from which a batch-1 product is split (W of 512 × 512 and up). */
        static final long SPLIT_MIN_FMAS = 1L << 18;
        private final PackedMatrix whole;
        private final PackedMatrix[] parts; // W's row blocks, packed, or null
        private final int[] first;          // first output column of each part, and N at the end
        private final java.util.function.IntConsumer partTask = this::applyPart; // made once: no allocation per step
        private Matrix[] outParts;          // views of lastOut's columns, one per part
        private Matrix lastOut;
        private Matrix x;                   // the operands of the split product under way
        private boolean accumulate;

        Product(Matrix w) {
            this.whole = Kernels.packTransB(w);
            int threads = Kernels.parallelism();
            if (threads >= 2 && (long) w.rows * w.cols >= SPLIT_MIN_FMAS && w.rows >= 64 * threads) {
                parts = new PackedMatrix[threads];
                first = new int[threads + 1];
                for (int p = 0; p <= threads; p++) {
                    first[p] = (int) ((long) w.rows * p / threads) / 32 * 32; // whole vector strips
                }
                first[threads] = w.rows;
                for (int p = 0; p < threads; p++) {
                    parts[p] = Kernels.packTransB(Matrix.view(w.data, w.offset + first[p] * w.cols, first[p + 1] - first[p],
                            w.cols));
                }
            } else {
                parts = null;
                first = null;
            }
        }

        /** out = x·Wᵀ, or out += x·Wᵀ when {@code accumulate}. */
        void apply(Matrix x, Matrix out, boolean accumulate) {
            if (parts == null || out.rows != 1) {
                if (accumulate) {
                    Kernels.mulPackedAdd(x, whole, out);
                } else {
                    Kernels.mulPacked(x, whole, out);
                }
                return;
            }
            if (out != lastOut) { // the stepper's scratch: views made once per output matrix
                outParts = new Matrix[parts.length];
                for (int p = 0; p < parts.length; p++) {
                    outParts[p] = Matrix.view(out.data, out.offset + first[p], 1, first[p + 1] - first[p]);
                }
                lastOut = out;
            }
            this.x = x;
            this.accumulate = accumulate;
            Kernels.parallel(parts.length, partTask);
            this.x = null;
        }

        /** Part p of a split product: its columns of out = x·Wᵀ (or +=). */
        private void applyPart(int p) {
            if (accumulate) {
                Kernels.mulPackedAdd(x, parts[p], outParts[p]);
            } else {
                Kernels.mulPacked(x, parts[p], outParts[p]);
            }
        }
    }

    private final Cell cell;
    private final Product wIhT;         // W_ihᵀ packed, or null with a table
    private final Matrix wIh;           // W_ih copied, for the table's rows, or null
    private final Product wHhT;         // W_hhᵀ packed
    private final Matrix inputBias;     // (1, G·H)
    private final Matrix hiddenBias;    // (1, G·H) or null
    private final Matrix inputs;        // (rows, D) copy of the input table, or null
    private final Matrix table;         // (rows, G·H): row r = inputs[r]·W_ihᵀ + inputBias once computed
    private final boolean[] computed;   // per row of the table
    private final int gateWidth;        // G·H
    private Scratch scratch;

    PackedStepper(Cell cell, Matrix inputTable) {
        this.cell = cell;
        Matrix weightIh = cell.inputWeight();
        this.gateWidth = weightIh.rows;
        this.wIhT = inputTable == null ? new Product(weightIh) : null;
        this.wIh = inputTable == null ? null : weightIh.copy(); // a copy costs less than packing, and rows are few
        this.wHhT = new Product(cell.recurrentWeight());
        this.inputBias = cell.inputBias();
        this.hiddenBias = cell.hiddenBias();
        if (inputTable != null) {
            inputTable.requireShape(inputTable.rows, cell.inputSize(), "input table of a stepper (rows × D)");
            inputs = inputTable.copy();
            table = new Matrix(inputTable.rows, gateWidth);
            computed = new boolean[inputTable.rows];
        } else {
            inputs = null;
            table = null;
            computed = null;
        }
    }

    @Override
    public Matrix step(Matrix x, Matrix state) {
        if (wIhT == null) {
            throw new IllegalStateException("step() on a stepper made with an input table: feed rows with stepRows()");
        }
        Scratch s = scratch(state.rows);
        x.requireShape(state.rows, cell.inputSize(), "step input (B × D)");
        wIhT.apply(x, s.a, false); // a = x·W_ihᵀ + bias
        Kernels.addRowVector(s.a, inputBias);
        cell.step().apply(s.a, state, wHhT, hiddenBias, s);
        return s.h;
    }

    @Override
    public Matrix stepRows(int[] rows, Matrix state) {
        if (table == null) {
            throw new IllegalStateException("stepRows() needs a stepper made with an input table; use step()");
        }
        if (rows.length != state.rows) {
            throw new IllegalArgumentException(rows.length + " input rows given for a state of batch " + state.rows);
        }
        Scratch s = scratch(state.rows);
        for (int b = 0; b < rows.length; b++) {
            int r = rows[b];
            if (r >= 0 && r < table.rows && !computed[r]) { // x·W_ihᵀ + bias of row r, once
                Matrix row = Matrix.view(table.data, r * gateWidth, 1, gateWidth);
                Kernels.mulTransB(Matrix.view(inputs.data, r * inputs.cols, 1, inputs.cols), wIh, row);
                Kernels.addRowVector(row, inputBias);
                computed[r] = true;
            }
        }
        Stepper.copyRows(table, rows, s.a); // checks the row indices
        cell.step().apply(s.a, state, wHhT, hiddenBias, s);
        return s.h;
    }

    private Scratch scratch(int batch) {
        if (scratch == null || scratch.h.rows != batch) {
            scratch = new Scratch(batch, gateWidth, cell.hiddenSize());
        }
        return scratch;
    }
}
