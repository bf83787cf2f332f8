package io.github.nmforacle.certify;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.testkit.Instances;
import io.github.nmforacle.testkit.StationaryPoints;
import io.github.nmforacle.testkit.StationaryPoints.Case;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.hipparchus.fraction.BigFraction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12, item 1: F is homogeneous, so (2^{a+b}V, 2^a W, 2^b H) is (V, W, H) up to scale, with the same verdicts in
 * exact arithmetic. Near the ends of the double range the float certifier used to turn FAILS into HOLDS (products
 * with V underflowing to 0; the eigensolver taking the diagonal for the spectrum below entries of 1e-154; witnesses of
 * rounding noise in the subnormal range) and to crash on valid input. Float mode now certifies the power-of-two
 * normalised point (proofs-notes/certifier.md, "Power-of-two normalisation").
 */
public class HomogeneityTest {
    static final String[] CLAIMS = {"fosp", "sospPaper", "sospCone", "strictModuloSymmetry"};

    static Verdict[] verdicts(Certificate c) {
        return new Verdict[] {c.fosp().verdict(), c.sospPaper().verdict(), c.sospCone().verdict(),
                c.strictModuloSymmetry().verdict()};
    }

    /** 2^e·A entrywise, or null when some entry does not scale exactly (the scaled input would be another point). */
    static DenseMatrix scalb(DenseMatrix a, int e) {
        DenseMatrix b = a.copy();
        double[] d = b.data();
        for (int i = 0; i < d.length; i++) {
            double y = Math.scalb(d[i], e);
            if (!Double.isFinite(y) || Math.scalb(y, -e) != d[i]) {
                return null;
            }
            d[i] = y;
        }
        return b;
    }

    /** (2^{a+b}V, 2^a W, 2^b H), or null when not exactly representable. */
    public static Case scaled(Case c, int a, int b) {
        DenseMatrix v = scalb(c.v(), a + b), w = scalb(c.w(), a), h = scalb(c.h(), b);
        return v == null || w == null || h == null ? null : new Case(c.kind() + " scaled (" + a + ", " + b + ")", v, w, h);
    }

    static Certificate certify(Case c, Mode mode) {
        return Certifier.certify(c.v(), c.w(), c.h(), CertifyOptions.nmf(mode));
    }

    public static Case randomCase(SplittableRandom rnd) {
        return switch (rnd.nextInt(8)) {
            case 0 -> StationaryPoints.exactFactorization(rnd, 2 + rnd.nextInt(2), 2 + rnd.nextInt(2), 1 + rnd.nextInt(2));
            case 1 -> StationaryPoints.blockSaddle(rnd, 1, 1 + rnd.nextInt(2), 1 + rnd.nextInt(2), 1, 2);
            case 2 -> StationaryPoints.origin(rnd, 1 + rnd.nextInt(3), 1 + rnd.nextInt(3), 1);
            case 3 -> new Case("origin of V = [1]", new DenseMatrix(1, 1, new double[] {1}), DenseMatrix.zeros(1, 1),
                    DenseMatrix.zeros(1, 1));
            case 4 -> StationaryPoints.randomPoint(rnd, 3, 3, 2, 20);
            case 5 -> StationaryPoints.perturbedFactorization(rnd, 3, 2 + rnd.nextInt(2), 1 + rnd.nextInt(2));
            case 6 -> {
                Instances.Planted pl = Instances.planted(3, 3, 2, rnd.nextLong());
                yield new Case("planted", pl.v(), pl.w0(), pl.h0());
            }
            default -> {
                // the origin saddle of V = [1] with a tiny perturbation (not a FOSP)
                double t = Math.scalb(1.0, -20 - rnd.nextInt(30));
                yield new Case("perturbed origin", new DenseMatrix(1, 1, new double[] {1}), new DenseMatrix(1, 1, new double[] {t}),
                        new DenseMatrix(1, 1, new double[] {t}));
            }
        };
    }

