package io.github.nmforacle.certify;

import static io.github.nmforacle.certify.Certifier.U;
import static io.github.nmforacle.certify.Certifier.decimal;
import static io.github.nmforacle.certify.Certifier.fraction;
import static io.github.nmforacle.certify.Certifier.reshape;
import static io.github.nmforacle.certify.Certifier.toDouble;

import io.github.nmforacle.certify.Certificate.Coordinate;
import io.github.nmforacle.certify.Certificate.DirectionWitness;
import io.github.nmforacle.certify.Certificate.FirstOrder;
import io.github.nmforacle.certify.Certificate.FirstOrderWitness;
import io.github.nmforacle.certify.Certificate.SecondOrder;
import io.github.nmforacle.certify.Certificate.Strict;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.linalg.Kernels;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.hipparchus.fraction.BigFraction;

/**
 * One certification run at one point: the point, its gradient and scales with their rounding bounds, the
 * classification S, A, D, and the conversion of every reported number to the input's units. The stages that decide
 * extend it, one class each (first order, curvature on L and on the cone K, strictness, exact second order), and
 * {@link Certification} runs them in order; see {@link Certifier} and proofs-notes/certifier.md.
 */
abstract class Run {
    /** The reason a stage that reads every entry of V on one machine gives on a distributed V (then named). */
    static final String DISTRIBUTED_SKIP = "V is distributed in row blocks and this stage reads every entry of V on one"
            + " machine, so it was skipped: ";

    /** Coordinate classes at a FOSP: S (support), A (strongly active), D (degenerate). */
    enum Kind { S, A, D }

    final NmfProblem p;
    final DenseMatrix w;
    final DenseMatrix h;
    final CertifyOptions o;
    final Tolerances tol;
    final int n, m, r, nn;
    final double[] x;
    final double[] g;
    final double[] e;      // rounding bound of g, per coordinate
    final double gamma, xi, eta;
    final double cDouble;  // C as double (S-NMF)
    final List<String> notes = new ArrayList<>();
    /** Normalisation exponent: this run works on (2^{2k}V, 2^k W, 2^k H) and reports in the input's units. */
    final int k;
    /** The options as given (C in the input's units). */
    final CertifyOptions userOptions;
    /** γ = 1 and η = 1 are floors (the formulas gave 0), reported as such. */
    final boolean gammaFloor, etaFloor;
    /** Where the scales cannot be trusted (underflow to 0 of a non-zero quantity, or non-finite): why, else null. */
    final String gradientTrouble, hessianTrouble;
    /** Float NMF: a verified lower bound on λ_min(∇²F on L) at the normalised point (Cholesky, Rump 2006), or NaN. */
    double choleskyLowerL = Double.NaN;
    /** Float NMF: a verified lower bound on μ (on L ⊥ span of the strict claim's symmetry hint), normalised, or NaN. */
    double muLower = Double.NaN;

    Run(NmfProblem p, DenseMatrix w, DenseMatrix h, CertifyOptions o) {
        this(p, w, h, o, 0, o);
    }

