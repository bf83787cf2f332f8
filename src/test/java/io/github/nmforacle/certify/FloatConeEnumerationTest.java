package io.github.nmforacle.certify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.nmforacle.check.Checker;
import io.github.nmforacle.check.Report;
import io.github.nmforacle.io.CertificateJson;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.ExactNmf;
import io.github.nmforacle.testkit.StationaryPoints.Case;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.hipparchus.fraction.BigFraction;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: float mode decides copositivity on K by enumeration (FloatCone; proofs-notes/curvature-bounds.md §5) where
 * the sandwich leaves it open: a HOLDS only with the rigorous Schur-complement proof, which the checker repeats with its
 * own code; a FAILS only with a witness in K below −τη.
 */
class FloatConeEnumerationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static DenseMatrix mat(int rows, int cols, double... v) {
        return new DenseMatrix(rows, cols, v);
    }

    /** fixtures/cone-vs-subspace-d2 (proofs-notes/fixtures-certify.md §11): not PSD on L, copositive on K. */
    static Case coneD2() {
        return new Case("cone-vs-subspace-d2", mat(4, 4, 5 / 32.0, 3, 9 / 16.0, 5 / 8.0, 1.5, 1.5, 3.5, 0.25, 33 / 16.0, 2,
                17 / 8.0, 0, 0, 1 / 16.0, 5 / 8.0, 7 / 4.0), mat(4, 2, 1, 0, 1.5, 0.5, 1.5, 0, 0, 1),
                mat(2, 4, 1, 1.5, 1.5, 0, 0, 0, 1, 1.5));
    }

    /**
     * The family of fixtures/cone-vs-subspace (§10: β = −1/8, p = 1/2, q = 3/4): component 1 the rank-1 fit of
     * [[1, 2], [2, 4]] + β·xxᵀ, x = (2, −1), component 2 fits V₂₂ = pq. Every gradient is 0 for β ≥ −1/4; the six zeros
     * are degenerate. The pair (W[0,1], H[1,1]) has the block [[2q², 8β], [8β, 2p²]]: not copositive once 16β² > p²q².
     */
    static Case family(double beta, double p, double q) {
        return new Case("cone family β = " + beta + ", p = " + p + ", q = " + q,
                mat(3, 3, 1 + 4 * beta, 2 - 2 * beta, 0, 2 - 2 * beta, 4 + beta, 0, 0, 0, p * q),
                mat(3, 2, 1, 0, 2, 0, 0, p), mat(2, 3, 1, 2, 0, 0, 0, q));
    }

    static Certificate certify(Case c, Mode mode) {
        return Certifier.certify(c.v(), c.w(), c.h(), CertifyOptions.nmf(mode));
    }

    static Report check(Case c, JsonNode cert) {
        return Checker.check(c.v(), c.w(), c.h(), cert);
    }

    @Test
    void copositiveOnKButNotPsdOnLHoldsInFloatModeAndTheCheckerReprovesIt() throws Exception {
        for (Case c : new Case[] {coneD2(), family(-1 / 8.0, 0.5, 0.75)}) {
            Certificate f = certify(c, Mode.FLOAT);
            assertThat(f.sospPaper().verdict()).as(c.kind()).isEqualTo(Verdict.FAILS);
            assertThat(f.sospCone().verdict()).as(f.sospCone().reason()).isEqualTo(Verdict.HOLDS);
            assertThat(f.sospCone().method()).isEqualTo("enumeration");
            Report r = check(c, JSON.readTree(CertificateJson.toJson(f)));
            assertThat(r.ok()).as(r.toString()).isTrue();
            assertThat(r.about("sospCone").get(0).message()).contains("HOLDS within tolerance, proven").contains("on K")
                    .contains("Cottle–Habetler–Lemke");
            assertThat(certify(c, Mode.EXACT).sospCone().verdict()).as(c.kind()).isEqualTo(Verdict.HOLDS);
            // the same claim weakened to UNDECIDED: the checker says it finds HOLDS itself
            ObjectNode weak = (ObjectNode) JSON.readTree(CertificateJson.toJson(f));
            ((ObjectNode) weak.get("sospCone")).put("verdict", "UNDECIDED");
            assertThat(check(c, weak).about("sospCone").get(0).message()).contains("weaker than the checker's own finding HOLDS");
        }
    }

    @Test
    void aNegativeDirectionThatNeedsNonNegativeDegenerateEntriesFailsInFloatMode() throws Exception {
        // β = −13/64: the L witness, negated or clipped, is not a refutation in K (cone-from-L finds nothing)
        Case c = family(-13 / 64.0, 0.5, 0.75);
        Certificate f = certify(c, Mode.FLOAT);
        assertThat(f.sospPaper().verdict()).isEqualTo(Verdict.FAILS);
        assertThat(f.sospCone().verdict()).as(f.sospCone().reason()).isEqualTo(Verdict.FAILS);
        assertThat(f.sospCone().method()).isEqualTo("enumeration");
        Certificate.DirectionWitness k = (Certificate.DirectionWitness) f.sospCone().witness();
        assertThat(k.set()).isEqualTo("K");
        Report r = check(c, JSON.readTree(CertificateJson.toJson(f)));
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(r.about("sospCone").get(0).message()).contains("FAILS: a direction in K");
        assertThat(certify(c, Mode.EXACT).sospCone().verdict()).isEqualTo(Verdict.FAILS);
    }

    @Test
    void theCheckerDoesNotAcceptACopositivityHoldsThatIsFalse() throws Exception {
        Case c = family(-13 / 64.0, 0.5, 0.75);
        ObjectNode cert = (ObjectNode) JSON.readTree(CertificateJson.toJson(certify(c, Mode.FLOAT)));
        ObjectNode cone = (ObjectNode) cert.get("sospCone");
        cone.put("verdict", "HOLDS");
        cone.putNull("witness");
        ObjectNode lm = (ObjectNode) cone.get("lambdaMin");
        lm.putNull("upper");
        lm.put("upperMethod", "none");
        Report r = check(c, cert);
        assertThat(r.ok()).as(r.toString()).isFalse();
        assertThat(r.about("sospCone").get(0).status()).as(r.toString()).isEqualTo(Report.Status.NOT_VERIFIED);
        assertThat(r.about("sospCone").get(0).message()).contains("its own enumeration on K");
    }

    /** A float cone HOLDS never meets an exact cone FAILS (random cases, and the family around its threshold). */
    @Property(tries = 120)
    void aFloatConeHoldsIsNeverAnExactConeFails(@ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] pq = {0.25, 0.5, 0.75, 1, 1.5};
        Case c = rnd.nextBoolean() ? HomogeneityTest.randomCase(rnd)
                : family(-rnd.nextInt(65) / 256.0, pq[rnd.nextInt(pq.length)], pq[rnd.nextInt(pq.length)]);
        Certificate f = certify(c, Mode.FLOAT);
        Statistics.label("float cone").collect(f.sospCone().verdict() + " by " + f.sospCone().method());
        Statistics.label("float cone").coverage(cov -> cov.check("HOLDS by enumeration").count(k -> k > 0));
        if (f.sospCone().verdict() == Verdict.HOLDS && !c.kind().equals("planted")) {
            assertThat(certify(c, Mode.EXACT).sospCone().verdict()).as(c.kind() + ": " + f.sospCone().reason())
                    .isNotEqualTo(Verdict.FAILS);
        }
    }

    /**
     * The proof itself: whenever {@link FloatCone#decide} says HOLDS for a random symmetric a (a rational matrix, near
     * the copositivity boundary), a + (t − ν)I is exactly copositive on K (what the proof implies for A = a − νI, which
     * satisfies ‖A − a‖₂ = ν): the free block exactly positive definite and the exact Schur complement copositive.
     */
    @Property(tries = 300)
    void floatConeHoldsIsExactlyTrue(@ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int nf = rnd.nextInt(4), nd = 1 + rnd.nextInt(3), size = nf + nd;
        double[][] g = new double[size][size + 1];
        for (double[] row : g) {
            for (int j = 0; j < row.length; j++) {
                row[j] = rnd.nextInt(-8, 9) / 8.0;
            }
        }
        double[][] a = new double[size][size];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                double s = 0;
                for (int l = 0; l < size + 1; l++) {
                    s += (i < nf && j < nf ? 1 : 0.25) * g[i][l] * g[j][l];
                }
                a[i][j] = s;
            }
        }
        for (int i = nf; i < size; i++) {
            for (int j = nf; j < size; j++) {
                if (i != j) {
                    a[i][j] = a[j][i] = rnd.nextInt(-16, 17) / 16.0;   // D–D couplings of either sign
                }
            }
        }
        boolean[] deg = new boolean[size];
        for (int i = nf; i < size; i++) {
            deg[i] = true;
        }
        double t = Math.scalb(1.0, -rnd.nextInt(4, 30)), noise = t * rnd.nextInt(0, 4) / 8;
        double[] ev = FloatForms.spectrum(FloatCone.block(a, FloatCone.positions(deg, false), FloatCone.positions(deg, false)))
                .values();
        double lambda0 = nf == 0 ? 0 : java.util.Arrays.stream(ev).min().orElse(0);
        FloatCone.Outcome out = FloatCone.decide(a, deg, t, noise, lambda0);
        Statistics.label("decide").collect(out.holds() ? "HOLDS" : out.candidate() != null ? "candidate" : "no proof");
        Statistics.label("decide").coverage(cov -> cov.check("HOLDS").percentage(pc -> pc > 20));
        if (!out.holds()) {
            return;
        }
        BigFraction shift = ExactNmf.exact(t).subtract(ExactNmf.exact(noise));
        BigFraction[][] ff = new BigFraction[nf][nf], fd = new BigFraction[nf][nd], dd = new BigFraction[nd][nd];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                BigFraction e = ExactNmf.exact(a[i][j]).add(i == j ? shift : BigFraction.ZERO);
                if (i < nf && j < nf) {
                    ff[i][j] = e;
                } else if (i < nf) {
                    fd[i][j - nf] = e;
                } else if (j >= nf) {
                    dd[i - nf][j - nf] = e;
                }
            }
        }
        if (nf > 0) {
            assertThat(ExactForms.definiteness(ff).pd()).as("free block").isTrue();
            BigFraction[][] z = ExactForms.solve(ff, fd);
            for (int i = 0; i < nd; i++) {
                for (int j = 0; j < nd; j++) {
                    for (int l = 0; l < nf; l++) {
                        dd[i][j] = dd[i][j].subtract(fd[l][i].multiply(z[l][j]));
                    }
                }
            }
        }
        assertThat(ExactForms.copositivityWitness(dd)).as("exact Schur complement copositive, seed " + seed).isNull();
    }
}
