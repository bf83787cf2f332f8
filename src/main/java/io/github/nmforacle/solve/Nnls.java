package io.github.nmforacle.solve;

import io.github.nmforacle.linalg.Parallel;
import java.util.Arrays;

/**
 * Non-negative least squares by block principal pivoting (BPP): Kim and Park, "Fast nonnegative matrix
 * factorization: an active-set-like method and comparisons" (SIAM J. Sci. Comput. 33, 2011), Algorithm 1 for one
 * right-hand side and Algorithm 2 (grouping the right-hand sides that share a passive set) for many; the exchange
 * rules are those of Júdice and Pires (1994).
 *
 * <p>Problem, given G = AᵀA (q×q, symmetric positive semi-definite) and c = Aᵀb:
 * minimise ½ xᵀGx − cᵀx over x ≥ 0, which is min ‖Ax − b‖² over x ≥ 0 up to the constant ½‖b‖². The KKT
 * conditions are x ≥ 0, y = Gx − c ≥ 0, x_i y_i = 0, and they characterise the minimisers (convex problem).
 *
 * <p>BPP keeps a passive set F (the coordinates allowed to be non-zero) and its complement; for a given F,
 * x_F solves G_FF x_F = c_F, x = 0 off F, y = Gx − c off F and y = 0 on F. Infeasible coordinates are
 * i ∈ F with x_i &lt; 0 and i ∉ F with y_i &lt; 0. Rule: while infeasible coordinates remain, exchange them all
 * between F and its complement (full exchange), as long as their number decreases or has not decreased for at
 * most {@link #BACKUP_PATIENCE} consecutive steps; otherwise exchange only the infeasible coordinate of largest
 * index (the backup rule, Murty's single principal pivoting, which is finite in exact arithmetic: Júdice and Pires).
 * That finiteness needs G positive definite (a P-matrix). Two guards for the rest: a coordinate off F counts as
 * infeasible only if y_i is negative beyond its rounding error ({@link #Y_TOLERANCE}), and a right-hand side that
 * reaches {@link #maxPivots(int)} pivots (seen only with singular G) is solved again on G + δI
 * ({@link #REGULARIZATION}), which is positive definite; only if that too hits the cap is it a failure (x is then
 * the last iterate clipped at 0). Both are counted in {@link Stats}.
 *
 * <p>Singular G (e.g. a zero column of W in ANLS) is handled by a Cholesky factorization of G_FF that drops a
 * coordinate whose pivot is at or below {@link SmallSymmetric#PIVOT_TOLERANCE}·G_ii (numerically in the span of
 * the earlier ones): the dropped coordinate gets x_i = 0 and the rest solves the reduced system, which is still a
 * minimiser over the span of F when c lies in the range of G (true for c = Aᵀb).
 *
 * <p>Every right-hand side is solved by the same sequence of floating-point operations whatever the grouping and
 * the thread count (the factorization of G_FF depends only on F), so results are bit-identical for any
 * {@link Parallel}.
 */
public final class Nnls {
    /** Full exchanges allowed without a decrease of the number of infeasible coordinates (Kim and Park's α = 3). */
    public static final int BACKUP_PATIENCE = 3;

    /**
     * A coordinate off F counts as infeasible only if y_i &lt; −{@value}·(|c_i| + Σ_j |G_ij x_j|): below the rounding
     * error of the sum that gives y_i (about q·2⁻⁵³ times that size), so a y_i that is 0 in exact arithmetic is never
     * taken for negative. Without it, singular G (where y_i = 0 exactly on many coordinates) makes the pivoting flip
     * on rounding noise.
     */
    public static final double Y_TOLERANCE = 1e-12;

    /** δ/max_i G_ii of the fallback G + δI, see {@link #maxPivots(int)}. */
    public static final double REGULARIZATION = 1e-10;

    /** Right-hand sides per block of {@link #solveRows}: fixed, so blocks do not depend on the thread count. */
    static final int RHS_BLOCK = 256;

    private Nnls() {
    }

    /** Cap on pivot steps for one right-hand side with q unknowns (far above what BPP needs in practice). */
    public static int maxPivots(int q) {
        return 1000 + 50 * q;
    }