    Run(NmfProblem p, DenseMatrix w, DenseMatrix h, CertifyOptions o, int k, CertifyOptions userOptions) {
        this.k = k;
        this.userOptions = userOptions;
        this.p = p;
        this.w = w;
        this.h = h;
        this.o = o;
        this.tol = o.tolerances();
        this.n = p.n();
        this.m = p.m();
        this.r = p.rank();
        this.nn = (n + m) * r;
        this.x = new FactorPair(w, h).flatten();
        double[] vht = new double[n * r];
        double[] wtv = new double[r * m];
        p.productsWithData(w.data(), h.data(), vht, wtv);
        double[] wtw = Kernels.crossCols(w.data(), w.data(), n, r, p.parallel());
        double[] hht = Kernels.crossRows(h.data(), h.data(), r, m, p.parallel());
        this.g = p.gradientFromProducts(w.data(), h.data(), vht, wtv, wtw, hht).flatten();
        // |entries| for the error bounds (W, H may hold negative entries: then use absolute values)
        double[] aw = abs(w.data()), ah = abs(h.data());
        double[] avht = new double[n * r], awtv = new double[r * m];
        p.productsWithData(aw, ah, avht, awtv);
        double[] awtw = Kernels.crossCols(aw, aw, n, r, p.parallel());
        double[] ahht = Kernels.crossRows(ah, ah, r, m, p.parallel());
        double[] qw = new double[n * r], qh = new double[r * m];
        Kernels.mulSmallRight(aw, n, r, ahht, qw);
        Kernels.mulSmallLeft(awtw, r, ah, m, qh);
        // Underflow (gradual, or flushed to zero by a native kernel): every product a·b may lose up to MIN_NORMAL
        // (also when a subnormal input is read as 0: then |b|·MIN_NORMAL), an inner product of length l up to
        // l·MIN_NORMAL, and that error is multiplied once more in W·(HHᵀ) and (WᵀW)·H. Absolute terms, per coordinate.
        double[] wRow = new double[n], hCol = new double[m], hRow = new double[r], wCol = new double[r];
        double[] vRow = new double[n], vCol = new double[m];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < r; l++) {
                wRow[i] += aw[i * r + l];
                wCol[l] += aw[i * r + l];
            }
        }
        for (int l = 0; l < r; l++) {
            for (int j = 0; j < m; j++) {
                hCol[j] += ah[l * m + j];
                hRow[l] += ah[l * m + j];
            }
        }
        if (p.distributed()) {
            double[][] ls = p.dataLineSums();
            System.arraycopy(ls[0], 0, vRow, 0, n);
            System.arraycopy(ls[1], 0, vCol, 0, m);
        } else {
            forEachEntry((i, j, x) -> {
                vRow[i] += x;
                vCol[j] += x;
            });
        }
        // Wᵀ·V sums over the rows of V: on a distributed V in block partials, B more roundings (B = 0 on one machine)
        long nb = (long) n + p.blockPartials();
        this.e = new double[nn];
        double gmax = 0;
        for (int i = 0; i < n * r; i++) {
            double s = avht[i] + qw[i];
            gmax = Math.max(gmax, s);
            double under = 4.0 * (m + r + 4) * Double.MIN_NORMAL * (1 + wRow[i / r] + hRow[i % r] + vRow[i / r]);
            e[i] = 4.0 * (m + r + 4) * U * s + under;
        }
        for (int i = 0; i < r * m; i++) {
            double s = awtv[i] + qh[i];
            gmax = Math.max(gmax, s);
            double under = 4.0 * (nb + r + 4) * Double.MIN_NORMAL * (1 + hCol[i % m] + wCol[i / m] + vCol[i % m]);
            e[n * r + i] = 4.0 * (nb + r + 4) * U * s + under;
        }
        this.gammaFloor = gmax == 0;
        this.gamma = gmax > 0 ? 2 * gmax : 1.0;
        double xm = 0;
        for (double xv : x) {
            xm = Math.max(xm, Math.abs(xv));
        }
        this.xi = xm;
        String gt = null;
        if (!Double.isFinite(gamma) || !allFinite(g) || !allFinite(e)) {
            gt = "non-finite intermediate: the gradient or its scale γ overflowed (NaN or ∞) in double arithmetic";
        } else if (gammaFloor && !gradientTermsVanish(aw, ah)) {
            // the computed scale is 0 but the exact one is not: every product underflowed, and a relative test
            // against the floor γ = 1 would compare nothing with nothing
            gt = "underflow: the products with V and the Gram terms are non-zero but all underflow to 0 in double"
                    + " arithmetic, so the gradient scale γ is unknown";
        }
        this.gradientTrouble = gt;
        double fro = Math.sqrt(Math.max(p.objective(w, h), 0));
        double wn = w.frobeniusNorm(), hn = h.frobeniusNorm();
        double et = 2 * (wn * wn + hn * hn) + 4 * fro;
        this.etaFloor = et == 0;
        this.eta = et > 0 ? et : 1.0;
        String ht = null;
        if (!Double.isFinite(et)) {
            ht = "non-finite intermediate: the Hessian scale η = 2(‖W‖² + ‖H‖²) + 4‖R‖ overflowed (∞ or NaN)";
        } else if (etaFloor && !(allZero(w.data()) && allZero(h.data()) && dataAllZero())) {
            ht = "underflow: the Hessian scale η underflows to 0 although W, H or R is non-zero";
        }
        this.hessianTrouble = ht;
        this.cDouble = o.isSimplex() ? o.simplexSum().doubleValue() : Double.NaN;
    }

    static boolean allFinite(double[] a) {
        for (double v : a) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    static boolean allZero(double[] a) {
        for (double v : a) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether V·Hᵀ, W·HHᵀ, WᵀV and WᵀW·H are exactly 0 (every term has a zero factor), decided on the zero
     * pattern, so without rounding: then ∇F = 0 exactly. Cost O(nmr + (n + m)r²); used only when γ computes to 0.
     */
    boolean gradientTermsVanish(double[] aw, double[] ah) {
        boolean[] hRowNz = new boolean[r], wColNz = new boolean[r];
        for (int l = 0; l < r; l++) {
            for (int j = 0; j < m; j++) {
                hRowNz[l] |= ah[l * m + j] != 0;
            }
            for (int i = 0; i < n; i++) {
                wColNz[l] |= aw[i * r + l] != 0;
            }
        }
        boolean[] term = {false};
        if (p.distributed()) {
            int rr = r, mm = m;
            term[0] = p.backend().sum((blk, first) -> {
                double[] d = blk.data();
                for (int q = 0; q < d.length; q++) {
                    int i = first + q / mm, j = q % mm;
                    for (int l = 0; l < rr && d[q] != 0; l++) {
                        if (ah[l * mm + j] != 0 || aw[i * rr + l] != 0) {
                            return new double[] {1};
                        }
                    }
                }
                return new double[] {0};
            }, 1)[0] != 0;
        } else {
            forEachEntry((i, j, x) -> {
                for (int l = 0; l < r && x != 0; l++) {
                    term[0] |= ah[l * m + j] != 0 || aw[i * r + l] != 0;   // a term V_ij·H_lj of V·Hᵀ or W_il·V_ij of WᵀV
                }
            });
        }
        if (term[0]) {
            return false;
        }
        for (int l = 0; l < r; l++) {
            // (HHᵀ)_ll ≠ 0 iff row l of H is non-zero; W·HHᵀ has the term W_il (HHᵀ)_ll, WᵀW·H has (WᵀW)_ll H_lj
            if (hRowNz[l] && wColNz[l]) {
                return false;
            }
        }
        // off-diagonal Gram terms: (HHᵀ)_lk ≠ 0 needs rows l, k of H to overlap; W_il (HHᵀ)_lk then has
        // W column l and H row l non-zero, excluded above; (WᵀW)_kl H_lj likewise needs W column l and H row l
        return true;
    }

    /** The entries of V in row-major order: every entry of a dense V, the stored ones of a sparse V (in O(nnz)). */
    void forEachEntry(io.github.nmforacle.linalg.CsrMatrix.EntryVisitor visitor) {
        if (p.sparseData() != null) {
            p.sparseData().forEach(visitor);
            return;
        }
        double[] vd = p.data().data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                visitor.visit(i, j, vd[i * m + j]);
            }
        }
    }

    /** V = 0 (every entry, not its rounded norm). */
    boolean dataAllZero() {
        if (p.distributed()) {
            return p.dataSum() == 0;   // a rounded sum of non-negative doubles is 0 only if every term is
        }
        return allZero(p.sparseData() != null ? p.sparseData().values() : p.data().data());
    }

    static double[] abs(double[] a) {
        double[] b = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Math.abs(a[i]);
        }
        return b;
    }

    double scaledX(int i) {
        return xi > 0 ? x[i] * gamma / xi : 0;
    }

    /** Exact mode: the gradient's double is the exact value rounded (not the float computation's). */
    Coordinate coordinate(int i, BigFraction gradientExact) {
        Coordinate c = coordinate(i, fraction(gradientExact));
        return new Coordinate(c.factor(), c.row(), c.col(), c.x(), toDouble(gradientExact), c.gradientExact());
    }

    Coordinate coordinate(int i, String gradientExact) {
        String factor;
        int row, col;
        if (i < n * r) {
            factor = "W";
            row = i / r;
            col = i % r;
        } else {
            factor = "H";
            row = (i - n * r) / m;
            col = (i - n * r) % m;
        }
        return new Coordinate(factor, row, col, decimal(x[i]), g[i], gradientExact);
    }

    /** The scales in the input's units (γ ∝ 2^{3k}, ξ ∝ 2^k, η ∝ 2^{2k}); the floors 1 stay 1. */
    /** The scales the certificate reports (exact mode overrides: those of its float run at the normalised point). */
    Certificate.Scales reportedScales() {
        return scales();
    }

    Certificate.Scales scales() {
        return new Certificate.Scales(gammaFloor ? 1.0 : Math.scalb(gamma, -3 * k), Math.scalb(xi, -k),
                etaFloor ? 1.0 : Math.scalb(eta, -2 * k));
    }

    /** Builds the certificate, converting every dimensional number from the normalised units to the input's. */
    Certificate build(FirstOrder fo, SecondOrder paper, SecondOrder cone, Strict strict, Certificate.Counts counts,
                      double objective) {
        BigFraction userC = userOptions.simplexSum();
        return new Certificate(Certificate.TOOL, o.isSimplex() ? "S-NMF" : "NMF",
                o.isSimplex() ? (k == 0 ? cDouble : toDouble(userC)) : null, o.isSimplex() ? fraction(userC) : null,
                o.mode().json(), n, m, r, Math.scalb(objective, -4 * k), toUser(fo), toUser(paper), toUser(cone),
                toUser(strict), Certificate.TolerancesJson.of(tol), counts,
                // exact mode: the scales of the float run at the normalised point (at this one they may underflow)
                reportedScales(), List.copyOf(notes), null, null);
    }

    Double userUnits(Double v, int e) {
        return v == null ? null : Math.scalb(v, e);
    }

    static String scaleDecimal(String s, int e) {
        if (s == null) {
            return null;
        }
        BigDecimal b = new BigDecimal(s);
        return b.signum() == 0 ? "0" : b.multiply(Normalisation.pow2Decimal(e)).toString();
    }

    FirstOrder toUser(FirstOrder f) {
        if (k == 0) {
            return f;
        }
        return new FirstOrder(f.verdict(), f.residual(), userUnits(f.multiplier(), -3 * k),
                scaleDecimal(f.multiplierExact(), -3 * k), f.noise(), userUnits(f.sum(), -k), f.reason(),
                toUser(f.witness()));
    }

    FirstOrderWitness toUser(FirstOrderWitness w) {
        if (k == 0 || w == null) {
            return w;
        }
        List<Coordinate> cs = new ArrayList<>();
        for (Coordinate c : w.coordinates()) {
            cs.add(new Coordinate(c.factor(), c.row(), c.col(), scaleDecimal(c.x(), -k), Math.scalb(c.gradient(), -3 * k),
                    c.gradientExact()));
        }
        boolean entry = w.kind().equals("negative-entry");   // the other values are relative (scale-free)
        return new FirstOrderWitness(w.kind(), cs, entry ? Math.scalb(w.value(), -k) : w.value(),
                entry ? scaleDecimal(w.valueExact(), -k) : w.valueExact(), w.explanation());
    }

    DirectionWitness toUser(DirectionWitness d) {
        if (k == 0 || d == null) {
            return d;
        }
        // the same direction vector: q(d) at the input is 2^{-2k}·q(d) at the normalised point
        return new DirectionWitness(d.set(), Math.scalb(d.curvature(), -2 * k), d.curvatureExact(), d.dW(), d.dH());
    }

    SecondOrder toUser(SecondOrder s) {
        if (k == 0) {
            return s;
        }
        Object wit = s.witness() instanceof DirectionWitness dw ? toUser(dw)
                : s.witness() instanceof FirstOrderWitness fw ? toUser(fw) : s.witness();
        return new SecondOrder(s.verdict(), userUnits(s.lambdaMin(), -2 * k), s.method(), userUnits(s.noise(), -2 * k),
                s.reason(), wit);
    }

    Strict toUser(Strict s) {
        if (k == 0) {
            return s;
        }
        return new Strict(s.verdict(), userUnits(s.mu(), -2 * k), s.method(), userUnits(s.noise(), -2 * k), s.reason(),
                toUser(s.witness()), s.symmetry());
    }

    static SecondOrder inherit(FirstOrder fo) {
        String why = fo.verdict() == Verdict.FAILS ? "not a first-order stationary point (see fosp)"
                : "first order undecided: " + fo.reason();
        return new SecondOrder(fo.verdict(), null, "first-order", null, why,
                fo.verdict() == Verdict.FAILS ? fo.witness() : null);
    }

    static Strict inheritStrict(FirstOrder fo) {
        String why = fo.verdict() == Verdict.FAILS ? "not a first-order stationary point (see fosp)"
                : "first order undecided: " + fo.reason();
        return new Strict(fo.verdict() == Verdict.FAILS ? Verdict.FAILS : Verdict.UNDECIDED, null, "first-order",
                null, why, null);
    }

    int[] coordinatesNot(Kind[] kinds, Kind... excluded) {
        List<Integer> out = new ArrayList<>();
        outer:
        for (int i = 0; i < nn; i++) {
            for (Kind k : excluded) {
                if (kinds[i] == k) {
                    continue outer;
                }
            }
            out.add(i);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    String[][] strings(BigDecimal[] a, int off, int rows, int cols) {
        String[] s = new String[rows * cols];
        for (int i = 0; i < s.length; i++) {
            s[i] = a[off + i].signum() == 0 ? "0" : a[off + i].toString();
        }
        return reshape(s, 0, rows, cols);
    }
}
