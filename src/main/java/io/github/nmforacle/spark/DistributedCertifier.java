package io.github.nmforacle.spark;

import io.github.nmforacle.certify.Certificate;
import io.github.nmforacle.certify.Certifier;
import io.github.nmforacle.certify.CertifyOptions;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.NmfProblem;

/**
 * Certifies (W, H) for a V held as Spark row blocks (issue 15 item 2): the single-JVM certifier's float mode
 * ({@link Certifier#certify(NmfProblem, DenseMatrix, DenseMatrix, CertifyOptions)}) on a {@link SparkDataBackend},
 * so every access to V is a job over the blocks with partials combined in block order (deterministic) and every
 * rounding bound over the rows of V lengthened by the block count (proofs-notes/certifier.md, "Distributed V").
 */
public final class DistributedCertifier {
    private DistributedCertifier() {
    }

    /**
     * @throws IllegalArgumentException for exact mode, a bad V entry, rank, W or H (one line naming it)
     */
    public static Certificate certify(BlockedMatrix v, DenseMatrix w, DenseMatrix h, CertifyOptions o) {
        if (w.rows() != v.n() || h.cols() != v.m() || w.cols() != h.rows()) {
            throw new IllegalArgumentException("shapes do not fit: V is " + v.n() + "x" + v.m() + ", W is " + w.shape()
                    + ", H is " + h.shape() + " (need W n×r and H r×m)");
        }
        if (o.mode() == io.github.nmforacle.certify.Mode.EXACT) {
            throw new IllegalArgumentException("exact mode needs all of V on one machine: a distributed V is certified"
                    + " in float mode only");
        }
        return Certifier.certify(NmfProblem.of(new SparkDataBackend(v), w.cols()), w, h, o);
    }
}
