package org.rnn4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Parameter;

/**
 * Property: a padded batch of sequences of different lengths gives, for every sequence, the same outputs
 * (at its real steps), final state and parameter gradients as that sequence run alone — for every cell,
 * uni- and bidirectional, 1 and 2 layers. Padding holds large random values, so any leak would show.
 */
class VariableLengthTest {
    private static final int T = 6;
    private static final int D = 3;
    private static final int H = 4;
    private static final int[] LENGTHS = {6, 2, 4, 1};

    static Stream<Arguments> shapes() {
        return Stream.of(CellType.values()).flatMap(c -> Stream.of(
                Arguments.of(c, 1, false), Arguments.of(c, 2, false), Arguments.of(c, 1, true), Arguments.of(c, 2, true)));
    }

    @ParameterizedTest(name = "{0} L={1} bi={2}")
    @MethodSource("shapes")
    void paddedBatchEqualsEachSequenceAlone(CellType cell, int layers, boolean bi) {
        RecurrentStack.Builder sb = RecurrentStack.builder(cell, D, H).numLayers(layers);
        if (bi) {
            sb.bidirectional();
        }
        RecurrentStack stack = sb.build();
        stack.initialize(Init.RecurrentInit.PYTORCH, new Rng(7));
        int batch = LENGTHS.length;
        int out = stack.outputSize();
        Rng rng = new Rng(8);
        Matrix x = new Matrix(T * batch, D);
        rng.fillUniform(x, -5f, 5f); // padding included: it must not matter
        Matrix dOut = new Matrix(T * batch, out);
        rng.fillUniform(dOut, -1f, 1f);
        for (int t = 0; t < T; t++) {
            for (int b = 0; b < batch; b++) {
                if (t >= LENGTHS[b]) {
                    Arrays.fill(dOut.data, (t * batch + b) * out, (t * batch + b + 1) * out, 0f); // the loss mask
                }
            }
        }
        RecurrentState dFinal = stack.newState(batch);
        for (int k = 0; k < layers; k++) {
            rng.fillUniform(dFinal.layer(k), -1f, 1f);
        }

        // The padded batch.
        List<Parameter> ps = stack.parameters();
        ps.forEach(Parameter::zeroGrad);
        RecurrentState state = stack.newState(batch);
        float[] y = stack.forward(x, T, batch, state, null, LENGTHS).toArray();
        stack.backward(dOut.copy(), dFinal);
        float[][] batchGrads = ps.stream().map(p -> p.grad.toArray()).toArray(float[][]::new);

        // Each sequence alone, with its own length as T; gradients summed over the sequences.
        ps.forEach(Parameter::zeroGrad);
        for (int b = 0; b < batch; b++) {
            int len = LENGTHS[b];
            Matrix xb = new Matrix(len, D);
            Matrix db = new Matrix(len, out);
            for (int t = 0; t < len; t++) {
                System.arraycopy(x.data, (t * batch + b) * D, xb.data, t * D, D);
                System.arraycopy(dOut.data, (t * batch + b) * out, db.data, t * out, out);
            }
            RecurrentState sb1 = stack.newState(1);
            float[] yb = stack.forward(xb, len, 1, sb1).toArray();
            for (int t = 0; t < len; t++) {
                float[] expected = Arrays.copyOfRange(yb, t * out, (t + 1) * out);
                float[] actual = Arrays.copyOfRange(y, (t * batch + b) * out, (t * batch + b + 1) * out);
                assertArrayEquals(expected, actual, 1e-5f, "output of sequence " + b + " at step " + t);
            }
            RecurrentState dFinalB = stack.newState(1);
            for (int k = 0; k < layers; k++) {
                Matrix whole = state.layer(k);
                float[] alone = sb1.layer(k).toArray();
                assertArrayEquals(alone, Arrays.copyOfRange(whole.data, b * whole.cols, (b + 1) * whole.cols), 1e-5f,
                        "final state of sequence " + b + ", layer " + k);
                System.arraycopy(dFinal.layer(k).data, b * whole.cols, dFinalB.layer(k).data, 0, whole.cols);
            }
            stack.backward(db, dFinalB);
        }
        for (int i = 0; i < ps.size(); i++) {
            assertArrayEquals(ps.get(i).grad.toArray(), batchGrads[i], 1e-4f, "gradient of " + ps.get(i).name());
        }
    }
}
