package io.github.nmforacle.theory;

import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.ExactNmf;
import org.hipparchus.fraction.BigFraction;
import org.hipparchus.fraction.BigFractionField;
import org.hipparchus.linear.FieldMatrix;
import org.hipparchus.linear.MatrixUtils;

/** A point (W, H) of an instance V in exact rationals, with the quantities the lemmas talk about. */
public final class Exact {
    public final ExactNmf f;
    public final FieldMatrix<BigFraction> w;
    public final FieldMatrix<BigFraction> h;
    public final int n, m, r;
    private FieldMatrix<BigFraction>[] grad;

    public Exact(ExactNmf f, FieldMatrix<BigFraction> w, FieldMatrix<BigFraction> h) {
        this.f = f;
        this.w = w;
        this.h = h;
        this.n = f.n();
        this.m = f.m();
        this.r = f.rank();
    }

    public static Exact of(DenseMatrix v, DenseMatrix w, DenseMatrix h) {
        return new Exact(ExactNmf.of(v, w.cols()), ExactNmf.exact(w), ExactNmf.exact(h));
    }

    public static FieldMatrix<BigFraction> zeros(int rows, int cols) {
        return MatrixUtils.createFieldMatrix(BigFractionField.getInstance(), rows, cols);
    }

    /** ∇F = (∂F/∂W, ∂F/∂H), paper (6). */
    public FieldMatrix<BigFraction>[] gradient() {
        if (grad == null) {
            grad = f.gradient(w, h);
        }
        return grad;
    }

    public BigFraction objective() {
        return f.objective(w, h);
    }

    /** dᵀ∇²F d. */
    public BigFraction curvature(FieldMatrix<BigFraction> dw, FieldMatrix<BigFraction> dh) {
        return f.hessianQuadraticForm(w, h, dw, dh);
    }

    /** ‖W^k‖₁ (column sum; W ≥ 0). */
    public BigFraction columnSum(int k) {
        BigFraction s = BigFraction.ZERO;
        for (int i = 0; i < n; i++) {
            s = s.add(w.getEntry(i, k));
        }
        return s;
    }

    /** ‖H_k‖₁ (row sum; H ≥ 0). */
    public BigFraction rowSum(int k) {
        BigFraction s = BigFraction.ZERO;
        for (int j = 0; j < m; j++) {
            s = s.add(h.getEntry(k, j));
        }
        return s;
    }

    /** ΣW + ΣH. */
    public BigFraction mass() {
        BigFraction s = BigFraction.ZERO;
        for (int k = 0; k < r; k++) {
            s = s.add(columnSum(k)).add(rowSum(k));
        }
        return s;
    }

    /** ‖V‖²_F. */
    public BigFraction dataNormSquared() {
        return ExactNmf.frobeniusSquared(f.data());
    }

    /** ‖W H‖²_F. */
    public BigFraction productNormSquared() {
        return ExactNmf.frobeniusSquared(w.multiply(h));
    }

    /** ‖W^k H_k‖²_F = ‖W^k‖²₂ ‖H_k‖²₂. */
    public BigFraction rankOneNormSquared(int k) {
        BigFraction a = BigFraction.ZERO, b = BigFraction.ZERO;
        for (int i = 0; i < n; i++) {
            a = a.add(w.getEntry(i, k).multiply(w.getEntry(i, k)));
        }
        for (int j = 0; j < m; j++) {
            b = b.add(h.getEntry(k, j).multiply(h.getEntry(k, j)));
        }
        return a.multiply(b);
    }

    /**
     * C &gt; C* = 2r(nm)^{1/4}√‖V‖_F, decided exactly: both sides are positive, so compare fourth powers,
     * C⁴ &gt; 16 r⁴ nm ‖V‖²_F.
     */
    public boolean aboveThreshold(BigFraction c) {
        BigFraction c4 = c.pow(4);
        BigFraction rhs = new BigFraction(16L * r * r * r * r * n * m).multiply(dataNormSquared());
        return c.signum() > 0 && c4.compareTo(rhs) > 0;
    }
}
