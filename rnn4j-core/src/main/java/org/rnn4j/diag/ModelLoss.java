package org.rnn4j.diag;

import org.rnn4j.matrix.Matrix;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.ModelConfig;
import org.rnn4j.model.RecurrentState;
import org.rnn4j.model.SequenceBatch;
import org.rnn4j.model.SequenceModel;
import org.rnn4j.model.SequenceModelConfig;
import org.rnn4j.model.SequenceShape;
import org.rnn4j.nn.Parameter;

/**
 * Builds a {@link StackProbe} from a whole model: the first layer's input from its tokens or features,
 * and the loss and its gradient at the top layer's outputs from the model's head, all in double:
 * <pre>
 *   cross-entropy:  L = Σ −ln softmax(o)[y],   ∂L/∂o = p − onehot(y)
 *   squared error:  L = Σ ‖o − y‖²,            ∂L/∂o = 2(o − y)
 *   o = W h + c  =>  ∂L/∂h = Wᵀ ∂L/∂o
 * </pre>
 * summed over the items the model counts (steps with a non-negative target; every real step or every
 * sequence of a sequence model), exactly as the models' own forward passes sum them.
 */
final class ModelLoss {
    private ModelLoss() {
    }

    static StackProbe probe(LanguageModel model, int[] tokens, int[] targets, int steps, int batch,
                            RecurrentState state) {
        ModelConfig c = model.config();
        int n = Math.multiplyExact(steps, batch);
        if (steps < 1 || batch < 1 || tokens.length < n || (targets != null && targets.length < n)) {
            throw new IllegalArgumentException("T=" + steps + ", B=" + batch + " needs " + n + " tokens and targets, got "
                    + tokens.length + (targets == null ? "" : " and " + targets.length));
        }
        double[] table = c.embeddingDim() > 0 ? Vectors.copy(model.parameter("embedding.weight").value) : null;
        int d = c.inputSize();
        int[] lengths = ProbeInputs.filled(batch, steps);
        double[][][] x = new double[batch][steps][];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                x[b][t] = encode(tokens[t * batch + b], c.vocabSize(), d, table);
            }
        }
        RecurrentState s0 = state == null ? model.newState(batch) : state;
        StackProbe probe = new StackProbe(ProbeInputs.cells(model.rnn()), x, ProbeInputs.perLayer(s0, model.rnn(), batch),
                steps, lengths);
        if (targets != null) {
            Head head = new Head(model.parameter("decoder.weight"), model.parameter("decoder.bias"));
            double[][][] dOut = new double[batch][steps][];
            double loss = 0;
            int top = probe.numLayers() - 1;
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t < steps; t++) {
                    int y = targets[t * batch + b];
                    if (y >= 0) {
                        double[] h = probe.run(top, b)[t].state;
                        dOut[b][t] = new double[probe.hiddenSize()];
                        loss += head.crossEntropy(h, y, dOut[b][t]);
                    }
                }
            }
            probe.attachLoss(loss, dOut, null);
        }
        return probe;
    }

    static StackProbe probe(SequenceModel model, SequenceBatch batch) {
        SequenceModelConfig c = model.config();
        if (c.bidirectional()) {
            throw new IllegalArgumentException("the gradient and Jacobian diagnostics follow one direction through time:"
                    + " a bidirectional model is not supported (read its recurrent matrices with Spectra)");
        }
        int steps = batch.steps();
        int bs = batch.batch();
        int[] lengths = batch.lengths();
        double[] table = c.embeddingDim() > 0 ? Vectors.copy(model.parameter("embedding.weight").value) : null;
        int d = c.inputSize();
        int[] tokens = batch.tokens();
        Matrix features = batch.features();
        if (c.tokenInput() != (tokens != null)) {
            throw new IllegalArgumentException(c.tokenInput() ? "the model reads tokens but the batch holds features"
                    : "the model reads features but the batch holds tokens");
        }
        if (features != null) {
            features.requireShape(steps * bs, d, "features (T·B × D)");
        }
        double[][][] x = new double[bs][][];
        for (int b = 0; b < bs; b++) {
            x[b] = new double[lengths[b]][];
            for (int t = 0; t < lengths[b]; t++) {
                int row = t * bs + b;
                if (tokens != null) {
                    x[b][t] = encode(tokens[row], c.vocabSize(), d, table);
                } else {
                    x[b][t] = new double[d];
                    for (int k = 0; k < d; k++) {
                        x[b][t][k] = features.get(row, k);
                    }
                }
            }
        }
        StackProbe probe = new StackProbe(ProbeInputs.cells(model.rnn()), x,
                ProbeInputs.perLayer(model.rnn().newState(bs), model.rnn(), bs), steps, lengths);
        boolean classes = c.task().isClassification();
        int[] classTargets = batch.classTargets();
        Matrix valueTargets = batch.valueTargets();
        if (classes ? classTargets == null : valueTargets == null) {
            return probe; // no targets: no loss
        }
        Head head = new Head(model.parameter("head.weight"), model.parameter("head.bias"));
        boolean perSequence = c.shape() == SequenceShape.MANY_TO_ONE;
        int top = probe.numLayers() - 1;
        double[][][] dOut = new double[bs][][];
        double loss = 0;
        for (int b = 0; b < bs; b++) {
            dOut[b] = new double[lengths[b]][];
            for (int t = perSequence ? lengths[b] - 1 : 0; t < lengths[b]; t++) {
                int item = perSequence ? b : t * bs + b;  // many-to-one reads the top h at the last real step
                double[] h = probe.run(top, b)[t].state;
                double[] g = new double[probe.hiddenSize()];
                if (classes) {
                    if (classTargets[item] < 0) {
                        continue;
                    }
                    loss += head.crossEntropy(h, classTargets[item], g);
                } else {
                    loss += head.squaredError(h, valueTargets, item, g);
                }
                dOut[b][t] = g;
            }
        }
        probe.attachLoss(loss, dOut, null);
        return probe;
    }

    /** One input row: the token's embedding, or its one-hot vector of size V. */
    private static double[] encode(int token, int vocab, int d, double[] table) {
        if (token < 0 || token >= vocab) {
            throw new IllegalArgumentException("token " + token + " is outside the vocabulary of " + vocab + " tokens");
        }
        double[] x = new double[d];
        if (table == null) {
            x[token] = 1;
        } else {
            System.arraycopy(table, token * d, x, 0, d);
        }
        return x;
    }

    /** A linear head o = W h + c (W is K × H) with its two losses. */
    private static final class Head {
        private final double[] w;
        private final double[] bias;
        private final int k;
        private final int h;

        Head(Parameter weight, Parameter bias) {
            this.w = Vectors.copy(weight.value);
            this.bias = Vectors.copy(bias.value);
            this.k = weight.value.rows;
            this.h = weight.value.cols;
        }

        private double[] outputs(double[] hidden) {
            double[] o = bias.clone();
            Vectors.mulAdd(w, 0, k, h, hidden, o, 0);
            return o;
        }

        /** −ln softmax(o)[y]; writes dh = Wᵀ (p − onehot(y)). */
        double crossEntropy(double[] hidden, int y, double[] dh) {
            if (y >= k) {
                throw new IllegalArgumentException("target " + y + " is not one of the " + k + " outputs");
            }
            double[] o = outputs(hidden);
            double max = Double.NEGATIVE_INFINITY;
            for (double v : o) {
                max = Math.max(max, v);
            }
            double z = 0;
            for (double v : o) {
                z += Math.exp(v - max);
            }
            double logZ = Math.log(z) + max;
            double[] dO = new double[k];
            for (int i = 0; i < k; i++) {
                dO[i] = Math.exp(o[i] - logZ);
            }
            dO[y] -= 1;
            Vectors.mulTransAdd(w, 0, k, h, dO, 0, dh);
            return logZ - o[y];
        }

        /** ‖o − y‖² against row {@code item} of the targets; writes dh = Wᵀ 2(o − y). */
        double squaredError(double[] hidden, Matrix targets, int item, double[] dh) {
            targets.requireShape(targets.rows, k, "value targets");
            double[] o = outputs(hidden);
            double[] dO = new double[k];
            double sum = 0;
            for (int i = 0; i < k; i++) {
                double diff = o[i] - targets.get(item, i);
                sum += diff * diff;
                dO[i] = 2 * diff;
            }
            Vectors.mulTransAdd(w, 0, k, h, dO, 0, dh);
            return sum;
        }
    }
}
