package io.github.nmforacle.certify;

import static io.github.nmforacle.certify.Certifier.fraction;
import static io.github.nmforacle.certify.Certifier.reshape;
import static io.github.nmforacle.certify.Certifier.toDouble;

import io.github.nmforacle.certify.Certificate.DirectionWitness;
import io.github.nmforacle.certify.Certificate.FirstOrder;
import io.github.nmforacle.certify.Certificate.FirstOrderWitness;
import io.github.nmforacle.certify.Certificate.SecondOrder;
import io.github.nmforacle.certify.Certificate.Strict;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.ExactNmf;
import io.github.nmforacle.problem.NmfProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hipparchus.fraction.BigFraction;
import org.hipparchus.linear.FieldMatrix;

/**
 * Stage 4, exact mode over the rationals: first order exactly, then PSD on L, copositivity on K and definiteness on
 * L ⊥ T by exact elimination (the float run at the normalised point supplies only informational estimates).
 */
abstract class ExactStage extends StrictnessStage {
    ExactStage(NmfProblem p, DenseMatrix w, DenseMatrix h, CertifyOptions o) {
        super(p, w, h, o);
    }

    ExactStage(NmfProblem p, DenseMatrix w, DenseMatrix h, CertifyOptions o, int k, CertifyOptions userOptions) {
        super(p, w, h, o, k, userOptions);
    }

    /** Exact mode: the float run at the normalised point, for the informational float eigenvalues. */
    ExactStage floatTwin;

    /** Exact second-order decisions on the coordinates u = S ∪ D. */
    final class ExactSecond {
        final ExactNmf ex;
        final FieldMatrix<BigFraction> we, he;
        final BigFraction[] xe;
        final Kind[] kinds;
        final int[] u;
        final BigFraction[][] mu;       // Hessian on u
        final int j0;                   // position in u of the eliminated support coordinate (S-NMF), else −1
        final int[] free;               // positions in u of the parameters (all but j0)
        final BigFraction[][] reduced;  // the form in the parameters (d_j0 = −Σ others for S-NMF)

        ExactSecond(ExactNmf ex, FieldMatrix<BigFraction> we, FieldMatrix<BigFraction> he, BigFraction[] xe, Kind[] kinds,
                    int[] u) {
            this.ex = ex;
            this.we = we;
            this.he = he;
            this.xe = xe;
            this.kinds = kinds;
            this.u = u;
            this.mu = ex.restrictedHessian(we, he, u);
            int jj = -1;
            if (o.isSimplex()) {
                for (int a = 0; a < u.length && jj < 0; a++) {
                    if (kinds[u[a]] == Kind.S) {
                        jj = a;
                    }
                }
            }
            this.j0 = jj;
            List<Integer> f = new ArrayList<>();
            for (int a = 0; a < u.length; a++) {
                if (a != j0) {
                    f.add(a);
                }
            }
            this.free = f.stream().mapToInt(Integer::intValue).toArray();
            int k = free.length;
            reduced = new BigFraction[k][k];
            for (int a = 0; a < k; a++) {
                for (int b = a; b < k; b++) {
                    BigFraction val = mu[free[a]][free[b]];
                    if (j0 >= 0) {
                        val = val.subtract(mu[free[a]][j0]).subtract(mu[j0][free[b]]).add(mu[j0][j0]);
                    }
                    reduced[a][b] = val;
                    reduced[b][a] = val;
                }
            }
        }

        /** Full direction from parameters y (length free.length). */
        BigFraction[] direction(BigFraction[] y) {
            BigFraction[] d = ExactForms.zeros(nn);
            BigFraction s = BigFraction.ZERO;
            for (int a = 0; a < free.length; a++) {
                d[u[free[a]]] = y[a];
                s = s.add(y[a]);
            }
            if (j0 >= 0) {
                d[u[j0]] = s.negate();
            }
            return d;
        }

