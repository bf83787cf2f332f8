package io.github.nmforacle.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.nmforacle.certify.Certifier;
import io.github.nmforacle.certify.CertifyOptions;
import io.github.nmforacle.certify.Mode;
import io.github.nmforacle.io.CertificateJson;
import io.github.nmforacle.io.MatrixIO;
import io.github.nmforacle.linalg.CsrMatrix;
import io.github.nmforacle.linalg.DataMatrix;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.testkit.StationaryPoints;
import io.github.nmforacle.testkit.StationaryPoints.Case;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checker on a sparse (CSR) V (issue 15 item 1): its report equals the report on the same V dense, claim by claim,
 * in float and exact modes, and every tampered certificate is rejected on both paths.
 */
class SparseCheckerTest {
    static final Checker ACCEPTING = new Checker(Checker.EXACT_LIMIT, Checker.MAX_REDUCED_DIMENSION, Checker.MAX_DEGENERATE, true);

    static List<String> statuses(Report r) {
        return r.items().stream().map(i -> i.subject() + ": " + i.status()).toList();
    }

    static JsonNode certificate(DataMatrix v, DenseMatrix w, DenseMatrix h, CertifyOptions o) {
        try {
            return Certs.JSON.readTree(CertificateJson.toJson(Certifier.certify(v, w, h, o)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The dense and the CSR report agree on every claim, for the certificates made from either form of V. */
    static void sameReports(DenseMatrix v, DenseMatrix w, DenseMatrix h, CertifyOptions o, String what) {
        CsrMatrix c = CsrMatrix.of(v);
        for (JsonNode cert : List.of(certificate(v, w, h, o), certificate(c, w, h, o))) {
            Report dense = Checker.check(v, w, h, cert);
            Report sparse = Checker.check((DataMatrix) c, w, h, cert);
            String msg = what + " " + o.mode() + "\nsparse:\n" + sparse + "\ndense:\n" + dense;
            assertThat(statuses(sparse)).as(msg).isEqualTo(statuses(dense));
            assertThat(sparse.ok()).as(msg).isEqualTo(dense.ok());
            assertThat(ACCEPTING.run(c, w, h, cert).problems()).as(msg).isZero();
            for (Consumer<ObjectNode> edit : tamperings(cert)) {
                ObjectNode t = cert.deepCopy();
                edit.accept(t);
                Report td = Checker.check(v, w, h, t), ts = Checker.check((DataMatrix) c, w, h, t);
                assertThat(ts.ok()).as("tampered, " + msg + "\n" + ts).isFalse();
                assertThat(statuses(ts)).as("tampered, " + msg + "\n" + ts + "\n" + td).isEqualTo(statuses(td));
            }
        }
    }

    /** A changed number, a flipped verdict, a wrong witness: each must be rejected. */
    static List<Consumer<ObjectNode>> tamperings(JsonNode cert) {
        List<Consumer<ObjectNode>> edits = new ArrayList<>();
        edits.add(c -> c.put("objective", c.get("objective").asDouble() * 1.5 + 1.0));
        edits.add(c -> ((ObjectNode) c.get("fosp")).put("verdict", CheckerPropertiesTest.flip(c.get("fosp").get("verdict").asText())));
        edits.add(c -> ((ObjectNode) c.get("sospPaper")).put("verdict",
                CheckerPropertiesTest.flip(c.get("sospPaper").get("verdict").asText())));
        edits.add(c -> ((ObjectNode) c.get("scales")).put("hessian", c.get("scales").get("hessian").asDouble() * 2));
        JsonNode pw = cert.get("sospPaper").get("witness");
        if (pw != null && pw.has("dW")) {
            edits.add(c -> {
                for (String f : new String[] {"dW", "dH"}) {
                    for (JsonNode row : c.get("sospPaper").get("witness").get(f)) {
                        ArrayNode a = (ArrayNode) row;
                        for (int j = 0; j < a.size(); j++) {
                            a.set(j, Certs.JSON.getNodeFactory().textNode(
                                    Certifier.fraction(Certifier.parseFraction(a.get(j).asText()).multiply(2))));
                        }
                    }
                }
            });
        }
        JsonNode fw = cert.get("fosp").get("witness");
        if (fw != null && !fw.isNull() && fw.get("coordinates").size() > 0) {
            edits.add(c -> ((ObjectNode) c.get("fosp").get("witness").get("coordinates").get(0)).put("x", "1234.5"));
        }
        return edits;
    }

    /** Random dyadic entries in [0, 2] with about {@code zeros}% zeros. */
    static DenseMatrix sparseDyadic(SplittableRandom rnd, int rows, int cols, int zeros) {
        double[] a = new double[rows * cols];
        for (int t = 0; t < a.length; t++) {
            a[t] = rnd.nextInt(100) < zeros ? 0 : (1 + rnd.nextInt(16)) / 8.0;
        }
        return new DenseMatrix(rows, cols, a);
    }

    @Property(tries = 40)
    void csrAndDenseReportsAgree(@ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 1 + rnd.nextInt(6), m = 1 + rnd.nextInt(6), r = 1 + rnd.nextInt(Math.min(3, Math.min(n, m)));
        Mode mode = rnd.nextBoolean() ? Mode.EXACT : Mode.FLOAT;
        Case c = switch (rnd.nextInt(5)) {
            case 0 -> {
                DenseMatrix w = sparseDyadic(rnd, n, r, 50), h = sparseDyadic(rnd, r, m, 50);
                yield new Case("exact factorization", StationaryPoints.product(w, h), w, h);
            }
            case 1 -> new Case("random", sparseDyadic(rnd, n, m, 70), sparseDyadic(rnd, n, r, 30), sparseDyadic(rnd, r, m, 30));
            case 2 -> StationaryPoints.blockSaddle(rnd, 1 + rnd.nextInt(2), 1 + rnd.nextInt(2), 1 + rnd.nextInt(3),
                    1 + rnd.nextInt(3), 1 + rnd.nextInt(2));
            case 3 -> new Case("origin", sparseDyadic(rnd, n, m, 60), DenseMatrix.zeros(n, r), DenseMatrix.zeros(r, m));
            default -> null;
        };
        if (c == null) {
            CheckerPropertiesTest.Generated g = CheckerPropertiesTest.generate(rnd);
            sameReports(g.c().v(), g.c().w(), g.c().h(), g.o(), g.c().kind());
            return;
        }
        sameReports(c.v(), c.w(), c.h(), CertifyOptions.nmf(mode), c.kind());
    }

    /** Random entries: zero (about {@code zeros}%), or ±(1..16)/8 scaled by 2^e (negative ones if {@code signed}). */
    static DenseMatrix entries(SplittableRandom rnd, int rows, int cols, int zeros, boolean signed, int e) {
        DenseMatrix a = sparseDyadic(rnd, rows, cols, zeros);
        for (int t = 0; t < a.data().length; t++) {
            a.data()[t] = Math.scalb(a.data()[t] * (signed && rnd.nextBoolean() ? -1 : 1) / (1 + 2 * rnd.nextInt(2)), e);
        }
        return a;
    }

    /**
     * The sparse forms against the dense ones, point by point: the exact gradient, F, q(d) and ∇²F·d are equal; the
     * double F, ‖R‖ bounds and q(d) contain the exact values within their rigorous bounds; ∇F and γ have the dense bits.
     */
    @Property(tries = 60)
    void sparseFormsEqualTheDenseOnes(@ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 1 + rnd.nextInt(7), m = 1 + rnd.nextInt(7), r = 1 + rnd.nextInt(3), e = rnd.nextInt(3) == 0 ? 300 - rnd.nextInt(600) : 0;
        DenseMatrix v = entries(rnd, n, m, 60, false, 2 * e);
        DenseMatrix w = entries(rnd, n, r, 30, rnd.nextBoolean(), e), h = entries(rnd, r, m, 30, rnd.nextBoolean(), e);
        Point dense = new Point(v, w, h), sparse = new Point(CsrMatrix.of(v), w, h);
        assertThat(sparse.grad).isEqualTo(dense.grad);
        assertThat(sparse.gamma).isEqualTo(dense.gamma);
        assertThat(sparse.gammaAbs).isEqualTo(dense.gammaAbs);
        assertThat(sparse.sha256V()).isEqualTo(dense.sha256V());
        Point.ExactFirstOrder xd = dense.exactFirstOrder(), xs = sparse.exactFirstOrder();
        assertThat(xs.gradient()).isEqualTo(xd.gradient());
        assertThat(xs.objective()).isEqualTo(xd.objective());
        double f = dense.norm(xd.objective(), 4), normR = Math.sqrt(f);
        double[] b = sparse.residualNormBounds();
        assertThat(b[0]).as("‖R‖ lower").isLessThanOrEqualTo(normR * (1 + 1e-15));
        assertThat(b[1]).as("‖R‖ upper").isGreaterThanOrEqualTo(normR * (1 - 1e-15));
        assertThat(sparse.residualScale).isGreaterThanOrEqualTo(dense.residualScale * (1 - 1e-12));
        for (int t = 0; t < 4; t++) {
            org.hipparchus.fraction.BigFraction[] d = new org.hipparchus.fraction.BigFraction[sparse.size];
            for (int p = 0; p < d.length; p++) {
                d[p] = rnd.nextInt(3) == 0 ? org.hipparchus.fraction.BigFraction.ZERO
                        : new org.hipparchus.fraction.BigFraction(rnd.nextInt(33) - 16, 1 << rnd.nextInt(4));
            }
            Direction dir = new Direction(n, m, r, d);
            org.hipparchus.fraction.BigFraction q = dense.curvatureExact(dir);
            assertThat(sparse.curvatureExact(dir)).isEqualTo(q);
            assertThat(sparse.hessianTimes(dir)).isEqualTo(dense.hessianTimes(dir));
            // the double P_L∇²F·d (L = every coordinate) within φ‖d‖ + underflow of the exact one
            org.hipparchus.fraction.BigFraction[] hd = dense.hessianTimes(dir);
            boolean[] all = new boolean[sparse.size];
            java.util.Arrays.fill(all, true);
            double[] dd = dir.toDoubles(), hs = sparse.hessianTimesOnL(dd, all);
            double err2 = 0;
            for (int p = 0; p < hs.length; p++) {
                double x = hs[p] - dense.norm(hd[p], 2);
                err2 += x * x;
            }
            assertThat(Math.sqrt(err2)).as("∇²F·d").isLessThanOrEqualTo(sparse.hessianTimesBound() * Math.sqrt(Forms.dot(dd, dd))
                    + sparse.hessianTimesUnderflow() + 1e-300);
            Point.Curvature qs = sparse.curvatureDouble(dir);
            double exact = sparse.norm(q, 2);
            assertThat(Math.abs(qs.value() - exact)).as("q(d) = " + exact + ", sparse " + qs).isLessThanOrEqualTo(qs.bound()
                    + Math.ulp(exact));
        }
    }

    /** Float strict HOLDS rests on the symmetry hint (P_L∇²F·y by Grams on the CSR path): re-proven on both paths. */
    @Test
    void floatStrictnessWithASymmetryHintIsReprovenOnCsr() {
        int strict = 0;
        for (long seed = 1; seed <= 8; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            Case c = StationaryPoints.exactFactorization(rnd, 4 + rnd.nextInt(4), 4 + rnd.nextInt(4), 2);
            sameReports(c.v(), c.w(), c.h(), CertifyOptions.nmf(Mode.FLOAT), "positive exact factorization");
            Report rep = Checker.check((DataMatrix) CsrMatrix.of(c.v()), c.w(), c.h(),
                    certificate(CsrMatrix.of(c.v()), c.w(), c.h(), CertifyOptions.nmf(Mode.FLOAT)));
            if (rep.about("strictModuloSymmetry").get(0).message().startsWith("HOLDS")) {
                strict++;
            }
        }
        assertThat(strict).as("strict HOLDS verified on CSR").isGreaterThan(4);
    }

    @Test
    void everySparseFixtureGivesTheDenseReport() {
        for (String f : new String[] {"small-csr.npz", "small-csc.npz", "small-csr-float32.npz", "small.mtx"}) {
            DataMatrix data = MatrixIO.readData(Path.of("fixtures", "sparse", f));
            assertThat(data.sparse()).as(f).isTrue();
            DenseMatrix v = data.dense("the test");
            int n = v.rows(), m = v.cols();
            SplittableRandom rnd = new SplittableRandom(f.hashCode());
            for (int r = 1; r <= 2; r++) {
                DenseMatrix[] wh = {sparseDyadic(rnd, n, r, 20), sparseDyadic(rnd, r, m, 20)};
                multiplicative(v, wh[0], wh[1], 3000);
                for (Mode mode : Mode.values()) {
                    sameReports(v, wh[0], wh[1], CertifyOptions.nmf(mode), f + " near-stationary r = " + r);
                    sameReports(v, DenseMatrix.zeros(n, r), DenseMatrix.zeros(r, m), CertifyOptions.nmf(mode), f + " origin");
                }
            }
        }
    }

    static DenseMatrix product(DenseMatrix a, DenseMatrix b) {
        return StationaryPoints.product(a, b);
    }

    /** Lee–Seung steps in place (a point near a stationary one; ε keeps the denominators positive). */
    static void multiplicative(DenseMatrix v, DenseMatrix w, DenseMatrix h, int steps) {
        for (int t = 0; t < steps; t++) {
            DenseMatrix num = product(w.transpose(), v), den = product(product(w.transpose(), w), h);
            for (int k = 0; k < h.rows(); k++) {
                for (int j = 0; j < h.cols(); j++) {
                    h.set(k, j, h.get(k, j) * num.get(k, j) / (den.get(k, j) + 1e-300));
                }
            }
            num = product(v, h.transpose());
            den = product(w, product(h, h.transpose()));
            for (int i = 0; i < w.rows(); i++) {
                for (int k = 0; k < w.cols(); k++) {
                    w.set(i, k, w.get(i, k) * num.get(i, k) / (den.get(i, k) + 1e-300));
                }
            }
        }
    }

    /**
     * Exact mode beyond the dense exact limit: n·m·r = 2.2·10⁶ > {@link Checker#EXACT_LIMIT}, but nnz·r + (n+m)·r² is
     * small, so on CSR the checker re-derives the exact first-order claim that it cannot on the same V dense.
     */
    @Test
    void exactModeOnCsrBeyondTheDenseExactLimit() {
        int n = 1100, m = 1000, r = 2;
        DenseMatrix w = DenseMatrix.zeros(n, r), h = DenseMatrix.zeros(r, m);
        SplittableRandom rnd = new SplittableRandom(3);
        for (int t = 0; t < 30; t++) {
            for (int k = 0; k < r; k++) {
                w.set(t * 37, k, (1 + rnd.nextInt(8)) / 4.0);
                h.set(k, t * 31, (1 + rnd.nextInt(8)) / 4.0);
            }
        }
        DenseMatrix v = StationaryPoints.product(w, h);
        CsrMatrix c = CsrMatrix.of(v);
        assertThat((long) n * m * r).isGreaterThan(Checker.EXACT_LIMIT);
        JsonNode cert = certificate(c, w, h, CertifyOptions.nmf(Mode.EXACT));
        Report sparse = Checker.check((DataMatrix) c, w, h, cert), dense = Checker.check(v, w, h, cert);
        assertThat(sparse.about("fosp").get(0).status()).as(sparse.toString()).isEqualTo(Report.Status.VERIFIED);
        assertThat(sparse.about("objective").get(0).message()).as(sparse.toString()).contains("exactly recomputed");
        assertThat(dense.about("objective").get(0).message()).as(dense.toString()).doesNotContain("exactly recomputed");
        ObjectNode tampered = cert.deepCopy();
        tampered.put("objective", 1.0);
        assertThat(Checker.check((DataMatrix) c, w, h, tampered).ok()).isFalse();
    }

    /** A Gram that overflows (W = 2^600, H = 2^-600: WᵀW = ∞, HHᵀ = 0) leaves ‖R‖_F unknown, [0, ∞], never NaN. */
    @Test
    void anOverflowingGramGivesNoBoundRatherThanNaN() {
        DenseMatrix v = DenseMatrix.of(new double[][] {{1, 0}}), w = DenseMatrix.of(new double[][] {{0x1p600}});
        DenseMatrix h = DenseMatrix.of(new double[][] {{0x1p-600, 0}});
        assertThat(new Point(CsrMatrix.of(v), w, h).residualNormBounds()).containsExactly(0, Double.POSITIVE_INFINITY);
        assertThat(new Point(v, w, h).residualNormBounds()[1]).isFinite();
    }

    @TempDir
    Path dir;

    /**
     * `check` on a 100,000×20,000 .npz V with 3,600 non-zeros (2e9 entries, far beyond the dense limit): an exact
     * factorization with r = 2 whose certificate the checker verifies without making V dense.
     */
    @Test
    void checkCommandOnAnNpzFarBeyondTheDenseLimit() throws IOException {
        int n = 100_000, m = 20_000, r = 2, rows = 60;
        DenseMatrix w = DenseMatrix.zeros(n, r), h = DenseMatrix.zeros(r, m);
        SplittableRandom rnd = new SplittableRandom(15);
        for (int t = 0; t < rows; t++) {
            for (int k = 0; k < r; k++) {
                w.set(t * 1601, k, (1 + rnd.nextInt(8)) / 4.0);
                h.set(k, t * 331, (1 + rnd.nextInt(8)) / 4.0);
            }
        }
        int[] indptr = new int[n + 1], indices = new int[rows * rows];
        double[] values = new double[rows * rows];
        for (int i = 0, q = 0; i < n; i++) {
            if (i % 1601 == 0 && i / 1601 < rows) {
                for (int t = 0; t < rows; t++) {
                    indices[q] = t * 331;
                    values[q++] = w.get(i, 0) * h.get(0, t * 331) + w.get(i, 1) * h.get(1, t * 331);   // exact
                }
            }
            indptr[i + 1] = i % 1601 == 0 && i / 1601 < rows ? indptr[i] + rows : indptr[i];
        }
        CsrMatrix v = new CsrMatrix(n, m, indptr, indices, values);
        Path vp = npz(v), wp = dir.resolve("W.npy"), hp = dir.resolve("H.npy"), cp = dir.resolve("cert.json");
        MatrixIO.write(w, wp);
        MatrixIO.write(h, hp);
        Files.writeString(cp, CertificateJson.toJson(Certifier.certify(v, w, h, CertifyOptions.nmf(Mode.FLOAT))));
        StringWriter out = new StringWriter();
        picocli.CommandLine cl = new picocli.CommandLine(new io.github.nmforacle.cli.CheckCommand());
        cl.setOut(new PrintWriter(out, true));
        int code = cl.execute("--input", vp.toString(), "--w", wp.toString(), "--h", hp.toString(), "--certificate", cp.toString());
        assertThat(code).as(out.toString()).isZero();
        assertThat(out.toString()).contains("provenance: verified", "fosp: verified").endsWith("check: OK" + System.lineSeparator());
    }

    /** V as scipy's save_npz lays out a CSR matrix (int32 indices, int64 shape, float64 data, stored members). */
    Path npz(CsrMatrix v) throws IOException {
        Path p = dir.resolve("V.npz");
        ByteBuffer ip = le(4 * v.indptr().length), ix = le(4 * v.indices().length), d = le(8 * v.values().length);
        java.util.Arrays.stream(v.indptr()).forEach(ip::putInt);
        java.util.Arrays.stream(v.indices()).forEach(ix::putInt);
        java.util.Arrays.stream(v.values()).forEach(d::putDouble);
        try (OutputStream os = Files.newOutputStream(p); ZipOutputStream z = new ZipOutputStream(os)) {
            String[][] heads = {{"indices", "<i4", "(" + v.indices().length + ",)"}, {"indptr", "<i4", "(" + v.indptr().length + ",)"},
                {"format", "|S3", "()"}, {"shape", "<i8", "(2,)"}, {"data", "<f8", "(" + v.values().length + ",)"}};
            byte[][] bodies = {ix.array(), ip.array(), "csr".getBytes(StandardCharsets.US_ASCII),
                le(16).putLong(v.rows()).putLong(v.cols()).array(), d.array()};
            for (int t = 0; t < heads.length; t++) {
                String dict = "{'descr': '" + heads[t][1] + "', 'fortran_order': False, 'shape': " + heads[t][2] + ", }";
                String header = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
                z.putNextEntry(new ZipEntry(heads[t][0] + ".npy"));
                z.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), (byte) (header.length() >> 8)});
                z.write(header.getBytes(StandardCharsets.US_ASCII));
                z.write(bodies[t]);
                z.closeEntry();
            }
        }
        return p;
    }

    static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
