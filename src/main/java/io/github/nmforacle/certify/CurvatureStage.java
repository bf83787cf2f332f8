package io.github.nmforacle.certify;

import static io.github.nmforacle.certify.Certifier.parseFraction;
import static io.github.nmforacle.certify.Certifier.toDouble;

import static io.github.nmforacle.certify.Certifier.U;
import static io.github.nmforacle.certify.Certifier.decimal;

import io.github.nmforacle.certify.Certificate.DirectionWitness;
import io.github.nmforacle.certify.Certificate.SecondOrder;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Stage 2, float curvature on L (sospPaper) and on the cone K (sospCone): dense eigen or Lanczos with rounding bands,
 * witnesses whose curvature survives its error bound.
 */
abstract class CurvatureStage extends FirstOrderStage {
    CurvatureStage(NmfProblem p, DenseMatrix w, DenseMatrix h, CertifyOptions o) {
        super(p, w, h, o);
    }

    CurvatureStage(NmfProblem p, DenseMatrix w, DenseMatrix h, CertifyOptions o, int k, CertifyOptions userOptions) {
        super(p, w, h, o, k, userOptions);
    }

    /**
     * A verified lower bound on λ_min of the restricted Hessian {@code hm} (NMF: L is a coordinate subspace), just below
     * the eigenvalue estimate {@code lambda}: the largest of a few targets λ − δ for which the floating-point Cholesky
     * of the shifted matrix completes ({@link FloatForms#verifiedLower}); NaN if none does.
     */
    double choleskyLower(double[][] hm, double lambda) {
        double scale = 0;
        for (double[] row : hm) {
            for (double x : row) {
                scale = Math.max(scale, Math.abs(x));
            }
        }
        // the rigorous Frobenius bound on the entries' error (the eigenvalue band lambdaNoise is not derived as one)
        double noise = StructuredCholesky.entryNoise(p, w, h);
        double margin = 1e-10 * scale * hm.length + 8 * noise + Double.MIN_NORMAL;
        for (double f : new double[] {1, 100, 10_000}) {
            double target = lambda - f * margin;
            if (Double.isFinite(FloatForms.verifiedLower(hm, target, noise))) {
                // reported a little lower: the checker proves it with its own evaluation of the Hessian
                return target - margin;
            }
        }
        return Double.NaN;
    }

    double lambdaNoise(int k) {
        // rounding, plus underflow: each Hessian entry and each entry of the reduced matrix may lose a few
        // MIN_NORMAL per term, and ‖E‖₂ ≤ dimension·max|E_ij|
        double size = k + n + m + r + 10;
        return 16.0 * size * U * eta + 16.0 * size * size * Double.MIN_NORMAL;
    }