        DirectionWitness witness(BigFraction[] d, String set) {
            FieldMatrix<BigFraction> dw = org.hipparchus.linear.MatrixUtils.createFieldMatrix(
                    org.hipparchus.fraction.BigFractionField.getInstance(), n, r);
            FieldMatrix<BigFraction> dh = org.hipparchus.linear.MatrixUtils.createFieldMatrix(
                    org.hipparchus.fraction.BigFractionField.getInstance(), r, m);
            for (int i = 0; i < n * r; i++) {
                dw.setEntry(i / r, i % r, d[i]);
            }
            for (int i = 0; i < r * m; i++) {
                dh.setEntry(i / m, i % m, d[n * r + i]);
            }
            BigFraction q = ex.hessianQuadraticForm(we, he, dw, dh);
            String[] s = new String[nn];
            for (int i = 0; i < nn; i++) {
                s[i] = fraction(d[i]);
            }
            return new DirectionWitness(set, toDouble(q), fraction(q), reshape(s, 0, n, r), reshape(s, n * r, r, m));
        }

        /**
         * The float eigenvalue reported next to the exact verdict: informational only (no exact decision reads it),
         * computed at the normalised point and converted back (×2^{-2k}); null when it is not available (too large,
         * eigensolver failure, non-finite). The flat directions are the same up to the positive factor 2^k.
         */
        Double floatLambda(List<double[]> extra) {
            if (u.length - (o.isSimplex() ? 1 : 0) > tol.maxDenseDimension()) {
                return null;
            }
            ExactStage f = floatTwin == null ? ExactStage.this : floatTwin;
            if (f.hessianTrouble != null) {
                return null;
            }
            try {
                Curvature cv = f.denseCurvature(u, extra);
                return cv.failure() != null || !Double.isFinite(cv.value()) ? null : Math.scalb(cv.value(), -2 * f.k);
            } catch (RuntimeException e) {
                return null;
            }
        }

        SecondOrder paper() {
            if (free.length == 0) {
                return new SecondOrder(Verdict.HOLDS, null, "exact-ldl", 0.0, "L = {0}: nothing to check", null);
            }
            ExactForms.Definiteness df = ExactForms.definiteness(reduced);
            Double lambda = floatLambda(List.of());
            if (df.psd()) {
                return new SecondOrder(Verdict.HOLDS, lambda, "exact-ldl", 0.0,
                        "∇²F is PSD on L exactly (symmetric elimination over the rationals)", null);
            }
            DirectionWitness wit = witness(direction(df.witness()), "L");
            return new SecondOrder(Verdict.FAILS, lambda, "exact-ldl", 0.0,
                    "a direction in L has negative curvature " + wit.curvatureExact(), wit);
        }

