package org.rnn4j.matrix;

import java.util.Arrays;

/**
 * A dense row-major float32 matrix over a flat {@code float[]}, possibly a view into a larger array.
 *
 * <p>Rows are always contiguous ({@code stride == cols}), so a block of consecutive rows of a matrix is
 * itself a matrix: the time-major layout of rnn4j stores a batch of sequences as one (T·B × D) matrix
 * and step t as the view {@code rows(t*B, B)}. Views share storage with their parent.
 *
 * <p>Glossary used across rnn4j: B batch, T steps, D input, H hidden, V vocabulary, E embedding,
 * G gates (RNN 1, GRU 3, LSTM 4), L layers.
 */
public final class Matrix {
    public final int rows;
    public final int cols;
    public final float[] data;
    /** Index in {@link #data} of element (0, 0). */
    public final int offset;

    public Matrix(int rows, int cols) {
        this(new float[checkedSize(rows, cols)], 0, rows, cols);
    }

    private Matrix(float[] data, int offset, int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
        this.data = data;
        this.offset = offset;
    }

    /** Wraps {@code data[offset .. offset + rows*cols)} without copying. */
    public static Matrix view(float[] data, int offset, int rows, int cols) {
        checkedSize(rows, cols);
        if (offset < 0 || (long) offset + (long) rows * cols > data.length) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " view at offset " + offset
                    + " does not fit in an array of " + data.length + " floats");
        }
        return new Matrix(data, offset, rows, cols);
    }

    public static Matrix of(int rows, int cols, float... values) {
        if (values.length != (long) rows * cols) {
            throw new IllegalArgumentException(values.length + " values given for a " + rows + "x" + cols + " matrix");
        }
        return new Matrix(values.clone(), 0, rows, cols);
    }

    private static int checkedSize(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("matrix dimensions must be non-negative, got " + rows + "x" + cols);
        }
        long n = (long) rows * cols;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " matrix is too large for one array");
        }
        return (int) n;
    }

    /** The block of {@code count} rows starting at {@code firstRow}, sharing storage. */
    public Matrix rows(int firstRow, int count) {
        if (firstRow < 0 || count < 0 || firstRow + count > rows) {
            throw new IndexOutOfBoundsException("rows [" + firstRow + ", " + (firstRow + count)
                    + ") outside a matrix of " + rows + " rows");
        }
        return new Matrix(data, offset + firstRow * cols, count, cols);
    }

    /** Same storage seen with another shape of the same size. */
    public Matrix reshape(int newRows, int newCols) {
        if ((long) newRows * newCols != size()) {
            throw new IllegalArgumentException("cannot reshape " + shape() + " (" + size() + " values) to "
                    + newRows + "x" + newCols);
        }
        return new Matrix(data, offset, newRows, newCols);
    }

    public int size() {
        return rows * cols;
    }

    public String shape() {
        return "(" + rows + ", " + cols + ")";
    }

    public float get(int r, int c) {
        return data[offset + r * cols + c];
    }

    public void set(int r, int c, float v) {
        data[offset + r * cols + c] = v;
    }

    public Matrix copy() {
        Matrix m = new Matrix(rows, cols);
        System.arraycopy(data, offset, m.data, 0, size());
        return m;
    }

    /** this = src (same shape). */
    public void copyFrom(Matrix src) {
        requireSameShape(src, "copyFrom");
        System.arraycopy(src.data, src.offset, data, offset, size());
    }

    public void fill(float v) {
        Arrays.fill(data, offset, offset + size(), v);
    }

    public void zero() {
        fill(0f);
    }

    /** The values as a fresh array in row-major order. */
    public float[] toArray() {
        return Arrays.copyOfRange(data, offset, offset + size());
    }

    public void requireShape(int r, int c, String what) {
        if (rows != r || cols != c) {
            throw new IllegalArgumentException(what + " has shape " + shape() + " but (" + r + ", " + c + ") was expected");
        }
    }

    void requireSameShape(Matrix other, String op) {
        if (rows != other.rows || cols != other.cols) {
            throw new IllegalArgumentException(op + ": shapes " + shape() + " and " + other.shape() + " differ");
        }
    }

    /** Whether the two matrices may share any element. */
    public boolean overlaps(Matrix other) {
        return data == other.data && offset < other.offset + other.size() && other.offset < offset + size();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Matrix").append(shape());
        int shown = Math.min(rows, 6);
        for (int r = 0; r < shown; r++) {
            sb.append("\n [");
            for (int c = 0; c < Math.min(cols, 8); c++) {
                sb.append(c == 0 ? "" : ", ").append(String.format("%.4g", get(r, c)));
            }
            sb.append(cols > 8 ? ", ...]" : "]");
        }
        if (rows > shown) {
            sb.append("\n ...");
        }
        return sb.toString();
    }
}
