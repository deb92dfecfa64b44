package org.rnn4j.nn;

import java.util.List;
import java.util.Objects;
import org.rnn4j.matrix.ArrayKernels;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.PackedMatrix;

/**
 * The gated recurrent unit (Cho et al. 2014, "Learning phrase representations using RNN
 * encoder-decoder for statistical machine translation"), as PyTorch's {@code nn.GRU} computes it
 * (see its documentation for the same equations and layout):
 * <pre>
 *   r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)
 *   z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)
 *   n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn))
 *   h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}
 * </pre>
 * The G = 3 gate blocks are stacked in the order r, z, n: {@code weight_ih_l{k}} is (3H, D) =
 * [W_ir; W_iz; W_in], {@code weight_hh_l{k}} is (3H, H), and the biases are (3H), so weights move to
 * and from PyTorch unchanged. Note that r multiplies the whole hidden part W_hn h + b_hn (PyTorch's
 * variant; Cho et al. apply r to h before the product), so the hidden projection of the n block is kept
 * apart from the input projection. The state is h (B × H).
 *
 * <p>Back-propagation through time, for t = T−1 … 0, with hn = W_hn h_{t-1} + b_hn:
 * <pre>
 *   dh_t = ∂L/∂h_t + dh carried
 *   dn   = dh_t ⊙ (1 − z),   dz = dh_t ⊙ (h_{t-1} − n),   dh_{t-1} = dh_t ⊙ z + …
 *   da_n = dn ⊙ (1 − n²),    dr = da_n ⊙ hn,    dhn = da_n ⊙ r
 *   dAx  = [dr ⊙ r(1−r), dz ⊙ z(1−z), da_n]     (input-side pre-activations)
 *   dAh  = [dr ⊙ r(1−r), dz ⊙ z(1−z), dhn]      (hidden-side pre-activations)
 *   dh_{t-1} = dh_t ⊙ z + dAh_t · W_hh
 *   dW_ih += Σ_t dAx_tᵀ x_t,  dW_hh += Σ_t dAh_tᵀ h_{t-1},  db_ih += Σ_t dAx_t,  db_hh += Σ_t dAh_t,
 *   dx_t = dAx_t · W_ih
 * </pre>
 */
public final class GruLayer implements RecurrentLayer {
    private static final int GATES = 3; // G: r, z, n

    private final int inputSize;  // D
    private final int hiddenSize; // H
    final Parameter weightIh; // (3H, D)
    final Parameter weightHh; // (3H, H)
    final Parameter biasIh;   // (3H)
    final Parameter biasHh;   // (3H)
    private PackedMatrix packedHh; // W_hh packed at the start of each pass, storage reused
    // Per-part row views of the step buffers (BatchSplit), one slot per buffer.
    private static final int AX_VIEWS = 0, AH_VIEWS = 1, H_VIEWS = 2, D_AH_VIEWS = 3;
    private final BatchSplit.Views views = new BatchSplit.Views(4);

    // Caches of the last forward pass, reallocated only when T or B changes.
    private final StepBuffers buf = new StepBuffers();
    private Matrix x;      // (T·B, D) input of the last forward (not copied)
    private Matrix ax;     // (T·B, 3H) X·W_ihᵀ + b_ih, then [r, z, n] after the step
    private Matrix ah;     // (T·B, 3H) h_{t-1}·W_hhᵀ, then + b_hh; its n block is hn
    private Matrix h;      // (T·B, H) outputs h_t
    private Matrix h0;     // (B, H) copy of h_{-1}
    private Matrix dAx;    // (T·B, 3H) gradient of the input-side pre-activations
    private Matrix dAh;    // (T·B, 3H) gradient of the hidden-side pre-activations
    private Matrix dX;     // (T·B, D)
    private Matrix dh;     // (B, H) dh flowing to the previous step
    private Matrix[] axSteps, ahSteps, hSteps, dAhSteps; // per-step views
    private Matrix last;   // (B, H) final states gathered at each sequence's own end
    private int[] lengths; // per sequence, or null for all T
    private int steps;
    private int batch;
    private boolean forwardDone;
    private boolean backwardDone;