        SecondOrder cone() {
            List<Integer> zPos = new ArrayList<>(), yPos = new ArrayList<>();
            for (int a = 0; a < free.length; a++) {
                (kinds[u[free[a]]] == Kind.D ? yPos : zPos).add(a);
            }
            SecondOrder paper = paper();
            if (yPos.isEmpty()) {
                return new SecondOrder(paper.verdict(), paper.lambdaMin(), paper.method(), 0.0,
                        "D is empty, so K = L: " + paper.reason(),
                        paper.witness() instanceof DirectionWitness dw ? relabel(dw, "K") : null);
            }
            if (paper.verdict() == Verdict.HOLDS) {
                return new SecondOrder(Verdict.HOLDS, paper.lambdaMin(), "exact-ldl", 0.0,
                        "PSD on L implies copositive on K ⊆ L", null);
            }
            int kz = zPos.size(), ky = yPos.size();
            BigFraction[][] a = new BigFraction[kz][kz], b = new BigFraction[kz][ky], cc = new BigFraction[ky][ky];
            for (int i = 0; i < kz; i++) {
                for (int j = 0; j < kz; j++) {
                    a[i][j] = reduced[zPos.get(i)][zPos.get(j)];
                }
                for (int j = 0; j < ky; j++) {
                    b[i][j] = reduced[zPos.get(i)][yPos.get(j)];
                }
            }
            for (int i = 0; i < ky; i++) {
                for (int j = 0; j < ky; j++) {
                    cc[i][j] = reduced[yPos.get(i)][yPos.get(j)];
                }
            }
            if (kz > 0) {
                ExactForms.Definiteness da = ExactForms.definiteness(a);
                if (!da.psd()) {
                    BigFraction[] y = ExactForms.zeros(free.length);
                    for (int i = 0; i < kz; i++) {
                        y[zPos.get(i)] = da.witness()[i];
                    }
                    DirectionWitness wit = witness(direction(y), "L0");
                    return new SecondOrder(Verdict.FAILS, paper.lambdaMin(), "exact-copositive", 0.0,
                            "negative curvature on L ∩ {d_D = 0} ⊆ K: " + wit.curvatureExact(), wit);
                }
            }
            BigFraction[][] z = kz == 0 ? new BigFraction[0][ky] : ExactForms.solve(a, b);
            if (z == null) {
                // some column B e_j is not in range(A) = null(A)^⊥: q(τn, e_j) = 2τ nᵀBe_j + C_jj → −∞
                for (BigFraction[] nv : ExactForms.nullSpace(a, kz)) {
                    for (int j = 0; j < ky; j++) {
                        BigFraction nb = BigFraction.ZERO;
                        for (int i = 0; i < kz; i++) {
                            nb = nb.add(nv[i].multiply(b[i][j]));
                        }
                        if (nb.signum() != 0) {
                            BigFraction tau = cc[j][j].abs().add(BigFraction.ONE).negate().divide(nb.multiply(2));
                            BigFraction[] y = ExactForms.zeros(free.length);
                            for (int i = 0; i < kz; i++) {
                                y[zPos.get(i)] = nv[i].multiply(tau);
                            }
                            y[yPos.get(j)] = BigFraction.ONE;
                            DirectionWitness wit = witness(direction(y), "K");
                            return new SecondOrder(Verdict.FAILS, paper.lambdaMin(), "exact-copositive", 0.0,
                                    "a degenerate coordinate couples to a null direction of the free block: curvature "
                                            + wit.curvatureExact() + " on K", wit);
                        }
                    }
                }
                throw new IllegalStateException("inconsistent solve without a separating null vector");
            }
            BigFraction[][] schur = new BigFraction[ky][ky];
            for (int i = 0; i < ky; i++) {
                for (int j = 0; j < ky; j++) {
                    BigFraction s = cc[i][j];
                    for (int t = 0; t < kz; t++) {
                        s = s.subtract(b[t][i].multiply(z[t][j]));
                    }
                    schur[i][j] = s;
                }
            }
            boolean decided = ky <= tol.maxDegenerate();
            BigFraction[] yw = decided ? ExactForms.copositivityWitness(schur) : ExactForms.searchCopositivityWitness(schur);
            if (yw == null && !decided) {
                return new SecondOrder(Verdict.UNDECIDED, paper.lambdaMin(), "sandwich", 0.0, String.format(Locale.ROOT,
                        "|D| = %d > maxDegenerate %d: not PSD on L, PSD on L ∩ {d_D = 0}, and no witness in K found by"
                                + " the cheap search (𝟙, e_j, e_i + e_j); copositivity on K not decided", ky, tol.maxDegenerate()),
                        null);
            }
            if (yw == null) {
                return new SecondOrder(Verdict.HOLDS, paper.lambdaMin(), "exact-copositive", 0.0, String.format(Locale.ROOT,
                        "copositive on K exactly: the Schur complement on the %d degenerate coordinates is copositive"
                                + " (Cottle–Habetler–Lemke), though ∇²F is not PSD on L", ky), null);
            }
            BigFraction[] y = ExactForms.zeros(free.length);
            for (int j = 0; j < ky; j++) {
                y[yPos.get(j)] = yw[j];
                for (int i = 0; i < kz; i++) {
                    y[zPos.get(i)] = y[zPos.get(i)].subtract(z[i][j].multiply(yw[j]));
                }
            }
            DirectionWitness wit = witness(direction(y), "K");
            return new SecondOrder(Verdict.FAILS, paper.lambdaMin(), "exact-copositive", 0.0,
                    "a direction in K (d_D ≥ 0) has negative curvature " + wit.curvatureExact(), wit);
        }