    /**
     * One solve.
     *
     * @param x          the minimiser (x ≥ 0)
     * @param pivots     exchange steps performed (0 when the starting passive set was already optimal)
     * @param backups    how many of them used the backup (single-exchange) rule
     * @param regularized true when the pivot cap was hit on G and x solves the problem on G + δI instead
     * @param converged  false only when the cap was hit on G + δI too (x is then clipped, not a minimiser)
     */
    public record Result(double[] x, int pivots, int backups, boolean regularized, boolean converged) {
    }

    /**
     * Totals over many right-hand sides.
     *
     * @param systems        right-hand sides solved
     * @param pivots         pivot steps over all of them
     * @param maxPivots      the largest number of pivot steps of one right-hand side
     * @param backups        pivot steps that used the backup rule
     * @param factorizations Cholesky factorizations (one per group of right-hand sides sharing a passive set, per step)
     * @param regularized    right-hand sides that hit the pivot cap and were solved again on G + δI
     * @param failures       right-hand sides that hit the cap on G + δI too (x is then the last iterate clipped at 0)
     */
    public record Stats(int systems, long pivots, int maxPivots, long backups, long factorizations, int regularized,
                        int failures) {
        static final Stats NONE = new Stats(0, 0, 0, 0, 0, 0, 0);

        Stats plus(Stats o) {
            return new Stats(systems + o.systems, pivots + o.pivots, Math.max(maxPivots, o.maxPivots),
                    backups + o.backups, factorizations + o.factorizations, regularized + o.regularized,
                    failures + o.failures);
        }
    }

    /** argmin_{x ≥ 0} ½ xᵀ(AᵀA)x − (Aᵀb)ᵀx, i.e. argmin_{x ≥ 0} ‖Ax − b‖², from AᵀA (q×q) and Aᵀb; cold start. */
    public static double[] solve(double[][] ata, double[] atb) {
        return solveDetailed(ata, atb).x();
    }

    /** {@link #solve} with the pivot counts. */
    public static Result solveDetailed(double[][] ata, double[] atb) {
        int q = atb.length;
        if (ata.length != q) {
            throw new IllegalArgumentException("AtA has " + ata.length + " rows, expected " + q);
        }
        double[] g = new double[q * q];
        for (int i = 0; i < q; i++) {
            if (ata[i].length != q) {
                throw new IllegalArgumentException("AtA row " + (i + 1) + " has " + ata[i].length + " entries, expected " + q);
            }
            System.arraycopy(ata[i], 0, g, i * q, q);
        }
        double[] x = new double[q];
        Block b = new Block(g, q, atb.clone(), x, 0, 1, false);
        b.run();
        return new Result(x, b.pivotsOf[0], b.backupsOf[0], b.regularizedOf[0] == 1, b.failedOf[0] == 0);
    }

    /**
     * Solves k problems sharing G: for each row t of {@code rhs} (k×q, row-major) the row t of {@code x} (k×q) becomes
     * argmin_{x ≥ 0} ½ xᵀGx − rhs_tᵀx. With {@code warmStart} the starting passive set of row t is {i : x_ti &gt; 0}
     * (Kim and Park's warm start from the previous ANLS iterate), otherwise it is empty.
     *
     * @param gram G, q×q row-major
     */
    public static Stats solveRows(double[] gram, int q, double[] rhs, int k, double[] x, boolean warmStart, Parallel par) {
        if (gram.length != q * q || rhs.length != k * q || x.length != k * q) {
            throw new IllegalArgumentException("shapes: G " + gram.length + " (want " + q * q + "), rhs " + rhs.length
                    + " and x " + x.length + " (want " + (long) k * q + ")");
        }
        int blocks = Parallel.blockCount(k, RHS_BLOCK);
        Stats[] partial = new Stats[Math.max(blocks, 1)];
        Arrays.fill(partial, Stats.NONE);
        par.forBlocks(k, RHS_BLOCK, (blk, from, to) -> {
            Block b = new Block(gram, q, rhs, x, from, to, warmStart);
            b.run();
            partial[blk] = b.stats();
        });
        Stats s = Stats.NONE;
        for (Stats p : partial) {
            s = s.plus(p);
        }
        return s;
    }