    /** [sospPaper, sospCone]. */
    SecondOrder[] floatSecondOrder(Kind[] kinds) {
        int[] u = coordinatesNot(kinds, Kind.A);
        int[] u0 = coordinatesNot(kinds, Kind.A, Kind.D);
        boolean hasD = u0.length < u.length;
        int dim = u.length - (o.isSimplex() ? 1 : 0);
        double threshold = tol.secondOrder() * eta;
        if (dim <= 0) {
            SecondOrder hold = new SecondOrder(Verdict.HOLDS, null, "dense-eigen", 0.0,
                    "L = {0}: nothing to check", null);
            return new SecondOrder[] {hold, hold};
        }
        if (dim <= tol.maxDenseDimension()) {
            double[][] hm = p.restrictedHessian(w, h, u);
            Curvature paper = denseCurvature(u, List.of(), hm);
            if (!o.isSimplex() && paper.failure() == null && Double.isFinite(paper.value())) {
                choleskyLowerL = choleskyLower(hm, paper.value());
            }
            SecondOrder sp = decideFloat(paper, threshold, "L", "dense-eigen");
            SecondOrder sc;
            if (!hasD) {
                sc = new SecondOrder(sp.verdict(), sp.lambdaMin(), sp.method(), sp.noise(),
                        "D is empty, so K = L: " + sp.reason(), sp.witness() instanceof DirectionWitness dw
                        ? relabel(dw, "K") : sp.witness());
            } else if (sp.verdict() == Verdict.HOLDS) {
                sc = new SecondOrder(Verdict.HOLDS, sp.lambdaMin(), "sandwich", sp.noise(),
                        "PSD on L (within tolerance) implies copositive on K ⊆ L", null);
            } else {
                int dim0 = u0.length - (o.isSimplex() ? 1 : 0);
                double lambda0 = Double.POSITIVE_INFINITY;
                if (dim0 <= 0) {
                    sc = undecidedCone(null, null, u.length - u0.length);
                } else {
                    Curvature c0 = denseCurvature(u0, List.of());
                    lambda0 = c0.value();
                    SecondOrder s0 = decideFloat(c0, threshold, "L0", "dense-eigen");
                    sc = s0.verdict() == Verdict.FAILS
                            ? new SecondOrder(Verdict.FAILS, s0.lambdaMin(), "sandwich", s0.noise(),
                            "negative curvature on L ∩ {d_D = 0} ⊆ K", s0.witness())
                            : undecidedCone(s0.lambdaMin(), s0.noise(), u.length - u0.length);
                }
                sc = coneFromL(sp, sc, kinds, u);
                if (sc.verdict() == Verdict.UNDECIDED && !o.isSimplex() && u.length - u0.length <= tol.maxDegenerate()) {
                    sc = coneByEnumeration(sc, hm, kinds, u, threshold, lambda0);
                }
            }
            return new SecondOrder[] {sp, sc};
        }
        // matrix-free
        FloatForms.Ritz rz;
        String lanczosFailure = null;
        try {
            rz = lanczos(kinds);
        } catch (RuntimeException ex) {
            rz = null;
            lanczosFailure = "Lanczos failed (" + ex.getMessage() + "): no decision";
        }
        if (rz != null && !(Double.isFinite(rz.value()) && allFinite(rz.vector()))) {
            rz = null;
            lanczosFailure = "non-finite intermediate: the Lanczos Ritz value or vector is NaN or ∞";
        }
        SecondOrder sp;
        if (rz == null) {
            sp = new SecondOrder(Verdict.UNDECIDED, null, "lanczos", null,
                    lanczosFailure != null ? lanczosFailure : "Lanczos could not start", null);
        } else {
            double[] d = rz.vector();
            DirectionWitness wit = floatWitness(d, kinds, "L", u);
            double noise = lambdaNoise(dim);
            if (rz.value() < -threshold - noise && wit != null) {
                sp = new SecondOrder(Verdict.FAILS, rz.value(), "lanczos", noise,
                        String.format(Locale.ROOT, "Lanczos Ritz value %.3e < −τη and the witness curvature survives its error bound",
                                rz.value()), wit);
            } else {
                sp = new SecondOrder(Verdict.UNDECIDED, rz.value(), "lanczos", noise, String.format(Locale.ROOT,
                        "reduced dimension %d > %d (maxDenseDimension): matrix-free Lanczos (%d steps, residual %.1e) found"
                                + " no certified negative curvature (smallest Ritz value %.3e is an upper estimate), and it cannot"
                                + " prove PSD", dim, tol.maxDenseDimension(), rz.steps(), rz.residual(), rz.value()), null);
            }
        }
        if (sp.verdict() == Verdict.UNDECIDED && !o.isSimplex()) {
            // strictness first: where it is proven with μ ≥ 2τη, λ_min on L follows (one factorisation instead of two)
            SecondOrder proven = paperFromStrict(kinds, threshold, dim);
            if (proven == null) {
                proven = structuredHolds(kinds, threshold, dim);
            }
            if (proven != null) {
                sp = proven;
            } else if (p.distributed()) {
                sp = new SecondOrder(sp.verdict(), sp.lambdaMin(), sp.method(), sp.noise(), sp.reason() + "; "
                        + DISTRIBUTED_SKIP + "the structured Cholesky that could prove PSD on L", sp.witness());
            }
        }
        SecondOrder sc;
        if (!hasD || sp.verdict() == Verdict.FAILS && !hasD) {
            sc = new SecondOrder(sp.verdict(), sp.lambdaMin(), sp.method(), sp.noise(), "D is empty, so K = L: " + sp.reason(),
                    sp.witness() instanceof DirectionWitness dw ? relabel(dw, "K") : null);
        } else if (sp.verdict() == Verdict.HOLDS) {
            sc = new SecondOrder(Verdict.HOLDS, null, "sandwich", null, "PSD on L (within tolerance, proven) implies"
                    + " copositive on K ⊆ L", null);
        } else {
            sc = coneFromL(sp, undecidedCone(null, null, u.length - u0.length), kinds, u);
        }
        return new SecondOrder[] {sp, sc};
    }