        Strict strict() {
            // constraints on d ∈ ℝ^u: (Σd = 0), and ⟨d, t⟩ = 0 for t spanning the symmetry directions T
            List<BigFraction[]> cons = new ArrayList<>();
            if (o.isSimplex()) {
                BigFraction[] ones = new BigFraction[u.length];
                java.util.Arrays.fill(ones, BigFraction.ONE);
                cons.add(ones);
            }
            List<BigFraction[]> flat = flatSymmetry();
            notes.add(symmetryNote(flat.size(), true));
            cons.addAll(flat);
            List<BigFraction[]> basis = ExactForms.nullSpace(cons.toArray(new BigFraction[0][]), u.length);
            List<double[]> symD = new ArrayList<>();
            for (BigFraction[] t : flat) {
                double[] dd = new double[t.length];
                for (int i = 0; i < t.length; i++) {
                    dd[i] = t[i].doubleValue();
                }
                symD.add(dd);
            }
            Double muValue = floatLambda(symD);
            if (basis.isEmpty()) {
                return new Strict(Verdict.HOLDS, null, "exact-ldl", 0.0,
                        "L with the symmetry directions removed is {0}: nothing to check", null);
            }
            int q = basis.size();
            BigFraction[][] red = new BigFraction[q][q];
            BigFraction[][] mb = new BigFraction[q][];
            for (int a = 0; a < q; a++) {
                mb[a] = times(mu, basis.get(a));
            }
            for (int a = 0; a < q; a++) {
                for (int b = a; b < q; b++) {
                    BigFraction s = BigFraction.ZERO;
                    BigFraction[] va = basis.get(a);
                    for (int i = 0; i < u.length; i++) {
                        if (va[i].signum() != 0) {
                            s = s.add(va[i].multiply(mb[b][i]));
                        }
                    }
                    red[a][b] = s;
                    red[b][a] = s;
                }
            }
            ExactForms.Definiteness df = ExactForms.definiteness(red);
            if (df.pd()) {
                return new Strict(Verdict.HOLDS, muValue, "exact-ldl", 0.0,
                        "∇²F is positive definite on L ⊥ T exactly (T of dimension " + flat.size() + " from all r² directions (WX, −XH)): a strict local minimum modulo the GL(r) symmetry", null);
            }
            BigFraction[] d = ExactForms.zeros(nn);
            for (int a = 0; a < q; a++) {
                BigFraction ya = df.witness()[a];
                if (ya.signum() == 0) {
                    continue;
                }
                BigFraction[] va = basis.get(a);
                for (int i = 0; i < u.length; i++) {
                    d[u[i]] = d[u[i]].add(va[i].multiply(ya));
                }
            }
            DirectionWitness wit = witness(d, "L-perp-T");
            return new Strict(Verdict.FAILS, muValue, "exact-ldl", 0.0, df.psd()
                    ? "a non-zero direction in L ⊥ T has zero curvature (a flat direction beyond the GL(r) symmetry, T of dimension " + flat.size() + ")"
                    : "a direction in L ⊥ T has negative curvature " + wit.curvatureExact(), wit);
        }

        BigFraction[] times(BigFraction[][] a, BigFraction[] v) {
            BigFraction[] out = ExactForms.zeros(a.length);
            for (int i = 0; i < a.length; i++) {
                BigFraction s = BigFraction.ZERO;
                for (int j = 0; j < v.length; j++) {
                    if (v[j].signum() != 0) {
                        s = s.add(a[i][j].multiply(v[j]));
                    }
                }
                out[i] = s;
            }
            return out;
        }