    // Scratch of step(), independent of the forward caches.
    private PackedStepper.Scratch stepScratch;

    /**
     * @param namePrefix prefix of the parameter names, e.g. {@code "rnn."}
     * @param layerIndex k in {@code weight_ih_l{k}}
     * @param suffix {@code ""}, or {@code "_reverse"} for the backward direction of a bidirectional layer
     */
    public GruLayer(String namePrefix, int layerIndex, String suffix, int inputSize, int hiddenSize) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException("GRU layer sizes must be positive, got input " + inputSize
                    + " and hidden " + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        String s = "_l" + layerIndex + suffix;
        int gh = GATES * hiddenSize;
        this.weightIh = Parameter.matrix(namePrefix + "weight_ih" + s, gh, inputSize);
        this.weightHh = Parameter.matrix(namePrefix + "weight_hh" + s, gh, hiddenSize);
        this.biasIh = Parameter.vector(namePrefix + "bias_ih" + s, gh);
        this.biasHh = Parameter.vector(namePrefix + "bias_hh" + s, gh);
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

    /** weight_ih, weight_hh, bias_ih, bias_hh (PyTorch's order). */
    @Override
    public List<Parameter> parameters() {
        return List.of(weightIh, weightHh, biasIh, biasHh);
    }

    /** W_hh, the recurrent matrix (3H, H): three H×H blocks r, z, n. */
    public Parameter recurrentWeight() {
        return weightHh;
    }

    @Override
    public Matrix forward(Matrix input, int steps, int batch, Matrix initialState, int[] lengths) {
        this.lengths = SequenceLengths.check(lengths, steps, batch);
        input.requireShape(steps * batch, inputSize, "GRU layer input (T·B × D) with T=" + steps + ", B=" + batch);
        initialState.requireShape(batch, hiddenSize, "GRU layer initial state (B × H)");
        allocate(steps, batch);
        this.x = input;
        h0.copyFrom(initialState);
        // ax = X·W_ihᵀ + b_ih for all steps at once
        Kernels.mulTransB(input, weightIh.value, ax);
        Kernels.addRowVector(ax, biasIh.value);
        PackedMatrix wHhT = packedHh = Kernels.packTransB(weightHh.value, packedHh); // W_hh is fixed in a pass
        int parts = BatchSplit.parts(batch);
        views.reserve(parts);
        Kernels.parallel(parts, part -> { // the sequences are independent: each part runs all steps of its rows
            int b0 = BatchSplit.first(batch, parts, part), rows = BatchSplit.first(batch, parts, part + 1) - b0;
            Matrix[] axT = views.rows(AX_VIEWS, part, axSteps, b0, rows); // step t's rows of this part
            Matrix[] ahT = views.rows(AH_VIEWS, part, ahSteps, b0, rows);
            Matrix[] hT = views.rows(H_VIEWS, part, hSteps, b0, rows);
            Matrix h0Rows = BatchSplit.rows(h0, b0, rows);
            for (int t = 0; t < steps; t++) {
                Matrix hPrev = t == 0 ? h0Rows : hT[t - 1];
                Kernels.mulPacked(hPrev, wHhT, ahT[t]); // ah_t = h_{t-1}·W_hhᵀ
                cell(axT[t], ahT[t], hPrev, hT[t], rows, biasHh.value);
            }
        });
        forwardDone = true;
        backwardDone = false;
        return h;
    }

    /**
     * The gate arithmetic of one step. Adds b_hh into {@code ah} (B, 3H), so its n block becomes hn;
     * overwrites {@code ax} (B, 3H) with [r, z, n]; writes h (B, H).
     */
    private void cell(Matrix ax, Matrix ah, Matrix hPrev, Matrix hOut, int rows, Matrix bHh) {
        int hs = hiddenSize;
        float[] xd = ax.data, hd = ah.data, bh = bHh.data;
        for (int b = 0; b < rows; b++) {
            int ri = ax.offset + b * GATES * hs, zi = ri + hs, ni = zi + hs;       // [r | z | n] of ax
            int hri = ah.offset + b * GATES * hs, hni = hri + 2 * hs;             // [hr | hz | hn] of ah
            ArrayKernels.add(GATES * hs, hd, hri, bh, bHh.offset, hd, hri);       // [hr | hz | hn] = ah + b_hh
            ArrayKernels.add(2 * hs, xd, ri, hd, hri, xd, ri);
            ArrayKernels.sigmoidInPlace(xd, ri, ni);                              // [r | z] = σ(ax_rz + [hr | hz])
            ArrayKernels.mulAdd(hs, xd, ri, hd, hni, xd, ni);
            ArrayKernels.tanhInPlace(xd, ni, ni + hs);                            // n = tanh(ax_n + r*hn)
            ArrayKernels.lerp(hs, xd, zi, xd, ni, hPrev.data, hPrev.offset + b * hs,
                    hOut.data, hOut.offset + b * hs);                             // h = (1-z)*n + z*hPrev
        }
    }

    /** h (B × H), owned by the layer. */
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
        PackedMatrix wHh = packedHh = Kernels.pack(weightHh.value, packedHh); // for dAh_t·W_hh
        int hs = hiddenSize;
        if (dOutput != null) {
            dOutput.requireShape(steps * batch, hs, "gradient of the GRU layer output (T·B × H)");
        }
        dh.zero();
        if (dFinalState != null) {
            dFinalState.requireShape(batch, hs, "gradient of the GRU layer final state (B × H)");
            if (lengths == null) {
                dh.copyFrom(dFinalState);
            }
        }
        float[] xd = ax.data, hd = ah.data, dxd = dAx.data, dhd = dAh.data, carry = dh.data;
        // Sequences are independent; with lengths, the final-state gradient enters at each sequence's own
        // end, which the step loop handles for the whole batch at once.
        int parts = lengths != null && dFinalState != null ? 1 : BatchSplit.parts(batch);
        views.reserve(parts);
        Kernels.parallel(parts, part -> {
            int b0 = BatchSplit.first(batch, parts, part), b1 = BatchSplit.first(batch, parts, part + 1);
            backwardRows(part, b0, b1, dOutput, dFinalState, wHh, xd, hd, dxd, dhd, carry);
        });
        // Weight, bias and input gradients, one product each over all steps (input side dAx, hidden side dAh).
        RecurrentGradients.accumulate(dAx, dAh, x, h0, h, steps, batch, weightIh, weightHh, biasIh, biasHh, dX);
        backwardDone = true;
        return dX;
    }

