package org.rnn4j.nn;

import java.util.List;
import java.util.Objects;
import org.rnn4j.matrix.ArrayKernels;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.PackedMatrix;

/**
 * The long short-term memory layer with a forget gate (Hochreiter and Schmidhuber 1997, "Long
 * short-term memory"; Gers, Schmidhuber and Cummins 2000, "Learning to forget"), as PyTorch's
 * {@code nn.LSTM} computes it (see its documentation for the same equations and layout):
 * <pre>
 *   i_t = σ(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)
 *   f_t = σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf)
 *   g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)
 *   o_t = σ(W_io x_t + b_io + W_ho h_{t-1} + b_ho)
 *   c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
 *   h_t = o_t ⊙ tanh(c_t)
 * </pre>
 * The G = 4 gate blocks are stacked in the order i, f, g, o: {@code weight_ih_l{k}} is (4H, D) =
 * [W_ii; W_if; W_ig; W_io], {@code weight_hh_l{k}} is (4H, H), and the biases are (4H), so weights
 * move to and from PyTorch unchanged. The state is (B × 2H) = [h | c] (columns 0..H−1 hold h, H..2H−1
 * hold c); the output is h only.
 *
 * <p>Back-propagation through time, for t = T−1 … 0, with dh and dc carried from step t+1:
 * <pre>
 *   dh_t  = ∂L/∂h_t + dh carried
 *   do    = dh_t ⊙ tanh(c_t)                      dc_t = dc carried + dh_t ⊙ o ⊙ (1 − tanh²(c_t))
 *   di    = dc_t ⊙ g,  df = dc_t ⊙ c_{t-1},  dg = dc_t ⊙ i,  dc_{t-1} = dc_t ⊙ f
 *   da    = [di ⊙ i(1−i), df ⊙ f(1−f), dg ⊙ (1−g²), do ⊙ o(1−o)]      (gate pre-activations)
 *   dh_{t-1} = da_t · W_hh
 *   dW_ih += Σ_t da_tᵀ x_t,  dW_hh += Σ_t da_tᵀ h_{t-1},  db_ih = db_hh += Σ_t da_t,  dx_t = da_t · W_ih
 * </pre>
 */
public final class LstmLayer implements RecurrentLayer {
    private static final int GATES = 4; // G: i, f, g, o

    private final int inputSize;  // D
    private final int hiddenSize; // H
    final Parameter weightIh; // (4H, D)
    final Parameter weightHh; // (4H, H)
    final Parameter biasIh;   // (4H)
    final Parameter biasHh;   // (4H)
    private final Matrix bias; // (1, 4H) b_ih + b_hh, refreshed each forward and step
    private PackedMatrix packedHh; // W_hh packed at the start of each pass, storage reused
    // Per-part row views of the step buffers (BatchSplit), one slot per buffer.
    private static final int GATE_VIEWS = 0, H_VIEWS = 1, C_VIEWS = 2, TANH_C_VIEWS = 3, D_GATE_VIEWS = 4;
    private final BatchSplit.Views views = new BatchSplit.Views(5);

