package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rnn4j.matrix.Gemm;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.matrix.ScalarGemm;

/**
 * The element-wise passes that split their rows or columns across the kernel threads (softmax
 * cross-entropy, bias rows, column sums) give the same results on one thread and on two: the same bits
 * for every per-row and per-column value, and the loss sum to double rounding (its parts are added in
 * another grouping).
 */
class ParallelPassesTest {
    private final Gemm saved = Kernels.backend();
    private final int savedThreads = ScalarGemm.threads();

    @AfterEach
    void restore() {
        Kernels.useBackend(saved);
        ScalarGemm.setThreads(savedThreads);
    }

    @Test
    void softmaxCrossEntropyOnTwoThreadsEqualsOne() {
        Rng rng = new Rng(11);
        Matrix logits = new Matrix(1100, 65); // 71,500 logits: split
        rng.fillUniform(logits, -4f, 4f);
        int[] targets = new int[1100];
        for (int r = 0; r < targets.length; r++) {
            targets[r] = r % 97 == 0 ? -1 : rng.nextInt(65);
        }
        Kernels.useBackend(new ScalarGemm());
        ScalarGemm.setThreads(1);
        Matrix d1 = new Matrix(1100, 65);
        SoftmaxCrossEntropy.Result one = SoftmaxCrossEntropy.forward(logits, targets, d1);
        ScalarGemm.setThreads(2);
        Matrix d2 = new Matrix(1100, 65);
        SoftmaxCrossEntropy.Result two = SoftmaxCrossEntropy.forward(logits, targets, d2);
        assertEquals(one.count(), two.count());
        assertEquals(one.sum(), two.sum(), 1e-12 * one.sum());
        assertArrayEquals(d1.data, d2.data, "the gradient, row by row");
        Matrix inPlace = logits.copy(); // dLogits may be the logits themselves
        SoftmaxCrossEntropy.Result three = SoftmaxCrossEntropy.forward(inPlace, targets, inPlace);
        assertEquals(one.sum(), three.sum(), 1e-12 * one.sum());
        assertArrayEquals(d1.data, inPlace.data, "the gradient written over the logits");
    }

    @Test
    void biasRowsAndColumnSumsOnTwoThreadsEqualOne() {
        Rng rng = new Rng(12);
        Matrix m = new Matrix(600, 250); // 150,000 values, 250 columns: split
        rng.fillUniform(m, -1f, 1f);
        Matrix v = new Matrix(1, 250);
        rng.fillUniform(v, -1f, 1f);
        Kernels.useBackend(new ScalarGemm());
        ScalarGemm.setThreads(1);
        Matrix added1 = m.copy();
        Kernels.addRowVector(added1, v);
        Matrix sum1 = v.copy();
        Kernels.sumRowsAdd(m, sum1);
        ScalarGemm.setThreads(2);
        Matrix added2 = m.copy();
        Kernels.addRowVector(added2, v);
        Matrix sum2 = v.copy();
        Kernels.sumRowsAdd(m, sum2);
        assertArrayEquals(added1.data, added2.data);
        assertArrayEquals(sum1.data, sum2.data);
        float expected = v.data[7]; // column 7 by hand, rows in order
        for (int r = 0; r < 600; r++) {
            expected += m.data[r * 250 + 7];
        }
        assertEquals(expected, sum2.data[7]);
        assertEquals(m.data[3 * 250 + 249] + v.data[249], added2.data[3 * 250 + 249]);
    }
}
