package io.github.nmforacle.certify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.nmforacle.check.Checker;
import io.github.nmforacle.check.Report;
import io.github.nmforacle.io.CertificateJson;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.ExactNmf;
import io.github.nmforacle.problem.NmfProblem;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.solve.Solvers;
import io.github.nmforacle.testkit.Instances;
import io.github.nmforacle.testkit.StationaryPoints;
import io.github.nmforacle.testkit.StationaryPoints.Case;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.hipparchus.fraction.BigFraction;
import org.hipparchus.linear.FieldMatrix;

/**
 * Issue 13: float mode never contradicts exact mode. On random small cases (HomogeneityTest's mix, planted saddles
 * inside L and through degenerate coordinates, some with curvature inside the tolerance band, zero rows and columns,
 * S-NMF FOSPs on and just off the simplex, converged noisy fits, power-of-two rescalings), the same (V, W, H) is
 * certified in both modes and, claim by claim:
 *
 * <ul>
 * <li>a float HOLDS is a claim within tolerance, so it is compared with the exact value at the same threshold, not with
 * 0: fosp HOLDS ⇒ the exact residual max_i |min(x_i·γ/ξ, g_i − c)|/γ (with float's γ, ξ and multiplier c) is ≤ τ and, for
 * S-NMF, |Σx − C| ≤ τ_sum·C exactly; sospPaper / sospCone HOLDS ⇒ ∇²F + τη·I is PSD on float's L / copositive on float's
 * K, exactly (float's classification rebuilt from the exact gradient; {@link ExactStage.ExactSecond} on the shifted
 * form); strictModuloSymmetry HOLDS (μ &gt; τη) ⇒ exact mode on float's L finds no direction of L ⊥ T with curvature ≤ 0
 * (at exact FOSPs). An exact FAILS where float HOLDS is allowed only when it is inside the tolerance in this sense;</li>
 * <li>a float FAILS carries a witness with negative curvature (or a violated coordinate beyond tolerance), an exact
 * statement: fosp FAILS ⇒ exact fosp FAILS; second-order FAILS ⇒ exact mode on float's L / K is not HOLDS, and exact
 * mode's own verdict is not HOLDS;</li>
 * <li>{@link Checker#check} accepts both certificates (unverifiable HOLDS accepted as unverified).</li>
 * </ul>
 */
class FloatNeverContradictsExactTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A point and the problem it is certified for (C null: NMF). */
    record Input(Case c, BigFraction simplexSum) {
        CertifyOptions options(Mode mode) {
            return simplexSum == null ? CertifyOptions.nmf(mode) : CertifyOptions.simplex(simplexSum, mode);
        }

        String describe() {
            return c.kind() + (simplexSum == null ? "" : " on S-NMF(C = " + simplexSum + ")") + ", V = " + c.v() + ", W = "
                    + c.w() + ", H = " + c.h();
        }
    }

    static Input generate(SplittableRandom rnd) {
        int pick = rnd.nextInt(16);
        return switch (pick) {
            case 0, 1, 2 -> new Input(HomogeneityTest.randomCase(rnd), null);
            case 3, 4 -> new Input(plantedSaddle(rnd), null);
            case 5 -> new Input(zeroPair(rnd), null);
            case 6 -> new Input(zeroRowsAndColumns(rnd), null);
            case 7, 8 -> simplex(rnd);
            case 9 -> new Input(fit(rnd), null);
            case 10 -> new Input(tinyEntries(rnd), null);
            case 11 -> new Input(nearFirstOrderThreshold(rnd), null);
            default -> {
                // a rescaled point of any of the NMF kinds: (2^{a+b}V, 2^a W, 2^b H)
                Input base = generate(rnd);
                while (base.simplexSum() != null) {
                    base = generate(rnd);
                }
                int k = rnd.nextInt(-40, 41), d = rnd.nextInt(-12, 13);
                Case s = HomogeneityTest.scaled(base.c(), k + d, k - d);
                yield s == null ? base : new Input(s, null);
            }
        };
    }

    /**
     * Planted saddles inside L at ratios beyond and inside the band τ = 1e-6 (λ_min = −1e-7·η: float HOLDS within
     * tolerance, exact FAILS) and at it (1e-6: σ on its 2⁻³⁰ grid puts λ_min a relative ~1e-5 to either side of −τη,
     * far outside float's rounding band, so float decides and the shifted exact form checks it), or only through degenerate coordinates (ratio 1e-2 or 1e-3: the generator needs
     * ratio ≳ 5e-4/r there).
     */
    static Case plantedSaddle(SplittableRandom rnd) {
        boolean cone = rnd.nextBoolean();
        double[] ratios = cone ? new double[] {1e-2, 1e-3} : new double[] {1e-2, 1e-3, 1e-5, 1e-6, 1e-6, 1e-7};
        int n = 3 + rnd.nextInt(4), m = 3 + rnd.nextInt(3), r = 2 + rnd.nextInt(2);
        double ratio = ratios[rnd.nextInt(ratios.length)];
        long seed = rnd.nextLong();
        try {
            return StationaryPoints.plantedSaddle(n, m, r, cone, ratio, seed).point();
        } catch (IllegalArgumentException tooSmall) {
            // a cone saddle needs the other components' form positive definite at that σ: at these tiny sizes not always
            return StationaryPoints.plantedSaddle(n, m, r, false, ratio, seed).point();
        }
    }

    /** An exact factorization with an extra zero column of W and zero row of H: n + m degenerate coordinates, PSD. */
    static Case zeroPair(SplittableRandom rnd) {
        int r = 1 + rnd.nextInt(2);
        Case c = StationaryPoints.exactFactorization(rnd, r + 1 + rnd.nextInt(2), r + 1 + rnd.nextInt(2), r);
        int n = c.v().rows(), m = c.v().cols();
        DenseMatrix w = DenseMatrix.zeros(n, r + 1), h = DenseMatrix.zeros(r + 1, m);
        int z = rnd.nextInt(r + 1); // the position of the zero component
        for (int k = 0, src = 0; k <= r; k++) {
            if (k == z) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                w.set(i, k, c.w().get(i, src));
            }
            for (int j = 0; j < m; j++) {
                h.set(k, j, c.h().get(src, j));
            }
            src++;
        }
        return new Case("exact factorization with a zero component", c.v(), w, h);
    }

    /**
     * A zero row of W and a zero column of H with the matching row and column of V zero (still an exact factorization;
     * the zero coordinates are degenerate), or, half the time, V's row left non-zero (a saddle or not a FOSP).
     */
    static Case zeroRowsAndColumns(SplittableRandom rnd) {
        Case c = StationaryPoints.exactFactorization(rnd, 3 + rnd.nextInt(2), 3, 1 + rnd.nextInt(2));
        DenseMatrix v = c.v().copy(), w = c.w().copy(), h = c.h().copy();
        int i0 = rnd.nextInt(v.rows()), j0 = rnd.nextInt(v.cols());
        boolean clean = rnd.nextBoolean();
        for (int k = 0; k < w.cols(); k++) {
            w.set(i0, k, 0);
            h.set(k, j0, 0);
        }
        for (int j = 0; j < v.cols() && clean; j++) {
            v.set(i0, j, 0);
        }
        for (int i = 0; i < v.rows() && clean; i++) {
            v.set(i, j0, 0);
        }
        return new Case(clean ? "zero row and column" : "zero row and column of the factors only", v, w, h);
    }

    /** S-NMF: a planted-multiplier FOSP, on its simplex, or with C moved by a relative 2^-40 (inside τ_sum = 1e-9). */
    static Input simplex(SplittableRandom rnd) {
        StationaryPoints.SimplexCase sc = StationaryPoints.plantedMultiplier(rnd, 2 + rnd.nextInt(2), 2 + rnd.nextInt(2),
                1 + rnd.nextInt(2), rnd.nextBoolean() ? 0 : 30);
        BigFraction c = ExactNmf.exact(sc.c());
        return switch (rnd.nextInt(3)) {
            case 0 -> new Input(sc.point(), c);
            case 1 -> new Input(sc.point(), c.multiply(BigFraction.ONE.add(new BigFraction(1, 1L << 40))));
            default -> new Input(sc.point(), c.multiply(new BigFraction(9, 8))); // off the simplex
        };
    }

    /**
     * A factorization V = WH in which some entries of W and H are tiny (2^-e, e in [20, 40]) or 0: exact (an exact FOSP)
     * unless two tiny entries meet in a product (then V = WH rounded, a FOSP within tolerance). Float mode counts the tiny
     * entries as zero (x ≤ δξ) and degenerate (D), exact mode as support (S): float's K is smaller than exact mode's.
     */
    static Case tinyEntries(SplittableRandom rnd) {
        Case c = StationaryPoints.exactFactorization(rnd, 2 + rnd.nextInt(3), 2 + rnd.nextInt(3), 1 + rnd.nextInt(2));
        DenseMatrix w = c.w().copy(), h = c.h().copy();
        for (DenseMatrix a : new DenseMatrix[] {w, h}) {
            double[] d = a.data();
            for (int i = 0; i < d.length; i++) {
                int roll = rnd.nextInt(6);
                if (roll == 0) {
                    d[i] = Math.scalb(1.0, -rnd.nextInt(20, 41));
                } else if (roll == 1) {
                    d[i] = 0;
                }
            }
        }
        int n = w.rows(), r = w.cols(), m = h.cols();
        double[] v = new double[n * m];
        io.github.nmforacle.linalg.Kernels.mulABt(w.data(), n, r, h.transpose().data(), m, v,
                io.github.nmforacle.linalg.Parallel.sequential());
        return new Case("tiny entries", new DenseMatrix(n, m, v), w, h);
    }

    /**
     * An exact factorization with one entry of W moved by 2^-e, e in [14, 26]: the largest first-order residual is then
     * near the tolerance 1e-6, on either side, which tests float's first-order band against the exact residual.
     */
    static Case nearFirstOrderThreshold(SplittableRandom rnd) {
        Case c = StationaryPoints.exactFactorization(rnd, 2 + rnd.nextInt(3), 2 + rnd.nextInt(3), 1 + rnd.nextInt(2));
        DenseMatrix w = c.w().copy();
        int i = rnd.nextInt(w.rows()), k = rnd.nextInt(w.cols());
        w.set(i, k, w.get(i, k) + (rnd.nextBoolean() ? 1 : -1) * Math.scalb(1.0, -rnd.nextInt(14, 27)));
        return new Case("near the first-order threshold", c.v(), w, c.h());
    }

    /** A noisy planted instance after a few ANLS-BPP or MU iterations: a FOSP within tolerance, or not yet one. */
    static Case fit(SplittableRandom rnd) {
        int n = 4 + rnd.nextInt(3), m = 3 + rnd.nextInt(3), r = 1 + rnd.nextInt(2);
        DenseMatrix v = Instances.plantedNoisy(n, m, r, 0.05, rnd.nextLong());
        boolean anls = rnd.nextBoolean();
        var s = Solvers.byName(anls ? "anls-bpp" : "mu").solve(v, SolverOptions.rank(r).withMaxIterations(anls ? 300 : 40)
                .withObjectiveTolerance(0).withThreads(1).withSeed(rnd.nextLong()));
        return new Case(anls ? "anls-bpp fit" : "mu iterate", v, s.w(), s.h());
    }

    @Property(tries = 200)
    void floatNeverContradictsExact(@ForAll long seed) throws Exception {
        Input in = generate(new SplittableRandom(seed));
        Case c = in.c();
        Certificate fl = Certifier.certify(c.v(), c.w(), c.h(), in.options(Mode.FLOAT));
        Certificate ex = Certifier.certify(c.v(), c.w(), c.h(), in.options(Mode.EXACT));
        String what = "seed " + seed + ": " + in.describe() + "\nfloat " + verdicts(fl) + "; exact " + verdicts(ex);
        Oracle o = new Oracle(in, fl, ex);
        Statistics.label("kind").collect(c.kind().replaceAll(" scaled .*", " (rescaled)") + (in.simplexSum() == null ? ""
                : " (S-NMF)"));

        // first order
        if (fl.fosp().verdict() == Verdict.HOLDS) {
            assertThat(o.withinFirstOrderTolerance()).as("float fosp HOLDS beyond its tolerance: " + what + "\n"
                    + o.firstOrderReport()).isTrue();
        }
        if (fl.fosp().verdict() == Verdict.FAILS) {
            assertThat(ex.fosp().verdict()).as("float fosp FAILS where exact does not: " + what).isEqualTo(Verdict.FAILS);
        }
        Statistics.label("fosp float/exact").collect(fl.fosp().verdict() + "/" + ex.fosp().verdict());

        // second order, on float's own classification
        if (fl.fosp().verdict() == Verdict.HOLDS) {
            ExactStage.ExactSecond shifted = o.second(true), plain = o.second(false);
            boolean sameClasses = o.classesAgreeWith(fl.counts());
            Statistics.label("classification rebuilt").collect(sameClasses ? "as float's" : "ambiguous (rounding)");
            if (sameClasses) {
                SecondOrderCheck[] checks = {
                        new SecondOrderCheck("sospPaper", fl.sospPaper(), ex.sospPaper(), shifted::paper, plain::paper),
                        new SecondOrderCheck("sospCone", fl.sospCone(), ex.sospCone(), shifted::cone, plain::cone)};
                for (SecondOrderCheck k : checks) {
                    k.run(what, o.exactFosp() && o.classesAreExact());
                }
                if (fl.strictModuloSymmetry().verdict() == Verdict.HOLDS && o.exactFosp()) {
                    Certificate.Strict es = plain.strict();
                    assertThat(es.verdict()).as("float strict HOLDS (μ > τη), exact finds curvature ≤ 0 on L ⊥ T: "
                            + what + "\n" + es.reason()).isNotEqualTo(Verdict.FAILS);
                }
            }
        }
        if (fl.strictModuloSymmetry().verdict() == Verdict.FAILS) {
            assertThat(ex.strictModuloSymmetry().verdict()).as(what).isNotEqualTo(Verdict.HOLDS);
        }
        for (Certificate cert : new Certificate[] {fl, ex}) {
            Report r = Checker.check(c.v(), c.w(), c.h(), JSON.readTree(CertificateJson.toJson(cert)), true);
            assertThat(r.ok()).as("checker on the " + cert.mode() + " certificate: " + what + "\n" + r).isTrue();
        }
    }

    /** One second-order claim: float's verdict against exact mode, at the threshold −τη for a HOLDS and at 0 for a FAILS. */
    record SecondOrderCheck(String name, Certificate.SecondOrder fl, Certificate.SecondOrder ex,
                            java.util.function.Supplier<Certificate.SecondOrder> shifted,
                            java.util.function.Supplier<Certificate.SecondOrder> plain) {
        void run(String what, boolean sameSetsAsExact) {
            Statistics.label(name + " float/exact").collect(fl.verdict() + "/" + ex.verdict());
            if (fl.verdict() == Verdict.HOLDS) {
                Certificate.SecondOrder s = shifted.get();
                assertThat(s.verdict()).as("float " + name + " HOLDS, but exactly ∇²F + τηI is not PSD/copositive on float's"
                        + " set: " + what + "\n" + s.reason()).isNotEqualTo(Verdict.FAILS);
                if (ex.verdict() == Verdict.FAILS) {
                    Statistics.label("float HOLDS, exact FAILS").collect(name + (sameSetsAsExact
                            ? ": curvature in [−τη, 0)" : ": not an exact FOSP or other classes, within tolerance"));
                }
            }
            if (fl.verdict() == Verdict.FAILS) {
                assertThat(plain.get().verdict()).as("float " + name + " FAILS, but exact mode on float's set HOLDS: " + what)
                        .isNotEqualTo(Verdict.HOLDS);
                if (sameSetsAsExact) {
                    assertThat(ex.verdict()).as("float " + name + " FAILS where exact HOLDS: " + what).isNotEqualTo(Verdict.HOLDS);
                }
            }
        }
    }

    /** Exact quantities at the point, and float's classification and thresholds rebuilt from them. */
    static final class Oracle {
        final Input in;
        final Certificate fl, exact;
        final int n, m, r, nn;
        final ExactNmf ex;
        final FieldMatrix<BigFraction> we, he;
        final BigFraction[] x, g;
        final BigFraction gamma, xi, c;
        final Run.Kind[] kinds, exactKinds;
        final Certification run;

        Oracle(Input in, Certificate fl, Certificate exact) {
            this.in = in;
            this.fl = fl;
            this.exact = exact;
            Case cs = in.c();
            n = cs.v().rows();
            m = cs.v().cols();
            r = cs.rank();
            nn = (n + m) * r;
            ex = ExactNmf.of(cs.v(), r);
            we = ExactNmf.exact(cs.w());
            he = ExactNmf.exact(cs.h());
            FieldMatrix<BigFraction>[] gr = ex.gradient(we, he);
            x = new BigFraction[nn];
            g = new BigFraction[nn];
            for (int i = 0; i < nn; i++) {
                boolean isW = i < n * r;
                int t = isW ? i : i - n * r, cols = isW ? r : m;
                x[i] = (isW ? we : he).getEntry(t / cols, t % cols);
                g[i] = gr[isW ? 0 : 1].getEntry(t / cols, t % cols);
            }
            gamma = ExactNmf.exact(fl.scales().gradient());
            xi = ExactNmf.exact(fl.scales().entry());
            c = fl.fosp().multiplierExact() == null ? BigFraction.ZERO : Certifier.parseFraction(fl.fosp().multiplierExact());
            // float: S when x_i > fl(δξ); A when g_i − c > fl(δγ) (float's g; here the exact one); D otherwise
            double delta = fl.tolerances().degenerate();
            double xThreshold = delta * fl.scales().entry();
            BigFraction gThreshold = ExactNmf.exact(delta * fl.scales().gradient());
            kinds = new Run.Kind[nn];
            exactKinds = new Run.Kind[nn];
            for (int i = 0; i < nn; i++) {
                kinds[i] = x[i].compareTo(ExactNmf.exact(xThreshold)) > 0 ? Run.Kind.S
                        : g[i].subtract(c).compareTo(gThreshold) > 0 ? Run.Kind.A : Run.Kind.D;
            }
            run = new Certification(NmfProblem.of(cs.v(), r), cs.w(), cs.h(), in.options(Mode.EXACT));
            BigFraction ce = exact.fosp().multiplierExact() == null ? BigFraction.ZERO
                    : Certifier.parseFraction(exact.fosp().multiplierExact());
            for (int i = 0; i < nn; i++) {
                exactKinds[i] = x[i].signum() > 0 ? Run.Kind.S : g[i].subtract(ce).signum() > 0 ? Run.Kind.A : Run.Kind.D;
            }
        }

        BigFraction residual(int i) {
            BigFraction scaled = xi.signum() == 0 ? BigFraction.ZERO : x[i].multiply(gamma).divide(xi);
            BigFraction gc = g[i].subtract(c);
            return (scaled.compareTo(gc) < 0 ? scaled : gc).abs().divide(gamma);
        }

        BigFraction sum() {
            BigFraction s = BigFraction.ZERO;
            for (BigFraction v : x) {
                s = s.add(v);
            }
            return s;
        }

        boolean withinFirstOrderTolerance() {
            BigFraction tau = ExactNmf.exact(fl.tolerances().firstOrder());
            for (int i = 0; i < nn; i++) {
                if (x[i].signum() < 0 || residual(i).compareTo(tau) > 0) {
                    return false;
                }
            }
            if (in.simplexSum() == null) {
                return true;
            }
            BigFraction cc = in.simplexSum();
            return sum().subtract(cc).abs().compareTo(cc.multiply(ExactNmf.exact(fl.tolerances().sum()))) <= 0;
        }

        String firstOrderReport() {
            BigFraction worst = BigFraction.ZERO;
            int at = -1;
            for (int i = 0; i < nn; i++) {
                if (residual(i).compareTo(worst) > 0) {
                    worst = residual(i);
                    at = i;
                }
            }
            return "exact residual " + worst.doubleValue() + " at coordinate " + at + (in.simplexSum() == null ? ""
                    : ", Σx − C = " + sum().subtract(in.simplexSum()).doubleValue());
        }

        boolean exactFosp() {
            return exact.fosp().verdict() == Verdict.HOLDS;
        }

        boolean classesAreExact() {
            return java.util.Arrays.equals(kinds, exactKinds);
        }

        boolean classesAgreeWith(Certificate.Counts counts) {
            int[] k = new int[3];
            for (Run.Kind t : kinds) {
                k[t.ordinal()]++;
            }
            return counts != null && counts.support() == k[0] && counts.stronglyActive() == k[1] && counts.degenerate() == k[2];
        }

        /**
         * Exact second order on float's L and K: the form itself, or shifted by τη‖d‖² (with η float's scale): then PSD
         * means λ_min ≥ −τη, the float claim.
         */
        ExactStage.ExactSecond second(boolean shift) {
            int[] u = run.coordinatesNot(kinds, Run.Kind.A);
            ExactStage.ExactSecond es = run.new ExactSecond(ex, we, he, x, kinds, u);
            if (shift) {
                BigFraction t = ExactNmf.exact(fl.tolerances().secondOrder()).multiply(ExactNmf.exact(fl.scales().hessian()));
                // ‖d‖² in the parameters y: Σy² (+ (Σy)² for S-NMF, where d_j0 = −Σy)
                boolean eliminated = es.j0 >= 0;
                for (int a = 0; a < es.reduced.length; a++) {
                    for (int b = 0; b < es.reduced.length; b++) {
                        BigFraction add = (a == b ? t : BigFraction.ZERO).add(eliminated ? t : BigFraction.ZERO);
                        es.reduced[a][b] = es.reduced[a][b].add(add);
                    }
                }
            }
            return es;
        }
    }

    static String verdicts(Certificate c) {
        List<String> out = new ArrayList<>();
        Verdict[] v = HomogeneityTest.verdicts(c);
        for (int i = 0; i < v.length; i++) {
            out.add(HomogeneityTest.CLAIMS[i] + " " + v[i]);
        }
        return String.join(", ", out);
    }
}
