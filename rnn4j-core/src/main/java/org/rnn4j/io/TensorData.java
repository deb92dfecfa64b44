package org.rnn4j.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * One named tensor as stored in a safetensors file: a name, a {@link DType}, a shape and its elements in
 * row-major (C) order. Immutable: factories copy their arguments and accessors return fresh arrays, so a
 * caller can never change a tensor another holds.
 *
 * <p>The elements are kept as their little-endian bytes, exactly as in the file, so reading and writing
 * a tensor is bit-exact (NaN payloads, {@code -0.0f}). A shape of {@code []} is a scalar with one element;
 * a shape with a zero dimension, such as {@code [0]}, has no elements.
 *
 * <pre>
 * TensorData w = TensorData.ofFloats("rnn.weight_ih_l0", new int[] {8, 3}, values); // (H, D)
 * float[] back = w.floats();
 * </pre>
 */
public final class TensorData {
    /** The largest byte count one Java array can hold on common JVMs. */
    static final int MAX_BYTES = Integer.MAX_VALUE - 8;

    private final String name;
    private final DType dtype;
    private final int[] shape;
    private final byte[] data; // little-endian, elementCount * dtype.byteSize() bytes

    /** Takes ownership of {@code shape} and {@code data}; both must already be checked. */
    private TensorData(String name, DType dtype, int[] shape, byte[] data) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape;
        this.data = data;
    }

    /** An {@link DType#F32} tensor holding a copy of {@code values}. */
    public static TensorData ofFloats(String name, int[] shape, float[] values) {
        Objects.requireNonNull(values, "values");
        ByteBuffer b = allocate(name, DType.F32, shape, values.length);
        b.asFloatBuffer().put(values);
        return new TensorData(name, DType.F32, shape.clone(), b.array());
    }

    /** An {@link DType#F64} tensor holding a copy of {@code values}. */
    public static TensorData ofDoubles(String name, int[] shape, double[] values) {
        Objects.requireNonNull(values, "values");
        ByteBuffer b = allocate(name, DType.F64, shape, values.length);
        b.asDoubleBuffer().put(values);
        return new TensorData(name, DType.F64, shape.clone(), b.array());
    }

    /** An {@link DType#I32} tensor holding a copy of {@code values}. */
    public static TensorData ofInts(String name, int[] shape, int[] values) {
        Objects.requireNonNull(values, "values");
        ByteBuffer b = allocate(name, DType.I32, shape, values.length);
        b.asIntBuffer().put(values);
        return new TensorData(name, DType.I32, shape.clone(), b.array());
    }

    /** An {@link DType#I64} tensor holding a copy of {@code values}. */
    public static TensorData ofLongs(String name, int[] shape, long[] values) {
        Objects.requireNonNull(values, "values");
        ByteBuffer b = allocate(name, DType.I64, shape, values.length);
        b.asLongBuffer().put(values);
        return new TensorData(name, DType.I64, shape.clone(), b.array());
    }

    /**
     * A tensor of any dtype from its raw little-endian bytes (copied).
     *
     * @throws IllegalArgumentException if the byte count is not the element count times the dtype's size
     */
    public static TensorData ofBytes(String name, DType dtype, int[] shape, byte[] littleEndian) {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(littleEndian, "littleEndian");
        long count = checkedElementCount(name, shape);
        if (count * dtype.byteSize() != littleEndian.length) {
            throw new IllegalArgumentException("tensor '" + name + "' is " + dtype + " with shape "
                    + Arrays.toString(shape) + " (" + count + " elements, " + count * dtype.byteSize()
                    + " bytes) but " + littleEndian.length + " bytes were given");
        }
        return new TensorData(name, dtype, shape.clone(), littleEndian.clone());
    }

    /** For the reader: {@code shape} and {@code data} were checked against each other and are not shared. */
    static TensorData adopt(String name, DType dtype, int[] shape, byte[] data) {
        return new TensorData(name, dtype, shape, data);
    }

    private static ByteBuffer allocate(String name, DType dtype, int[] shape, int valueCount) {
        long count = checkedElementCount(name, shape);
        if (count != valueCount) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(shape)
                    + " (" + count + " elements) but " + valueCount + " values were given");
        }
        return ByteBuffer.allocate(valueCount * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Checks name and shape and returns the element count, which fits in one array. */
    private static long checkedElementCount(String name, int[] shape) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a tensor name must not be empty");
        }
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has negative dimension "
                        + shape[i] + " at shape[" + i + "] of " + Arrays.toString(shape));
            }
            count *= shape[i];
            if (count > MAX_BYTES) {
                throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(shape)
                        + ", more elements than one Java array holds");
            }
        }
        return count;
    }

    /** The name, unique within a file, e.g. {@code rnn.weight_hh_l0}. */
    public String name() {
        return name;
    }

    public DType dtype() {
        return dtype;
    }

    /** A copy of the shape; {@code []} for a scalar. */
    public int[] shape() {
        return shape.clone();
    }

    /** The number of dimensions: 0 for a scalar. */
    public int rank() {
        return shape.length;
    }

    /** The size of dimension {@code i}. */
    public int dim(int i) {
        return shape[i];
    }

    /** The number of elements: the product of the shape, 1 for a scalar. */
    public int elementCount() {
        return data.length / dtype.byteSize();
    }

    /** A copy of the elements as little-endian bytes, as they are stored in the file. */
    public byte[] bytes() {
        return data.clone();
    }

    /** The number of data bytes, {@code elementCount() * dtype().byteSize()}. */
    public int byteCount() {
        return data.length;
    }

    /**
     * The elements of an {@link DType#F32} tensor.
     *
     * @throws IllegalStateException for any other dtype
     */
    public float[] floats() {
        requireDtype(DType.F32, "floats()");
        float[] out = new float[elementCount()];
        buffer().asFloatBuffer().get(out);
        return out;
    }

    /**
     * The elements of an {@link DType#F64} tensor, or of an {@link DType#F32} tensor widened (exactly).
     *
     * @throws IllegalStateException for integer dtypes
     */
    public double[] doubles() {
        double[] out = new double[elementCount()];
        if (dtype == DType.F32) {
            var in = buffer().asFloatBuffer();
            for (int k = 0; k < out.length; k++) {
                out[k] = in.get(k);
            }
            return out;
        }
        requireDtype(DType.F64, "doubles()");
        buffer().asDoubleBuffer().get(out);
        return out;
    }

    /**
     * The elements of an {@link DType#I64} tensor, or of an {@link DType#I32} tensor widened.
     *
     * @throws IllegalStateException for floating-point dtypes
     */
    public long[] longs() {
        long[] out = new long[elementCount()];
        if (dtype == DType.I32) {
            var in = buffer().asIntBuffer();
            for (int k = 0; k < out.length; k++) {
                out[k] = in.get(k);
            }
            return out;
        }
        requireDtype(DType.I64, "longs()");
        buffer().asLongBuffer().get(out);
        return out;
    }

    /**
     * The elements of an {@link DType#I32} tensor, or of an {@link DType#I64} tensor (such as PyTorch's token
     * ids) whose values all fit in an {@code int}.
     *
     * @throws IllegalStateException for floating-point dtypes, or if an I64 element does not fit
     */
    public int[] ints() {
        int[] out = new int[elementCount()];
        if (dtype == DType.I64) {
            var in = buffer().asLongBuffer();
            for (int k = 0; k < out.length; k++) {
                long v = in.get(k);
                if (v != (int) v) {
                    throw new IllegalStateException("tensor '" + name + "' element " + k + " is " + v
                            + ", which does not fit in an int; use longs()");
                }
                out[k] = (int) v;
            }
            return out;
        }
        requireDtype(DType.I32, "ints()");
        buffer().asIntBuffer().get(out);
        return out;
    }

    /** For the writer: the data bytes without a copy. */
    void writeDataTo(java.io.OutputStream out) throws java.io.IOException {
        out.write(data);
    }

    private ByteBuffer buffer() {
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void requireDtype(DType wanted, String accessor) {
        if (dtype != wanted) {
            String use = switch (dtype) {
                case F32 -> "floats() or doubles()";
                case F64 -> "doubles()";
                case I32 -> "ints() or longs()";
                case I64 -> "longs() or ints()";
            };
            throw new IllegalStateException("tensor '" + name + "' is " + dtype + ", so " + accessor
                    + " cannot read it; use " + use);
        }
    }

    /** Equal when name, dtype, shape and every data bit are equal (so NaN equals the same NaN). */
    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "TensorData[" + name + ", " + dtype + ", shape=" + Arrays.toString(shape) + "]";
    }
}
