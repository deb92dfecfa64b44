package org.rnn4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;

class InitTest {
    @Test
    void orthogonalRowsAreOrthonormalTimesTheGain() {
        int n = 40;
        Matrix w = new Matrix(n, n);
        Init.orthogonal(w, 1.5f, new Rng(2));
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double d = 0;
                for (int j = 0; j < n; j++) {
                    d += (double) w.get(i, j) * w.get(k, j);
                }
                assertEquals(i == k ? 2.25 : 0.0, d, 1e-5, "row " + i + " · row " + k);
            }
        }
    }

    @Test
    void spectralRadiusOfKnownMatrices() {
        // diag(0.5, -2, 1): ρ = 2; a rotation by 90° scaled by 3 (eigenvalues ±3i): ρ = 3
        Matrix d = Matrix.of(3, 3, 0.5f, 0, 0, 0, -2f, 0, 0, 0, 1f);
        assertEquals(2.0, Init.spectralRadius(d, new Rng(1)), 1e-3);
        Matrix r = Matrix.of(2, 2, 0, -3f, 3f, 0);
        assertEquals(3.0, Init.spectralRadius(r, new Rng(1)), 1e-3);
        Matrix w = new Matrix(20, 20);
        Init.recurrent(w, 0, 20, new Init.RecurrentInit(Init.Recurrent.DEFAULT, 1f, 0.9f), new Rng(5));
        assertEquals(0.9, Init.spectralRadius(w, new Rng(6)), 0.02);
    }
}
