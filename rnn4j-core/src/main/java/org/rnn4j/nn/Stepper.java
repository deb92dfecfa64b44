package org.rnn4j.nn;

import org.rnn4j.matrix.Matrix;

/**
 * One recurrent layer run step by step for generation, over its weights as they were when the stepper
 * was made ({@link RecurrentLayer#stepper(Matrix)}): a fast stepper packs the weights once and never
 * reads the parameters again, so after the weights change (a training step, a load) make a new one.
 * The state (B × S) is updated in place, as by {@link RecurrentLayer#step}.
 */
public interface Stepper {
    /**
     * One step on inputs x (B × D); returns h (B × H), owned by the stepper (valid until the next step).
     *
     * @throws IllegalStateException if this stepper was made with an input table and only takes its rows
     */
    Matrix step(Matrix x, Matrix state);

    /**
     * One step on rows of the input table the stepper was made with: sequence b reads row
     * {@code rows[b]}. Returns h (B × H), owned by the stepper.
     *
     * @throws IllegalStateException if the stepper was made without an input table
     */
    Matrix stepRows(int[] rows, Matrix state);

    /**
     * The stepper of a layer without a fast path: each step calls {@link RecurrentLayer#step}, which reads
     * the current weights, and {@link #stepRows} first copies the table's rows into an input matrix.
     */
    static Stepper unpacked(RecurrentLayer layer, Matrix inputTable) {
        if (inputTable != null) {
            inputTable.requireShape(inputTable.rows, layer.inputSize(), "input table of a stepper (rows × D)");
        }
        return new Stepper() {
            private Matrix x; // (B, D) rows copied from the table

            @Override
            public Matrix step(Matrix input, Matrix state) {
                return layer.step(input, state);
            }

            @Override
            public Matrix stepRows(int[] rows, Matrix state) {
                if (inputTable == null) {
                    throw new IllegalStateException("stepRows() needs a stepper made with an input table; use step()");
                }
                if (x == null || x.rows != rows.length) {
                    x = new Matrix(rows.length, inputTable.cols);
                }
                copyRows(inputTable, rows, x);
                return layer.step(x, state);
            }
        };
    }

    /** out row b = table row rows[b]; checks every index first. */
    static void copyRows(Matrix table, int[] rows, Matrix out) {
        for (int b = 0; b < rows.length; b++) {
            if (rows[b] < 0 || rows[b] >= table.rows) {
                throw new IndexOutOfBoundsException("row " + rows[b] + " of sequence " + b + " is outside the input table's "
                        + table.rows + " rows");
            }
        }
        for (int b = 0; b < rows.length; b++) {
            System.arraycopy(table.data, table.offset + rows[b] * table.cols, out.data, out.offset + b * out.cols, table.cols);
        }
    }
}