        /**
         * T = {t_X : X ∈ ℝ^{r×r}, t_X ∈ L, ∇²F t_X ⊥ L} on u, as an independent basis (proofs-notes/symmetry-gl-r.md),
         * over all r² directions t_ab = (W E_ab, −E_ab H). Linear conditions on X: (t_X)_A = 0, Σt_X = 0 (S-NMF), and
         * M_u t_X = 0 (NMF) or ∈ span(1) (S-NMF), which is ∇²F t_X ⊥ L once (t_X)_A = 0. Contains every s_k at an
         * NMF FOSP (Lemma 3); at an S-NMF FOSP with c ≠ 0 it may not (V = [1], C = 4 at (2, 2): T = {0}).
         */
        List<BigFraction[]> flatSymmetry() {
            int rr = r * r;
            boolean simplex = o.isSimplex();
            int cols = rr + (simplex ? 1 : 0);
            BigFraction[][] full = new BigFraction[rr][];
            BigFraction[][] tu = new BigFraction[rr][];
            BigFraction[][] mt = new BigFraction[rr][];
            for (int a = 0; a < r; a++) {
                for (int b = 0; b < r; b++) {
                    int ab = a * r + b;
                    full[ab] = candidate(a, b);
                    tu[ab] = new BigFraction[u.length];
                    for (int i = 0; i < u.length; i++) {
                        tu[ab][i] = full[ab][u[i]];
                    }
                    mt[ab] = times(mu, tu[ab]);
                }
            }
            List<BigFraction[]> rows = new ArrayList<>();
            for (int c = 0; c < nn; c++) {
                if (kinds[c] == Kind.A) {
                    BigFraction[] row = ExactForms.zeros(cols);
                    boolean any = false;
                    for (int ab = 0; ab < rr; ab++) {
                        row[ab] = full[ab][c];
                        any |= row[ab].signum() != 0;
                    }
                    if (any) {
                        rows.add(row);
                    }
                }
            }
            if (simplex) {
                BigFraction[] row = ExactForms.zeros(cols);
                for (int ab = 0; ab < rr; ab++) {
                    for (BigFraction v : tu[ab]) {
                        row[ab] = row[ab].add(v);
                    }
                }
                rows.add(row);
            }
            for (int i = 0; i < u.length; i++) {
                BigFraction[] row = ExactForms.zeros(cols);
                for (int ab = 0; ab < rr; ab++) {
                    row[ab] = mt[ab][i];
                }
                if (simplex) {
                    row[rr] = BigFraction.MINUS_ONE;
                }
                rows.add(row);
            }
            List<BigFraction[]> images = new ArrayList<>();
            for (BigFraction[] coef : ExactForms.nullSpace(rows.toArray(new BigFraction[0][]), cols)) {
                BigFraction[] v = ExactForms.zeros(u.length);
                for (int ab = 0; ab < rr; ab++) {
                    if (coef[ab].signum() != 0) {
                        for (int i = 0; i < u.length; i++) {
                            v[i] = v[i].add(coef[ab].multiply(tu[ab][i]));
                        }
                    }
                }
                images.add(v);
            }
            return ExactForms.rowBasis(images, u.length);
        }

        /** t_ab = (W E_ab, −E_ab H) in full coordinates: column b of dW = column a of W, row a of dH = −row b of H. */
        BigFraction[] candidate(int a, int b) {
            BigFraction[] t = ExactForms.zeros(nn);
            for (int i = 0; i < n; i++) {
                t[i * r + b] = xe[i * r + a];
            }
            for (int j = 0; j < m; j++) {
                t[n * r + a * m + j] = xe[n * r + b * m + j].negate();
            }
            return t;
        }
    }

    @Override
    Certificate.Scales reportedScales() {
        return floatTwin == null ? scales() : floatTwin.scales();
    }

