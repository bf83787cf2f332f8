package io.github.nmforacle.theory;

import io.github.nmforacle.certify.Certificate;
import io.github.nmforacle.certify.Verdict;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.ExactNmf;
import io.github.nmforacle.testkit.StationaryPoints;
import io.github.nmforacle.testkit.StationaryPoints.Case;
import io.github.nmforacle.testkit.StationaryPoints.SimplexCase;
import io.github.nmforacle.theory.Constructions.Direction;
import io.github.nmforacle.theory.ProofLine.Ctx;
import io.github.nmforacle.theory.TheoryProperty.Trial;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.hipparchus.fraction.BigFraction;
import org.hipparchus.linear.FieldMatrix;

/**
 * Every displayed relation of the proofs of Lemma 1 (§3), Lemma 2 (§4, with (11) and the bound on ‖W^kH_k‖),
 * Lemma 3 (§2.2), Lemma 4 (§4) and Theorem 2 (§5) as exact predicates (proofs-notes/proof-lines.md). Square roots
 * and norms are compared through squares (or fourth powers) or rigorous rational upper bounds; never floating
 * point. Constants are the paper's as printed.
 */
public final class ProofLines {
    private ProofLines() {
    }

    /** Builds a proof's context from a seed; deterministic. */
    @FunctionalInterface
    public interface Generator {
        Ctx generate(long seed, int maxDim);
    }

    /** The lines of one proof, in the paper's order. */
    public record Proof(String name, String title, Generator generator, List<ProofLine> lines) {
        /** The line as a {@link TheoryProperty}, so {@link Fuzzer} runs and shrinks it. */
        public TheoryProperty property(ProofLine line) {
            Proof self = this;
            return new TheoryProperty() {
                @Override
                public String name() {
                    return line.id();
                }

                @Override
                public String statement() {
                    return line.printed() + " (" + line.location() + ")";
                }

                @Override
                public Trial trial(long seed) {
                    return trial(seed, TheoryProperties.MAX_DIM);
                }

                @Override
                public Trial trial(long seed, int maxDim) {
                    return evaluate(line, self.generator.generate(seed, Math.max(1, Math.min(maxDim, TheoryProperties.MAX_DIM))));
                }
            };
        }
    }

    /** One line on one case. */
    public static Trial evaluate(ProofLine line, Ctx c) {
        if (c == null) {
            return Trial.discard("the generator found no eligible case", null);
        }
        Boolean ok = line.check().test(c);
        if (ok == null) {
            return Trial.discard("hypothesis not met: " + line.hypothesis(), c.example());
        }
        return ok ? Trial.pass(line.id() + " holds", c.example(), c.c())
                : Trial.fail(line.id() + " is false: " + line.printed(), c.example(), c.c());
    }

    private static final Map<String, Proof> PROOFS = new LinkedHashMap<>();

    static {
        PROOFS.put("lemma1", lemma1());
        PROOFS.put("lemma2", lemma2());
        PROOFS.put("lemma3", lemma3());
        PROOFS.put("lemma4", lemma4());
        PROOFS.put("theorem2", theorem2());
    }

    public static List<Proof> all() {
        return List.copyOf(PROOFS.values());
    }

