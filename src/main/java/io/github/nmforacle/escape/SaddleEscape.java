package io.github.nmforacle.escape;

import io.github.nmforacle.certify.Certificate;
import io.github.nmforacle.certify.Certificate.DirectionWitness;
import io.github.nmforacle.certify.Certifier;
import io.github.nmforacle.certify.CertifyOptions;
import io.github.nmforacle.certify.Mode;
import io.github.nmforacle.certify.Verdict;
import io.github.nmforacle.linalg.DataMatrix;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.LinePath;
import io.github.nmforacle.problem.NmfProblem;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.Solver;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.solve.TraceRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Certified saddle escape around any {@link Solver} (issue 14, item 4; proofs-notes/saddle-escape.md). Runs the base
 * solver, certifies its output in float mode, and while first order HOLDS and the cone claim is not HOLDS but a
 * second-order claim FAILS with a verified direction witness d (of K, or of L), steps to x + t·d with t the exact
 * minimiser of the quartic F(x + t d) over the interval that keeps x + t d ≥ 0, requires F to decrease strictly, and
 * restarts the base solver from there with the same options (iteration budget and time limit apply to each run); at
 * most {@code maxEscapes} steps. The run ends when sospCone HOLDS ("certified
 * SOSP within tolerance") or says precisely why not. Deterministic for a seed (the base solver's seed is reused on every
 * restart; the certifier and the line search involve no randomness beyond the certificate's seed).
 */
public final class SaddleEscape implements Solver {
    public static final int DEFAULT_MAX_ESCAPES = 10;

    private final Solver base;
    private final CertifyOptions certify;
    private final int maxEscapes;

    /**
     * @param base       the algorithm to wrap
     * @param certify    certificate options; must be float mode, NMF (no simplex sum)
     * @param maxEscapes at most this many steps along witnesses (≥ 0; 0 only certifies the base run)
     */
    public SaddleEscape(Solver base, CertifyOptions certify, int maxEscapes) {
        if (base == null || certify == null) {
            throw new IllegalArgumentException("a base solver and certificate options are required");
        }
        if (certify.mode() != Mode.FLOAT || certify.isSimplex()) {
            throw new IllegalArgumentException("the saddle escape certifies NMF in float mode");
        }
        if (maxEscapes < 0) {
            throw new IllegalArgumentException("the number of escapes must be >= 0, got " + maxEscapes);
        }
        this.base = base;
        this.certify = certify;
        this.maxEscapes = maxEscapes;
    }

    /** The base solver with default float tolerances and {@link #DEFAULT_MAX_ESCAPES}. */
    public static SaddleEscape around(Solver base) {
        return new SaddleEscape(base, CertifyOptions.nmf(Mode.FLOAT), DEFAULT_MAX_ESCAPES);
    }

    /** How an escaped run ended. */
    public enum Status {
        /** sospCone HOLDS at the returned point (within the certificate's tolerances). */
        CERTIFIED_SOSP,
        /** fosp is FAILS or UNDECIDED at the returned point: no escape direction is defined. */
        NOT_FOSP,
        /** first order HOLDS, no second-order claim FAILS with a direction, and sospCone is UNDECIDED. */
        UNDECIDED,
        /** the step along the witness did not decrease F (no feasible step, or rounding ate the decrease). */
        NO_DECREASE,
        /** sospCone still FAILS after {@code maxEscapes} escapes. */
        BUDGET
    }

    /**
     * One escape step.
     *
     * @param escape          1, 2, … in order
     * @param iteration       the base iterations done before the step (cumulative)
     * @param objectiveBefore F at the certified saddle
     * @param objectiveAfter  F after the step (before the base solver restarts), &lt; objectiveBefore
     * @param step            t, for the witness scaled to ‖d‖_F = 1 (the distance moved)
     * @param curvature       dᵀ∇²F d/‖d‖² of the certificate's witness
     * @param set             "K" or "L": where the witness lies
     */
    public record Step(int escape, int iteration, double objectiveBefore, double objectiveAfter, double step,
                       double curvature, String set) {
        /** One line: {@code escape 1 at iteration 3000: F 1.113e-02 -> 4.5e-03, step t = …, K witness, curvature …}. */
        public String describe() {
            return String.format(Locale.ROOT, "escape %d at iteration %d: F %.6e -> %.6e, step t = %.4e along a %s witness"
                    + " of curvature %.4e", escape, iteration, objectiveBefore, objectiveAfter, step, set, curvature);
        }
    }

    /**
     * The escaped run.
     *
     * @param result      the final point, with the trace of all base runs: iterations are counted across restarts and each
     *                    escape counts as one (the restart's first row, the point after the step, is iteration N + 1 when
     *                    the step was taken after N); seconds are wall-clock, certification included
     * @param steps       the escape steps taken, in order
     * @param status      how it ended
     * @param reason      one line: "certified SOSP within tolerance …" or why not
     * @param certificate the float certificate of the returned point
     */
    public record Outcome(SolveResult result, List<Step> steps, Status status, String reason, Certificate certificate) {
        public Outcome {
            steps = List.copyOf(steps);
        }
    }

    @Override
    public String name() {
        return base.name() + "+escape";
    }

    @Override
    public SolveResult solve(DenseMatrix v, SolverOptions options) {
        return run(v, options).result();
    }

    @Override
    public SolveResult solve(DataMatrix v, SolverOptions options) {
        return run(v, options).result();
    }

    /**
     * Runs the base solver with escapes (see the class comment); a sparse V stays sparse where the base solver and the
     * certifier keep it so (the step's quartic by r×r Grams, {@link LinePath#of(NmfProblem, DenseMatrix, DenseMatrix,
     * DenseMatrix, DenseMatrix)}).
     */
    public Outcome run(DataMatrix v, SolverOptions options) {
        long start = System.nanoTime();
        SolveResult res = base.solve(v, options);
        List<TraceRow> trace = new ArrayList<>(res.trace());
        int iterations = res.iterations();
        List<Step> steps = new ArrayList<>();
        NmfProblem p = NmfProblem.of(v, options.rank());
        while (true) {
            Certificate c = Certifier.certify(v, res.w(), res.h(), certify);
            SolveResult total = new SolveResult(name(), res.w(), res.h(), trace, res.stopReason(), iterations,
                    res.normalisedObjective(), res.relativeError(), (System.nanoTime() - start) * 1e-9, res.exponent(),
                    res.flushedEntries());
            if (c.fosp().verdict() != Verdict.HOLDS) {
                return new Outcome(total, steps, Status.NOT_FOSP, "fosp " + c.fosp().verdict() + ": " + c.fosp().reason(), c);
            }
            if (c.sospCone().verdict() == Verdict.HOLDS) {
                String paper = c.sospPaper().verdict() == Verdict.HOLDS ? ""
                        : "; sospPaper " + c.sospPaper().verdict() + " (the paper's subspace L is larger than K)";
                return new Outcome(total, steps, Status.CERTIFIED_SOSP, "certified SOSP within tolerance (sospCone HOLDS"
                        + after(steps) + ")" + paper, c);
            }
            DirectionWitness d = witness(c);
            if (d == null) {
                return new Outcome(total, steps, Status.UNDECIDED, "sospCone " + c.sospCone().verdict() + ": "
                        + c.sospCone().reason() + "; no second-order claim FAILS with a direction to step along", c);
            }
            if (steps.size() == maxEscapes) {
                return new Outcome(total, steps, Status.BUDGET, "sospCone " + c.sospCone().verdict() + " after " + steps.size()
                        + " escapes, the budget (--max-escapes): " + c.sospCone().reason(), c);
            }
            Move mv = move(p, res.w(), res.h(), d);
            if (!(mv.after < mv.before)) {
                return new Outcome(total, steps, Status.NO_DECREASE, String.format(Locale.ROOT, "sospCone %s, but the step"
                        + " along its %s witness (curvature %.4e) does not decrease F (%.6e -> %.6e, t = %.4e, feasible t in"
                        + " [%.4e, %.4e])", c.sospCone().verdict(), d.set(), mv.curvature, mv.before, mv.after, mv.t, mv.lo,
                        mv.hi), c);
            }
            steps.add(new Step(steps.size() + 1, iterations, mv.before, mv.after, Math.abs(mv.t), mv.curvature, d.set()));
            // the escape counts as one update: the restart's row 0 (the point after the step) is iteration N + 1
            iterations++;
            double seconds = (System.nanoTime() - start) * 1e-9;
            res = base.solve(v, options.withInitial(new FactorPair(mv.w, mv.h)));
            for (TraceRow t : res.trace()) {
                trace.add(new TraceRow(t.iteration() + iterations, t.normalisedObjective(), t.relativeError(),
                        t.normalisedResidual(), t.normalisedStep(), t.seconds() + seconds, t.exponent(), t.stepPower()));
            }
            iterations += res.iterations();
        }
    }

    private static String after(List<Step> steps) {
        return steps.isEmpty() ? ", no escape needed" : ", after " + steps.size() + (steps.size() == 1 ? " escape" : " escapes");
    }

    /** The cone claim's witness when it FAILS with a direction, else the paper claim's, else null. */
    static DirectionWitness witness(Certificate c) {
        if (c.sospCone().verdict() == Verdict.FAILS && c.sospCone().witness() instanceof DirectionWitness d) {
            return d;
        }
        if (c.sospPaper().verdict() == Verdict.FAILS && c.sospPaper().witness() instanceof DirectionWitness d) {
            return d;
        }
        return null;
    }

    /** The step along a witness: the point, t (for ‖d‖ = 1), the feasible interval and F before and after. */
    record Move(DenseMatrix w, DenseMatrix h, double t, double lo, double hi, double before, double after, double curvature) {
    }

    /**
     * x + t·d̂, d̂ = d/‖d‖_F, with t the minimiser of the quartic F(x + t d̂) over the t that keep every entry ≥ 0
     * (t ≤ x_i/|d̂_i| where d̂_i &lt; 0, and for t &lt; 0, |t| ≤ x_i/d̂_i where d̂_i &gt; 0: a witness of L may be taken either
     * way, one of K only forwards when it is positive on a zero coordinate). Entries that the bound brings to a rounding
     * error below 0 are set to 0, the value the exact step gives them.
     */
    static Move move(NmfProblem p, DenseMatrix w, DenseMatrix h, DirectionWitness d) {
        DenseMatrix dw = parse(d.dW()), dh = parse(d.dH());
        double norm = Math.hypot(dw.frobeniusNorm(), dh.frobeniusNorm());
        if (!(norm > 0) || Double.isInfinite(norm)) {
            throw new IllegalStateException("the certificate's witness has norm " + norm);
        }
        for (double[] a : new double[][] {dw.data(), dh.data()}) {
            for (int i = 0; i < a.length; i++) {
                a[i] /= norm;
            }
        }
        double lo = Double.NEGATIVE_INFINITY, hi = Double.POSITIVE_INFINITY;
        double[][] xs = {w.data(), h.data()}, ds = {dw.data(), dh.data()};
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < xs[b].length; i++) {
                double x = xs[b][i], di = ds[b][i];
                if (di < 0) {
                    hi = Math.min(hi, x / -di);
                } else if (di > 0) {
                    lo = Math.max(lo, -x / di);
                }
            }
        }
        LinePath path = LinePath.of(p, w, h, dw, dh);
        double before = p.objective(w, h);
        double t = path.argmin(lo, hi);
        DenseMatrix nw = w.copy(), nh = h.copy();
        double[][] ns = {nw.data(), nh.data()};
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < ns[b].length; i++) {
                ns[b][i] = Math.max(0, ns[b][i] + t * ds[b][i]);
            }
        }
        double after = p.objective(nw, nh);
        return new Move(nw, nh, t, lo, hi, before, after, d.curvature() / (norm * norm));
    }

    private static DenseMatrix parse(String[][] a) {
        int rows = a.length, cols = rows == 0 ? 0 : a[0].length;
        DenseMatrix out = DenseMatrix.zeros(rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out.set(i, j, Certifier.toDouble(a[i][j]));
            }
        }
        return out;
    }
}