    /** BPP on the right-hand sides [from, to), all columns stepping together (Kim and Park, Algorithm 2). */
    private static final class Block {
        private final double[] g;
        private final int q;
        private final double[] rhs;
        private final double[] x;
        private final int from;
        private final int count;
        private final boolean[] passive;
        private final double[] y;
        private final double[] yNoise;
        private final int[] best;
        private final int[] patience;
        final int[] pivotsOf;
        final int[] backupsOf;
        final int[] failedOf;
        final int[] regularizedOf;
        private long factorizations;
        private boolean regularizedRun;

        Block(double[] g, int q, double[] rhs, double[] x, int from, int to, boolean warm) {
            this.g = g;
            this.q = q;
            this.rhs = rhs;
            this.x = x;
            this.from = from;
            this.count = to - from;
            this.passive = new boolean[count * q];
            this.y = new double[count * q];
            this.yNoise = new double[count * q];
            this.best = new int[count];
            this.patience = new int[count];
            this.pivotsOf = new int[count];
            this.backupsOf = new int[count];
            this.failedOf = new int[count];
            this.regularizedOf = new int[count];
            for (int c = 0; c < count; c++) {
                best[c] = q + 1;
                patience[c] = BACKUP_PATIENCE;
                for (int i = 0; i < q; i++) {
                    passive[c * q + i] = warm && x[(from + c) * q + i] > 0;
                }
            }
        }

        Stats stats() {
            long piv = 0, back = 0;
            int max = 0, fail = 0, reg = 0;
            for (int c = 0; c < count; c++) {
                piv += pivotsOf[c];
                back += backupsOf[c];
                max = Math.max(max, pivotsOf[c]);
                fail += failedOf[c];
                reg += regularizedOf[c];
            }
            return new Stats(count, piv, max, back, factorizations, reg, fail);
        }

        void run() {
            int[] open = new int[count];
            for (int c = 0; c < count; c++) {
                open[c] = c;
            }
            int openCount = count;
            int cap = maxPivots(q);
            boolean[] done = new boolean[count];
            int[] infeasible = new int[q];
            while (openCount > 0) {
                solvePassive(open, openCount);
                int next = 0;
                for (int o = 0; o < openCount; o++) {
                    int c = open[o];
                    int base = c * q;
                    int row = (from + c) * q;
                    int nInf = 0;
                    for (int i = 0; i < q; i++) {
                        boolean bad = passive[base + i] ? x[row + i] < 0 : y[base + i] < -yNoise[base + i];
                        if (bad) {
                            infeasible[nInf++] = i;
                        }
                    }
                    if (nInf == 0) {
                        done[c] = true;
                        continue;
                    }
                    if (pivotsOf[c] >= cap) {
                        failedOf[c] = 1;
                        for (int i = 0; i < q; i++) {
                            x[row + i] = Math.max(0.0, x[row + i]);
                        }
                        done[c] = true;
                        continue;
                    }
                    pivotsOf[c]++;
                    if (nInf < best[c]) {
                        best[c] = nInf;
                        patience[c] = BACKUP_PATIENCE;
                        flip(base, infeasible, nInf);
                    } else if (patience[c] >= 1) {
                        patience[c]--;
                        flip(base, infeasible, nInf);
                    } else {
                        backupsOf[c]++;
                        int i = infeasible[nInf - 1];          // the largest infeasible index
                        passive[base + i] = !passive[base + i];
                    }
                    open[next++] = c;
                }
                openCount = next;
            }
            for (int c = 0; c < count; c++) {
                if (failedOf[c] == 1 && !regularizedRun) {
                    retryRegularized(c);
                }
            }
        }

        /**
         * Fallback after the pivot cap (seen only with singular G, where principal pivoting has no finiteness
         * guarantee: G is not a P-matrix): the same problem on G + δI, δ = {@value #REGULARIZATION}·max_i G_ii,
         * which is positive definite, cold start.
         */
        private void retryRegularized(int c) {
            double max = 0;
            for (int i = 0; i < q; i++) {
                max = Math.max(max, g[i * q + i]);
            }
            double delta = REGULARIZATION * (max > 0 ? max : 1.0);
            double[] reg = g.clone();
            for (int i = 0; i < q; i++) {
                reg[i * q + i] += delta;
            }
            int row = (from + c) * q;
            double[] xr = new double[q];
            Block b = new Block(reg, q, java.util.Arrays.copyOfRange(rhs, row, row + q), xr, 0, 1, false);
            b.regularizedRun = true;
            b.run();
            factorizations += b.factorizations;
            pivotsOf[c] += b.pivotsOf[0];
            backupsOf[c] += b.backupsOf[0];
            regularizedOf[c] = 1;
            if (b.failedOf[0] == 0) {
                failedOf[c] = 0;
                System.arraycopy(xr, 0, x, row, q);
            }
        }

