package io.github.nmforacle.audit;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.Solver;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.solve.Solvers;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.RealMatrix;

/**
 * AND's semi-synthetic experiment (related.md §1, Li &amp; Liang 2017): ground-truth features A (n×r, uniform [0,1)),
 * correlated non-negative weights X (supports and levels shared across rows), Y = max(0, AX + noise), every solver
 * started from the perturbed truth A₀ = max(0, A + 0.1·N(0,1)) and X₀ = max(0, A₀⁺Y); figure of merit: the
 * column-wise relative error of the recovered features after the best matching of columns and the best positive
 * scaling of each column (NMF determines columns only up to scale).
 */
public final class Recovery {
    private Recovery() {
    }

    /** One problem of the experiment. */
    public record Problem(DenseMatrix y, DenseMatrix a, DenseMatrix x, FactorPair start) {
    }

    /** Per algorithm and seed: mean and max column error, relative residual, seconds. */
    public record Result(String algorithm, long seed, double meanColumnError, double maxColumnError, double relativeError,
                         double seconds) {
    }

    public static Problem problem(int n, int m, int r, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        DenseMatrix a = DenseMatrix.zeros(n, r), x = DenseMatrix.zeros(r, m);
        for (int i = 0; i < n * r; i++) {
            a.data()[i] = rnd.nextDouble();
        }
        for (int j = 0; j < m; j++) {
            double level = rnd.nextDouble();
            boolean busy = rnd.nextDouble() < 0.5;
            for (int k = 0; k < r; k++) {
                boolean on = rnd.nextDouble() < (busy ? 0.6 : 0.05);
                x.set(k, j, on ? 0.2 + 0.8 * (0.8 * level + 0.2 * rnd.nextDouble()) : 0.0);
            }
        }
        DenseMatrix y = DenseMatrix.zeros(n, m);
        double mean = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int k = 0; k < r; k++) {
                    s += a.get(i, k) * x.get(k, j);
                }
                y.set(i, j, s);
                mean += s / (n * m);
            }
        }
        for (int i = 0; i < n * m; i++) {
            y.data()[i] = Math.max(0, y.data()[i] + 0.01 * mean * gauss(rnd));
        }
        DenseMatrix a0 = DenseMatrix.zeros(n, r);
        for (int i = 0; i < n * r; i++) {
            a0.data()[i] = Math.max(0, a.data()[i] + 0.1 * gauss(rnd));
        }
        return new Problem(y, a, x, new FactorPair(a0, decode(a0, y)));
    }

    /** X₀ = max(0, (A₀ᵀA₀ + 1e-12·I)⁻¹ A₀ᵀ Y). */
    static DenseMatrix decode(DenseMatrix a0, DenseMatrix y) {
        RealMatrix a = new Array2DRowRealMatrix(a0.toArray(), false);
        RealMatrix g = a.transpose().multiply(a);
        for (int k = 0; k < g.getRowDimension(); k++) {
            g.addToEntry(k, k, 1e-12 * (1 + g.getEntry(k, k)));
        }
        RealMatrix x = new CholeskyDecomposition(g).getSolver().solve(a.transpose().multiply(new Array2DRowRealMatrix(y.toArray(), false)));
        DenseMatrix out = DenseMatrix.of(x.getData());
        for (int i = 0; i < out.data().length; i++) {
            out.data()[i] = Math.max(0, out.data()[i]);
        }
        return out;
    }

    static double gauss(SplittableRandom rnd) {
        double u = 1 - rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    /**
     * Column errors: e_kl = min_{s>0} ‖s·â_l − a_k‖/‖a_k‖ (s = ⟨â_l, a_k⟩/‖â_l‖², or 1 when that is ≤ 0), then the
     * permutation minimising the mean (all r! permutations, r ≤ 8). Returns {mean, max}.
     */
    public static double[] columnErrors(DenseMatrix est, DenseMatrix truth) {
        int n = truth.rows(), r = truth.cols();
        if (r > 8) {
            throw new IllegalArgumentException("column matching by enumeration needs r <= 8, got " + r);
        }
        double[][] e = new double[r][r];
        for (int k = 0; k < r; k++) {
            for (int l = 0; l < r; l++) {
                double dot = 0, ee = 0, tt = 0;
                for (int i = 0; i < n; i++) {
                    dot += est.get(i, l) * truth.get(i, k);
                    ee += est.get(i, l) * est.get(i, l);
                    tt += truth.get(i, k) * truth.get(i, k);
                }
                double s = ee > 0 && dot > 0 ? dot / ee : 1;
                double d = 0;
                for (int i = 0; i < n; i++) {
                    double q = s * est.get(i, l) - truth.get(i, k);
                    d += q * q;
                }
                e[k][l] = Math.sqrt(d / tt);
            }
        }
        double[] best = {Double.POSITIVE_INFINITY, 0};
        int[] p = new int[r];
        for (int i = 0; i < r; i++) {
            p[i] = i;
        }
        do {
            double sum = 0, max = 0;
            for (int k = 0; k < r; k++) {
                sum += e[k][p[k]];
                max = Math.max(max, e[k][p[k]]);
            }
            if (sum / r < best[0]) {
                best = new double[] {sum / r, max};
            }
        } while (nextPermutation(p));
        return best;
    }

    private static boolean nextPermutation(int[] p) {
        int i = p.length - 2;
        while (i >= 0 && p[i] >= p[i + 1]) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        int j = p.length - 1;
        while (p[j] <= p[i]) {
            j--;
        }
        int t = p[i];
        p[i] = p[j];
        p[j] = t;
        for (int a = i + 1, b = p.length - 1; a < b; a++, b--) {
            t = p[a];
            p[a] = p[b];
            p[b] = t;
        }
        return true;
    }

    /** Runs each algorithm from the same start on every seed. */
    public static List<Result> run(List<String> algorithms, int n, int m, int r, int seeds, int iterations) {
        List<Result> out = new ArrayList<>();
        for (int s = 1; s <= seeds; s++) {
            Problem pr = problem(n, m, r, s);
            for (String alg : algorithms) {
                Solver solver = Solvers.byName(alg);
                SolveResult res = solver.solve(pr.y(), SolverOptions.rank(r).withMaxIterations(iterations).withObjectiveTolerance(0)
                        .withInitial(pr.start()).withThreads(1));
                double[] ce = columnErrors(res.w(), pr.a());
                out.add(new Result(alg, s, ce[0], ce[1], res.relativeError(), res.seconds()));
            }
        }
        return out;
    }
}
