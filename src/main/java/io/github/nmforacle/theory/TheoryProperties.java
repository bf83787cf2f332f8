package io.github.nmforacle.theory;

import io.github.nmforacle.certify.Certificate;
import io.github.nmforacle.certify.Certifier;
import io.github.nmforacle.certify.CertifyOptions;
import io.github.nmforacle.certify.Mode;
import io.github.nmforacle.certify.Verdict;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.ExactNmf;
import io.github.nmforacle.solve.ConcurrentMwu;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.testkit.StationaryPoints;
import io.github.nmforacle.testkit.StationaryPoints.Case;
import io.github.nmforacle.testkit.StationaryPoints.SimplexCase;
import io.github.nmforacle.theory.Constructions.Direction;
import io.github.nmforacle.theory.TheoryProperty.Trial;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.hipparchus.fraction.BigFraction;
import org.hipparchus.linear.FieldMatrix;

/**
 * The paper's lemmas and theorems as {@link TheoryProperty} predicates (proofs-notes/ has one note per result).
 * Names are what {@code fuzz --property} takes.
 */
public final class TheoryProperties {
    private TheoryProperties() {
    }

    /** Largest generated dimension in a normal trial. */
    static final int MAX_DIM = 4;

    @FunctionalInterface
    interface Body {
        Trial run(long seed, int maxDim);
    }

    private record Simple(String name, String statement, Body body) implements TheoryProperty {
        @Override
        public Trial trial(long seed) {
            return body.run(seed, MAX_DIM);
        }

        @Override
        public Trial trial(long seed, int maxDim) {
            return body.run(seed, Math.max(1, Math.min(maxDim, MAX_DIM)));
        }
    }

    private static final Map<String, TheoryProperty> ALL = new LinkedHashMap<>();

    static {
        add("lemma3", "Lemma 3: at every point, ∇²F·s̃_k = (−∂F/∂W^k, +∂F/∂H_k) exactly", TheoryProperties::lemma3);
        add("lemma4", "Lemma 4: at an S-NMF FOSP with c ≠ 0, ‖W^k‖₁ = ‖H_k‖₁ for every k", TheoryProperties::lemma4);
        add("wh-bound", "Lemma 1 (via [16]): ‖WH‖_F ≤ ‖V‖_F at every NMF FOSP", TheoryProperties::whBound);
        add("lemma1", "Lemma 1 (corrected: WH ≠ 0): from an NMF FOSP, rebalancing and scaling give an S-NMF FOSP"
                + " with C > C* and the same value; each column pair has mass ≤ 2(nm)^{1/4}√‖V‖_F", TheoryProperties::lemma1);
        add("lemma2", "Lemma 2: at an S-NMF FOSP, q(s̃_k) = −c(‖W^k‖₁ + ‖H_k‖₁) for the heaviest k, s̃_k ∈ L;"
                + " if C > C* then c ≥ 0, and c ≠ 0 makes s̃_k an escape direction", TheoryProperties::lemma2);
        add("lemma2-sosp", "Lemma 2: for C > C*, an S-NMF SOSP (exact certificate) has c = 0", TheoryProperties::lemma2Sosp);
        add("theorem2", "Theorem 2: for C > C*, S-NMF(C) SOSP ⇔ NMF SOSP at Lemma 1 points, and the lift of an NMF escape"
                + " direction is an S-NMF escape direction", (seed, d) -> theorem2(seed, d, false));
        add("theorem2-cone", "Theorem 2 on the critical cone K (open question): the same with copositivity on K",
                (seed, d) -> theorem2(seed, d, true));
        add("below-threshold", "Below the threshold the conclusions fail: for V = [v], C < C* = 2√v, (C/2, C/2) is an"
                + " S-NMF SOSP with c < 0 that is not an NMF FOSP", TheoryProperties::belowThreshold);
        add("main-theorem", "Main theorem / Corollary 1 (empirical): mwu-adaptive from a random start never ends at a point"
                + " certified FOSP-but-not-SOSP (a certified saddle)", TheoryProperties::mainTheorem);
    }

