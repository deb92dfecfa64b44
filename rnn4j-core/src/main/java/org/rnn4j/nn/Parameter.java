package org.rnn4j.nn;

import java.util.Arrays;
import org.rnn4j.matrix.Matrix;

/**
 * A named trainable tensor and its gradient. The name is the PyTorch {@code state_dict} name of the
 * equivalent module (for example {@code rnn.weight_hh_l0}); {@link #shape()} is PyTorch's shape, which
 * the model file records, while {@link #value} stores the same numbers as a row-major matrix.
 */
public final class Parameter {
    private final String name;
    private final int[] shape;
    public final Matrix value;
    /** Accumulated gradient of the loss with respect to {@link #value}; backward passes add to it. */
    public final Matrix grad;

    public Parameter(String name, int[] shape, Matrix value, Matrix grad) {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        if (n != value.size() || n != grad.size()) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds " + n
                    + " values but the matrices hold " + value.size() + " and " + grad.size());
        }
        this.name = name;
        this.shape = shape.clone();
        this.value = value;
        this.grad = grad;
    }

    /** A (rows × cols) parameter with PyTorch shape [rows, cols]. */
    public static Parameter matrix(String name, int rows, int cols) {
        return new Parameter(name, new int[] {rows, cols}, new Matrix(rows, cols), new Matrix(rows, cols));
    }

    /** A vector parameter with PyTorch shape [n], stored as a (1 × n) matrix. */
    public static Parameter vector(String name, int n) {
        return new Parameter(name, new int[] {n}, new Matrix(1, n), new Matrix(1, n));
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        return value.size();
    }

    public void zeroGrad() {
        grad.zero();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