    /** ∇²F·d for a flattened direction d, in coordinate order (the problem's Hessian-vector product). */
    double[] hessianTimes(double[] d) {
        FactorPair dp = FactorPair.unflatten(d, n, r, m);
        return p.hessianTimes(w, h, dp.w(), dp.h()).flatten();
    }

    /**
     * Above the dense limit (NMF): sospPaper HOLDS from a proven strict claim, or null (then the structured Cholesky on
     * L is tried); overridden by the strictness stage.
     */
    SecondOrder paperFromStrict(Kind[] kinds, double threshold, int dim) {
        return null;
    }

    /** Memory the verified factorisations above the dense limit may take ({@link CertifyOptions#factorBudget}). */
    long structuredBudget() {
        return o.factorBudget();
    }

    /**
     * Above the dense limit (NMF): λ_min(∇²F on L) ≥ −τη proven by a floating-point Cholesky of ∇²F_L + τηI that
     * eliminates the larger factor block by block ({@link StructuredCholesky}); null when it does not complete or
     * would exceed the memory budget.
     */
    SecondOrder structuredHolds(Kind[] kinds, double threshold, int dim) {
        boolean[] free = new boolean[nn];
        for (int i = 0; i < nn; i++) {
            free[i] = kinds[i] != Kind.A;
        }
        if (p.distributed()) {
            return null;   // the caller says so in the reason
        }
        long bytes = StructuredCholesky.bytes(n, m, r, free);
        if (bytes > structuredBudget()) {
            notes.add(String.format(Locale.ROOT, "the structured Cholesky on L was not attempted: it needs %d MiB, more than"
                    + " the factorisation budget of %d MiB (--max-factor-memory; default a third of the heap, raise -Xmx with it)",
                    bytes >> 20, structuredBudget() >> 20));
            return null;
        }
        double target = -threshold * (1 - 1e-9);
        if (!StructuredCholesky.proves(p, w, h, free, target)) {
            return null;
        }
        // reported a little lower than proven, at −τη(1 + 1e-9): the checker's own proof at −τη then implies it
        choleskyLowerL = -threshold * (1 + 1e-9);
        return new SecondOrder(Verdict.HOLDS, null, "verified-cholesky", null, String.format(Locale.ROOT,
                "a floating-point Cholesky of ∇²F_L + τηI (dim L = %d, the larger factor eliminated block by block) completes"
                        + " with Rump's rounding bound: λ_min on L ≥ −τη = %.3e, proven", dim, -threshold), null);
    }

    /**
     * Where sospPaper FAILS with a witness d in L but the cone is still undecided: d, −d (q is even) and the two with
     * their degenerate entries clipped to ≥ 0 are directions of K when they lie there; the first whose negative
     * curvature is below −τη‖d‖² beyond its error bound refutes copositivity on K within tolerance (the origin saddle of
     * V = [1] is refuted this way, as in exact mode; a float cone FAILS and a float HOLDS by enumeration thus never
     * overlap). Every such witness is re-checked exactly by the checker.
     */
    SecondOrder coneFromL(SecondOrder sp, SecondOrder sc, Kind[] kinds, int[] u) {
        if (sc.verdict() != Verdict.UNDECIDED || sp.verdict() != Verdict.FAILS || !(sp.witness() instanceof DirectionWitness dw)) {
            return sc;
        }
        double[] d = doubles(dw);
        for (int sign : new int[] {1, -1}) {
            for (boolean clip : new boolean[] {false, true}) {
                double[] c = new double[nn];
                boolean inK = true;
                for (int i = 0; i < nn; i++) {
                    c[i] = sign * d[i];
                    if (kinds[i] == Kind.D && c[i] < 0) {
                        if (clip) {
                            c[i] = 0;
                        } else {
                            inK = false;
                        }
                    }
                }
                if (!inK) {
                    continue;
                }
                DirectionWitness k = floatWitness(c, kinds, "K", u);
                if (k != null && nonNegativeOnD(k, kinds) && belowThreshold(k, tol.secondOrder() * eta)) {
                    return new SecondOrder(Verdict.FAILS, sp.lambdaMin(), "cone-from-L", sp.noise(), String.format(Locale.ROOT,
                            "the witness of L%s%s lies in K (d_D ≥ 0) and its curvature %.3e < −τη‖d‖² survives its error bound",
                            sign < 0 ? ", negated," : "", clip ? " with its degenerate entries clipped to ≥ 0" : "",
                            k.curvature()), k);
                }
            }
        }
        return sc;
    }