    private static void add(String name, String statement, Body body) {
        ALL.put(name, new Simple(name, statement, body));
    }

    /** Every property, in documentation order. */
    public static List<TheoryProperty> all() {
        return List.copyOf(ALL.values());
    }

    /** The property called {@code name}; IllegalArgumentException listing the names otherwise. */
    public static TheoryProperty byName(String name) {
        if (name.equals("sosp:external")) {
            throw new IllegalArgumentException("--property sosp:external needs --solver-command CMD");
        }
        if (name.startsWith("sosp:")) {
            return endsAtSosp(io.github.nmforacle.solve.Solvers.byName(name.substring(5)));
        }
        TheoryProperty p = ALL.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown property '" + name + "', expected one of " + ALL.keySet()
                    + " or sosp:ALGORITHM");
        }
        return p;
    }

    // ------------------------------------------------------------------ generators shared by the properties

    static int[] shape(SplittableRandom rnd, int maxDim, int maxRank) {
        int n = 1 + rnd.nextInt(maxDim), m = 1 + rnd.nextInt(maxDim);
        int r = 1 + rnd.nextInt(Math.min(maxRank, Math.min(n, m)));
        return new int[] {n, m, r};
    }

    /** An exact NMF FOSP: an exact factorization, a block saddle (with zero coordinates) or the origin. */
    static Case nmfFosp(SplittableRandom rnd, int maxDim) {
        int kind = maxDim < 2 ? 2 * rnd.nextInt(2) : rnd.nextInt(3);
        int[] s = shape(rnd, maxDim, 2);
        int half = Math.max(1, maxDim / 2);
        return switch (kind) {
            case 0 -> StationaryPoints.exactFactorization(rnd, s[0], s[1], s[2]);
            case 1 -> StationaryPoints.blockSaddle(rnd, 1 + rnd.nextInt(half), 1 + rnd.nextInt(half), 1 + rnd.nextInt(half),
                    1 + rnd.nextInt(half), 1 + rnd.nextInt(2));
            default -> StationaryPoints.origin(rnd, s[0], s[1], s[2]);
        };
    }

    static Case toCase(Exact x, String kind) {
        return new Case(kind, dense(x.f.data()), dense(x.w), dense(x.h));
    }

    static DenseMatrix dense(FieldMatrix<BigFraction> a) {
        DenseMatrix d = DenseMatrix.zeros(a.getRowDimension(), a.getColumnDimension());
        for (int i = 0; i < a.getRowDimension(); i++) {
            for (int j = 0; j < a.getColumnDimension(); j++) {
                double v = a.getEntry(i, j).doubleValue();
                if (!ExactNmf.exact(v).equals(a.getEntry(i, j))) {
                    throw new IllegalStateException("entry not representable as a double: " + a.getEntry(i, j));
                }
                d.set(i, j, v);
            }
        }
        return d;
    }

    static Certificate certify(Case c, BigFraction simplex) {
        return Certifier.certify(c.v(), c.w(), c.h(),
                simplex == null ? CertifyOptions.nmf(Mode.EXACT) : CertifyOptions.simplex(simplex, Mode.EXACT));
    }

    static Direction direction(Certificate.DirectionWitness w, int n, int m, int r) {
        FieldMatrix<BigFraction> dw = Exact.zeros(n, r), dh = Exact.zeros(r, m);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < r; k++) {
                dw.setEntry(i, k, Certifier.parseFraction(w.dW()[i][k]));
            }
        }
        for (int k = 0; k < r; k++) {
            for (int j = 0; j < m; j++) {
                dh.setEntry(k, j, Certifier.parseFraction(w.dH()[k][j]));
            }
        }
        return new Direction(dw, dh);
    }

    /** A planted-multiplier S-NMF FOSP (c ≠ 0) of random shape. */
    static SimplexCase planted(long seed, int maxDim) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] s = shape(rnd, maxDim, 3);
        return StationaryPoints.plantedMultiplier(rnd, s[0], s[1], s[2], rnd.nextInt(40));
    }

    // ------------------------------------------------------------------ the properties

    static Trial lemma3(long seed, int maxDim) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] s = shape(rnd, maxDim, 3);
        Case c = StationaryPoints.randomPoint(rnd, s[0], s[1], s[2], rnd.nextInt(50));
        Exact x = Exact.of(c.v(), c.w(), c.h());
        for (int k = 0; k < x.r; k++) {
            Direction got = Constructions.hessianTimes(x, Constructions.scalingDirection(x, k));
            Direction want = Constructions.lemma3Prediction(x, k);
            if (!got.dw().equals(want.dw()) || !got.dh().equals(want.dh())) {
                return Trial.fail("∇²F·s̃_" + (k + 1) + " differs from (−∂F/∂W^k, ∂F/∂H_k)", c, null);
            }
        }
        return Trial.pass("identity holds for every k", c, null);
    }

    static Trial lemma4(long seed, int maxDim) {
        SimplexCase sc = planted(seed, maxDim);
        BigFraction cc = ExactNmf.exact(sc.c());
        Certificate cert = certify(sc.point(), cc);
        if (cert.fosp().verdict() != Verdict.HOLDS) {
            return Trial.fail("generator produced a non-FOSP: " + cert.fosp().reason(), sc.point(), cc);
        }
        BigFraction mult = Certifier.parseFraction(cert.fosp().multiplierExact());
        if (mult.signum() == 0) {
            return Trial.discard("c = 0: Lemma 4's hypothesis c ≠ 0 fails", sc.point());
        }
        Exact x = Exact.of(sc.point().v(), sc.point().w(), sc.point().h());
        for (BigFraction d : Constructions.lemma4Imbalance(x)) {
            if (d.signum() != 0) {
                return Trial.fail("‖W^k‖₁ − ‖H_k‖₁ = " + d + " ≠ 0 at an S-NMF FOSP with c = " + mult, sc.point(), cc);
            }
        }
        return Trial.pass("balanced columns at c = " + mult, sc.point(), cc);
    }

    static Trial whBound(long seed, int maxDim) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Case c = nmfFosp(rnd, maxDim);
        Certificate cert = certify(c, null);
        if (cert.fosp().verdict() != Verdict.HOLDS) {
            return Trial.fail("generator produced a non-FOSP", c, null);
        }
        Exact x = Exact.of(c.v(), c.w(), c.h());
        if (x.productNormSquared().compareTo(x.dataNormSquared()) > 0) {
            return Trial.fail("‖WH‖² = " + x.productNormSquared() + " > ‖V‖² = " + x.dataNormSquared(), c, null);
        }
        return Trial.pass("‖WH‖ ≤ ‖V‖", c, null);
    }

    static Trial lemma1(long seed, int maxDim) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Case c = nmfFosp(rnd, maxDim);
        Exact x = Exact.of(c.v(), c.w(), c.h());
        if (x.w.multiply(x.h).equals(Exact.zeros(x.n, x.m))) {
            return Trial.discard("WH = 0: outside the corrected Lemma 1 (errata E7)", c);
        }
        // the proof's chain, per column: (‖W^k‖₁ + ‖H_k‖₁ balanced)⁴ = 16 a²b² ≤ 16 nm ‖W^kH_k‖² ≤ 16 nm ‖V‖²
        BigFraction nm16 = new BigFraction(16L * x.n * x.m);
        for (int k = 0; k < x.r; k++) {
            BigFraction a = x.columnSum(k), b = x.rowSum(k);
            BigFraction lhs = a.multiply(b).pow(2).multiply(16);
            if (lhs.compareTo(nm16.multiply(x.rankOneNormSquared(k))) > 0) {
                return Trial.fail("Cauchy–Schwarz step fails for column " + (k + 1), c, null);
            }
            if (lhs.compareTo(nm16.multiply(x.dataNormSquared())) > 0) {
                return Trial.fail("balanced mass of column " + (k + 1) + " exceeds 2(nm)^{1/4}√‖V‖", c, null);
            }
        }
        Constructions.Lemma1Result res = Constructions.lemma1(x);
        if (!res.defined()) {
            return Trial.fail("construction undefined: " + res.reason(), c, null);
        }
        Exact y = res.point();
        Case out = toCase(y, "lemma1");
        if (!y.w.multiply(y.h).equals(x.w.multiply(x.h))) {
            return Trial.fail("the construction changed WH", c, res.c());
        }
        if (!y.mass().equals(res.c()) || !y.aboveThreshold(res.c())) {
            return Trial.fail("mass " + y.mass() + " is not C = " + res.c() + " > C*", out, res.c());
        }
        Certificate cert = certify(out, res.c());
        if (cert.fosp().verdict() != Verdict.HOLDS || Certifier.parseFraction(cert.fosp().multiplierExact()).signum() != 0) {
            return Trial.fail("not an S-NMF FOSP with c = 0: " + cert.fosp().reason(), out, res.c());
        }
        if (!y.objective().equals(x.objective())) {
            return Trial.fail("objective changed", out, res.c());
        }
        return Trial.pass("S-NMF(C = " + res.c() + ") FOSP with the same value", out, res.c());
    }

    static Trial lemma2(long seed, int maxDim) {
        SimplexCase sc = planted(seed, maxDim);
        BigFraction cc = ExactNmf.exact(sc.c());
        Certificate cert = certify(sc.point(), cc);
        if (cert.fosp().verdict() != Verdict.HOLDS) {
            return Trial.fail("generator produced a non-FOSP: " + cert.fosp().reason(), sc.point(), cc);
        }
        BigFraction mult = Certifier.parseFraction(cert.fosp().multiplierExact());
        Exact x = Exact.of(sc.point().v(), sc.point().w(), sc.point().h());
        int k = Constructions.heaviestColumn(x);
        Direction d = Constructions.lemma2Escape(x);
        BigFraction q = x.curvature(d.dw(), d.dh());
        BigFraction want = mult.negate().multiply(x.columnSum(k).add(x.rowSum(k)));
        if (!q.equals(want)) {
            return Trial.fail("q(s̃_k) = " + q + " but −c(‖W^k‖₁ + ‖H_k‖₁) = " + want, sc.point(), cc);
        }
        if (mult.signum() != 0 && (d.sum().signum() != 0 || !Constructions.inSubspace(x, mult, d, true))) {
            return Trial.fail("s̃_k is not in the S-NMF cone (Σ = " + d.sum() + ")", sc.point(), cc);
        }
        boolean above = x.aboveThreshold(cc);
        if (above && mult.signum() < 0) {
            return Trial.fail("C > C* but c = " + mult + " < 0", sc.point(), cc);
        }
        if (above && mult.signum() > 0 && cert.sospPaper().verdict() != Verdict.FAILS) {
            return Trial.fail("C > C*, c > 0, yet the certifier does not refute SOSP", sc.point(), cc);
        }
        return Trial.pass((above ? "above" : "below") + " threshold, c = " + mult + ", q(s̃) = " + q, sc.point(), cc);
    }

    static Trial lemma2Sosp(long seed, int maxDim) {
        SplittableRandom rnd = new SplittableRandom(seed);
        SimplexCase sc;
        if (rnd.nextBoolean()) {
            int[] s = shape(rnd, maxDim, 2);
            sc = StationaryPoints.plantedMultiplier(rnd, s[0], s[1], s[2], rnd.nextInt(40));
        } else {
            Case c = nmfFosp(rnd, maxDim);
            Constructions.Lemma1Result res = Constructions.lemma1(Exact.of(c.v(), c.w(), c.h()));
            if (!res.defined()) {
                return Trial.discard("Lemma 1 undefined (WH = 0)", c);
            }
            sc = new SimplexCase(toCase(res.point(), "lemma1"), res.c().doubleValue());
        }
        BigFraction cc = ExactNmf.exact(sc.c());
        Exact x = Exact.of(sc.point().v(), sc.point().w(), sc.point().h());
        if (!x.aboveThreshold(cc)) {
            return Trial.discard("C ≤ C*", sc.point());
        }
        Certificate cert = certify(sc.point(), cc);
        if (cert.fosp().verdict() != Verdict.HOLDS) {
            return Trial.discard("not an S-NMF FOSP", sc.point());
        }
        if (cert.sospPaper().verdict() == Verdict.HOLDS && Certifier.parseFraction(cert.fosp().multiplierExact()).signum() != 0) {
            return Trial.fail("S-NMF SOSP with c = " + cert.fosp().multiplierExact() + " ≠ 0 above the threshold", sc.point(), cc);
        }
        return Trial.pass("sospPaper " + cert.sospPaper().verdict() + ", c = " + cert.fosp().multiplierExact(), sc.point(), cc);
    }

    static Trial theorem2(long seed, int maxDim, boolean cone) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Case c = nmfFosp(rnd, maxDim);
        Constructions.Lemma1Result res = Constructions.lemma1(Exact.of(c.v(), c.w(), c.h()));
        if (!res.defined()) {
            return Trial.discard("Lemma 1 undefined (WH = 0)", c);
        }
        Exact x = res.point();
        Case lifted = toCase(x, "lemma1");
        Certificate nmf = certify(lifted, null);
        Certificate snmf = certify(lifted, res.c());
        Verdict vn = cone ? nmf.sospCone().verdict() : nmf.sospPaper().verdict();
        Verdict vs = cone ? snmf.sospCone().verdict() : snmf.sospPaper().verdict();
        if (vn == Verdict.UNDECIDED || vs == Verdict.UNDECIDED) {
            return Trial.discard("a verdict is UNDECIDED (|D| budget)", lifted);
        }
        if (vs == Verdict.HOLDS && vn != Verdict.HOLDS) {
            return Trial.fail("S-NMF SOSP but not NMF SOSP above the threshold", lifted, res.c());
        }
        if (vn == Verdict.HOLDS && vs != Verdict.HOLDS) {
            return Trial.fail("NMF SOSP but not S-NMF SOSP (L_S ⊆ L_NMF makes this impossible)", lifted, res.c());
        }
        if (vn == Verdict.FAILS) {
            Object wit = cone ? nmf.sospCone().witness() : nmf.sospPaper().witness();
            Direction sHat = direction((Certificate.DirectionWitness) wit, x.n, x.m, x.r);
            Direction s = Constructions.theorem2Lift(x, sHat);
            if (s == null) {
                return Trial.fail("no column with ‖W^k‖₁ ≠ ‖H_k‖₁ to lift with", lifted, res.c());
            }
            BigFraction q = x.curvature(s.dw(), s.dh());
            if (s.sum().signum() != 0 || !Constructions.inSubspace(x, BigFraction.ZERO, s, cone) || q.signum() >= 0) {
                return Trial.fail("the lifted direction is not an S-NMF escape direction (Σ = " + s.sum() + ", q = " + q + ")",
                        lifted, res.c());
            }
            return Trial.pass("lifted escape direction, q = " + q, lifted, res.c());
        }
        return Trial.pass("both SOSP", lifted, res.c());
    }

    static Trial belowThreshold(long seed, int maxDim) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int v4 = 1 + rnd.nextInt(64);                 // V = [v], v = v4/4
        double v = v4 / 4.0;
        // C/2 = k/8 with C < 2√v, i.e. (C/2)² < v
        int kmax = (int) Math.floor(Math.sqrt(v) * 8 - 1e-9);
        if (kmax < 1) {
            return Trial.discard("v too small for a dyadic C below the threshold", null);
        }
        double half = (1 + rnd.nextInt(kmax)) / 8.0;
        Case c = new Case("scalar", DenseMatrix.of(new double[][] {{v}}), DenseMatrix.of(new double[][] {{half}}),
                DenseMatrix.of(new double[][] {{half}}));
        BigFraction cc = ExactNmf.exact(2 * half);
        Certificate s = certify(c, cc);
        Certificate n = certify(c, null);
        boolean exhibits = s.fosp().verdict() == Verdict.HOLDS && s.sospPaper().verdict() == Verdict.HOLDS
                && Certifier.parseFraction(s.fosp().multiplierExact()).signum() < 0 && n.fosp().verdict() == Verdict.FAILS;
        return exhibits ? Trial.pass("S-NMF(" + cc + ") SOSP with c = " + s.fosp().multiplierExact() + ", not an NMF FOSP", c, cc)
                : Trial.fail("expected an S-NMF SOSP that is not an NMF FOSP below the threshold", c, cc);
    }

    static Trial mainTheorem(long seed, int maxDim) {
        return endsAtSosp(ConcurrentMwu.adaptiveStep(), seed, maxDim);
    }

    /**
     * The main-theorem property for any solver: from a random start it never stays at a certified saddle. Use it to
     * point the fuzzer at a new algorithm: {@code fuzz --property sosp:NAME} for a registered solver, or
     * {@code Fuzzer.run(TheoryProperties.endsAtSosp(mySolver), trials, seed, null)} from Java.
     */
    public static TheoryProperty endsAtSosp(io.github.nmforacle.solve.Solver solver) {
        return new Simple("sosp:" + solver.name(), "Main theorem for " + solver.name()
                + ": from a random start the solver never stays at a certified saddle", (seed, d) -> endsAtSosp(solver, seed, d));
    }

    static Trial endsAtSosp(io.github.nmforacle.solve.Solver solver, long seed, int maxDim) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 1 + rnd.nextInt(maxDim + 2), m = 1 + rnd.nextInt(maxDim + 2), r = 1 + rnd.nextInt(Math.min(3, Math.min(n, m)));
        Case inst = rnd.nextBoolean() ? StationaryPoints.exactFactorization(rnd, n, m, r)
                : StationaryPoints.randomPoint(rnd, n, m, r, 0);
        if (inst.v().frobeniusNorm() == 0) {
            return Trial.discard("V = 0", inst);
        }
        long start = rnd.nextLong();
        String history = "";
        // a finite run can sit near a saddle for a long time before escaping (fixtures/mwu-saddle-plateau): the
        // theorem is about the limit, so a certified saddle sends the run on, up to 300,000 iterations
        for (int budget = 3000; budget <= 300_000; budget *= 10) {
            SolveResult res;
            try {
                res = solver.solve(inst.v(), SolverOptions.rank(r).withMaxIterations(budget)
                        .withObjectiveTolerance(0).withSeed(start).withThreads(1));
            } catch (io.github.nmforacle.solve.ExternalSolver.Failure f) {
                // the program misbehaved on this case: a finding about it, with the case that provoked it
                return Trial.fail(f.getMessage(), inst, null);
            }
            Case out = new Case("mwu-output", inst.v(), res.w(), res.h());
            Certificate cert = Certifier.certify(out.v(), out.w(), out.h(), CertifyOptions.nmf(Mode.FLOAT));
            boolean saddle = cert.fosp().verdict() == Verdict.HOLDS && cert.sospPaper().verdict() == Verdict.FAILS;
            if (!saddle) {
                return Trial.pass(history + "fosp " + cert.fosp().verdict() + ", sospPaper " + cert.sospPaper().verdict()
                        + " after " + budget + " iterations", out, null);
            }
            history += "certified saddle at " + budget + " iterations; ";
            if (budget == 300_000) {
                return Trial.fail(solver.name() + " still at a certified saddle after 300000 iterations: " + cert.sospPaper().reason(), out, null);
            }
        }
        throw new AssertionError("unreachable");
    }
}
