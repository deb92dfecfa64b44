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
 *       or the identity for one-hot inputs), computes the input side {@code table·W_ihᵀ + bias} of
 *       every row once, so that a step on row r copies a row instead of multiplying by W_ih.</li>
 * </ul>
 * It copies the biases too, so it never reads the layer's parameters after it is made.
 */
final class PackedStepper implements Stepper {
    /** What a cell lends the stepper: its input side, and one step from a precomputed input side. */
    interface Cell {
        /** W_ih (G·H × D). */
        Matrix inputWeight();

        /** W_hh (G·H × H). */
        Matrix recurrentWeight();

        /** A copy of the bias the cell adds to x·W_ihᵀ (1 × G·H): b_ih + b_hh, or b_ih alone (GRU). */
        Matrix inputBias();

        /** A copy of the bias the cell adds on the hidden side inside the step (GRU: b_hh), or null. */
        Matrix hiddenBias();

        /**
         * One step from {@code a} (B × G·H), which holds x·W_ihᵀ + inputBias and may be overwritten:
         * adds h_{t-1}·W_hhᵀ (from {@code wHhT}), applies the gates, updates {@code state} in place and
         * writes h into {@code scratch.h}.
         */
        void stepFrom(Matrix a, Matrix state, PackedMatrix wHhT, Matrix hiddenBias, Scratch scratch);

        int inputSize();

        int hiddenSize();
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

    private final Cell cell;
    private final PackedMatrix wIhT;    // W_ihᵀ packed
    private final PackedMatrix wHhT;    // W_hhᵀ packed
    private final Matrix inputBias;     // (1, G·H)
    private final Matrix hiddenBias;    // (1, G·H) or null
    private final Matrix table;         // (rows, G·H) = inputTable·W_ihᵀ + inputBias, or null
    private final int gateWidth;        // G·H
    private Scratch scratch;

    PackedStepper(Cell cell, Matrix inputTable) {
        this.cell = cell;
        Matrix wIh = cell.inputWeight();
        this.gateWidth = wIh.rows;
        this.wIhT = Kernels.packTransB(wIh);
        this.wHhT = Kernels.packTransB(cell.recurrentWeight());
        this.inputBias = cell.inputBias();
        this.hiddenBias = cell.hiddenBias();
        if (inputTable != null) {
            inputTable.requireShape(inputTable.rows, cell.inputSize(), "input table of a stepper (rows × D)");
            table = new Matrix(inputTable.rows, gateWidth);
            Kernels.mulPacked(inputTable, wIhT, table); // every row's x·W_ihᵀ + bias, once
            Kernels.addRowVector(table, inputBias);
        } else {
            table = null;
        }
    }

    @Override
    public Matrix step(Matrix x, Matrix state) {
        Scratch s = scratch(state.rows);
        x.requireShape(state.rows, cell.inputSize(), "step input (B × D)");
        Kernels.mulPacked(x, wIhT, s.a); // a = x·W_ihᵀ + bias
        Kernels.addRowVector(s.a, inputBias);
        cell.stepFrom(s.a, state, wHhT, hiddenBias, s);
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
        Stepper.copyRows(table, rows, s.a);
        cell.stepFrom(s.a, state, wHhT, hiddenBias, s);
        return s.h;
    }

    private Scratch scratch(int batch) {
        if (scratch == null || scratch.h.rows != batch) {
            scratch = new Scratch(batch, gateWidth, cell.hiddenSize());
        }
        return scratch;
    }
}