    /**
     * Float NMF, dense L, |D| ≤ maxDegenerate, the sandwich undecided: copositivity on K within tolerance decided by
     * {@link FloatCone#decide} (Cottle–Habetler–Lemke 1970 on an enclosed Schur complement, Rump 2006 for the free
     * block). HOLDS only with that proof, at τη(1 − 1e-6) (the checker re-proves it at τη with its own code); FAILS only
     * with a witness in K whose curvature is below −τη‖d‖² beyond its rigorous error bound; else {@code sc} with why.
     */
    SecondOrder coneByEnumeration(SecondOrder sc, double[][] hm, Kind[] kinds, int[] u, double threshold, double lambda0) {
        boolean[] deg = new boolean[u.length];
        for (int i = 0; i < u.length; i++) {
            deg[i] = kinds[u[i]] == Kind.D;
        }
        double noise = StructuredCholesky.entryNoise(p, w, h);
        double lam0 = Double.isInfinite(lambda0) ? 0 : lambda0;
        FloatCone.Outcome out = FloatCone.decide(hm, deg, threshold * (1 - 1e-6), noise, lam0);
        if (out.holds()) {
            return new SecondOrder(Verdict.HOLDS, sc.lambdaMin(), "enumeration", sc.noise(), out.why(), null);
        }
        if (out.candidate() != null) {
            double[] d = new double[nn];
            for (int i = 0; i < u.length; i++) {
                d[u[i]] = out.candidate()[i];
            }
            DirectionWitness k = floatWitness(d, kinds, "K", u);
            if (k != null && nonNegativeOnD(k, kinds) && belowThreshold(k, threshold)) {
                return new SecondOrder(Verdict.FAILS, sc.lambdaMin(), "enumeration", sc.noise(), String.format(Locale.ROOT,
                        "a direction of K from the Cottle–Habetler–Lemke enumeration on the Schur complement on D has"
                                + " curvature %.3e < −τη‖d‖² beyond its error bound", k.curvature()), k);
            }
        }
        return new SecondOrder(sc.verdict(), sc.lambdaMin(), sc.method(), sc.noise(), sc.reason()
                + "; the float enumeration on K did not decide: " + out.why(), null);
    }

    /** dᵀ∇²F d + its rounding bound &lt; −τη‖d‖² for the witness's (exact-decimal) direction, rigorously. */
    boolean belowThreshold(DirectionWitness k, double threshold) {
        double[] d = doubles(k);
        double norm2 = 0;
        for (double x : d) {
            norm2 += x * x;
        }
        FactorPair dp = FactorPair.unflatten(d, n, r, m);
        double q = p.hessianQuadraticForm(w, h, dp.w(), dp.h());
        double bound = curvatureBound(dp.w(), dp.h());
        // the exact ‖d‖² ≤ the float sum of squares·(1 + 2(nn + 4)u) + underflow
        double norm2Up = norm2 * (1 + 2 * (nn + 4) * U) + nn * Double.MIN_VALUE;
        return q + bound < -threshold * norm2Up;
    }

    /** The witness's direction as doubles (its entries are exact decimal expansions of doubles, in dW then dH order). */
    double[] doubles(DirectionWitness k) {
        return Certifier.entries(k).values().clone();
    }

    /** The sign of the exact value written {@code e} (a decimal's without BigFraction). */
    private static int signum(String e) {
        return e.indexOf('/') < 0 ? new java.math.BigDecimal(e.trim()).signum() : parseFraction(e).signum();
    }

    /** The exact entries of the witness on D are ≥ 0 (the S-NMF sum correction never touches D). */
    boolean nonNegativeOnD(DirectionWitness k, Kind[] kinds) {
        int t = 0;
        for (String[][] block : new String[][][] {k.dW(), k.dH()}) {
            for (String[] row : block) {
                for (String e : row) {
                    if (kinds[t] == Kind.D && signum(e) < 0) {
                        return false;
                    }
                    t++;
                }
            }
        }
        return true;
    }