    // Caches of the last forward pass, reallocated only when T or B changes.
    private final StepBuffers buf = new StepBuffers();
    private Matrix x;        // (T·B, D) input of the last forward (not copied)
    private Matrix gates;    // (T·B, 4H) pre-activations, then [i, f, g, o] after activation
    private Matrix h;        // (T·B, H) outputs h_t
    private Matrix c;        // (T·B, H) cell states c_t
    private Matrix tanhC;    // (T·B, H) tanh(c_t)
    private Matrix h0;       // (B, H) copy of h_{-1}
    private Matrix c0;       // (B, H) copy of c_{-1}
    private Matrix last;     // (B, 2H) [h_{T-1} | c_{T-1}]
    private Matrix dGates;   // (T·B, 4H) gradient of the gate pre-activations
    private Matrix dX;       // (T·B, D)
    private Matrix dh;       // (B, H) dh flowing to the previous step
    private Matrix dc;       // (B, H) dc flowing to the previous step
    private Matrix dState0;  // (B, 2H) [dh_{-1} | dc_{-1}]
    private Matrix[] gateSteps, hSteps, cSteps, tanhCSteps, dGateSteps; // per-step views
    private int[] lengths;   // per sequence, or null for all T
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
    public LstmLayer(String namePrefix, int layerIndex, String suffix, int inputSize, int hiddenSize) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException("LSTM layer sizes must be positive, got input " + inputSize
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
        this.bias = new Matrix(1, gh);
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int hiddenSize() {
        return hiddenSize;
    }

    /** 2H: the state is [h | c]. */
    @Override
    public int stateSize() {
        return 2 * hiddenSize;
    }

    /** weight_ih, weight_hh, bias_ih, bias_hh (PyTorch's order). */
    @Override
    public List<Parameter> parameters() {
        return List.of(weightIh, weightHh, biasIh, biasHh);
    }

    /** W_hh, the recurrent matrix (4H, H): four H×H blocks i, f, g, o. */
    public Parameter recurrentWeight() {
        return weightHh;
    }

    /**
     * Sets the forget-gate bias: b_if = {@code value} (the f block, entries H..2H−1 of bias_ih) and
     * b_hf = 0, so the forget gate starts at σ(value) whatever the weights. A positive value (1 is
     * the usual choice, Gers et al. 2000; Jozefowicz et al. 2015) makes the cell remember by default
     * early in training. Call it after any initialiser that overwrites the biases.
     */
    public void setForgetGateBias(float value) {
        for (int k = hiddenSize; k < 2 * hiddenSize; k++) {
            biasIh.value.data[biasIh.value.offset + k] = value;
            biasHh.value.data[biasHh.value.offset + k] = 0f;
        }
    }

    @Override
    public Matrix forward(Matrix input, int steps, int batch, Matrix initialState, int[] lengths) {
        this.lengths = SequenceLengths.check(lengths, steps, batch);
        input.requireShape(steps * batch, inputSize, "LSTM layer input (T·B × D) with T=" + steps + ", B=" + batch);
        initialState.requireShape(batch, 2 * hiddenSize, "LSTM layer initial state (B × 2H) [h | c]");
        allocate(steps, batch);
        this.x = input;
        splitState(initialState, h0, c0);
        refreshBias();
        // a = X·W_ihᵀ + (b_ih + b_hh) for all steps at once
        Kernels.mulTransB(input, weightIh.value, gates);
        Kernels.addRowVector(gates, bias);
        PackedMatrix wHhT = packedHh = Kernels.packTransB(weightHh.value, packedHh); // W_hh is fixed in a pass
        int parts = BatchSplit.parts(batch);
        views.reserve(parts);
        Kernels.parallel(parts, part -> { // the sequences are independent: each part runs all steps of its rows
            int b0 = BatchSplit.first(batch, parts, part), rows = BatchSplit.first(batch, parts, part + 1) - b0;
            Matrix[] aT = views.rows(GATE_VIEWS, part, gateSteps, b0, rows); // step t's rows of this part
            Matrix[] hT = views.rows(H_VIEWS, part, hSteps, b0, rows);
            Matrix[] cT = views.rows(C_VIEWS, part, cSteps, b0, rows);
            Matrix[] tanhCT = views.rows(TANH_C_VIEWS, part, tanhCSteps, b0, rows);
            Matrix h0Rows = BatchSplit.rows(h0, b0, rows), c0Rows = BatchSplit.rows(c0, b0, rows);
            for (int t = 0; t < steps; t++) {
                Kernels.mulPackedAdd(t == 0 ? h0Rows : hT[t - 1], wHhT, aT[t]); // a_t += h_{t-1}·W_hhᵀ
                cell(aT[t], t == 0 ? c0Rows : cT[t - 1], cT[t], tanhCT[t], hT[t], rows);
            }
        });
        if (this.lengths == null) {
            joinState(hSteps[steps - 1], cSteps[steps - 1], last);
        } else { // [h | c] at each sequence's own last step
            SequenceLengths.gatherLast(h, this.lengths, steps, batch, last, 0);
            SequenceLengths.gatherLast(c, this.lengths, steps, batch, last, hiddenSize);
        }
        forwardDone = true;
        backwardDone = false;
        return h;
    }

    /**
     * The gate arithmetic of one step, in place on the pre-activations {@code a} (B, 4H), which end up
     * holding [i, f, g, o]; writes c, tanh(c) and h (B, H).
     */
    private void cell(Matrix a, Matrix cPrev, Matrix cOut, Matrix tanhCOut, Matrix hOut, int rows) {
        int hs = hiddenSize;
        float[] ad = a.data, cd = cOut.data, tcd = tanhCOut.data;
        for (int b = 0; b < rows; b++) {
            int ii = a.offset + b * GATES * hs, fi = ii + hs, gi = fi + hs, oi = gi + hs;
            int ci = cOut.offset + b * hs, tci = tanhCOut.offset + b * hs;
            ArrayKernels.sigmoidInPlace(ad, ii, gi);                                  // [i | f] = σ(a_i | a_f)
            ArrayKernels.tanhInPlace(ad, gi, oi);                                     // g = tanh(a_g)
            ArrayKernels.sigmoidInPlace(ad, oi, oi + hs);                             // o = σ(a_o)
            ArrayKernels.mulPlusMul(hs, ad, fi, cPrev.data, cPrev.offset + b * hs, ad, ii, ad, gi,
                    cd, ci);                                                          // c = f*cPrev + i*g
            ArrayKernels.tanh(hs, cd, ci, tcd, tci);                                  // tanh(c)
            ArrayKernels.mul(hs, ad, oi, tcd, tci, hOut.data, hOut.offset + b * hs); // h = o*tanh(c)
        }
    }

    private void refreshBias() {
        for (int k = 0; k < bias.cols; k++) {
            bias.data[k] = biasIh.value.data[biasIh.value.offset + k] + biasHh.value.data[biasHh.value.offset + k];
        }
    }

    /** [h | c] (B × 2H), owned by the layer. */
    @Override
    public Matrix finalState() {
        requireForward("finalState()");
        return last;
    }

    @Override
    public void copyStateAfter(int t, Matrix out) {
        requireForward("copyStateAfter()");
        Objects.checkIndex(t, steps);
        out.requireShape(batch, 2 * hiddenSize, "LSTM state (B × 2H)");
        for (int b = 0; b < batch; b++) { // [h_t | c_t]
            System.arraycopy(hSteps[t].data, hSteps[t].offset + b * hiddenSize, out.data, out.offset + b * 2 * hiddenSize,
                    hiddenSize);
            System.arraycopy(cSteps[t].data, cSteps[t].offset + b * hiddenSize, out.data,
                    out.offset + b * 2 * hiddenSize + hiddenSize, hiddenSize);
        }
    }

    @Override
    public Matrix backward(Matrix dOutput, Matrix dFinalState) {
        requireForward("backward()");
        PackedMatrix wHh = packedHh = Kernels.pack(weightHh.value, packedHh); // for da_t·W_hh
        int hs = hiddenSize;
        if (dOutput != null) {
            dOutput.requireShape(steps * batch, hs, "gradient of the LSTM layer output (T·B × H)");
        }
        dh.zero();
        dc.zero();
        if (dFinalState != null) {
            dFinalState.requireShape(batch, 2 * hs, "gradient of the LSTM layer final state (B × 2H)");
            if (lengths == null) {
                splitState(dFinalState, dh, dc);
            }
        }
        float[] gd = gates.data, dgd = dGates.data, cd = c.data, tcd = tanhC.data, dhd = dh.data, dcd = dc.data;
        // Sequences are independent here too; with lengths, the final-state gradient enters at each
        // sequence's own end, which the step loop below handles for the whole batch at once.
        int parts = lengths != null && dFinalState != null ? 1 : BatchSplit.parts(batch);
        views.reserve(parts);
        Kernels.parallel(parts, part -> {
            int b0 = BatchSplit.first(batch, parts, part), b1 = BatchSplit.first(batch, parts, part + 1);
            backwardRows(part, b0, b1, dOutput, dFinalState, wHh, gd, dgd, cd, tcd, dhd, dcd);
        });
        // Weight, bias and input gradients, one product each over all steps.
        RecurrentGradients.accumulate(dGates, dGates, x, h0, h, steps, batch, weightIh, weightHh, biasIh, biasHh, dX);
        joinState(dh, dc, dState0);
        backwardDone = true;
        return dX;
    }

    /** The step loop of {@link #backward} for sequences b0 .. b1−1. */
    private void backwardRows(int part, int b0, int b1, Matrix dOutput, Matrix dFinalState, PackedMatrix wHh,
            float[] gd, float[] dgd, float[] cd, float[] tcd, float[] dhd, float[] dcd) {
        int hs = hiddenSize;
        Matrix[] dGate = views.rows(D_GATE_VIEWS, part, dGateSteps, b0, b1 - b0);
        Matrix dhRows = BatchSplit.rows(dh, b0, b1 - b0);
        for (int t = steps - 1; t >= 0; t--) {
            if (lengths != null && dFinalState != null) { // final [h | c] of sequences ending at t
                SequenceLengths.inject(t, lengths, dFinalState, 0, dhd, hs);
                SequenceLengths.inject(t, lengths, dFinalState, hs, dcd, hs);
            }
            float[] cPrev = t == 0 ? c0.data : cd;
            int cPrevBase = t == 0 ? 0 : (t - 1) * batch * hs;
            float[] dOut = dOutput == null ? null : dOutput.data;
            for (int b = b0; b < b1; b++) {
                int row = (t * batch + b) * GATES * hs;
                int at = (t * batch + b) * hs;
                int bk = b * hs;
                // dh_t = ∂L/∂h_t + dh;  h = o*tanh(c)  =>  do = dh*tanh(c),  dc += dh*o*(1 - tanh²(c))
                // c = f*cPrev + i*g  =>  di = dc*g, df = dc*cPrev, dg = dc*i, dcPrev = dc*f
                // i, f, o = σ(a)  =>  da = d·y(1-y);   g = tanh(a)  =>  da = dg*(1-g²)
                ArrayKernels.lstmBackward(hs, gd, row, tcd, at, cPrev, cPrevBase + bk,
                        dOut, dOutput == null ? 0 : dOutput.offset + at, dhd, bk, dcd, bk, dgd, row);
            }
            // a = ... + W_hh hPrev  =>  dhPrev = da · W_hh
            Kernels.mulPacked(dGate[t], wHh, dhRows);
        }
    }

    /** [dh_{-1} | dc_{-1}] (B × 2H), owned by the layer. */
    @Override
    public Matrix initialStateGradient() {
        if (!backwardDone) {
            throw new IllegalStateException("initialStateGradient() called before backward(): run forward and"
                    + " backward on a batch first");
        }
        return dState0;
    }

    @Override
    public Matrix step(Matrix input, Matrix state) {
        int b = state.rows;
        int hs = hiddenSize;
        input.requireShape(b, inputSize, "LSTM step input (B × D)");
        state.requireShape(b, 2 * hs, "LSTM step state (B × 2H) [h | c]");
        if (stepScratch == null || stepScratch.h.rows != b) {
            stepScratch = new PackedStepper.Scratch(b, GATES * hs, hs);
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
                    state.requireShape(state.rows, 2 * hiddenSize, "LSTM step state (B × 2H) [h | c]");
                    stepFrom(a, state, wHhT, s); // b_hh is in the input side
                }), inputTable);
    }

    /**
     * One step from a (B × 4H) = x·W_ihᵀ + b_ih + b_hh, overwritten: a += h_{t-1}·W_hhᵀ (packed if
     * {@code wHhT} is given, else the current W_hh), then the gate arithmetic of {@link #cell}, writing h and
     * c straight into the state's columns and h into {@code s.h}.
     */
    private void stepFrom(Matrix a, Matrix state, PackedStepper.Product wHhT, PackedStepper.Scratch s) {
        int b = state.rows;
        int hs = hiddenSize;
        for (int r = 0; r < b; r++) { // h part of the state, contiguous for the product
            System.arraycopy(state.data, state.offset + r * 2 * hs, s.hPrev.data, r * hs, hs);
        }
        if (wHhT != null) {
            wHhT.apply(s.hPrev, a, true);
        } else {
            Kernels.mulTransBAdd(s.hPrev, weightHh.value, a);
        }
        float[] gd = a.data, sd = state.data, hd = s.h.data;
        for (int r = 0; r < b; r++) {
            int ii = a.offset + r * GATES * hs, fi = ii + hs, gi = fi + hs, oi = gi + hs;
            int cAt = state.offset + r * 2 * hs + hs;
            int hAt = s.h.offset + r * hs;
            ArrayKernels.sigmoidInPlace(gd, ii, gi);                                  // [i | f] = σ(a_i | a_f)
            ArrayKernels.tanhInPlace(gd, gi, oi);                                     // g = tanh(a_g)
            ArrayKernels.sigmoidInPlace(gd, oi, oi + hs);                             // o = σ(a_o)
            ArrayKernels.mulPlusMul(hs, gd, fi, sd, cAt, gd, ii, gd, gi, sd, cAt);    // c = f*cPrev + i*g
            ArrayKernels.tanh(hs, sd, cAt, hd, hAt);                                  // tanh(c)
            ArrayKernels.mul(hs, gd, oi, hd, hAt, hd, hAt);                           // h = o*tanh(c)
            System.arraycopy(hd, hAt, sd, cAt - hs, hs);
        }
    }

    /** [h | c] (B × 2H) → h (B × H), c (B × H). */
    private void splitState(Matrix state, Matrix hOut, Matrix cOut) {
        int hs = hiddenSize;
        for (int r = 0; r < state.rows; r++) {
            int from = state.offset + r * 2 * hs;
            System.arraycopy(state.data, from, hOut.data, hOut.offset + r * hs, hs);
            System.arraycopy(state.data, from + hs, cOut.data, cOut.offset + r * hs, hs);
        }
    }

    /** h (B × H), c (B × H) → [h | c] (B × 2H). */
    private void joinState(Matrix hIn, Matrix cIn, Matrix state) {
        int hs = hiddenSize;
        for (int r = 0; r < state.rows; r++) {
            int to = state.offset + r * 2 * hs;
            System.arraycopy(hIn.data, hIn.offset + r * hs, state.data, to, hs);
            System.arraycopy(cIn.data, cIn.offset + r * hs, state.data, to + hs, hs);
        }
    }

    private void allocate(int steps, int batch) {
        if (steps <= 0 || batch <= 0) {
            throw new IllegalArgumentException("steps and batch must be positive, got T=" + steps + ", B=" + batch);
        }
        if (steps != this.steps || batch != this.batch) {
            int n = steps * batch;
            int hs = hiddenSize;
            gates = buf.matrix("gates", n, GATES * hs);
            h = buf.matrix("h", n, hs);
            c = buf.matrix("c", n, hs);
            tanhC = buf.matrix("tanhC", n, hs);
            dGates = buf.matrix("dGates", n, GATES * hs);
            dX = buf.matrix("dX", n, inputSize);
            h0 = buf.matrix("h0", batch, hs);
            c0 = buf.matrix("c0", batch, hs);
            last = buf.matrix("last", batch, 2 * hs);
            dh = buf.matrix("dh", batch, hs);
            dc = buf.matrix("dc", batch, hs);
            dState0 = buf.matrix("dState0", batch, 2 * hs);
            gateSteps = StepBuffers.stepViews(gates, steps, batch);
            hSteps = StepBuffers.stepViews(h, steps, batch);
            cSteps = StepBuffers.stepViews(c, steps, batch);
            tanhCSteps = StepBuffers.stepViews(tanhC, steps, batch);
            dGateSteps = StepBuffers.stepViews(dGates, steps, batch);
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
