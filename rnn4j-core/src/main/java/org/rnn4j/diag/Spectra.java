package org.rnn4j.diag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.CellType;
import org.rnn4j.model.RecurrentStack;
import org.rnn4j.nn.BidirectionalLayer;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.RecurrentLayer;

/**
 * The spectrum of every recurrent matrix, one H × H gate block at a time (RNN: one block; LSTM: i, f, g,
 * o; GRU: r, z, n, PyTorch's order):
 * <ul>
 *   <li>the spectral radius ρ = max |λ|, which decides whether W^τ (and so, in the linear regime, the
 *       gradient over τ steps) grows or shrinks: Pascanu et al. show ρ &lt; 1/γ is sufficient for
 *       vanishing and ρ &gt; 1/γ necessary for exploding; estimated by {@link Init#spectralRadius}'s
 *       averaged log-growth of W^k v, which also converges for complex dominant pairs;</li>
 *   <li>the largest singular value σ_max = ‖W‖₂, the factor of the seeds' bound (‖W_hh‖ γ)^τ; power
 *       iteration on WᵀW. σ_max ≥ ρ, with equality for normal matrices (orthogonal, symmetric).</li>
 * </ul>
 * Bidirectional layers give both directions. Nothing here needs data.
 */
public final class Spectra {
    /** Power iteration budget of {@link #largestSingularValue}. */
    public static final int MAX_ITERATIONS = 2000;
    public static final double TOLERANCE = 1e-13;

    private Spectra() {
    }

    /**
     * One H × H block of a recurrent matrix.
     *
     * @param parameter the PyTorch name, e.g. {@code rnn.weight_hh_l1_reverse}
     * @param layer the layer index
     * @param gate the block's gate ({@code "h"} for the Elman cell; i, f, g, o; r, z, n)
     */
    public record Block(String parameter, int layer, String gate, double spectralRadius, double largestSingularValue) {
    }

    /** The gate names of a cell's blocks, in the order they are stacked in weight_hh. */
    public static List<String> gates(CellType cell) {
        return switch (cell) {
            case RNN -> List.of("h");
            case LSTM -> List.of("i", "f", "g", "o");
            case GRU -> List.of("r", "z", "n");
        };
    }

    /** Every block of every layer (forward direction before reverse), bottom layer first. */
    public static List<Block> of(RecurrentStack stack, Rng rng) {
        List<Block> out = new ArrayList<>();
        for (int l = 0; l < stack.numLayers(); l++) {
            RecurrentLayer layer = stack.layer(l);
            if (layer instanceof BidirectionalLayer bi) {
                out.addAll(of(bi.forwardDirection(), l, stack.cell(), rng));
                out.addAll(of(bi.reverseDirection(), l, stack.cell(), rng));
            } else {
                out.addAll(of(layer, l, stack.cell(), rng));
            }
        }
        return out;
    }

    /** The blocks of one (unidirectional) layer. */
    public static List<Block> of(RecurrentLayer layer, int index, CellType cell, Rng rng) {
        Parameter w = layer.parameters().get(1); // weight_hh
        int h = w.value.cols;
        List<String> gates = gates(cell);
        if (w.value.rows != gates.size() * h) {
            throw new IllegalArgumentException(w.name() + " has shape " + w.value.shape() + ", not that of a " + cell.id()
                    + " recurrent matrix (" + gates.size() + "·H × H)");
        }
        List<Block> out = new ArrayList<>();
        for (int g = 0; g < gates.size(); g++) {
            Matrix block = w.value.rows(g * h, h);
            out.add(new Block(w.name(), index, gates.get(g), spectralRadius(block, rng), largestSingularValue(block)));
        }
        return out;
    }

    /** ρ(A) of a square matrix by {@link Init#spectralRadius} (averaged log-growth). */
    public static double spectralRadius(Matrix a, Rng rng) {
        return Init.spectralRadius(a, rng);
    }

    /** σ_max(A) = ‖A‖₂ of any matrix, by power iteration on AᵀA. */
    public static double largestSingularValue(Matrix a) {
        return largestSingularValue(Vectors.copy(a), a.rows, a.cols);
    }

    /** σ_max of a row-major (rows × cols) matrix; the start vector is fixed, so the result is deterministic. */
    static double largestSingularValue(double[] a, int rows, int cols) {
        double[] v = JacobianProduct.randomUnit(cols, new Rng(cols).split("singular"));
        double[] av = new double[rows];
        double estimate = 0;
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            Arrays.fill(av, 0);
            Vectors.mulAdd(a, 0, rows, cols, v, av, 0);         // A v
            double[] next = new double[cols];
            Vectors.mulTransAdd(a, 0, rows, cols, av, 0, next);  // Aᵀ A v
            double n = Vectors.normalize(next);
            if (!(n > 0)) {
                return Vectors.norm(av);
            }
            double e = Math.sqrt(n);                            // √‖AᵀA v‖ ≤ σ_max for a unit v
            v = next;
            if (Math.abs(e - estimate) <= TOLERANCE * e) {
                return e;
            }
            estimate = e;
        }
        return estimate;
    }
}