    /** The proof called {@code name}; IllegalArgumentException listing the names otherwise. */
    public static Proof byName(String name) {
        Proof p = PROOFS.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown proof '" + name + "', expected one of " + PROOFS.keySet() + " or all");
        }
        return p;
    }

    /** The line with this id, in any proof. */
    public static ProofLine line(String id) {
        for (Proof p : PROOFS.values()) {
            for (ProofLine l : p.lines()) {
                if (l.id().equals(id)) {
                    return l;
                }
            }
        }
        throw new IllegalArgumentException("unknown proof line '" + id + "'");
    }

    // ------------------------------------------------------------------ exact helpers

    static BigFraction q(long v) {
        return new BigFraction(v);
    }

    static boolean eq(BigFraction a, BigFraction b) {
        return a.compareTo(b) == 0;
    }

    static boolean le(BigFraction a, BigFraction b) {
        return a.compareTo(b) <= 0;
    }

    static FieldMatrix<BigFraction> residual(Exact x) {
        return x.f.residual(x.w, x.h);
    }

    /** Index of W_ik and H_kj in the dense Hessian (ExactNmf#denseHessian). */
    static int iw(Exact x, int i, int k) {
        return i * x.r + k;
    }

    static int ih(Exact x, int k, int j) {
        return x.n * x.r + k * x.m + j;
    }

    /**
     * The multiplier c of (3) if x is an S-NMF FOSP (W, H ≥ 0; ∂F = c on the support, ≥ c off it), else null. The
     * mass is not checked here (contexts carry C = ΣW + ΣH).
     */
    static BigFraction multiplier(Exact x) {
        FieldMatrix<BigFraction>[] g = x.gradient();
        BigFraction c = null;
        List<BigFraction[]> pairs = new ArrayList<>();
        for (int i = 0; i < x.n; i++) {
            for (int k = 0; k < x.r; k++) {
                pairs.add(new BigFraction[] {x.w.getEntry(i, k), g[0].getEntry(i, k)});
            }
        }
        for (int k = 0; k < x.r; k++) {
            for (int j = 0; j < x.m; j++) {
                pairs.add(new BigFraction[] {x.h.getEntry(k, j), g[1].getEntry(k, j)});
            }
        }
        for (BigFraction[] p : pairs) {
            if (p[0].signum() < 0) {
                return null;
            }
            if (p[0].signum() > 0) {
                if (c == null) {
                    c = p[1];
                } else if (!eq(c, p[1])) {
                    return null;
                }
            }
        }
        if (c == null) {
            return null;
        }
        for (BigFraction[] p : pairs) {
            if (p[0].signum() == 0 && p[1].compareTo(c) < 0) {
                return null;
            }
        }
        return c;
    }

    /** x is an NMF FOSP, (1). */
    static boolean nmfFosp(Exact x) {
        FieldMatrix<BigFraction>[] g = x.gradient();
        for (int i = 0; i < x.n; i++) {
            for (int k = 0; k < x.r; k++) {
                BigFraction v = x.w.getEntry(i, k), d = g[0].getEntry(i, k);
                if (v.signum() < 0 || (v.signum() > 0 ? d.signum() != 0 : d.signum() < 0)) {
                    return false;
                }
            }
        }
        for (int k = 0; k < x.r; k++) {
            for (int j = 0; j < x.m; j++) {
                BigFraction v = x.h.getEntry(k, j), d = g[1].getEntry(k, j);
                if (v.signum() < 0 || (v.signum() > 0 ? d.signum() != 0 : d.signum() < 0)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A rational u ≥ √v (v ≥ 0), within about 1e-40 relative: a rigorous upper bound, checked by squaring. */
    static BigFraction sqrtUpper(BigFraction v) {
        if (v.signum() == 0) {
            return BigFraction.ZERO;
        }
        MathContext mc = new MathContext(60);
        BigDecimal d = new BigDecimal(v.getNumerator()).divide(new BigDecimal(v.getDenominator()), mc).sqrt(mc);
        // relative step (ulp() of an exact root such as 1E+2 would be 100)
        BigDecimal step = d.multiply(BigDecimal.ONE.movePointLeft(45)).add(BigDecimal.ONE.movePointLeft(55));
        for (int t = 0; t < 200; t++) {
            BigDecimal cand = d.add(step);
            BigFraction u = decimal(cand);
            if (u.multiply(u).compareTo(v) >= 0) {
                return u;
            }
            step = step.multiply(BigDecimal.TEN);
        }
        throw new IllegalStateException("no square-root bound for " + v);
    }

    static BigFraction decimal(BigDecimal b) {
        BigInteger un = b.unscaledValue();
        return b.scale() >= 0 ? new BigFraction(un, BigInteger.TEN.pow(b.scale()))
                : new BigFraction(un.multiply(BigInteger.TEN.pow(-b.scale())));
    }

    /** Σ_ij W_ik H_kj, Σ_ij W_ik² H_kj², Σ_ij V_ij W_ik H_kj, Σ_ij W_ik H_kj (WH)_ij. */
    static BigFraction[] rankOneSums(Exact x, int k) {
        FieldMatrix<BigFraction> wh = x.w.multiply(x.h);
        BigFraction s1 = BigFraction.ZERO, s2 = BigFraction.ZERO, sv = BigFraction.ZERO, sp = BigFraction.ZERO;
        for (int i = 0; i < x.n; i++) {
            for (int j = 0; j < x.m; j++) {
                BigFraction p = x.w.getEntry(i, k).multiply(x.h.getEntry(k, j));
                s1 = s1.add(p);
                s2 = s2.add(p.multiply(p));
                sv = sv.add(x.f.data().getEntry(i, j).multiply(p));
                sp = sp.add(p.multiply(wh.getEntry(i, j)));
            }
        }
        return new BigFraction[] {s1, s2, sv, sp};
    }

    /** ⟨(0, −∇_{W^k}F, 0, ∇_{H_k}F, 0), d⟩: Lemma 3's right-hand side applied to d. */
    static BigFraction lemma3Dot(Exact x, int k, Direction d) {
        FieldMatrix<BigFraction>[] g = x.gradient();
        BigFraction s = BigFraction.ZERO;
        for (int i = 0; i < x.n; i++) {
            s = s.subtract(g[0].getEntry(i, k).multiply(d.dw().getEntry(i, k)));
        }
        for (int j = 0; j < x.m; j++) {
            s = s.add(g[1].getEntry(k, j).multiply(d.dh().getEntry(k, j)));
        }
        return s;
    }

    static BigFraction bilinear(Exact x, Direction a, Direction b) {
        Direction hb = Constructions.hessianTimes(x, b);
        return ExactNmf.inner(a.dw(), hb.dw()).add(ExactNmf.inner(a.dh(), hb.dh()));
    }

    static ProofLine line(String id, String printed, String location, String hypothesis, ProofLine.Check check) {
        return new ProofLine(id, printed, location, hypothesis, null, null, check);
    }

    static ProofLine known(String id, String printed, String location, String hypothesis, String erratum,
                           ProofLine.Check check) {
        return new ProofLine(id, printed, location, hypothesis, erratum, null, check);
    }

    static ProofLine corrected(String id, String printed, String location, String hypothesis, String corrects,
                               ProofLine.Check check) {
        return new ProofLine(id, printed, location, hypothesis, null, corrects, check);
    }

    static Ctx ctx(Exact x, BigFraction c, Direction sHat, String kind) {
        return new Ctx(x, c, sHat, TheoryProperties.toCase(x, kind));
    }

    static Ctx ctx(Case cs, BigFraction c, Direction sHat) {
        return new Ctx(Exact.of(cs.v(), cs.w(), cs.h()), c, sHat, cs);
    }

    /** A dyadic matrix with entries in [lo, hi]/4. */
    static DenseMatrix quarters(SplittableRandom rnd, int rows, int cols, int lo, int hi) {
        DenseMatrix a = DenseMatrix.zeros(rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                a.set(i, j, (lo + rnd.nextInt(hi - lo + 1)) / 4.0);
            }
        }
        return a;
    }

    // ------------------------------------------------------------------ Lemma 3 (§2.2)

    static Ctx lemma3Point(long seed, int maxDim) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] s = rnd.nextInt(8) == 0 ? new int[] {1, 1, 1} : TheoryProperties.shape(rnd, maxDim, 3);
        if (maxDim >= 2 && s[2] == 1 && rnd.nextBoolean()) {
            s = new int[] {Math.max(2, s[0]), Math.max(2, s[1]), 2};   // display 2 needs r ≥ 2
        }
        return ctx(StationaryPoints.randomPoint(rnd, s[0], s[1], s[2], rnd.nextInt(50)), null, null);
    }

    /** A predicate over every (i, k) of a point. */
    interface Ik {
        boolean test(Exact x, FieldMatrix<BigFraction> hess, int i, int k);
    }

    static ProofLine.Check everyIk(Ik p) {
        return c -> {
            FieldMatrix<BigFraction> hs = c.x().f.denseHessian(c.x().w, c.x().h);
            for (int i = 0; i < c.x().n; i++) {
                for (int k = 0; k < c.x().r; k++) {
                    if (!p.test(c.x(), hs, i, k)) {
                        return false;
                    }
                }
            }
            return true;
        };
    }

    /** A predicate over every (i, k, k') with k' ≠ k; null (discard) when r = 1. */
    interface Ikk {
        boolean test(Exact x, FieldMatrix<BigFraction> hess, int i, int k, int kp);
    }

    static ProofLine.Check everyIkk(Ikk p) {
        return c -> {
            if (c.x().r < 2) {
                return null;
            }
            FieldMatrix<BigFraction> hs = c.x().f.denseHessian(c.x().w, c.x().h);
            for (int i = 0; i < c.x().n; i++) {
                for (int k = 0; k < c.x().r; k++) {
                    for (int kp = 0; kp < c.x().r; kp++) {
                        if (kp != k && !p.test(c.x(), hs, i, k, kp)) {
                            return false;
                        }
                    }
                }
            }
            return true;
        };
    }

    /** [s̃_kᵀ∇²F]_{W_ik'} computed exactly (the true left-hand side). */
    static BigFraction lhsW(Exact x, int k, int i, int kp) {
        return Constructions.hessianTimes(x, Constructions.scalingDirection(x, k)).dw().getEntry(i, kp);
    }

    /**
     * The first line of both displays: ∂²F/∂²W_ik'·W̃_ik' + f Σ_{ℓ≠k'} ∂²F/∂W_ik'∂W_iℓ·W̃_iℓ + f Σ_j ∂²F/∂W_ik'∂H_k'j·H̃_k'j
     * + f Σ_j Σ_{ℓ≠k'} ∂²F/∂W_ik'∂H_ℓj·H̃_ℓj with s̃ = s̃_k; f = 2 as printed, f = 1 is the row of ∇²F times s̃.
     */
    static BigFraction firstLine(Exact x, FieldMatrix<BigFraction> hs, int k, int i, int kp, int f) {
        Direction s = Constructions.scalingDirection(x, k);
        int p = iw(x, i, kp);
        BigFraction fq = q(f);
        BigFraction t = hs.getEntry(p, p).multiply(s.dw().getEntry(i, kp));
        for (int l = 0; l < x.r; l++) {
            if (l != kp) {
                t = t.add(fq.multiply(hs.getEntry(p, iw(x, i, l))).multiply(s.dw().getEntry(i, l)));
            }
        }
        for (int l = 0; l < x.r; l++) {
            for (int j = 0; j < x.m; j++) {
                t = t.add(fq.multiply(hs.getEntry(p, ih(x, l, j))).multiply(s.dh().getEntry(l, j)));
            }
        }
        return t;
    }

    /** Display 1, second/third line: ∂²F/∂²W_ik·W_ik + f Σ_j ∂²F/∂W_ik∂H_kj·(−H_kj). */
    static BigFraction thirdLine(Exact x, FieldMatrix<BigFraction> hs, int i, int k, int f) {
        int p = iw(x, i, k);
        BigFraction t = hs.getEntry(p, p).multiply(x.w.getEntry(i, k));
        for (int j = 0; j < x.m; j++) {
            t = t.add(q(f).multiply(hs.getEntry(p, ih(x, k, j))).multiply(x.h.getEntry(k, j).negate()));
        }
        return t;
    }

    /** Display 1, fourth line: 2Σ_j W_ik H_kj² + 2Σ_j [V_ij − Σ_ℓ W_iℓ H_ℓj] H_kj − 2Σ_j W_ik H_kj². */
    static BigFraction fourthLine(Exact x, int i, int k) {
        FieldMatrix<BigFraction> res = residual(x);
        BigFraction a = BigFraction.ZERO, b = BigFraction.ZERO;
        for (int j = 0; j < x.m; j++) {
            BigFraction h = x.h.getEntry(k, j);
            a = a.add(x.w.getEntry(i, k).multiply(h).multiply(h));
            b = b.add(res.getEntry(i, j).multiply(h));
        }
        return a.multiply(2).add(b.multiply(2)).subtract(a.multiply(2));
    }

    /** Display 2, second/third line: f ∂²F/∂W_ik'∂W_ik·W_ik + f Σ_j ∂²F/∂W_ik'∂H_kj·(−H_kj). */
    static BigFraction thirdLine2(Exact x, FieldMatrix<BigFraction> hs, int i, int k, int kp, int f) {
        int p = iw(x, i, kp);
        BigFraction t = q(f).multiply(hs.getEntry(p, iw(x, i, k))).multiply(x.w.getEntry(i, k));
        for (int j = 0; j < x.m; j++) {
            t = t.add(q(f).multiply(hs.getEntry(p, ih(x, k, j))).multiply(x.h.getEntry(k, j).negate()));
        }
        return t;
    }

    /** Display 2, fourth line: 2Σ_j H_k'j H_kj W_ik − 2Σ_j W_ik H_k'j H_kj. */
    static BigFraction fourthLine2(Exact x, int i, int k, int kp) {
        BigFraction a = BigFraction.ZERO;
        for (int j = 0; j < x.m; j++) {
            a = a.add(x.h.getEntry(kp, j).multiply(x.h.getEntry(k, j)).multiply(x.w.getEntry(i, k)));
        }
        return a.multiply(2).subtract(a.multiply(2));
    }

    static Proof lemma3() {
        String loc = "§2.2";
        String any = "any (W, H) (entries ≥ 0 generated, with zeros)";
        List<ProofLine> ls = new ArrayList<>();
        ls.add(line("lemma3.(6).W", "∂F/∂W_ik = −2 Σ_j (V_ij − Σ_ℓ W_iℓ H_ℓj) H_kj", loc + " (6)", any, everyIk((x, hs, i, k) -> {
            FieldMatrix<BigFraction> res = residual(x);
            BigFraction s = BigFraction.ZERO;
            for (int j = 0; j < x.m; j++) {
                s = s.add(res.getEntry(i, j).multiply(x.h.getEntry(k, j)));
            }
            return eq(x.gradient()[0].getEntry(i, k), s.multiply(-2));
        })));
        ls.add(line("lemma3.(6).H", "∂F/∂H_kj = −2 Σ_i (V_ij − Σ_ℓ W_iℓ H_ℓj) W_ik", loc + " (6)", any, c -> {
            Exact x = c.x();
            FieldMatrix<BigFraction> res = residual(x);
            for (int k = 0; k < x.r; k++) {
                for (int j = 0; j < x.m; j++) {
                    BigFraction s = BigFraction.ZERO;
                    for (int i = 0; i < x.n; i++) {
                        s = s.add(res.getEntry(i, j).multiply(x.w.getEntry(i, k)));
                    }
                    if (!eq(x.gradient()[1].getEntry(k, j), s.multiply(-2))) {
                        return false;
                    }
                }
            }
            return true;
        }));
        ls.add(line("lemma3.(7).WW", "∂²F/∂²W_ik = 2 Σ_j H_kj²; ∂²F/∂W_ik∂W_iℓ = 2 Σ_j H_ℓj H_kj; 0 for i ≠ i'", loc + " (7)",
                any, everyIk((x, hs, i, k) -> {
                    for (int l = 0; l < x.r; l++) {
                        BigFraction s = BigFraction.ZERO;
                        for (int j = 0; j < x.m; j++) {
                            s = s.add(x.h.getEntry(l, j).multiply(x.h.getEntry(k, j)));
                        }
                        if (!eq(hs.getEntry(iw(x, i, k), iw(x, i, l)), s.multiply(2))) {
                            return false;
                        }
                        for (int i2 = 0; i2 < x.n; i2++) {
                            if (i2 != i && hs.getEntry(iw(x, i, k), iw(x, i2, l)).signum() != 0) {
                                return false;
                            }
                        }
                    }
                    return true;
                })));
        ls.add(line("lemma3.(7).HH", "∂²F/∂²H_kj = 2 Σ_i W_ik²; ∂²F/∂H_kj∂H_ℓj = 2 Σ_i W_iℓ W_ik; 0 for j ≠ j'", loc + " (7)",
                any, c -> {
                    Exact x = c.x();
                    FieldMatrix<BigFraction> hs = x.f.denseHessian(x.w, x.h);
                    for (int k = 0; k < x.r; k++) {
                        for (int l = 0; l < x.r; l++) {
                            BigFraction s = BigFraction.ZERO;
                            for (int i = 0; i < x.n; i++) {
                                s = s.add(x.w.getEntry(i, l).multiply(x.w.getEntry(i, k)));
                            }
                            for (int j = 0; j < x.m; j++) {
                                for (int j2 = 0; j2 < x.m; j2++) {
                                    BigFraction e = hs.getEntry(ih(x, k, j), ih(x, l, j2));
                                    if (j2 == j ? !eq(e, s.multiply(2)) : e.signum() != 0) {
                                        return false;
                                    }
                                }
                            }
                        }
                    }
                    return true;
                }));
        ls.add(line("lemma3.(7).WH", "∂²F/∂W_ik∂H_kj = −2V_ij + 2 Σ_ℓ W_iℓ H_ℓj + 2 W_ik H_kj; ∂²F/∂W_ik∂H_ℓj = 2 W_iℓ H_kj (ℓ ≠ k)",
                loc + " (7)", any, everyIk((x, hs, i, k) -> {
                    FieldMatrix<BigFraction> wh = x.w.multiply(x.h);
                    for (int j = 0; j < x.m; j++) {
                        BigFraction want = x.f.data().getEntry(i, j).multiply(-2).add(wh.getEntry(i, j).multiply(2))
                                .add(x.w.getEntry(i, k).multiply(x.h.getEntry(k, j)).multiply(2));
                        if (!eq(hs.getEntry(iw(x, i, k), ih(x, k, j)), want)) {
                            return false;
                        }
                        for (int l = 0; l < x.r; l++) {
                            if (l != k && !eq(hs.getEntry(iw(x, i, k), ih(x, l, j)), x.w.getEntry(i, l).multiply(x.h.getEntry(k, j)).multiply(2))) {
                                return false;
                            }
                        }
                    }
                    return true;
                })));
        String d1 = loc + ", proof of Lemma 3, first display, line ";
        ls.add(known("lemma3.P1.1", "[s̃ᵀ∇²F]_{W_ik} = ∂²F/∂²W_ik·W̃_ik + 2Σ_{ℓ≠k} ∂²F/∂W_ik∂W_iℓ·W̃_iℓ + 2Σ_j ∂²F/∂W_ik∂H_kj·H̃_kj"
                + " + 2Σ_jΣ_{ℓ≠k} ∂²F/∂W_ik∂H_ℓj·H̃_ℓj", d1 + "1", any, "E3",
                everyIk((x, hs, i, k) -> eq(lhsW(x, k, i, k), firstLine(x, hs, k, i, k, 2)))));
        ls.add(corrected("lemma3.P1.1c", "[s̃ᵀ∇²F]_{W_ik} = ∂²F/∂²W_ik·W̃_ik + Σ_{ℓ≠k} ∂²F/∂W_ik∂W_iℓ·W̃_iℓ + Σ_j ∂²F/∂W_ik∂H_kj·H̃_kj"
                + " + Σ_jΣ_{ℓ≠k} ∂²F/∂W_ik∂H_ℓj·H̃_ℓj (no factor 2: one row of ∇²F times s̃)", d1 + "1", any, "lemma3.P1.1",
                everyIk((x, hs, i, k) -> eq(lhsW(x, k, i, k), firstLine(x, hs, k, i, k, 1)))));
        ls.add(line("lemma3.P1.2", "(line 1) = ∂²F/∂²W_ik·W̃_ik + 2Σ_j ∂²F/∂W_ik∂H_kj·H̃_kj (W̃_iℓ = H̃_ℓj = 0 for ℓ ≠ k)", d1 + "2", any,
                everyIk((x, hs, i, k) -> eq(firstLine(x, hs, k, i, k, 2), thirdLine(x, hs, i, k, 2)))));
        ls.add(line("lemma3.P1.3", "(line 2) = ∂²F/∂²W_ik·W_ik + 2Σ_j ∂²F/∂W_ik∂H_kj·(−H_kj)", d1 + "3", any,
                everyIk((x, hs, i, k) -> {
                    Direction s = Constructions.scalingDirection(x, k);
                    int p = iw(x, i, k);
                    BigFraction l2 = hs.getEntry(p, p).multiply(s.dw().getEntry(i, k));
                    for (int j = 0; j < x.m; j++) {
                        l2 = l2.add(q(2).multiply(hs.getEntry(p, ih(x, k, j))).multiply(s.dh().getEntry(k, j)));
                    }
                    return eq(l2, thirdLine(x, hs, i, k, 2));
                })));
        ls.add(known("lemma3.P1.4", "(line 3) = 2Σ_j W_ik H_kj² + 2Σ_j [V_ij − Σ_ℓ W_iℓ H_ℓj] H_kj − 2Σ_j W_ik H_kj²", d1 + "4", any,
                "E3", everyIk((x, hs, i, k) -> eq(thirdLine(x, hs, i, k, 2), fourthLine(x, i, k)))));
        ls.add(corrected("lemma3.P1.4c", "∂²F/∂²W_ik·W_ik + Σ_j ∂²F/∂W_ik∂H_kj·(−H_kj) = 2Σ_j W_ik H_kj² + 2Σ_j [V_ij − Σ_ℓ W_iℓ H_ℓj] H_kj"
                + " − 2Σ_j W_ik H_kj² (line 3 without the factor 2)", d1 + "4", any, "lemma3.P1.4",
                everyIk((x, hs, i, k) -> eq(thirdLine(x, hs, i, k, 1), fourthLine(x, i, k)))));
        ls.add(line("lemma3.P1.5", "(line 4) = −∂F/∂W_ik", d1 + "5 (by (6))", any,
                everyIk((x, hs, i, k) -> eq(fourthLine(x, i, k), x.gradient()[0].getEntry(i, k).negate()))));
        String d2 = loc + ", proof of Lemma 3, second display (k' ≠ k), line ";
        String two = "any (W, H) with r ≥ 2";
        ls.add(line("lemma3.P2.1", "[s̃ᵀ∇²F]_{W_ik'} = ∂²F/∂²W_ik'·W̃_ik' + 2Σ_{ℓ≠k'} ∂²F/∂W_ik'∂W_iℓ·W̃_iℓ + 2Σ_j ∂²F/∂W_ik'∂H_k'j·H̃_k'j"
                + " + 2Σ_jΣ_{ℓ≠k'} ∂²F/∂W_ik'∂H_ℓj·H̃_ℓj", d2 + "1", two,
                everyIkk((x, hs, i, k, kp) -> eq(lhsW(x, k, i, kp), firstLine(x, hs, k, i, kp, 2)))));
        ls.add(line("lemma3.P2.2", "(line 1) = 2 ∂²F/∂W_ik'∂W_ik·W̃_ik + 2Σ_j ∂²F/∂W_ik'∂H_kj·H̃_kj", d2 + "2", two,
                everyIkk((x, hs, i, k, kp) -> eq(firstLine(x, hs, k, i, kp, 2), thirdLine2(x, hs, i, k, kp, 2)))));
        ls.add(line("lemma3.P2.3", "(line 2) = 2 ∂²F/∂W_ik'∂W_ik·W_ik + 2Σ_j ∂²F/∂W_ik'∂H_kj·(−H_kj)", d2 + "3", two,
                everyIkk((x, hs, i, k, kp) -> {
                    Direction s = Constructions.scalingDirection(x, k);
                    int p = iw(x, i, kp);
                    BigFraction l2 = q(2).multiply(hs.getEntry(p, iw(x, i, k))).multiply(s.dw().getEntry(i, k));
                    for (int j = 0; j < x.m; j++) {
                        l2 = l2.add(q(2).multiply(hs.getEntry(p, ih(x, k, j))).multiply(s.dh().getEntry(k, j)));
                    }
                    return eq(l2, thirdLine2(x, hs, i, k, kp, 2));
                })));
        ls.add(line("lemma3.P2.4", "(line 3) = 2Σ_j H_k'j H_kj W_ik − 2Σ_j W_ik H_k'j H_kj", d2 + "4", two,
                everyIkk((x, hs, i, k, kp) -> eq(thirdLine2(x, hs, i, k, kp, 2), fourthLine2(x, i, k, kp)))));
        ls.add(line("lemma3.P2.5", "(line 4) = 0", d2 + "4", two,
                everyIkk((x, hs, i, k, kp) -> fourthLine2(x, i, k, kp).signum() == 0)));
        ls.add(line("lemma3.stmt", "(vec(W̃)ᵀ, vec(H̃)ᵀ)·∇²F(W, H) = (0ᵀ, −∇_{W^k}F, 0ᵀ, ∇_{H_k}F, 0ᵀ)", loc + ", Lemma 3 (and the"
                + " two bullets of its proof)", any, c -> {
                    for (int k = 0; k < c.x().r; k++) {
                        Direction got = Constructions.hessianTimes(c.x(), Constructions.scalingDirection(c.x(), k));
                        Direction want = Constructions.lemma3Prediction(c.x(), k);
                        if (!got.dw().equals(want.dw()) || !got.dh().equals(want.dh())) {
                            return false;
                        }
                    }
                    return true;
                }));
        return new Proof("lemma3", "Lemma 3 (§2.2)", ProofLines::lemma3Point, List.copyOf(ls));
    }

    // ------------------------------------------------------------------ Lemma 1 (§3)

    /** An NMF FOSP (exact factorization or block saddle; the origin 1 in 10), with Lemma 1's C (null if WH = 0). */
    static Ctx lemma1Point(long seed, int maxDim) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] s = TheoryProperties.shape(rnd, maxDim, 3);
        int kind = rnd.nextInt(10);
        int half = Math.max(1, maxDim / 2);
        Case cs = kind == 0 ? StationaryPoints.origin(rnd, s[0], s[1], s[2])
                : kind < 6 || maxDim < 2 ? StationaryPoints.exactFactorization(rnd, s[0], s[1], s[2])
                : StationaryPoints.blockSaddle(rnd, 1 + rnd.nextInt(half), 1 + rnd.nextInt(half), 1 + rnd.nextInt(half),
                1 + rnd.nextInt(half), 1 + rnd.nextInt(2));
        Exact x = Exact.of(cs.v(), cs.w(), cs.h());
        Constructions.Lemma1Result res = Constructions.lemma1(x);
        return new Ctx(x, res.defined() ? res.c() : null, null, cs);
    }

    /** Per column k with ‖W^k‖₁, ‖H_k‖₁ ≠ 0: a = ‖W^k‖₁, b = ‖H_k‖₁, and α² = b/a (Ŵ^k = αW^k, Ĥ_k = H_k/α). */
    interface Col {
        boolean test(Exact x, int k, BigFraction a, BigFraction b, BigFraction alpha2);
    }

    static ProofLine.Check nmfFospColumns(Col p) {
        return c -> {
            Exact x = c.x();
            if (!nmfFosp(x) || x.w.multiply(x.h).equals(Exact.zeros(x.n, x.m))) {
                return null;
            }
            for (int k = 0; k < x.r; k++) {
                BigFraction a = x.columnSum(k), b = x.rowSum(k);
                if (a.signum() != 0 && b.signum() != 0 && !p.test(x, k, a, b, b.divide(a))) {
                    return false;
                }
            }
            return true;
        };
    }

    static Proof lemma1() {
        String loc = "§3, proof of Lemma 1";
        String hyp = "NMF FOSP with WH ≠ 0 (E7); per column k with ‖W^k‖₁, ‖H_k‖₁ ≠ 0";
        List<ProofLine> ls = new ArrayList<>();
        ls.add(line("lemma1.wh", "‖W*H*‖_F ≤ ‖V‖_F (Theorem 6 of [16])", loc + ", first sentence", "NMF FOSP", c ->
                !nmfFosp(c.x()) ? null : le(c.x().productNormSquared(), c.x().dataNormSquared())));
        ls.add(line("lemma1.prod", "ŴĤ = Σ_k Ŵ^kĤ_k = Σ_k W*^kH*_k = W*H* (entries squared, with α_k² = ‖H_k‖₁/‖W^k‖₁)", loc
                + ", display 2", hyp, c -> {
                    Exact x = c.x();
                    if (!nmfFosp(x) || x.w.multiply(x.h).equals(Exact.zeros(x.n, x.m))) {
                        return null;
                    }
                    // (Ŵ^kĤ_k)_ij = αW_ik·H_kj/α: its square α²W²·H²/α² must be (W_ikH_kj)², and the signs agree
                    FieldMatrix<BigFraction> sum = Exact.zeros(x.n, x.m);
                    for (int k = 0; k < x.r; k++) {
                        BigFraction a = x.columnSum(k), b = x.rowSum(k);
                        if (a.signum() == 0 || b.signum() == 0) {
                            continue;   // the paper's "the other is also zero": the pair contributes 0
                        }
                        BigFraction a2 = b.divide(a);
                        for (int i = 0; i < x.n; i++) {
                            for (int j = 0; j < x.m; j++) {
                                BigFraction wi = x.w.getEntry(i, k), hj = x.h.getEntry(k, j);
                                BigFraction sq = a2.multiply(wi.multiply(wi)).multiply(hj.multiply(hj)).divide(a2);
                                if (!eq(sq, wi.multiply(hj).pow(2))) {
                                    return false;
                                }
                                sum.setEntry(i, j, sum.getEntry(i, j).add(wi.multiply(hj)));
                            }
                        }
                    }
                    return sum.equals(x.w.multiply(x.h));
                }));
        ls.add(line("lemma1.value", "F(W*, H*) = F(Ŵ, Ĥ) (at the code's rational rebalancing, Constructions.lemma1)", loc
                + ", after display 2", hyp, c -> {
                    if (!nmfFosp(c.x()) || c.c() == null) {
                        return null;
                    }
                    Constructions.Lemma1Result res = Constructions.lemma1(c.x());
                    return eq(res.rebalanced().objective(), c.x().objective()) && eq(res.point().objective(), c.x().objective());
                }));
        String d3 = loc + ", display 3, relation ";
        ls.add(line("lemma1.(d).1", "‖Ŵ^k‖₁ + ‖Ĥ_k‖₁ = 2(‖Ŵ^k‖₁‖Ĥ_k‖₁)^{1/2} (squared: α²a² + 2ab + b²/α² = 4ab)", d3 + "1", hyp,
                nmfFospColumns((x, k, a, b, al2) -> eq(al2.multiply(a).multiply(a).add(a.multiply(b).multiply(2))
                        .add(b.multiply(b).divide(al2)), a.multiply(b).multiply(4)))));
        ls.add(line("lemma1.(d).2", "2(‖Ŵ^k‖₁‖Ĥ_k‖₁)^{1/2} = 2(Σ_ij W*_ik H*_kj)^{1/2}", d3 + "2", hyp,
                nmfFospColumns((x, k, a, b, al2) -> eq(a.multiply(b), rankOneSums(x, k)[0]))));
        ls.add(line("lemma1.(d).3", "2(Σ_ij W*_ik H*_kj)^{1/2} = 2[(Σ_ij W*_ik H*_kj)²]^{1/4} (the sum is ≥ 0)", d3 + "3", hyp,
                nmfFospColumns((x, k, a, b, al2) -> rankOneSums(x, k)[0].signum() >= 0)));
        ls.add(line("lemma1.(d).4", "2[(Σ_ij W*_ik H*_kj)²]^{1/4} ≤ 2[nm Σ_ij W*_ik² H*_kj²]^{1/4}", d3 + "4 (Cauchy–Schwarz)", hyp,
                nmfFospColumns((x, k, a, b, al2) -> {
                    BigFraction[] s = rankOneSums(x, k);
                    return le(s[0].pow(2), s[1].multiply(x.n * x.m));
                })));
        ls.add(line("lemma1.(d).5", "2[nm Σ_ij W*_ik² H*_kj²]^{1/4} ≤ 2(nm)^{1/4}‖W*H*‖_F^{1/2}", d3 + "5", hyp,
                nmfFospColumns((x, k, a, b, al2) -> le(rankOneSums(x, k)[1], x.productNormSquared()))));
        ls.add(line("lemma1.(d).6", "2(nm)^{1/4}‖W*H*‖_F^{1/2} ≤ 2(nm)^{1/4}‖V‖_F^{1/2}", d3 + "6", hyp,
                nmfFospColumns((x, k, a, b, al2) -> le(x.productNormSquared(), x.dataNormSquared()))));
        ls.add(known("lemma1.(d).7", "2(nm)^{1/4}‖V‖_F^{1/2} = C (fourth powers: 16nm‖V‖²_F = C⁴), C > 2r(nm)^{1/4}√‖V‖_F", d3 + "7",
                hyp + "; C > C* (Lemma 1's C)", "E11", c -> {
                    if (!nmfFosp(c.x()) || c.c() == null) {
                        return null;
                    }
                    return eq(c.x().dataNormSquared().multiply(16L * c.x().n * c.x().m), c.c().pow(4));
                }));
        ls.add(corrected("lemma1.(d).7c", "Σ_k (‖Ŵ^k‖₁ + ‖Ĥ_k‖₁) ≤ 2r(nm)^{1/4}‖V‖_F^{1/2} = C* < C (each column ≤ C*/r:"
                + " 16(ab)² ≤ 16nm‖V‖²; and C⁴ > 16r⁴nm‖V‖²)", d3 + "7", hyp + "; C > C*", "lemma1.(d).7", c -> {
                    if (!nmfFosp(c.x()) || c.c() == null) {
                        return null;
                    }
                    Exact x = c.x();
                    for (int k = 0; k < x.r; k++) {
                        BigFraction ab = x.columnSum(k).multiply(x.rowSum(k));
                        if (!le(ab.pow(2), x.dataNormSquared().multiply(x.n * x.m))) {
                            return false;
                        }
                    }
                    return x.aboveThreshold(c.c());
                }));
        ls.add(line("lemma1.(e)", "t(Σ_ik Ŵ_ik) + (1/t)(Σ_kj Ĥ_kj) = C for some t ≥ 1 (\"increase t until\"): ΣŴ > 0 and"
                + " ΣŴ + ΣĤ = Σ_k 2√(a_k b_k) ≤ C (rigorous rational upper bounds of the roots)", loc + ", display 4",
                hyp + "; C > C*", c -> {
                    Exact x = c.x();
                    if (!nmfFosp(x) || c.c() == null) {
                        return null;
                    }
                    BigFraction up = BigFraction.ZERO;
                    boolean any = false;
                    for (int k = 0; k < x.r; k++) {
                        BigFraction ab = x.columnSum(k).multiply(x.rowSum(k));
                        any |= ab.signum() > 0;
                        up = up.add(sqrtUpper(ab).multiply(2));
                    }
                    return any && le(up, c.c());
                }));
        return new Proof("lemma1", "Lemma 1 (§3)", ProofLines::lemma1Point, List.copyOf(ls));
    }

    // ------------------------------------------------------------------ Lemma 4 (§4)

    static Ctx lemma4Point(long seed, int maxDim) {
        SimplexCase sc = TheoryProperties.planted(seed, maxDim);
        return ctx(sc.point(), ExactNmf.exact(sc.c()), null);
    }

    /** Per column k of an S-NMF FOSP with c ≠ 0 (mass = C). */
    interface Kc {
        boolean test(Exact x, int k, BigFraction c);
    }

    static ProofLine.Check snmfColumns(Kc p) {
        return c -> {
            BigFraction mult = c.c() == null || !eq(c.x().mass(), c.c()) ? null : multiplier(c.x());
            if (mult == null || mult.signum() == 0) {
                return null;
            }
            for (int k = 0; k < c.x().r; k++) {
                if (!p.test(c.x(), k, mult)) {
                    return false;
                }
            }
            return true;
        };
    }

    /** Σ_{i: W_ik > 0} W_ik·∂F/∂W_ik (positive = true) or Σ_i over all i. */
    static BigFraction wSide(Exact x, int k, boolean positiveOnly) {
        return side(x.w.getColumnVector(k).toArray(), x.gradient()[0].getColumnVector(k).toArray(), positiveOnly);
    }

    /** Σ_{j: H_kj > 0} H_kj·∂F/∂H_kj or Σ_j over all j. */
    static BigFraction hSide(Exact x, int k, boolean positiveOnly) {
        return side(x.h.getRow(k), x.gradient()[1].getRow(k), positiveOnly);
    }

    static BigFraction side(BigFraction[] v, BigFraction[] g, boolean positiveOnly) {
        BigFraction s = BigFraction.ZERO;
        for (int i = 0; i < v.length; i++) {
            if (!positiveOnly || v[i].signum() > 0) {
                s = s.add(v[i].multiply(g[i]));
            }
        }
        return s;
    }

    /** Σ_i W_ik [−2 Σ_j R_ij H_kj] (the formula (6) written out), resp. Σ_j H_kj [−2 Σ_i R_ij W_ik]. */
    static BigFraction wSideExpanded(Exact x, int k) {
        FieldMatrix<BigFraction> res = residual(x);
        BigFraction s = BigFraction.ZERO;
        for (int i = 0; i < x.n; i++) {
            BigFraction in = BigFraction.ZERO;
            for (int j = 0; j < x.m; j++) {
                in = in.add(res.getEntry(i, j).multiply(x.h.getEntry(k, j)));
            }
            s = s.add(x.w.getEntry(i, k).multiply(in.multiply(-2)));
        }
        return s;
    }

    static BigFraction hSideExpanded(Exact x, int k, boolean positiveOnly) {
        FieldMatrix<BigFraction> res = residual(x);
        BigFraction s = BigFraction.ZERO;
        for (int j = 0; j < x.m; j++) {
            if (positiveOnly && x.h.getEntry(k, j).signum() <= 0) {
                continue;
            }
            BigFraction in = BigFraction.ZERO;
            for (int i = 0; i < x.n; i++) {
                in = in.add(res.getEntry(i, j).multiply(x.w.getEntry(i, k)));
            }
            s = s.add(x.h.getEntry(k, j).multiply(in.multiply(-2)));
        }
        return s;
    }

    static Proof lemma4() {
        String loc = "§4, proof of Lemma 4, line ";
        String hyp = "S-NMF FOSP (3) with c ≠ 0, ΣW + ΣH = C; every k";
        List<ProofLine> ls = new ArrayList<>();
        ls.add(line("lemma4.1", "c Σ_i W_ik = Σ_{i: W_ik > 0} W_ik·c", loc + "1", hyp, snmfColumns((x, k, c) -> {
            BigFraction s = BigFraction.ZERO;
            for (int i = 0; i < x.n; i++) {
                if (x.w.getEntry(i, k).signum() > 0) {
                    s = s.add(x.w.getEntry(i, k).multiply(c));
                }
            }
            return eq(c.multiply(x.columnSum(k)), s);
        })));
        ls.add(line("lemma4.2", "Σ_{i: W_ik > 0} W_ik·c = Σ_{i: W_ik > 0} W_ik·∂F/∂W_ik", loc + "2 (by (3))", hyp,
                snmfColumns((x, k, c) -> eq(c.multiply(x.columnSum(k)), wSide(x, k, true)))));
        ls.add(line("lemma4.3", "Σ_{i: W_ik > 0} W_ik·∂F/∂W_ik = Σ_i W_ik [−2 Σ_j (V_ij − Σ_ℓ W_iℓ H_ℓj) H_kj]", loc + "3", hyp,
                snmfColumns((x, k, c) -> eq(wSide(x, k, true), wSideExpanded(x, k)))));
        ls.add(line("lemma4.4", "Σ_i W_ik [−2 Σ_j R_ij H_kj] = Σ_j H_kj [−2 Σ_i R_ij W_ik]", loc + "4", hyp,
                snmfColumns((x, k, c) -> eq(wSideExpanded(x, k), hSideExpanded(x, k, false)))));
        ls.add(line("lemma4.5", "Σ_j H_kj [−2 Σ_i R_ij W_ik] = Σ_{j: H_kj > 0} H_kj [−2 Σ_i R_ij W_ik]", loc + "5", hyp,
                snmfColumns((x, k, c) -> eq(hSideExpanded(x, k, false), hSideExpanded(x, k, true)))));
        ls.add(line("lemma4.6", "Σ_{j: H_kj > 0} H_kj [−2 Σ_i R_ij W_ik] = c Σ_j H_kj", loc + "6 (by (3))", hyp,
                snmfColumns((x, k, c) -> eq(hSideExpanded(x, k, true), c.multiply(x.rowSum(k))))));
        ls.add(line("lemma4.stmt", "Σ_i W*_ik = Σ_j H*_kj", "§4, Lemma 4", hyp,
                snmfColumns((x, k, c) -> eq(x.columnSum(k), x.rowSum(k)))));
        return new Proof("lemma4", "Lemma 4 (§4)", ProofLines::lemma4Point, List.copyOf(ls));
    }

    // ------------------------------------------------------------------ Lemma 2 (§4)

    /**
     * Half the time a planted-multiplier FOSP (both signs of c), half the time one with c &gt; 0 pushed above the
     * threshold: positive W, H with equal sums s and V = WH − ρ𝟙 with ρ = min(WH) (V has an exact zero) or min(WH)/2.
     */
    static Ctx lemma2Point(long seed, int maxDim) {
        SplittableRandom rnd = new SplittableRandom(seed);
        if (rnd.nextBoolean()) {
            return lemma4Point(rnd.nextLong(), maxDim);
        }
        int[] s = TheoryProperties.shape(rnd, maxDim, 3);
        int n = s[0], m = s[1], r = s[2];
        DenseMatrix w = quarters(rnd, n, r, 3, 5), h = quarters(rnd, r, m, 3, 5);
        double sum = StationaryPoints.balanceSums(w, h, 0);
        DenseMatrix wh = StationaryPoints.product(w, h);
        double min = Double.MAX_VALUE;
        for (double x : wh.data()) {
            min = Math.min(min, x);
        }
        double rho = rnd.nextBoolean() ? min : min / 2;
        double[] v = wh.data().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] -= rho;
        }
        Case cs = new Case("positive-multiplier", new DenseMatrix(n, m, v), w, h);
        return ctx(cs, ExactNmf.exact(2.0 * r * sum), null);
    }

    /** At an S-NMF FOSP with c ≠ 0 (mass C), the heaviest column k; {@code above} also asks C > C*. */
    interface K2 {
        boolean test(Exact x, int k, BigFraction c, BigFraction cc);
    }

    static ProofLine.Check heaviest(boolean above, K2 p) {
        return c -> {
            BigFraction mult = c.c() == null || !eq(c.x().mass(), c.c()) ? null : multiplier(c.x());
            if (mult == null || mult.signum() == 0 || (above && !c.x().aboveThreshold(c.c()))) {
                return null;
            }
            return p.test(c.x(), Constructions.heaviestColumn(c.x()), mult, c.c());
        };
    }

    static BigFraction rankOneFrob(Exact x, int k) {
        return x.rankOneNormSquared(k);
    }

    static Proof lemma2() {
        String loc = "§4, proof of Lemma 2";
        String hyp = "S-NMF FOSP (3) with c ≠ 0, ΣW + ΣH = C; k the heaviest column (the proof's SOSP is never used"
                + " before the contradiction)";
        String hypAbove = hyp + "; C > C* = 2r(nm)^{1/4}√‖V‖_F";
        List<ProofLine> ls = new ArrayList<>();
        ls.add(line("lemma2.(12).1", "‖W*^k‖₁ = ‖H*_k‖₁ (by Lemma 4)", loc + ", (12)", hyp,
                heaviest(false, (x, k, c, cc) -> eq(x.columnSum(k), x.rowSum(k)))));
        ls.add(line("lemma2.(12).2", "‖H*_k‖₁ ≥ C/2r", loc + ", (12)", hyp,
                heaviest(false, (x, k, c, cc) -> x.rowSum(k).multiply(2 * x.r).compareTo(cc) >= 0)));
        ls.add(line("lemma2.(8-9)", "∂F/∂W_ik > c ⇒ W^s_ik = 0 and ∂F/∂H_kj > c ⇒ H^s_kj = 0", loc + ", (8)–(9)", hyp,
                heaviest(false, (x, k, c, cc) -> Constructions.inSubspace(x, c, Constructions.scalingDirection(x, k), false))));
        ls.add(line("lemma2.(13).1", "Σ_ik W^s_ik + Σ_kj H^s_kj = Σ_i W*_ik − Σ_j H*_kj", loc + ", (13)", hyp,
                heaviest(false, (x, k, c, cc) -> eq(Constructions.scalingDirection(x, k).sum(), x.columnSum(k).subtract(x.rowSum(k))))));
        ls.add(line("lemma2.(13).2", "Σ_i W*_ik − Σ_j H*_kj = 0", loc + ", (13) (by Lemma 4)", hyp,
                heaviest(false, (x, k, c, cc) -> x.columnSum(k).subtract(x.rowSum(k)).signum() == 0)));
        String d11 = loc + ", display for (11), relation ";
        ls.add(line("lemma2.(11).1", "sᵀ∇²F s = (vec(W^s)ᵀ, vec(H^s)ᵀ)·(0, −∇_{W^k}F, 0, ∇_{H^k}F, 0) (by Lemma 3)", d11 + "2", hyp,
                heaviest(false, (x, k, c, cc) -> {
                    Direction s = Constructions.scalingDirection(x, k);
                    return eq(x.curvature(s.dw(), s.dh()), lemma3Dot(x, k, s));
                })));
        ls.add(line("lemma2.(11).2", "(…) = Σ_i (−∂F/∂W_ik) W^s_ik + Σ_j ∂F/∂H_kj H^s_kj (printed Σ_{i=1}^n on the second sum: an"
                + " index typo)", d11 + "3", hyp, heaviest(false, (x, k, c, cc) -> {
                    Direction s = Constructions.scalingDirection(x, k);
                    BigFraction t = BigFraction.ZERO;
                    for (int i = 0; i < x.n; i++) {
                        t = t.subtract(x.gradient()[0].getEntry(i, k).multiply(s.dw().getEntry(i, k)));
                    }
                    for (int j = 0; j < x.m; j++) {
                        t = t.add(x.gradient()[1].getEntry(k, j).multiply(s.dh().getEntry(k, j)));
                    }
                    return eq(lemma3Dot(x, k, s), t);
                })));
        ls.add(line("lemma2.(11).3", "(…) = Σ_i (−∂F/∂W_ik) W*_ik + Σ_j ∂F/∂H_kj (−H*_kj)", d11 + "4", hyp,
                heaviest(false, (x, k, c, cc) -> eq(lemma3Dot(x, k, Constructions.scalingDirection(x, k)),
                        wSide(x, k, false).negate().subtract(hSide(x, k, false))))));
        ls.add(known("lemma2.(11).4", "(…) = 2 Σ_ij V_ij W*_ik H*_kj − 2 Σ_ij W*_ik H*_kj Σ_ℓ W*_iℓ H*_ℓj", d11 + "5", hyp, "E12",
                heaviest(false, (x, k, c, cc) -> {
                    BigFraction[] s = rankOneSums(x, k);
                    return eq(wSide(x, k, false).negate().subtract(hSide(x, k, false)), s[2].subtract(s[3]).multiply(2));
                })));
        ls.add(corrected("lemma2.(11).4c", "(…) = 4 Σ_ij V_ij W*_ik H*_kj − 4 Σ_ij W*_ik H*_kj Σ_ℓ W*_iℓ H*_ℓj (each of the two sums"
                + " is 2⟨R, W^kH_k⟩)", d11 + "5", hyp, "lemma2.(11).4", heaviest(false, (x, k, c, cc) -> {
                    BigFraction[] s = rankOneSums(x, k);
                    return eq(wSide(x, k, false).negate().subtract(hSide(x, k, false)), s[2].subtract(s[3]).multiply(4));
                })));
        ls.add(line("lemma2.(11).5", "2 Σ V_ij W*_ik H*_kj − 2 Σ W*_ik H*_kj Σ_ℓ W*_iℓ H*_ℓj ≤ 2 Σ V_ij W*_ik H*_kj − 2 Σ W*_ik² H*_kj²"
                + " (entries ≥ 0)", d11 + "6", hyp, heaviest(false, (x, k, c, cc) -> {
                    BigFraction[] s = rankOneSums(x, k);
                    return le(s[2].subtract(s[3]).multiply(2), s[2].subtract(s[1]).multiply(2));
                })));
        ls.add(line("lemma2.(11).6", "2 Σ V_ij W*_ik H*_kj − 2 Σ W*_ik² H*_kj² ≤ 2‖V‖_F‖W*^kH*_k‖_F − 2‖W*^kH*_k‖²_F (Cauchy–Schwarz)",
                d11 + "7", hyp, heaviest(false, (x, k, c, cc) -> {
                    BigFraction sv = rankOneSums(x, k)[2];
                    // Σ V W H ≤ ‖V‖‖W^kH_k‖: trivially if ≤ 0, else compare squares; Σ W²H² = ‖W^kH_k‖²
                    return (sv.signum() <= 0 || le(sv.pow(2), x.dataNormSquared().multiply(rankOneFrob(x, k))))
                            && eq(rankOneSums(x, k)[1], rankOneFrob(x, k));
                })));
        ls.add(line("lemma2.(11).goal", "‖V‖_F − ‖W*^kH*_k‖_F < 0", loc + ", after (11)", hypAbove,
                heaviest(true, (x, k, c, cc) -> x.dataNormSquared().compareTo(rankOneFrob(x, k)) < 0)));
        String db = loc + ", display for ‖W^kH_k‖_F, relation ";
        ls.add(line("lemma2.B.1", "‖W*^kH*_k‖²_F = Σ_ij W*_ik² H*_kj²", db + "1", hyp,
                heaviest(false, (x, k, c, cc) -> eq(rankOneFrob(x, k), rankOneSums(x, k)[1]))));
        ls.add(line("lemma2.B.2", "Σ_ij W*_ik² H*_kj² ≥ (1/nm)(Σ_ij W*_ik H*_kj)²", db + "2", hyp,
                heaviest(false, (x, k, c, cc) -> rankOneSums(x, k)[1].multiply(x.n * x.m).compareTo(rankOneSums(x, k)[0].pow(2)) >= 0)));
        ls.add(line("lemma2.B.3", "(1/nm)(Σ_ij W*_ik H*_kj)² = (1/nm)(Σ_i W*_ik)²(Σ_j H*_kj)²", db + "3", hyp,
                heaviest(false, (x, k, c, cc) -> eq(rankOneSums(x, k)[0].pow(2), x.columnSum(k).pow(2).multiply(x.rowSum(k).pow(2))))));
        ls.add(line("lemma2.B.4", "(1/nm)(Σ_i W*_ik)²(Σ_j H*_kj)² ≥ (1/16nm)‖W*^k‖₁⁴ (\"by Claim 4\"; true but loose, E8)", db + "4", hyp,
                heaviest(false, (x, k, c, cc) -> x.columnSum(k).pow(2).multiply(x.rowSum(k).pow(2)).multiply(16)
                        .compareTo(x.columnSum(k).pow(4)) >= 0)));
        ls.add(known("lemma2.B.5-step", "the chain with (12) gives the next line: (1/16nm)(C/2r)⁴ ≥ (C²/(4r²√nm))², i.e."
                + " C⁴/(256r⁴nm) ≥ C⁴/(16r⁴nm)", loc + ", \"Combining the above with (12)\"", hypAbove, "E8",
                heaviest(true, (x, k, c, cc) -> cc.divide(2 * x.r).pow(4).divide(16L * x.n * x.m)
                        .compareTo(cc.pow(4).divide(q(16L * x.r * x.r * x.r * x.r * x.n * x.m))) >= 0)));
        ls.add(corrected("lemma2.B.4c", "(1/nm)(Σ_i W*_ik)²(Σ_j H*_kj)² = (1/nm)‖W*^k‖₁⁴ ≥ (1/nm)(C/2r)⁴ = C⁴/(16r⁴nm) (Lemma 4 and"
                + " (12), no 1/16)", db + "4", hyp, "lemma2.B.5-step", heaviest(false, (x, k, c, cc) ->
                eq(x.columnSum(k).pow(2).multiply(x.rowSum(k).pow(2)), x.columnSum(k).pow(4))
                        && x.columnSum(k).pow(4).compareTo(cc.divide(2 * x.r).pow(4)) >= 0)));
        ls.add(line("lemma2.B.5", "‖W*^kH*_k‖_F ≥ C²/(4r²√nm) (squared: 16r⁴nm‖W^kH_k‖² ≥ C⁴)", loc + ", last display", hyp,
                heaviest(false, (x, k, c, cc) -> rankOneFrob(x, k).multiply(16L * x.r * x.r * x.r * x.r * x.n * x.m)
                        .compareTo(cc.pow(4)) >= 0)));
        ls.add(line("lemma2.B.6", "C²/(4r²√nm) > ‖V‖_F (C⁴ > 16r⁴nm‖V‖²_F)", loc + ", last display", hypAbove,
                heaviest(true, (x, k, c, cc) -> cc.pow(4).compareTo(x.dataNormSquared().multiply(16L * x.r * x.r * x.r * x.r * x.n * x.m)) > 0)));
        return new Proof("lemma2", "Lemma 2 (§4)", ProofLines::lemma2Point, List.copyOf(ls));
    }

    // ------------------------------------------------------------------ Theorem 2 (§5)

    /**
     * A Lemma 1 point (an NMF FOSP with mass C &gt; C*, i.e. an S-NMF FOSP with c = 0) and ŝ ∈ L_NMF (ŝ = 0 where
     * ∂F &gt; 0): the certifier's escape direction when the point is an NMF saddle (half the time), else random.
     */
    static Ctx theorem2Point(long seed, int maxDim) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Ctx base = null;
        for (int a = 0; a < 5 && (base == null || base.c() == null); a++) {
            base = lemma1Point(rnd.nextLong(), maxDim);
        }
        if (base == null || base.c() == null) {
            return null;
        }
        Exact x = Constructions.lemma1(base.x()).point();
        Case cs = TheoryProperties.toCase(x, "lemma1");
        Direction sHat = null;
        if (rnd.nextBoolean()) {
            Certificate cert = TheoryProperties.certify(cs, null);
            if (cert.sospPaper().verdict() == Verdict.FAILS && cert.sospPaper().witness() instanceof Certificate.DirectionWitness dw) {
                sHat = TheoryProperties.direction(dw, x.n, x.m, x.r);
            }
        }
        if (sHat == null) {
            FieldMatrix<BigFraction>[] g = x.gradient();
            FieldMatrix<BigFraction> dw = Exact.zeros(x.n, x.r), dh = Exact.zeros(x.r, x.m);
            for (int i = 0; i < x.n; i++) {
                for (int k = 0; k < x.r; k++) {
                    dw.setEntry(i, k, g[0].getEntry(i, k).signum() > 0 ? BigFraction.ZERO : new BigFraction(rnd.nextInt(-4, 5), 4));
                }
            }
            for (int k = 0; k < x.r; k++) {
                for (int j = 0; j < x.m; j++) {
                    dh.setEntry(k, j, g[1].getEntry(k, j).signum() > 0 ? BigFraction.ZERO : new BigFraction(rnd.nextInt(-4, 5), 4));
                }
            }
            sHat = new Direction(dw, dh);
        }
        return new Ctx(x, base.c(), sHat, cs);
    }

    /** Theorem 2's context: c = 0 FOSP of mass C > C*, heaviest k, ŝ ∈ L_NMF; t the paper's (null when Σŝ = 0). */
    interface T2 {
        Boolean test(Exact x, int k, Direction sTilde, Direction sHat, BigFraction t, BigFraction cc);
    }

    static ProofLine.Check t2(boolean needT, T2 p) {
        return c -> {
            Exact x = c.x();
            if (c.c() == null || c.sHat() == null || !eq(x.mass(), c.c()) || !x.aboveThreshold(c.c()) || !nmfFosp(x)) {
                return null;
            }
            if (!Constructions.inSubspace(x, BigFraction.ZERO, c.sHat(), false)) {
                return null;
            }
            int k = Constructions.heaviestColumn(x);
            Direction st = Constructions.scalingDirection(x, k);
            BigFraction sum = c.sHat().sum();
            BigFraction t = sum.signum() == 0 ? null : st.sum().negate().divide(sum);
            if (needT && t == null) {
                return null;
            }
            return p.test(x, k, st, c.sHat(), t, c.c());
        };
    }

    static Proof theorem2() {
        String loc = "§5, proof of Theorem 2";
        String hyp = "S-NMF FOSP with c = 0 (an NMF FOSP of mass C > C*), k the heaviest column, ŝ satisfying (14)–(15)";
        String hypT = hyp + ", Σŝ ≠ 0 (t defined)";
        String hypNeg = hypT + ", ŝᵀ∇²ŝ < 0 (17)";
        List<ProofLine> ls = new ArrayList<>();
        ls.add(line("theorem2.(14-15)", "∂F/∂W_ik > 0 ⇒ W^t_ik = 0 and ∂F/∂H_kj > 0 ⇒ H^t_kj = 0 for all t (W^t = W̃ + tŴ)", loc
                + ", after the family", hyp, t2(false, (x, k, st, sh, t, cc) -> Constructions.inSubspace(x, BigFraction.ZERO, st, false)
                && Constructions.inSubspace(x, BigFraction.ZERO, sh, false))));
        ls.add(line("theorem2.L3", "(vec(W̃)ᵀ, vec(H̃)ᵀ)·∇²F(W*, H*) = (0ᵀ, −∇_{W^k}F, 0ᵀ, ∇_{H^k}F, 0ᵀ)", loc + ", first display", hyp,
                t2(false, (x, k, st, sh, t, cc) -> {
                    Direction got = Constructions.hessianTimes(x, st), want = Constructions.lemma3Prediction(x, k);
                    return got.dw().equals(want.dw()) && got.dh().equals(want.dh());
                })));
        String de = loc + ", expansion of s_tᵀ∇²s_t, ";
        ls.add(line("theorem2.E.1", "s_tᵀ∇²s_t = (s̃ + tŝ)ᵀ∇²(s̃ + tŝ) = s̃ᵀ∇²s̃ + 2t s̃ᵀ∇²ŝ + t² ŝᵀ∇²ŝ (at the paper's t)", de + "line 1",
                hypT, t2(true, (x, k, st, sh, t, cc) -> {
                    Direction s = st.plus(sh, BigFraction.ONE, t);
                    BigFraction rhs = bilinear(x, st, st).add(t.multiply(2).multiply(bilinear(x, st, sh)))
                            .add(t.multiply(t).multiply(bilinear(x, sh, sh)));
                    return eq(x.curvature(s.dw(), s.dh()), rhs);
                })));
        ls.add(line("theorem2.E.2", "s̃ᵀ∇²s̃ = (0, −∇_{W^k}F, 0, ∇_{H^k}F, 0)ᵀ·s̃ (by Lemma 3)", de + "first term", hyp,
                t2(false, (x, k, st, sh, t, cc) -> eq(bilinear(x, st, st), lemma3Dot(x, k, st)))));
        ls.add(line("theorem2.E.3", "(0, −∇_{W^k}F, 0, ∇_{H^k}F, 0)ᵀ·s̃ = 0", de + "first underbrace", hyp,
                t2(false, (x, k, st, sh, t, cc) -> lemma3Dot(x, k, st).signum() == 0)));
        ls.add(line("theorem2.E.4", "2t s̃ᵀ∇²ŝ = 2t (0, −∇_{W^k}F, 0, ∇_{H^k}F, 0)ᵀ·ŝ (by Lemma 3)", de + "second term", hypT,
                t2(true, (x, k, st, sh, t, cc) -> eq(t.multiply(2).multiply(bilinear(x, st, sh)), t.multiply(2).multiply(lemma3Dot(x, k, sh))))));
        ls.add(line("theorem2.E.5", "2t (0, −∇_{W^k}F, 0, ∇_{H^k}F, 0)ᵀ·ŝ = 0", de + "second underbrace", hyp,
                t2(false, (x, k, st, sh, t, cc) -> lemma3Dot(x, k, sh).signum() == 0)));
        ls.add(line("theorem2.E.6", "s_tᵀ∇²s_t = t² ŝᵀ∇²ŝ < 0 (t ≠ 0)", de + "third underbrace and (17)", hypNeg,
                t2(true, (x, k, st, sh, t, cc) -> {
                    BigFraction qh = bilinear(x, sh, sh);
                    if (qh.signum() >= 0) {
                        return null;
                    }
                    Direction s = st.plus(sh, BigFraction.ONE, t);
                    BigFraction qs = x.curvature(s.dw(), s.dh());
                    return eq(qs, t.multiply(t).multiply(qh)) && qs.signum() < 0;
                })));
        String dt = loc + ", the choice of t, ";
        ls.add(line("theorem2.t.1", "−(Σ W̃_ik + Σ H̃_kj)/(Σ Ŵ_ik + Σ Ĥ_kj) = −(Σ_i W*_ik − Σ_j H*_kj)/(Σ Ŵ_ik + Σ Ĥ_kj)", dt + "display",
                hypT, t2(true, (x, k, st, sh, t, cc) -> eq(t, x.columnSum(k).subtract(x.rowSum(k)).negate().divide(sh.sum())))));
        ls.add(line("theorem2.t.2", "Σ W^t_ik + Σ H^t_kj = 0 at this t (16)", dt + "\"the remaining Condition (16) is satisfied\"", hypT,
                t2(true, (x, k, st, sh, t, cc) -> st.plus(sh, BigFraction.ONE, t).sum().signum() == 0)));
        ls.add(line("theorem2.t.3", "t ≠ 0, i.e. Σ_i W*_ik ≠ Σ_j H*_kj", dt + "\"An important detail\"", hypT,
                t2(true, (x, k, st, sh, t, cc) -> t.signum() != 0)));
        ls.add(known("theorem2.t.4", "the reason given: Σ_i W*_ik = Σ_j H*_kj would contradict SOSP \"(recall the proof of Lemma 2)\","
                + " i.e. Lemma 2's direction has s̃ᵀ∇²s̃ < 0", dt + "the reason for t ≠ 0", hyp, "E9",
                t2(false, (x, k, st, sh, t, cc) -> bilinear(x, st, st).signum() < 0)));
        ls.add(corrected("theorem2.t.4c", "the reason (ours): ‖W^kH_k‖²_F ≤ ‖V‖²_F < C⁴/(16r⁴nm), while a balanced heaviest column"
                + " would give ‖W^kH_k‖²_F ≥ C⁴/(16r⁴nm) (lemma2.B.4c)", dt + "the reason for t ≠ 0", hyp, "theorem2.t.4",
                t2(false, (x, k, st, sh, t, cc) -> le(rankOneFrob(x, k), x.dataNormSquared())
                        && x.dataNormSquared().multiply(16L * x.r * x.r * x.r * x.r * x.n * x.m).compareTo(cc.pow(4)) < 0)));
        return new Proof("theorem2", "Theorem 2 (§5)", ProofLines::theorem2Point, List.copyOf(ls));
    }
}
