package io.github.nmforacle.problem;

import io.github.nmforacle.linalg.DenseMatrix;

/**
 * A pair (W-part, H-part) of shapes n×r and r×m: a point x = (W, H), a direction d = (dW, dH), a
 * gradient (∂F/∂W, ∂F/∂H) or a Hessian-vector product. Flattened coordinates follow
 * {@link NmfProblem#indexW} and {@link NmfProblem#indexH}.
 */
public record FactorPair(DenseMatrix w, DenseMatrix h) {
    public FactorPair {
        if (w.cols() != h.rows()) {
            throw new IllegalArgumentException("W is " + w.shape() + " but H is " + h.shape() + ": inner dimensions differ");
        }
    }

    /** ⟨this, o⟩ = Σ w∘o.w + Σ h∘o.h. */
    public double dot(FactorPair o) {
        double s = 0;
        double[] a = w.data(), b = o.w.data();
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        a = h.data();
        b = o.h.data();
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** The coordinates as one vector, W row-major then H row-major. */
    public double[] flatten() {
        double[] x = new double[w.data().length + h.data().length];
        System.arraycopy(w.data(), 0, x, 0, w.data().length);
        System.arraycopy(h.data(), 0, x, w.data().length, h.data().length);
        return x;
    }

    /** Inverse of {@link #flatten()}. */
    public static FactorPair unflatten(double[] x, int n, int r, int m) {
        if (x.length != n * r + r * m) {
            throw new IllegalArgumentException("vector of length " + x.length + ", expected (n+m)r = " + (n * r + r * m));
        }
        double[] w = java.util.Arrays.copyOfRange(x, 0, n * r);
        double[] h = java.util.Arrays.copyOfRange(x, n * r, x.length);
        return new FactorPair(new DenseMatrix(n, r, w), new DenseMatrix(r, m, h));
    }
}