    /**
     * The float verdict classes at (2^{2k}V, 2^k W, 2^k H), and at asymmetric (2^{a+b}V, 2^a W, 2^b H), equal those at
     * k = 0 or are UNDECIDED; a float HOLDS at any scale never meets an exact FAILS (on the exact dyadic generators);
     * exact mode gives the same verdicts
     * at every scale; nothing throws.
     */
    @Property(tries = 200)
    void verdictsAreInvariantUnderPowerOfTwoScaling(@ForAll long seed, @ForAll @IntRange(min = 1, max = 500) int k0,
                                                    @ForAll boolean negative, @ForAll @IntRange(min = 0, max = 3) int shape) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Case c = randomCase(rnd);
        int k = negative ? -k0 : k0;
        int a = k, b = k;
        if (shape == 3) {
            // asymmetric: a − b up to ±60, a + b = 2k or 2k ± 1
            int d = rnd.nextInt(-60, 61);
            a = k + d;
            b = k - d + rnd.nextInt(-1, 2);
        }
        Case s = scaled(c, a, b);
        Assume.that(s != null);
        Certificate base = certify(c, Mode.FLOAT);
        Certificate fl = certify(s, Mode.FLOAT);
        Certificate exact = certify(c, Mode.EXACT);
        Certificate exactScaled = certify(s, Mode.EXACT);
        for (Certificate c0 : new Certificate[] {fl, exactScaled}) {
            io.github.nmforacle.io.CertificateSchemaTest.requireValid(c0, s.kind());
        }
        Verdict[] vb = verdicts(base), vs = verdicts(fl), ve = verdicts(exact), ves = verdicts(exactScaled);
        for (int i = 0; i < CLAIMS.length; i++) {
            String what = CLAIMS[i] + " of " + s.kind() + " (k = 0: " + vb[i] + ", exact " + ve[i] + ")";
            if (vs[i] != Verdict.UNDECIDED) {
                assertThat(vs[i]).as(what).isEqualTo(vb[i]);
            }
            // planted instances are V = W₀H₀ rounded: near-FOSPs, where "HOLDS within tolerance" is the float claim;
            // every other generator builds exact dyadic points, whose exact status float mode must never contradict
            if (vs[i] == Verdict.HOLDS && !c.kind().equals("planted")) {
                assertThat(ve[i]).as("float HOLDS where exact FAILS: " + what).isNotEqualTo(Verdict.FAILS);
            }
            assertThat(ves[i]).as("exact mode at scale: " + what).isEqualTo(ve[i]);
        }
        if (fl.fosp().verdict() == Verdict.FAILS && ve[0] == Verdict.FAILS) {
            recheckFloatFirstOrder(s, fl.fosp().witness());
        }
        if (fl.sospPaper().witness() instanceof Certificate.DirectionWitness dw) {
            CertifierPropertiesTest.recheckDirection(s, dw, false);
        }
    }

    /**
     * Found by the property above (seed 6525493, k0 = 1, negative, shape 3): at (2^-2 V, 2^19 W, 2^-21 H) of a random
     * non-stationary point with a zero row of H, float fosp said HOLDS: the free column W^0 (H_0 = 0) set ξ, and every
     * entry of H read as "zero" within the relative tolerance. The balanced representative now scales free columns too.
     */
    @Test
    void aFreeColumnDoesNotMakeEveryOtherEntryZero() {
        DenseMatrix v = new DenseMatrix(3, 3, new double[] {0.25, 2.0, 1.5, 0.75, 0.75, 0.75, 0.5, 2.0, 2.0});
        DenseMatrix w = new DenseMatrix(3, 2, new double[] {1.5, 2.0, 0.75, 0.75, 1.75, 0.5});
        DenseMatrix h = new DenseMatrix(2, 3, new double[] {0, 0, 0, 0.75, 1.75, 2.0});
        assertThat(certify(new Case("free column", v, w, h), Mode.EXACT).fosp().verdict()).isEqualTo(Verdict.FAILS);
        Case s = scaled(new Case("free column", v, w, h), 19, -21);
        for (Verdict x : verdicts(certify(s, Mode.FLOAT))) {
            assertThat(x).isNotEqualTo(Verdict.HOLDS);
        }
    }

    /** S-NMF: C scales with the entries, (2^{2k}V, 2^k W, 2^k H) on the simplex 2^k C. */
    @Property(tries = 40)
    void simplexVerdictsAreInvariantUnderPowerOfTwoScaling(@ForAll long seed, @ForAll @IntRange(min = -500, max = 500) int k) {
        SplittableRandom rnd = new SplittableRandom(seed);
        StationaryPoints.SimplexCase sc = StationaryPoints.plantedMultiplier(rnd, 2 + rnd.nextInt(2), 2 + rnd.nextInt(2), 1, 0);
        Case c = sc.point();
        Case s = scaled(c, k, k);
        Assume.that(s != null);
        BigFraction cc = new BigFraction(sc.c());
        Certificate base = Certifier.certify(c.v(), c.w(), c.h(), CertifyOptions.simplex(cc, Mode.FLOAT));
        Certificate fl = Certifier.certify(s.v(), s.w(), s.h(), CertifyOptions.simplex(cc.multiply(Normalisation.pow2(k)), Mode.FLOAT));
        Verdict[] vb = verdicts(base), vs = verdicts(fl);
        for (int i = 0; i < CLAIMS.length; i++) {
            if (vs[i] != Verdict.UNDECIDED) {
                assertThat(vs[i]).as(CLAIMS[i] + " at k = " + k).isEqualTo(vb[i]);
            }
        }
        if (fl.fosp().multiplier() != null && base.fosp().multiplier() != null) {
            assertThat(fl.fosp().multiplier()).isEqualTo(Math.scalb(base.fosp().multiplier(), 3 * k));
        }
    }

    // ------------------------------------------------------------------ mechanism (a): products with V underflow

    /** Before: at k = −400, −450 V·Hᵀ underflowed to 0, γ fell back to 1 and the residual 0.478 was reported as 0 (HOLDS). */
    @ParameterizedTest
    @ValueSource(ints = {-300, -400, -450, -520, -530})
    void productsThatUnderflowDoNotHideANonStationaryPoint(int k) {
        Case c = StationaryPoints.randomPoint(new SplittableRandom(7), 3, 3, 2, 20);
        Case s = scaled(c, k, k);
        Certificate base = certify(c, Mode.FLOAT);
        Certificate fl = certify(s, Mode.FLOAT);
        assertThat(certify(c, Mode.EXACT).fosp().verdict()).isEqualTo(Verdict.FAILS);
        assertThat(base.fosp().verdict()).isEqualTo(Verdict.FAILS);
        assertThat(fl.fosp().verdict()).as(fl.fosp().reason()).isEqualTo(Verdict.FAILS);
        assertThat(fl.fosp().residual()).isEqualTo(base.fosp().residual());
        recheckFloatFirstOrder(s, fl.fosp().witness());
        for (Verdict v : verdicts(fl)) {
            assertThat(v).isNotEqualTo(Verdict.HOLDS);
        }
        // exact mode reports the same (scale-free) residual, not the underflowed 0
        assertThat(certify(s, Mode.EXACT).fosp().residual()).isEqualTo(certify(c, Mode.EXACT).fosp().residual());
    }

    /** Without the normalisation: a gradient scale that underflows to 0 on non-zero terms is UNDECIDED, not HOLDS. */
    @Test
    void aGradientScaleThatUnderflowsIsNotAFloorOfOne() {
        // V = [2^-600], W = H = [2^-600]: V·Hᵀ = 2^-1200 underflows, γ computes to 0 though it is not 0
        DenseMatrix v = new DenseMatrix(1, 1, new double[] {0x1p-600});
        DenseMatrix w = new DenseMatrix(1, 1, new double[] {0x1p-600});
        CertifyOptions o = CertifyOptions.nmf(Mode.FLOAT);
        io.github.nmforacle.problem.NmfProblem p = io.github.nmforacle.problem.NmfProblem.of(v, 1);
        Normalisation none = new Normalisation(0, v, w, w, o, false);
        Certificate c = certifyWithout(p, none);
        assertThat(c.fosp().verdict()).isEqualTo(Verdict.UNDECIDED);
        assertThat(c.fosp().reason()).contains("underflow");
        // and with it: the exact FAILS (∂F/∂W = −2(V − WH)H ≠ 0 at W > 0)
        assertThat(Certifier.certify(v, w, w, o).fosp().verdict()).isEqualTo(Verdict.FAILS);
    }

    static Certificate certifyWithout(io.github.nmforacle.problem.NmfProblem p, Normalisation nz) {
        return Certifier.floatCertify(p, nz, nz.options());
    }

    /**
     * A float first-order witness names an entry of the given input (in its units) whose exact residual
     * min(x_i, ∂F_i) is not 0: x &lt; 0, or x &gt; 0 with ∂F ≠ 0, or x = 0 with ∂F &lt; 0 (exact arithmetic, ExactNmf).
     */
    static void recheckFloatFirstOrder(Case c, Certificate.FirstOrderWitness w) {
        assertThat(w).isNotNull();
        Certificate.Coordinate co = w.coordinates().get(0);
        int i = CertifierPropertiesTest.index(c, co);
        double x = CertifierPropertiesTest.flat(c)[i];
        assertThat(Certifier.parseFraction(co.x())).as("witness entry in the input's units").isEqualTo(
                io.github.nmforacle.problem.ExactNmf.exact(x));
        BigFraction g = CertifierPropertiesTest.exactGradient(c)[i];
        boolean violated = x < 0 || (x > 0 && g.signum() != 0) || (x == 0 && g.signum() < 0);
        assertThat(violated).as("exact residual of the witness coordinate is not 0 (x = " + x + ", ∂F = " + g + ")").isTrue();
    }

    // ------------------------------------------------------------------ mechanism (b): eigen step below 1e-154

    /** Before: for k = −300 … −520 the origin saddle of V = [1] (curvature −2, relative −0.5) got sospPaper HOLDS. */
    @ParameterizedTest
    @ValueSource(ints = {-300, -350, -400, -450, -500, -520, -537, 300, 500})
    void theOriginSaddleStaysASaddleAtEveryScale(int k) {
        Case c = new Case("origin of V = [1]", new DenseMatrix(1, 1, new double[] {1}), DenseMatrix.zeros(1, 1),
                DenseMatrix.zeros(1, 1));
        Case s = scaled(c, k, k);
        Certificate fl = certify(s, Mode.FLOAT);
        assertThat(fl.fosp().verdict()).isEqualTo(Verdict.HOLDS);
        assertThat(fl.sospPaper().verdict()).as(fl.sospPaper().reason()).isEqualTo(Verdict.FAILS);
        CertifierPropertiesTest.recheckDirection(s, fl.sospPaper().witness(), false);
        assertThat(fl.sospCone().verdict()).isNotEqualTo(Verdict.HOLDS);
        // λ_min = −2V in the input's units
        assertThat(fl.sospPaper().lambdaMin()).isCloseTo(-2 * s.v().get(0, 0), org.assertj.core.data.Percentage.withPercentage(1e-6));
        // a tiny perturbation of the origin is not a FOSP at any scale
        DenseMatrix t = new DenseMatrix(1, 1, new double[] {Math.scalb(0x1p-40, k)});
        Certificate pert = Certifier.certify(s.v(), t, t, CertifyOptions.nmf(Mode.FLOAT));
        for (Verdict v : verdicts(pert)) {
            assertThat(v).isNotEqualTo(Verdict.HOLDS);
        }
        Certificate ex = certify(s, Mode.EXACT);
        assertThat(verdicts(ex)).containsExactly(Verdict.HOLDS, Verdict.FAILS, Verdict.FAILS, Verdict.FAILS);
    }

    /** Before: planted block saddles got sospPaper HOLDS at k = −300 … −450 and crashed at −520. */
    @ParameterizedTest
    @ValueSource(ints = {-300, -400, -450, -520, -530, 250, 400})
    void plantedSaddlesStaySaddles(int k) {
        Case c = StationaryPoints.blockSaddle(new SplittableRandom(8), 1, 2, 2, 1, 2);
        Case s = scaled(c, k, k);
        Certificate fl = certify(s, Mode.FLOAT);
        assertThat(fl.fosp().verdict()).isEqualTo(Verdict.HOLDS);
        assertThat(fl.sospPaper().verdict()).as(fl.sospPaper().reason()).isEqualTo(Verdict.FAILS);
        CertifierPropertiesTest.recheckDirection(s, fl.sospPaper().witness(), false);
        assertThat(certify(s, Mode.EXACT).sospPaper().verdict()).isEqualTo(Verdict.FAILS);
    }

    /** The eigen step itself is scale-free: the same eigenvalue (times 2^{2e}) for a matrix scaled by 2^{2e}. */
    @ParameterizedTest
    @ValueSource(ints = {-520, -300, -80, 80, 300, 500})
    void theDenseEigenStepIsScaleFree(int e) {
        double[][] m = {{0, -2, 0}, {-2, 0, 1}, {0, 1, 3}};
        double base = FloatForms.smallest(m).value();
        double[][] ms = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                ms[i][j] = Math.scalb(m[i][j], e);
            }
        }
        assertThat(FloatForms.smallest(ms).value()).isEqualTo(Math.scalb(base, e));
    }

    // ------------------------------------------------------------------ mechanism (c): subnormal range

    /** Before: exact factorizations crashed ("non-finite Hessian entry") at k ≤ −520, and FAILS witnesses had residual 0. */
    @Test
    void exactFactorizationsInTheSubnormalRangeAreNeverFails() {
        Case c = StationaryPoints.exactFactorization(new SplittableRandom(9), 3, 3, 2);
        Verdict[] base = verdicts(certify(c, Mode.FLOAT));
        for (int k = -537; k <= -500; k++) {
            Case s = scaled(c, k, k);
            if (s == null) {
                continue;
            }
            Certificate fl = certify(s, Mode.FLOAT);
            assertThat(fl.fosp().verdict()).as("k = " + k).isEqualTo(Verdict.HOLDS);
            assertThat(verdicts(fl)).as("k = " + k).containsExactly(base);
            assertThat(certify(s, Mode.EXACT).fosp().verdict()).isEqualTo(Verdict.HOLDS);
        }
    }

    // ------------------------------------------------------------------ mechanism (d): valid inputs that crashed

    @ParameterizedTest
    @ValueSource(doubles = {1e-170, 1e-250, 1e-300, 1e-310, 4.9e-324})
    void oneTinyEntryCertifiesWithoutCrash(double tiny) {
        Case c = StationaryPoints.exactFactorization(new SplittableRandom(9), 3, 3, 2);
        DenseMatrix v = c.v().copy();
        v.set(0, 0, tiny);
        DenseMatrix w = c.w().copy();
        w.set(1, 1, tiny);
        for (Case t : new Case[] {new Case("tiny V", v, c.w(), c.h()), new Case("tiny W", c.v(), w, c.h())}) {
            Certificate ex = certify(t, Mode.EXACT);
            Certificate fl = certify(t, Mode.FLOAT);
            for (int i = 0; i < CLAIMS.length; i++) {
                ScalarExampleTest.agree(verdicts(ex)[i], verdicts(fl)[i], t.kind() + " " + tiny + ": " + CLAIMS[i]);
            }
            if (fl.fosp().verdict() == Verdict.FAILS) {
                recheckFloatFirstOrder(t, fl.fosp().witness());
            }
        }
    }

    /** (2^e V, 2^e W, 2^e H): another point (F is not homogeneous of degree 1), but valid; before: crash or wrong HOLDS. */
    @ParameterizedTest
    @ValueSource(ints = {500, 600, -500, -600})
    void aGlobalScaleOfTwoToThe600CertifiesWithoutCrash(int e) {
        Case f = StationaryPoints.exactFactorization(new SplittableRandom(9), 3, 3, 2);
        Case o = StationaryPoints.origin(new SplittableRandom(3), 2, 2, 1);
        for (Case c : new Case[] {f, o}) {
            Case s = new Case(c.kind(), scalb(c.v(), e), scalb(c.w(), e), scalb(c.h(), e));
            Certificate ex = certify(s, Mode.EXACT);
            Certificate fl = certify(s, Mode.FLOAT);
            for (int i = 0; i < CLAIMS.length; i++) {
                ScalarExampleTest.agree(verdicts(ex)[i], verdicts(fl)[i], c.kind() + " at 2^" + e + ": " + CLAIMS[i]);
            }
        }
    }

    /**
     * An intermediate that overflows even at the normalised point (W = 2^1000, H = 2^-1000: WᵀW = ∞) is "non-finite
     * intermediate", UNDECIDED, never a verdict "within the rounding band" and never a crash.
     */
    @Test
    void aNonFiniteIntermediateIsUndecidedWithItsReason() {
        DenseMatrix v = new DenseMatrix(1, 2, new double[] {1, 1});
        DenseMatrix w = new DenseMatrix(1, 1, new double[] {0x1p1000});
        DenseMatrix h = new DenseMatrix(1, 2, new double[] {0x1p-1000, 0x1p-1000});
        Certificate fl = Certifier.certify(v, w, h, CertifyOptions.nmf(Mode.FLOAT));
        assertThat(fl.fosp().verdict()).isEqualTo(Verdict.UNDECIDED);
        assertThat(fl.fosp().reason()).contains("non-finite intermediate");
        for (Verdict x : verdicts(fl)) {
            assertThat(x).isNotEqualTo(Verdict.HOLDS);
        }
        Certificate ex = Certifier.certify(v, w, h, CertifyOptions.nmf(Mode.EXACT));
        assertThat(ex.fosp().verdict()).isEqualTo(Verdict.HOLDS);
    }

    /** The certificate is in the input's units: scales, objective, λ and gradients are the k = 0 ones times 2^{…k}. */
    @Test
    void reportedNumbersAreInTheInputsUnits() {
        Case c = StationaryPoints.blockSaddle(new SplittableRandom(8), 1, 2, 2, 1, 2);
        int k = -100;
        Case s = scaled(c, k, k);
        Certificate base = certify(c, Mode.FLOAT), fl = certify(s, Mode.FLOAT);
        assertThat(fl.objective()).isEqualTo(Math.scalb(base.objective(), 4 * k));
        assertThat(fl.scales().gradient()).isEqualTo(Math.scalb(base.scales().gradient(), 3 * k));
        assertThat(fl.scales().entry()).isEqualTo(Math.scalb(base.scales().entry(), k));
        assertThat(fl.scales().hessian()).isEqualTo(Math.scalb(base.scales().hessian(), 2 * k));
        assertThat(fl.sospPaper().lambdaMin()).isEqualTo(Math.scalb(base.sospPaper().lambdaMin(), 2 * k));
        assertThat(fl.notes()).anyMatch(n -> n.contains("normalised point"));
    }
}