    SecondOrder undecidedCone(Double lambda0, Double noise, int dCount) {
        return new SecondOrder(Verdict.UNDECIDED, lambda0, "sandwich", noise, String.format(Locale.ROOT,
                "|D| = %d: not PSD on L within tolerance (or undecided), PSD on L ∩ {d_D = 0} not refuted; copositivity"
                        + " on K is decided in float mode only by the enumeration (NMF, dense L, |D| ≤ maxDegenerate)",
                dCount), null);
    }

    static DirectionWitness relabel(DirectionWitness w, String set) {
        return new DirectionWitness(set, w.curvature(), w.curvatureExact(), w.dW(), w.dH());
    }

    SecondOrder decideFloat(Curvature cv, double threshold, String set, String method) {
        if (cv.failure != null || !Double.isFinite(cv.value) || !Double.isFinite(cv.noise) || !Double.isFinite(threshold)) {
            return new SecondOrder(Verdict.UNDECIDED, null, method, null, cv.failure != null ? cv.failure
                    : "non-finite intermediate: the eigenvalue or its rounding bound is NaN or ∞", null);
        }
        if (cv.value >= -threshold + cv.noise) {
            return new SecondOrder(Verdict.HOLDS, cv.value, method, cv.noise, String.format(Locale.ROOT,
                    "λ_min = %.3e >= −τη = %.3e beyond the rounding bound %.1e", cv.value, -threshold, cv.noise), null);
        }
        if (cv.value < -threshold - cv.noise && cv.witness != null) {
            return new SecondOrder(Verdict.FAILS, cv.value, method, cv.noise, String.format(Locale.ROOT,
                    "λ_min = %.3e < −τη = %.3e; witness curvature %.3e survives its error bound", cv.value, -threshold,
                    cv.witness.curvature()), relabel(cv.witness, set));
        }
        return new SecondOrder(Verdict.UNDECIDED, cv.value, method, cv.noise, String.format(Locale.ROOT,
                "λ_min = %.3e is within the rounding band (±%.1e) of −τη = %.3e%s", cv.value, cv.noise, -threshold,
                cv.value < 0 && cv.witness == null ? ", or its witness did not survive the error bound" : ""), null);
    }

    /** λ (+∞ when the subspace is {0}), its noise, a witness if negative; failure: why no λ (then value is NaN). */
    record Curvature(double value, double noise, DirectionWitness witness, String failure) {
        Curvature(double value, double noise, DirectionWitness witness) {
            this(value, noise, witness, null);
        }

        static Curvature failed(String why) {
            return new Curvature(Double.NaN, Double.NaN, null, why);
        }
    }

    /** Smallest eigenvalue of ∇²F on {d supported on coords, (Σd = 0), ⊥ extra}, with a witness if negative. */
    Curvature denseCurvature(int[] coords, List<double[]> extra) {
        return denseCurvature(coords, extra, p.restrictedHessian(w, h, coords));
    }

    /** As above, on the restricted Hessian {@code hm} already computed (not modified). */
    Curvature denseCurvature(int[] coords, List<double[]> extra, double[][] hm) {
        for (double[] row : hm) {
            if (!allFinite(row)) {
                return Curvature.failed("non-finite intermediate: a Hessian entry overflowed (NaN or ∞)");
            }
        }
        List<double[]> cons = new ArrayList<>();
        if (o.isSimplex()) {
            double[] ones = new double[coords.length];
            java.util.Arrays.fill(ones, 1.0);
            cons.add(ones);
        }
        cons.addAll(extra);
        FloatForms.ConstraintBasis basis = new FloatForms.ConstraintBasis(coords.length, cons);
        if (basis.dimension() == 0) {
            return new Curvature(Double.POSITIVE_INFINITY, 0, null);
        }
        FloatForms.Eigenpair ep;
        try {
            ep = FloatForms.smallest(basis.reduce(hm));
        } catch (RuntimeException ex) {
            // Hipparchus' QL iteration may fail to converge; a non-finite reduced entry is refused in smallest()
            return Curvature.failed("the dense eigensolver failed (" + ex.getMessage() + "): no eigenvalue, no decision");
        }
        double noise = lambdaNoise(coords.length) + 8.0 * coords.length * U * ep.shift();
        if (!Double.isFinite(ep.value()) || !Double.isFinite(noise) || !allFinite(ep.vector())) {
            return Curvature.failed("non-finite intermediate: the eigenvalue, its eigenvector or its rounding bound is NaN or ∞");
        }
        DirectionWitness wit = null;
        if (ep.value() < 0 && extra.isEmpty()) {
            double[] z = basis.expand(ep.vector());
            double[] d = new double[nn];
            for (int i = 0; i < coords.length; i++) {
                d[coords[i]] = z[i];
            }
            wit = floatWitness(d, null, "L", coords);
        }
        return new Curvature(ep.value(), noise, wit);
    }

