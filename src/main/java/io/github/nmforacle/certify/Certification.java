package io.github.nmforacle.certify;

import static io.github.nmforacle.certify.Certifier.U;
import static io.github.nmforacle.certify.Certifier.parseFraction;
import static io.github.nmforacle.certify.Certifier.toDouble;

import io.github.nmforacle.certify.Certificate.FirstOrder;
import io.github.nmforacle.certify.Certificate.SecondOrder;
import io.github.nmforacle.certify.Certificate.Strict;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.ExactNmf;
import io.github.nmforacle.problem.NmfProblem;
import org.hipparchus.fraction.BigFraction;
import org.hipparchus.linear.FieldMatrix;

/** The run of every stage in order, in float mode ({@link #floating}) or exact mode ({@link #exact}). */
final class Certification extends ExactStage {
    Certification(NmfProblem p, DenseMatrix w, DenseMatrix h, CertifyOptions o) {
        super(p, w, h, o);
    }

    Certification(NmfProblem p, DenseMatrix w, DenseMatrix h, CertifyOptions o, int k, CertifyOptions userOptions) {
        super(p, w, h, o, k, userOptions);
    }

    // ---------------------------------------------------------------- float mode

    Certificate floating() {
        double objective = p.objective(w, h);
        double c = 0, noiseC = 0, sum = 0;
        if (o.isSimplex()) {
            double sxg = 0, sxe = 0, sabs = 0;
            for (int i = 0; i < nn; i++) {
                sum += x[i];
                sxg += x[i] * g[i];
                sxe += Math.abs(x[i]) * e[i];
                sabs += Math.abs(x[i] * g[i]);
            }
            if (sum > 0) {
                c = sxg / sum;
                noiseC = (sxe + 2.0 * nn * U * sabs) / sum;
            }
        }
        FirstOrder fo = floatFirstOrder(c, noiseC, sum);
        if (fo.verdict() != Verdict.HOLDS) {
            return build(fo, inherit(fo), inherit(fo), inheritStrict(fo), new Certificate.Counts(0, 0, 0), objective);
        }
        Kind[] kinds = new Kind[nn];
        int[] counts = new int[3];
        double delta = tol.degenerate();
        for (int i = 0; i < nn; i++) {
            double gc = g[i] - c;
            if (x[i] > delta * xi) {
                kinds[i] = Kind.S;
            } else if (gc > delta * gamma) {
                kinds[i] = Kind.A;
            } else {
                kinds[i] = Kind.D;
            }
            counts[kinds[i].ordinal()]++;
        }
        Certificate.Counts cc = new Certificate.Counts(counts[0], counts[1], counts[2]);
        if (hessianTrouble != null) {
            SecondOrder un = new SecondOrder(Verdict.UNDECIDED, null, "dense-eigen", null, hessianTrouble, null);
            return build(fo, un, un, new Strict(Verdict.UNDECIDED, null, "dense-eigen", null, hessianTrouble, null), cc,
                    objective);
        }
        SecondOrder[] so = floatSecondOrder(kinds);
        Strict strict = floatStrict(kinds, so[0]);
        return build(fo, so[0], so[1], strict, cc, objective);
    }

    // ---------------------------------------------------------------- exact mode

    Certificate exact() {
        ExactNmf ex = p.sparseData() != null ? ExactNmf.of(p.sparseData(), r) : ExactNmf.of(p.dense("exact mode"), r);
        FieldMatrix<BigFraction> we = ExactNmf.exact(w), he = ExactNmf.exact(h);
        FieldMatrix<BigFraction>[] gr = ex.gradient(we, he);
        BigFraction[] xe = new BigFraction[nn], ge = new BigFraction[nn];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < r; k++) {
                xe[i * r + k] = we.getEntry(i, k);
                ge[i * r + k] = gr[0].getEntry(i, k);
            }
        }
        for (int k = 0; k < r; k++) {
            for (int j = 0; j < m; j++) {
                xe[n * r + k * m + j] = he.getEntry(k, j);
                ge[n * r + k * m + j] = gr[1].getEntry(k, j);
            }
        }
        double objective = toDouble(ex.objective(we, he));
        FirstOrder fo = exactFirstOrder(xe, ge);
        if (fo.verdict() != Verdict.HOLDS) {
            return build(fo, inherit(fo), inherit(fo), inheritStrict(fo), new Certificate.Counts(0, 0, 0), objective);
        }
        BigFraction c = o.isSimplex() ? parseFraction(fo.multiplierExact()) : BigFraction.ZERO;
        Kind[] kinds = new Kind[nn];
        int[] counts = new int[3];
        for (int i = 0; i < nn; i++) {
            int sg = ge[i].subtract(c).signum();
            kinds[i] = xe[i].signum() > 0 ? Kind.S : sg > 0 ? Kind.A : Kind.D;
            counts[kinds[i].ordinal()]++;
        }
        Certificate.Counts cc = new Certificate.Counts(counts[0], counts[1], counts[2]);
        int[] u = coordinatesNot(kinds, Kind.A);
        int dim = u.length - (o.isSimplex() ? 1 : 0);
        if (dim > tol.maxExactDimension()) {
            String why = "reduced dimension " + dim + " > maxExactDimension " + tol.maxExactDimension()
                    + ": exact second-order decisions not attempted";
            SecondOrder un = new SecondOrder(Verdict.UNDECIDED, null, "exact-ldl", null, why, null);
            return build(fo, un, un, new Strict(Verdict.UNDECIDED, null, "exact-ldl", null, why, null), cc, objective);
        }
        ExactSecond es = new ExactSecond(ex, we, he, xe, kinds, u);
        return build(fo, es.paper(), es.cone(), es.strict(), cc, objective);
    }
}
