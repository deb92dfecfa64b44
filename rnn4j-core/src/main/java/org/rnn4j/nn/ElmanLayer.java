package org.rnn4j.nn;

import java.util.List;
import java.util.Objects;
import org.rnn4j.matrix.Activation;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.PackedMatrix;

/**
 * The Elman recurrent layer (Elman 1990, "Finding structure in time"), as PyTorch's {@code nn.RNN}
 * computes it:
 * <pre>
 *   a_t = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh
 *   h_t = f(a_t)            f ∈ {tanh, relu, sigmoid}
 * </pre>
 * with the same parameters at every step. Back-propagation through time, for t = T-1 … 0:
 * <pre>
 *   dh_t  = ∂L/∂h_t (from the output) + dh_{t+1} carried back
 *   da_t  = dh_t ⊙ f'(a_t)                   (f' computed from h_t)
 *   carry = da_t · W_hh                      (→ dh_{t-1})
 *   dW_ih += Σ_t da_tᵀ x_t,  dW_hh += Σ_t da_tᵀ h_{t-1},  db_ih = db_hh += Σ_t da_t
 *   dx_t  = da_t · W_ih
 * </pre>
 * Only the recurrence runs step by step; the input projection, the weight gradients and the input
 * gradient are each one matrix product over all T·B rows.
 */
public final class ElmanLayer implements RecurrentLayer {
    private final int inputSize;  // D
    private final int hiddenSize; // H
    private final Activation activation;
    final Parameter weightIh; // (H, D)
    final Parameter weightHh; // (H, H)
    final Parameter biasIh;   // (H)
    final Parameter biasHh;   // (H)
    private final Matrix bias; // (1, H) b_ih + b_hh, refreshed each forward
    private PackedMatrix packedHh; // W_hh packed at the start of each pass, storage reused
    // Per-part row views of the step buffers (BatchSplit), one slot per buffer.
    private static final int H_VIEWS = 0, D_A_VIEWS = 1;
    private final BatchSplit.Views views = new BatchSplit.Views(2);

    // Caches of the last forward pass, reallocated only when T·B or B grows.
    private final StepBuffers buf = new StepBuffers();
    private Matrix x;        // (T·B, D) input of the last forward (not copied)
    private Matrix h;        // (T·B, H) outputs h_t
    private Matrix state0;   // (B, H) copy of h_{-1}
    private Matrix dA;       // (T·B, H)
    private Matrix dX;       // (T·B, D)
    private Matrix carry;    // (B, H) dh flowing to the previous step
    private Matrix[] hSteps; // views of h per step
    private Matrix[] dASteps;
    private PackedStepper.Scratch stepScratch; // scratch of step(), B rows
    private Matrix last;     // (B, H) final states gathered at each sequence's own end
    private int[] lengths;   // per sequence, or null for all T
    private int steps;
    private int batch;
    private boolean forwardDone;
    private boolean backwardDone;

    /**
     * @param namePrefix prefix of the parameter names, e.g. {@code "rnn."}
     * @param layerIndex k in {@code weight_ih_l{k}}
     * @param suffix {@code ""}, or {@code "_reverse"} for the backward direction of a bidirectional layer
     */
    public ElmanLayer(String namePrefix, int layerIndex, String suffix, int inputSize, int hiddenSize,
                      Activation activation) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException("Elman layer sizes must be positive, got input " + inputSize
                    + " and hidden " + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.activation = activation;
        String s = "_l" + layerIndex + suffix;
        this.weightIh = Parameter.matrix(namePrefix + "weight_ih" + s, hiddenSize, inputSize);
        this.weightHh = Parameter.matrix(namePrefix + "weight_hh" + s, hiddenSize, hiddenSize);
        this.biasIh = Parameter.vector(namePrefix + "bias_ih" + s, hiddenSize);
        this.biasHh = Parameter.vector(namePrefix + "bias_hh" + s, hiddenSize);
        this.bias = new Matrix(1, hiddenSize);
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int hiddenSize() {
        return hiddenSize;
    }

    @Override
    public int stateSize() {
        return hiddenSize;
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weightIh, weightHh, biasIh, biasHh);
    }