    FloatForms.Ritz lanczos(Kind[] kinds) {
        boolean simplex = o.isSimplex();
        int cnt = 0;
        for (Kind k : kinds) {
            if (k != Kind.A) {
                cnt++;
            }
        }
        final int inU = cnt;
        java.util.function.UnaryOperator<double[]> project = y -> {
            double[] z = y.clone();
            double s = 0;
            for (int i = 0; i < nn; i++) {
                if (kinds[i] == Kind.A) {
                    z[i] = 0;
                } else {
                    s += z[i];
                }
            }
            if (simplex) {
                double mean = s / inU;
                for (int i = 0; i < nn; i++) {
                    if (kinds[i] != Kind.A) {
                        z[i] -= mean;
                    }
                }
            }
            return z;
        };
        java.util.function.UnaryOperator<double[]> op = this::hessianTimes;
        int steps = Math.min(inU, 300);
        // stop early once a Ritz vector is a certified negative-curvature witness
        double threshold = tol.secondOrder() * eta + lambdaNoise(inU);
        int[] u = coordinatesNot(kinds, Kind.A);
        return FloatForms.lanczos(op, project, nn, steps, 1e-8 * eta, o.seed(),
                rz -> rz.value() < -threshold && floatWitness(rz.vector(), kinds, "L", u) != null);
    }

    /**
     * Turns a floating direction into an exactly feasible witness (zero outside {@code coords}; Σd = 0 exactly for
     * S-NMF by solving for the largest support entry in exact decimal arithmetic) whose curvature is negative
     * beyond its rigorous error bound; null otherwise.
     */
    DirectionWitness floatWitness(double[] d0, Kind[] kinds, String set, int[] coords) {
        double[] d = new double[nn];
        boolean[] allowed = new boolean[nn];
        for (int c : coords) {
            allowed[c] = true;
            d[c] = d0[c];
        }
        if (!allFinite(d)) {
            return null;   // a non-finite direction is no witness
        }
        BigDecimal[] exact = new BigDecimal[nn];
        for (int i = 0; i < nn; i++) {
            exact[i] = new BigDecimal(d[i]);
        }
        if (o.isSimplex()) {
            int j0 = -1;
            for (int c : coords) {
                if (x[c] > tol.degenerate() * xi && (j0 < 0 || Math.abs(d[c]) > Math.abs(d[j0]))) {
                    j0 = c;
                }
            }
            if (j0 < 0) {
                return null;
            }
            BigDecimal s = BigDecimal.ZERO;
            for (int i = 0; i < nn; i++) {
                if (i != j0) {
                    s = s.add(exact[i]);
                }
            }
            exact[j0] = s.negate();
            d[j0] = exact[j0].doubleValue();
        }
        FactorPair dp = FactorPair.unflatten(d, n, r, m);
        double q = p.hessianQuadraticForm(w, h, dp.w(), dp.h());
        double bound = curvatureBound(dp.w(), dp.h());
        if (!(Double.isFinite(q) && Double.isFinite(bound) && q + bound < 0)) {
            return null;
        }
        DirectionWitness wit = new DirectionWitness(set, q, null, strings(exact, 0, n, r), strings(exact, n * r, r, m));
        if (!o.isSimplex()) {
            Certifier.rememberExact(wit.dW(), d);      // every entry is the exact decimal of d[i]
        }
        return wit;
    }

    /** Rigorous bound on the rounding error of {@link NmfProblem#hessianQuadraticForm} (and of ±u perturbations of d). */
    double curvatureBound(DenseMatrix dw, DenseMatrix dh) {
        return CurvatureBounds.curvatureBound(p, w, h, dw, dh);
    }
}
