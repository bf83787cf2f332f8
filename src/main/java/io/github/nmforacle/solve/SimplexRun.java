package io.github.nmforacle.solve;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;

/**
 * The state shared by the runs on Algorithm 1's simplex ({@code mwu}, {@code mwu-adaptive}, {@code mwu-orbit}): the
 * problem on V/C², C, the iterate (W, H) on the unit simplex and its products V·Hᵀ, Wᵀ·V; the point is reported as C·x.
 */
abstract class SimplexRun implements IterativeSolver.Run {
    final NmfProblem p;     // on V / C²
    final double c;
    final int n;
    final int m;
    final int r;
    final double[] w;
    final double[] h;
    final double[] vht;
    final double[] wtv;
    double step = Double.NaN;
    int updates;

    SimplexRun(NmfProblem p, double c, double[] w, double[] h) {
        this.p = p;
        this.c = c;
        this.n = p.n();
        this.m = p.m();
        this.r = p.rank();
        this.w = w;
        this.h = h;
        this.vht = new double[n * r];
        this.wtv = new double[r * m];
    }

    @Override
    public double lastStep() {
        return step;
    }

    @Override
    public FactorPair point() {
        return new FactorPair(new DenseMatrix(n, r, IterativeSolver.scaled(w, c)),
                new DenseMatrix(r, m, IterativeSolver.scaled(h, c)));
    }
}
