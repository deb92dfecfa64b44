package org.rnn4j.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.CellType;
import org.rnn4j.model.RecurrentStack;
import org.rnn4j.nn.Init;

/**
 * Spectral radius and largest singular value on matrices whose spectra are known by construction:
 * Q D Qᵀ (symmetric, ρ = σ_max = max |d|), a rotation-scaling (a complex pair of modulus r), and a
 * non-normal triangular matrix (ρ from its diagonal, σ_max from the 2 × 2 closed form, much larger).
 * The averaged log-growth estimate of ρ is accurate to about 1e-3 after its 800 iterations.
 */
class SpectraTest {
    @Test
    void symmetricMatrixWithKnownEigenvalues() {
        Rng rng = new Rng(1);
        Matrix a = conjugate(diagonal(2f, -1.5f, 0.5f, 0.25f), rng);
        assertEquals(2.0, Spectra.spectralRadius(a, rng), 2e-3);
        assertEquals(2.0, Spectra.largestSingularValue(a), 1e-6);
        Matrix b = conjugate(diagonal(-3f, 1f, 0.1f), rng); // the dominant eigenvalue is negative
        assertEquals(3.0, Spectra.spectralRadius(b, rng), 3e-3);
        assertEquals(3.0, Spectra.largestSingularValue(b), 1e-6);
    }

    @Test
    void complexDominantPair() {
        Rng rng = new Rng(2);
        double r = 1.2;
        double angle = 0.7;
        Matrix a = Matrix.of(3, 3,
                (float) (r * Math.cos(angle)), (float) (-r * Math.sin(angle)), 0f,
                (float) (r * Math.sin(angle)), (float) (r * Math.cos(angle)), 0f,
                0f, 0f, 0.5f);
        a = conjugate(a, rng);
        assertEquals(r, Spectra.spectralRadius(a, rng), 2e-3);
        assertEquals(r, Spectra.largestSingularValue(a), 1e-6);
    }

    @Test
    void nonNormalMatrixHasLargerNormThanRadius() {
        Rng rng = new Rng(3);
        Matrix a = Matrix.of(2, 2, 0.9f, 5f, 0f, -0.5f);
        assertEquals(0.9, Spectra.spectralRadius(a, rng), 2e-3);
        double f = 0.81 + 25 + 0.25; // ‖A‖_F²
        double det = -0.45;
        double sigma = Math.sqrt((f + Math.sqrt(f * f - 4 * det * det)) / 2);
        assertEquals(sigma, Spectra.largestSingularValue(a), 1e-6 * sigma);
        Matrix wide = Matrix.of(2, 3, 3f, 0f, 0f, 0f, 0f, 4f); // any shape: σ_max = 4
        assertEquals(4.0, Spectra.largestSingularValue(wide), 1e-9);
    }

    @Test
    void everyGateBlockOfEveryLayerAndDirection() {
        Rng rng = new Rng(4);
        RecurrentStack lstm = RecurrentStack.builder(CellType.LSTM, 3, 4).numLayers(2).build();
        for (int l = 0; l < 2; l++) { // every H × H block an orthogonal matrix times 1.3
            Matrix w = lstm.layer(l).parameters().get(1).value;
            for (int g = 0; g < 4; g++) {
                w.rows(4 * g, 4).copyFrom(DiagFixtures.orthogonal(4, 1.3f, rng));
            }
        }
        List<Spectra.Block> blocks = Spectra.of(lstm, rng);
        assertEquals(8, blocks.size());
        for (int i = 0; i < 8; i++) {
            Spectra.Block b = blocks.get(i);
            assertEquals("rnn.weight_hh_l" + (i / 4), b.parameter());
            assertEquals(i / 4, b.layer());
            assertEquals(List.of("i", "f", "g", "o").get(i % 4), b.gate());
            assertEquals(1.3, b.largestSingularValue(), 1e-5, b.toString()); // an orthogonal block times the gain
            assertEquals(1.3, b.spectralRadius(), 3e-3, b.toString());       // whose eigenvalues all have modulus 1.3
        }
        RecurrentStack gru = RecurrentStack.builder(CellType.GRU, 3, 4).bidirectional().build();
        gru.initialize(new Init.RecurrentInit(Init.Recurrent.IDENTITY, 0.9f, Float.NaN), rng);
        List<Spectra.Block> both = Spectra.of(gru, rng);
        assertEquals(6, both.size());
        assertEquals("rnn.weight_hh_l0_reverse", both.get(5).parameter());
        assertEquals("n", both.get(5).gate());
        assertEquals(0.9, both.get(4).spectralRadius(), 1e-6);
        assertEquals(0.9, both.get(4).largestSingularValue(), 1e-6);
        RecurrentStack rnn = RecurrentStack.builder(CellType.RNN, 3, 5).build();
        rnn.initialize(new Init.RecurrentInit(Init.Recurrent.DEFAULT, 1f, 1.5f), rng); // rescaled to ρ = 1.5
        assertEquals(1.5, Spectra.of(rnn, rng).get(0).spectralRadius(), 3e-3);
        assertEquals("h", Spectra.of(rnn, rng).get(0).gate());
    }

    private static Matrix diagonal(float... d) {
        Matrix m = new Matrix(d.length, d.length);
        for (int i = 0; i < d.length; i++) {
            m.set(i, i, d[i]);
        }
        return m;
    }

    /** Q A Qᵀ for a random orthogonal Q: the same eigenvalues and singular values. */
    private static Matrix conjugate(Matrix a, Rng rng) {
        Matrix q = DiagFixtures.orthogonal(a.rows, 1f, rng);
        Matrix qa = new Matrix(a.rows, a.rows);
        Kernels.mul(q, a, qa);
        Matrix out = new Matrix(a.rows, a.rows);
        Kernels.mulTransB(qa, q, out);
        return out;
    }
}