        private void flip(int base, int[] idx, int len) {
            for (int t = 0; t < len; t++) {
                passive[base + idx[t]] = !passive[base + idx[t]];
            }
        }

        /** For every open column: x_F = G_FF⁻¹ c_F, x = 0 off F, y = Gx − c off F, y = 0 on F; one factorization per F. */
        private void solvePassive(int[] open, int openCount) {
            boolean[] handled = new boolean[count];
            int[] idx = new int[q];
            double[] l = new double[q * q];
            boolean[] dropped = new boolean[q];
            double[] z = new double[q];
            for (int o = 0; o < openCount; o++) {
                int c = open[o];
                if (handled[c]) {
                    continue;
                }
                int p = 0;
                for (int i = 0; i < q; i++) {
                    if (passive[c * q + i]) {
                        idx[p++] = i;
                    }
                }
                if (p > 0) {
                    factor(idx, p, l, dropped);
                    factorizations++;
                }
                for (int o2 = o; o2 < openCount; o2++) {
                    int c2 = open[o2];
                    if (handled[c2] || (c2 != c && !samePattern(c, c2))) {
                        continue;
                    }
                    handled[c2] = true;
                    solveOne(c2, idx, p, l, dropped, z);
                }
            }
        }

        private boolean samePattern(int a, int b) {
            return Arrays.equals(passive, a * q, a * q + q, passive, b * q, b * q + q);
        }

        /** Cholesky of G_FF (F = idx[0..p)), dropping numerically dependent coordinates. */
        private void factor(int[] idx, int p, double[] l, boolean[] dropped) {
            Arrays.fill(l, 0, p * p, 0.0);
            for (int a = 0; a < p; a++) {
                int ia = idx[a];
                double gaa = g[ia * q + ia];
                double d = gaa;
                for (int t = 0; t < a; t++) {
                    d -= l[a * p + t] * l[a * p + t];
                }
                if (!(gaa > 0) || !(d > SmallSymmetric.PIVOT_TOLERANCE * gaa)) {
                    dropped[a] = true;
                    continue;
                }
                dropped[a] = false;
                double laa = Math.sqrt(d);
                l[a * p + a] = laa;
                for (int s = a + 1; s < p; s++) {
                    double v = g[idx[s] * q + ia];
                    for (int t = 0; t < a; t++) {
                        v -= l[s * p + t] * l[a * p + t];
                    }
                    l[s * p + a] = v / laa;
                }
            }
        }

        private void solveOne(int c, int[] idx, int p, double[] l, boolean[] dropped, double[] z) {
            int row = (from + c) * q;
            int base = c * q;
            for (int a = 0; a < p; a++) {
                if (dropped[a]) {
                    z[a] = 0;
                    continue;
                }
                double v = rhs[row + idx[a]];
                for (int t = 0; t < a; t++) {
                    v -= l[a * p + t] * z[t];
                }
                z[a] = v / l[a * p + a];
            }
            Arrays.fill(x, row, row + q, 0.0);
            for (int a = p - 1; a >= 0; a--) {
                if (dropped[a]) {
                    continue;
                }
                double v = z[a];
                for (int t = a + 1; t < p; t++) {
                    v -= l[t * p + a] * x[row + idx[t]];
                }
                x[row + idx[a]] = v / l[a * p + a];
            }
            for (int i = 0; i < q; i++) {
                if (passive[base + i]) {
                    y[base + i] = 0;
                    continue;
                }
                double v = -rhs[row + i];
                double size = Math.abs(v);
                for (int a = 0; a < p; a++) {
                    int j = idx[a];
                    double t = g[i * q + j] * x[row + j];
                    v += t;
                    size += Math.abs(t);
                }
                y[base + i] = v;
                yNoise[base + i] = Y_TOLERANCE * size;
            }
        }
    }
}