    /** W_hh, the recurrent matrix (H, H). */
    public Parameter recurrentWeight() {
        return weightHh;
    }

    @Override
    public Matrix forward(Matrix input, int steps, int batch, Matrix initialState, int[] lengths) {
        int n = steps * batch;
        this.lengths = SequenceLengths.check(lengths, steps, batch);
        input.requireShape(n, inputSize, "Elman layer input (T·B × D) with T=" + steps + ", B=" + batch);
        initialState.requireShape(batch, hiddenSize, "Elman layer initial state (B × H)");
        allocate(steps, batch);
        this.x = input;
        state0.copyFrom(initialState);
        refreshBias();
        // a = X·W_ihᵀ + (b_ih + b_hh) for all steps at once
        Kernels.mulTransB(input, weightIh.value, h);
        Kernels.addRowVector(h, bias);
        PackedMatrix wHhT = packedHh = Kernels.packTransB(weightHh.value, packedHh); // W_hh is fixed in a pass
        int parts = BatchSplit.parts(batch);
        views.reserve(parts);
        Kernels.parallel(parts, part -> { // the sequences are independent: each part runs all steps of its rows
            int b0 = BatchSplit.first(batch, parts, part), rows = BatchSplit.first(batch, parts, part + 1) - b0;
            Matrix[] hT = views.rows(H_VIEWS, part, hSteps, b0, rows); // step t's rows of this part
            Matrix prev = BatchSplit.rows(state0, b0, rows);
            for (int t = 0; t < steps; t++) {
                Matrix ht = hT[t];
                Kernels.mulPackedAdd(prev, wHhT, ht); // a_t += h_{t-1}·W_hhᵀ
                activation.applyInPlace(ht.data, ht.offset, ht.offset + ht.size());
                prev = ht;
            }
        });
        forwardDone = true;
        backwardDone = false;
        return h;
    }

    private void refreshBias() {
        for (int k = 0; k < hiddenSize; k++) {
            bias.data[k] = biasIh.value.data[k] + biasHh.value.data[k];
        }
    }

    @Override
    public Matrix finalState() {
        requireForward("finalState()");
        if (lengths == null) {
            return hSteps[steps - 1];
        }
        last = buf.matrix("last", batch, hiddenSize);
        SequenceLengths.gatherLast(h, lengths, steps, batch, last, 0);
        return last;
    }

    @Override
    public void copyStateAfter(int t, Matrix out) {
        requireForward("copyStateAfter()");
        Objects.checkIndex(t, steps);
        out.copyFrom(hSteps[t]);
    }

    @Override
    public Matrix backward(Matrix dOutput, Matrix dFinalState) {
        requireForward("backward()");
        PackedMatrix wHh = packedHh = Kernels.pack(weightHh.value, packedHh); // for da_t·W_hh
        int n = steps * batch;
        if (dOutput != null) {
            dOutput.requireShape(n, hiddenSize, "gradient of the Elman layer output (T·B × H)");
        }
        carry.zero();
        if (dFinalState != null) {
            dFinalState.requireShape(batch, hiddenSize, "gradient of the Elman layer final state (B × H)");
            if (lengths == null) {
                carry.copyFrom(dFinalState);
            }
        }
        float[] hd = h.data;
        float[] dad = dA.data;
        float[] cd = carry.data;
        // Sequences are independent; with lengths, the final-state gradient enters at each sequence's own
        // end, which the step loop handles for the whole batch at once.
        int parts = lengths != null && dFinalState != null ? 1 : BatchSplit.parts(batch);
        int hs = hiddenSize;
        views.reserve(parts);
        Kernels.parallel(parts, part -> {
            int b0 = BatchSplit.first(batch, parts, part), b1 = BatchSplit.first(batch, parts, part + 1);
            Matrix[] dAT = views.rows(D_A_VIEWS, part, dASteps, b0, b1 - b0);
            Matrix carryRows = BatchSplit.rows(carry, b0, b1 - b0);
            for (int t = steps - 1; t >= 0; t--) {
                if (lengths != null && dFinalState != null) {
                    SequenceLengths.inject(t, lengths, dFinalState, 0, cd, hs); // final state of sequences ending at t
                }
                int base = t * batch * hs;
                for (int i = b0 * hs; i < b1 * hs; i++) {
                    // dh_t = dOut_t + carry;  da_t = dh_t ⊙ f'(h_t)
                    float dh = cd[i] + (dOutput == null ? 0f : dOutput.data[dOutput.offset + base + i]);
                    dad[base + i] = dh * activation.derivativeFromOutput(hd[base + i]);
                }
                // dh_{t-1} = da_t · W_hh
                Kernels.mulPacked(dAT[t], wHh, carryRows);
            }
        });
        // Weight, bias and input gradients, one product each over all steps.
        RecurrentGradients.accumulate(dA, dA, x, state0, h, steps, batch, weightIh, weightHh, biasIh, biasHh, dX);
        backwardDone = true;
        return dX;
    }