    /** The step loop of {@link #backward} for sequences b0 .. b1−1. */
    private void backwardRows(int part, int b0, int b1, Matrix dOutput, Matrix dFinalState, PackedMatrix wHh,
            float[] xd, float[] hd, float[] dxd, float[] dhd, float[] carry) {
        int hs = hiddenSize;
        Matrix[] dAhT = views.rows(D_AH_VIEWS, part, dAhSteps, b0, b1 - b0);
        Matrix dhRows = BatchSplit.rows(dh, b0, b1 - b0);
        for (int t = steps - 1; t >= 0; t--) {
            if (lengths != null && dFinalState != null) {
                SequenceLengths.inject(t, lengths, dFinalState, 0, carry, hs); // final state of sequences ending at t
            }
            float[] hPrev = t == 0 ? h0.data : h.data;
            int hPrevBase = t == 0 ? 0 : (t - 1) * batch * hs;
            float[] dOut = dOutput == null ? null : dOutput.data;
            for (int b = b0; b < b1; b++) {
                int row = (t * batch + b) * GATES * hs; // [r | z | n] at the same columns of ax, ah, dAx, dAh
                int at = (t * batch + b) * hs;
                int bk = b * hs;
                // dh_t = ∂L/∂h_t + dh
                // h = (1-z)*n + z*hPrev  =>  dn = dh*(1-z), dz = dh*(hPrev-n), dhPrev = dh*z (+ below)
                // n = tanh(a_n), a_n = ax_n + r*hn  =>  da_n = dn*(1-n²), dr = da_n*hn, dhn = da_n*r
                // r, z = σ(a)  =>  da = d·y(1-y); the input and hidden sides share it
                ArrayKernels.gruBackward(hs, xd, row, hd, row, hPrev, hPrevBase + bk,
                        dOut, dOutput == null ? 0 : dOutput.offset + at, carry, bk, dxd, row, dhd, row);
            }
            // ah = W_hh hPrev  =>  dhPrev += dAh · W_hh
            Kernels.mulPackedAdd(dAhT[t], wHh, dhRows);
        }
    }