    /**
     * The float-mode residual max_i |min(x_i·γ/ξ, g_i − c)|/γ of the exact values, for information. It is
     * scale-free, so it is evaluated at the normalised point (x·2^k, (g − c)·2^{3k}, the twin's γ and ξ), where
     * nothing under- or overflows; null if it is not finite.
     */
    Double residualOf(BigFraction[] xe, BigFraction[] ge, BigFraction c) {
        ExactStage f = floatTwin == null ? this : floatTwin;
        BigFraction sx = Normalisation.pow2(f.k), sg = Normalisation.pow2(3 * f.k);
        double worst = 0;
        for (int i = 0; i < nn; i++) {
            double xt = f.xi > 0 ? xe[i].multiply(sx).doubleValue() * f.gamma / f.xi : 0;
            worst = Math.max(worst, Math.abs(Math.min(xt, ge[i].subtract(c).multiply(sg).doubleValue())) / f.gamma);
        }
        return Double.isFinite(worst) ? worst : null;
    }

    FirstOrder exactFirstOrder(BigFraction[] xe, BigFraction[] ge) {
        boolean simplex = o.isSimplex();
        for (int i = 0; i < nn; i++) {
            if (xe[i].signum() < 0) {
                FirstOrderWitness wit = new FirstOrderWitness("negative-entry", List.of(coordinate(i, ge[i])),
                        x[i], fraction(xe[i]), "entry is negative: the point is not feasible");
                BigFraction total = BigFraction.ZERO;
                for (BigFraction xv : xe) {
                    total = total.add(xv);
                }
                return new FirstOrder(Verdict.FAILS, null, null, null, 0, simplex ? toDouble(total) : null,
                        "a negative entry", wit);
            }
        }
        BigFraction sum = BigFraction.ZERO;
        for (BigFraction xv : xe) {
            sum = sum.add(xv);
        }
        Double sumOut = simplex ? toDouble(sum) : null;
        if (simplex && !sum.equals(o.simplexSum())) {
            BigFraction diff = sum.subtract(o.simplexSum());
            FirstOrderWitness wit = new FirstOrderWitness("sum-constraint", List.of(), toDouble(diff), fraction(diff),
                    "Σx − C = " + fraction(diff) + " ≠ 0");
            return new FirstOrder(Verdict.FAILS, null, null, null, 0, sumOut, "not on the simplex Σx = C", wit);
        }
        BigFraction c = BigFraction.ZERO;
        int i0 = -1;
        if (simplex) {
            for (int i = 0; i < nn && i0 < 0; i++) {
                if (xe[i].signum() > 0) {
                    i0 = i;
                }
            }
            c = ge[i0];   // Σx = C > 0, so there is a support coordinate
        }
        Double mult = simplex ? toDouble(c) : null;
        String multExact = simplex ? fraction(c) : null;
        for (int i = 0; i < nn; i++) {
            BigFraction gc = ge[i].subtract(c);
            if (xe[i].signum() > 0 && gc.signum() != 0) {
                FirstOrderWitness wit = simplex
                        ? new FirstOrderWitness("multiplier-pair", List.of(coordinate(i0, ge[i0]),
                        coordinate(i, ge[i])), toDouble(gc.negate()), fraction(gc.negate()),
                        "both coordinates are positive but their gradients differ, so no c satisfies (3)")
                        : new FirstOrderWitness("support-gradient", List.of(coordinate(i, ge[i])),
                        toDouble(gc), fraction(gc), "x > 0 but ∂F ≠ 0");
                return new FirstOrder(Verdict.FAILS, residualOf(xe, ge, c), mult, multExact, 0, sumOut,
                        "a positive coordinate has ∂F ≠ c", wit);
            }
            if (xe[i].signum() == 0 && gc.signum() < 0) {
                FirstOrderWitness wit = new FirstOrderWitness("active-gradient", List.of(coordinate(i, ge[i])),
                        toDouble(gc), fraction(gc), "x = 0 but ∂F − c < 0: increasing x decreases F");
                return new FirstOrder(Verdict.FAILS, residualOf(xe, ge, c), mult, multExact, 0, sumOut,
                        "a zero coordinate has ∂F < c", wit);
            }
        }
        return new FirstOrder(Verdict.HOLDS, 0.0, mult, multExact, 0, sumOut,
                simplex ? "(3) holds exactly with c = " + multExact : "(1) holds exactly", null);
    }
}
