package org.rnn4j.nn;

import java.util.List;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Matrix;

/**
 * A fully connected layer {@code y = x Wᵀ + b} over the rows of x, as PyTorch's {@code nn.Linear}:
 * weight (out, in), bias (out). Backward: {@code dx = dy W}, {@code dW += dyᵀ x}, {@code db += Σ dy}.
 */
public final class Linear {
    private final int inSize;
    private final int outSize;
    final Parameter weight; // (out, in)
    final Parameter bias;   // (out)
    private final StepBuffers buf = new StepBuffers();
    private Matrix x;  // input of the last forward (not copied)
    private Matrix y;  // (N, out)
    private Matrix dX; // (N, in)

    public Linear(String namePrefix, int inSize, int outSize) {
        if (inSize <= 0 || outSize <= 0) {
            throw new IllegalArgumentException("linear layer sizes must be positive, got " + inSize + " -> " + outSize);
        }
        this.inSize = inSize;
        this.outSize = outSize;
        this.weight = Parameter.matrix(namePrefix + "weight", outSize, inSize);
        this.bias = Parameter.vector(namePrefix + "bias", outSize);
    }

    public int inSize() {
        return inSize;
    }

    public int outSize() {
        return outSize;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    /** y (N × out) = x (N × in) · Wᵀ + b; the result is owned by the layer. */
    public Matrix forward(Matrix input) {
        if (input.cols != inSize) {
            throw new IllegalArgumentException("input has " + input.cols + " columns but the linear layer's input size is "
                    + inSize);
        }
        x = input;
        y = buf.matrix("y", input.rows, outSize);
        apply(input, y);
        return y;
    }

    /** out = x · Wᵀ + b without caching anything (used step by step in generation). */
    public void apply(Matrix input, Matrix out) {
        Kernels.mulTransB(input, weight.value, out);
        Kernels.addRowVector(out, bias.value);
    }

    /** Adds the parameter gradients for dy (N × out) and returns dx (N × in), owned by the layer. */
    public Matrix backward(Matrix dY) {
        if (x == null) {
            throw new IllegalStateException("backward() called before forward(): run forward on a batch first");
        }
        dY.requireShape(x.rows, outSize, "gradient of the linear layer output");
        Kernels.mulTransAAdd(dY, x, weight.grad); // dW += dyᵀ x
        Kernels.sumRowsAdd(dY, bias.grad);         // db += Σ_rows dy
        dX = buf.matrix("dX", x.rows, inSize);
        Kernels.mul(dY, weight.value, dX);         // dx = dy W
        return dX;
    }
}