    /** dh_{-1} (B × H), owned by the layer. */
    @Override
    public Matrix initialStateGradient() {
        if (!backwardDone) {
            throw new IllegalStateException("initialStateGradient() called before backward(): run forward and"
                    + " backward on a batch first");
        }
        return dh;
    }

    @Override
    public Matrix step(Matrix input, Matrix state) {
        int b = state.rows;
        input.requireShape(b, inputSize, "GRU step input (B × D)");
        state.requireShape(b, hiddenSize, "GRU step state (B × H)");
        if (stepScratch == null || stepScratch.h.rows != b) {
            stepScratch = new PackedStepper.Scratch(b, GATES * hiddenSize, hiddenSize);
        }
        Kernels.mulTransB(input, weightIh.value, stepScratch.a);
        Kernels.addRowVector(stepScratch.a, biasIh.value);
        stepFrom(stepScratch.a, state, null, biasHh.value, stepScratch);
        return stepScratch.h;
    }

    /** A stepper over packed weights and, given an input table, every row's input side computed once. */
    @Override
    public Stepper stepper(Matrix inputTable) {
        Matrix inputBias = biasIh.value.copy(); // ax = x·W_ihᵀ + b_ih; b_hh is added to h·W_hhᵀ inside the step
        return new PackedStepper(new PackedStepper.Cell(weightIh.value, weightHh.value, inputBias, biasHh.value.copy(),
                (a, state, wHhT, hiddenBias, s) -> {
                    state.requireShape(state.rows, hiddenSize, "GRU step state (B × H)");
                    stepFrom(a, state, wHhT, hiddenBias, s);
                }), inputTable);
    }

    /**
     * One step from ax (B × 3H) = x·W_ihᵀ + b_ih, overwritten: ah = h_{t-1}·W_hhᵀ (packed if {@code wHhT}
     * is given, else the current W_hh), then the gate arithmetic of {@link #cell} with b_hh = {@code bHh};
     * writes h into {@code s.h} and the state.
     */
    private void stepFrom(Matrix ax, Matrix state, PackedStepper.Product wHhT, Matrix bHh, PackedStepper.Scratch s) {
        if (wHhT != null) {
            wHhT.apply(state, s.hidden, false);
        } else {
            Kernels.mulTransB(state, weightHh.value, s.hidden);
        }
        cell(ax, s.hidden, state, s.h, state.rows, bHh);
        state.copyFrom(s.h);
    }

    private void allocate(int steps, int batch) {
        if (steps <= 0 || batch <= 0) {
            throw new IllegalArgumentException("steps and batch must be positive, got T=" + steps + ", B=" + batch);
        }
        if (steps != this.steps || batch != this.batch) {
            int n = steps * batch;
            int hs = hiddenSize;
            ax = buf.matrix("ax", n, GATES * hs);
            ah = buf.matrix("ah", n, GATES * hs);
            h = buf.matrix("h", n, hs);
            dAx = buf.matrix("dAx", n, GATES * hs);
            dAh = buf.matrix("dAh", n, GATES * hs);
            dX = buf.matrix("dX", n, inputSize);
            h0 = buf.matrix("h0", batch, hs);
            dh = buf.matrix("dh", batch, hs);
            axSteps = StepBuffers.stepViews(ax, steps, batch);
            ahSteps = StepBuffers.stepViews(ah, steps, batch);
            hSteps = StepBuffers.stepViews(h, steps, batch);
            dAhSteps = StepBuffers.stepViews(dAh, steps, batch);
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
