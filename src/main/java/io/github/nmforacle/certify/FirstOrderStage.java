package io.github.nmforacle.certify;

import static io.github.nmforacle.certify.Certifier.U;
import static io.github.nmforacle.certify.Certifier.decimal;

import io.github.nmforacle.certify.Certificate.FirstOrder;
import io.github.nmforacle.certify.Certificate.FirstOrderWitness;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.NmfProblem;
import java.util.List;
import java.util.Locale;

/** Stage 1, float first order, paper (1)/(3): decided beyond the rounding band, a witness for every FAILS. */
abstract class FirstOrderStage extends Run {
    FirstOrderStage(NmfProblem p, DenseMatrix w, DenseMatrix h, CertifyOptions o) {
        super(p, w, h, o);
    }

    FirstOrderStage(NmfProblem p, DenseMatrix w, DenseMatrix h, CertifyOptions o, int k, CertifyOptions userOptions) {
        super(p, w, h, o, k, userOptions);
    }

    FirstOrder floatFirstOrder(double c, double noiseC, double sum) {
        boolean simplex = o.isSimplex();
        // a non-finite estimate has no exact decimal: both are null then (the claim is UNDECIDED below)
        Double mult = simplex && Double.isFinite(c) ? c : null;
        String multExact = simplex && Double.isFinite(c) ? decimal(c) : null;
        Double sumOut = simplex ? sum : null;
        for (int i = 0; i < nn; i++) {
            if (x[i] < 0) {
                FirstOrderWitness wit = new FirstOrderWitness("negative-entry", List.of(coordinate(i, (String) null)), x[i],
                        decimal(x[i]), "entry is negative: the point is not feasible");
                return new FirstOrder(Verdict.FAILS, null, mult, multExact, 0, sumOut, "a negative entry", wit);
            }
        }
        if (gradientTrouble != null) {
            return new FirstOrder(Verdict.UNDECIDED, null, mult, multExact, 0, sumOut, gradientTrouble, null);
        }
        if (simplex && !(Double.isFinite(sum) && Double.isFinite(c) && Double.isFinite(noiseC) && Double.isFinite(cDouble))) {
            return new FirstOrder(Verdict.UNDECIDED, null, mult, multExact, 0, sumOut,
                    "non-finite intermediate: Σx, C or the multiplier estimate overflowed (NaN or ∞)", null);
        }
        boolean sumUndecided = false;
        if (simplex) {
            double diff = sum - cDouble;
            double noiseSum = (nn + 2) * U * (sum + cDouble);
            if (Math.abs(diff) > tol.sum() * cDouble + noiseSum) {
                FirstOrderWitness wit = new FirstOrderWitness("sum-constraint", List.of(), diff / cDouble, null,
                        String.format(Locale.ROOT, "sum of entries %.17g differs from C = %.17g by more than %.1e·C",
                                sum, cDouble, tol.sum()));
                return new FirstOrder(Verdict.FAILS, null, mult, multExact, noiseSum / cDouble, sumOut,
                        "not on the simplex Σx = C", wit);
            }
            sumUndecided = Math.abs(diff) > tol.sum() * cDouble - noiseSum;
        }
        double maxRho = 0, maxNoisy = 0, maxNoise = 0;
        int worst = -1;
        double worstMargin = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < nn; i++) {
            double rho = Math.abs(Math.min(scaledX(i), g[i] - c)) / gamma;
            double nz = (e[i] + noiseC) / gamma + 8 * U;
            maxRho = Math.max(maxRho, rho);
            maxNoisy = Math.max(maxNoisy, rho + nz);
            maxNoise = Math.max(maxNoise, nz);
            if (rho - nz - tol.firstOrder() > worstMargin) {
                worstMargin = rho - nz - tol.firstOrder();
                worst = i;
            }
        }
        if (!Double.isFinite(maxNoisy) || !Double.isFinite(worstMargin)) {
            return new FirstOrder(Verdict.UNDECIDED, null, mult, multExact, 0, sumOut,
                    "non-finite intermediate: a coordinate residual or its rounding bound is NaN or ∞", null);
        }
        if (maxNoisy <= tol.firstOrder() && !sumUndecided) {
            return new FirstOrder(Verdict.HOLDS, maxRho, mult, multExact, maxNoise, sumOut,
                    String.format(Locale.ROOT, "every coordinate residual + rounding bound <= %.1e", tol.firstOrder()), null);
        }
        if (!simplex && worstMargin > 0) {
            int i = worst;
            String kind = x[i] > tol.degenerate() * xi ? "support-gradient" : "active-gradient";
            double rho = Math.abs(Math.min(scaledX(i), g[i])) / gamma;
            FirstOrderWitness wit = new FirstOrderWitness(kind, List.of(coordinate(i, (String) null)), rho, null,
                    String.format(Locale.ROOT, "|min(x·γ/ξ, ∂F)|/γ = %.3e exceeds the tolerance %.1e beyond rounding",
                            rho, tol.firstOrder()));
            return new FirstOrder(Verdict.FAILS, maxRho, mult, multExact, maxNoise, sumOut,
                    "a coordinate violates (1) beyond tolerance", wit);
        }
        if (simplex) {
            // No single c can serve a coordinate with large x_i and one whose gradient is below it by > 2τγ.
            int big = -1, low = -1;
            for (int i = 0; i < nn; i++) {
                if (scaledX(i) / gamma > tol.firstOrder() * (1 + 1e-9) + 8 * U && (big < 0 || g[i] > g[big])) {
                    big = i;
                }
                if (low < 0 || g[i] < g[low]) {
                    low = i;
                }
            }
            if (big >= 0 && g[low] < g[big] - 2 * tol.firstOrder() * gamma - (e[big] + e[low]) - 8 * U * gamma) {
                double val = (g[big] - g[low]) / gamma;
                FirstOrderWitness wit = new FirstOrderWitness("multiplier-pair",
                        List.of(coordinate(big, (String) null), coordinate(low, (String) null)), val, null,
                        String.format(Locale.ROOT, "the first coordinate has x·γ/ξ > τγ, so any c is within τγ of its"
                                + " gradient; the second gradient is lower by %.3e·γ > 2τγ, so no c satisfies (3)", val));
                return new FirstOrder(Verdict.FAILS, maxRho, mult, multExact, maxNoise, sumOut,
                        "no multiplier c satisfies (3) within tolerance", wit);
            }
        }
        String why = sumUndecided ? "the sum constraint is inside the rounding band"
                : String.format(Locale.ROOT, "largest residual %.3e is within the rounding band (±%.1e) of the tolerance %.1e%s",
                        maxRho, maxNoise, tol.firstOrder(), simplex ? ", and no pair of coordinates rules out every c" : "");
        return new FirstOrder(Verdict.UNDECIDED, maxRho, mult, multExact, maxNoise, sumOut, why, null);
    }

}