    @Override
    public Matrix initialStateGradient() {
        if (!backwardDone) {
            throw new IllegalStateException("initialStateGradient() called before backward(): run forward and"
                    + " backward on a batch first");
        }
        return carry;
    }

    @Override
    public Matrix step(Matrix input, Matrix state) {
        int b = state.rows;
        input.requireShape(b, inputSize, "Elman step input (B × D)");
        state.requireShape(b, hiddenSize, "Elman step state (B × H)");
        if (stepScratch == null || stepScratch.h.rows != b) {
            stepScratch = new PackedStepper.Scratch(b, hiddenSize, hiddenSize);
        }
        refreshBias();
        Kernels.mulTransB(input, weightIh.value, stepScratch.a);
        Kernels.addRowVector(stepScratch.a, bias);
        stepFrom(stepScratch.a, state, null, stepScratch);
        return stepScratch.h;
    }

    /** A stepper over packed weights and, given an input table, every row's input side computed once. */
    @Override
    public Stepper stepper(Matrix inputTable) {
        refreshBias();
        Matrix inputBias = bias.copy(); // b_ih + b_hh, as forward() adds it
        return new PackedStepper(new PackedStepper.Cell(weightIh.value, weightHh.value, inputBias, null,
                (a, state, wHhT, hiddenBias, s) -> {
                    state.requireShape(state.rows, hiddenSize, "Elman step state (B × H)");
                    stepFrom(a, state, wHhT, s);
                }), inputTable);
    }

    /**
     * One step from a (B × H) = x·W_ihᵀ + b_ih + b_hh, as forward() computes it: a += h_{t-1}·W_hhᵀ
     * (packed if {@code wHhT} is given, else the current W_hh), h = f(a) into {@code s.h} and the state.
     */
    private void stepFrom(Matrix a, Matrix state, PackedStepper.Product wHhT, PackedStepper.Scratch s) {
        if (wHhT != null) {
            wHhT.apply(state, a, true);
        } else {
            Kernels.mulTransBAdd(state, weightHh.value, a);
        }
        activation.applyInPlace(a.data, a.offset, a.offset + a.rows * a.cols);
        s.h.copyFrom(a);
        state.copyFrom(a);
    }

    private void allocate(int steps, int batch) {
        if (steps <= 0 || batch <= 0) {
            throw new IllegalArgumentException("steps and batch must be positive, got T=" + steps + ", B=" + batch);
        }
        if (steps != this.steps || batch != this.batch) {
            int n = steps * batch;
            h = buf.matrix("h", n, hiddenSize);
            dA = buf.matrix("dA", n, hiddenSize);
            dX = buf.matrix("dX", n, inputSize);
            state0 = buf.matrix("state0", batch, hiddenSize);
            carry = buf.matrix("carry", batch, hiddenSize);
            hSteps = StepBuffers.stepViews(h, steps, batch);
            dASteps = StepBuffers.stepViews(dA, steps, batch);
            this.steps = steps;
            this.batch = batch;
        }
    }

    private void requireForward(String call) {
        if (!forwardDone) {
            throw new IllegalStateException(call + " called before forward(): run forward on a batch first");
        }
    }
}
