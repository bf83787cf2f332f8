package io.github.nmforacle.audit;

import io.github.nmforacle.certify.Certificate;
import io.github.nmforacle.certify.Certifier;
import io.github.nmforacle.certify.CertifyOptions;
import io.github.nmforacle.certify.Mode;
import io.github.nmforacle.certify.Tolerances;
import io.github.nmforacle.certify.Verdict;
import io.github.nmforacle.escape.SaddleEscape;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.solve.ExternalSolver;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.Solver;
import io.github.nmforacle.solve.SolverOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Runs solvers from several starts, certifies every output (float mode) and tabulates where each solver ends:
 * SOSP HOLDS, FOSP only (a certified saddle), not FOSP, or UNDECIDED.
 */
public final class Audit {
    private Audit() {
    }

    /** Where a run ended, by its certificate. */
    public enum Outcome {
        SOSP("SOSP holds"), SADDLE("FOSP, not SOSP"), NOT_FOSP("not FOSP"), UNDECIDED("undecided"),
        /** An external solver misbehaved (crash, timeout, bad output): a finding about it, nothing was certified. */
        FAILED("solver failed");

        public final String label;

        Outcome(String label) {
            this.label = label;
        }

        static Outcome of(Certificate c) {
            if (c.fosp().verdict() == Verdict.FAILS) {
                return NOT_FOSP;
            }
            if (c.fosp().verdict() == Verdict.UNDECIDED) {
                return UNDECIDED;
            }
            return switch (c.sospPaper().verdict()) {
                case HOLDS -> SOSP;
                case FAILS -> SADDLE;
                default -> UNDECIDED;
            };
        }
    }

    /**
     * @param maxIterations      per run
     * @param objectiveTolerance relative objective change that stops a run
     * @param tolerances         of the float certificates
     * @param escapes            0: each solver as it is; k &gt; 0: each solver wrapped in a {@link SaddleEscape} with at most
     *                           k escapes (named {@code <solver>+escape}), certified with the same tolerances
     */
    public record Options(int starts, long seed, int maxIterations, double objectiveTolerance, Tolerances tolerances, int threads,
                          int escapes) {
        public Options(int starts, long seed, int maxIterations, double objectiveTolerance, Tolerances tolerances, int threads) {
            this(starts, seed, maxIterations, objectiveTolerance, tolerances, threads, 0);
        }

        public Options {
            if (escapes < 0) {
                throw new IllegalArgumentException("escapes must be >= 0 (0: no escape), got " + escapes);
            }
            if (starts < 1) {
                throw new IllegalArgumentException("starts must be at least 1, got " + starts);
            }
            if (maxIterations < 1) {
                throw new IllegalArgumentException("maxIterations must be at least 1, got " + maxIterations);
            }
        }

        public static Options defaults() {
            return new Options(5, 1L, 2000, 1e-9, Tolerances.DEFAULT, 0);
        }
    }

    /**
     * One solver run and its certificate's summary.
     *
     * @param escapes      escape steps taken (0 for a solver that is not wrapped in a {@link SaddleEscape})
     * @param escapeStatus how the escape ended ({@link SaddleEscape.Status}), null for a solver that is not wrapped
     */
    public record Run(String solver, String instance, int start, Outcome outcome, double objective, double relativeError,
                      int iterations, double seconds, String stopReason, String fosp, Double fospResidual, String sospPaper,
                      String reason, int escapes, String escapeStatus) {
    }

    /** Per (solver, instance): counts per outcome and medians. */
    public record Summary(String solver, String instance, Map<Outcome, Integer> counts, double medianObjective,
                          double bestObjective, double medianIterations, double medianSeconds) {
    }

    /** Runs every solver on every instance from {@code starts} starts; {@code progress} is told each finished run. */
    public static List<Run> run(List<Solver> solvers, List<AuditInstance> instances, Options o, IntConsumer progress) {
        List<Run> runs = new ArrayList<>();
        int done = 0;
        for (AuditInstance inst : instances) {
            SplittableRandom rnd = new SplittableRandom(o.seed());
            long[] seeds = new long[o.starts()];
            for (int s = 0; s < seeds.length; s++) {
                seeds[s] = rnd.nextLong();
            }
            for (Solver plain : solvers) {
                Solver solver = o.escapes() == 0 ? plain
                        : new SaddleEscape(plain, certifyOptions(o.tolerances(), o.threads()), o.escapes());
                for (int s = 0; s < o.starts(); s++) {
                    SolverOptions so = SolverOptions.rank(inst.rank()).withMaxIterations(o.maxIterations())
                            .withObjectiveTolerance(o.objectiveTolerance()).withSeed(seeds[s]).withThreads(o.threads());
                    if (inst.start() != null) {
                        so = so.withInitial(inst.start().apply(seeds[s]));
                    }
                    runs.add(one(solver, inst.name(), inst.v(), so, s, o.tolerances(), o.threads()));
                    if (progress != null) {
                        progress.accept(++done);
                    }
                }
            }
        }
        return runs;
    }

    static Run one(Solver solver, String instance, DenseMatrix v, SolverOptions so, int start, Tolerances t, int threads) {
        SolveResult r;
        Certificate c;
        SaddleEscape.Outcome e = null;
        try {
            if (solver instanceof SaddleEscape escape) {
                // the wrapper certified its output with these very options: its certificate is the one to tabulate
                e = escape.run(v, so);
                r = e.result();
                c = e.certificate();
            } else {
                r = solver.solve(v, so);
                c = Certifier.certify(v, r.w(), r.h(), certifyOptions(t, threads));
            }
        } catch (ExternalSolver.Failure f) {
            // the external program misbehaved: a finding for this run, not an error of the audit
            return new Run(solver.name(), instance, start, Outcome.FAILED, Double.NaN, Double.NaN, 0, 0, "FAILED", "", null, "",
                    "solver failed: " + f.getMessage(), 0, null);
        }
        Outcome out = Outcome.of(c);
        String why = out == Outcome.SADDLE || out == Outcome.UNDECIDED ? c.sospPaper().reason() : c.fosp().reason();
        return new Run(solver.name(), instance, start, out, r.objective(), r.relativeError(), r.iterations(), r.seconds(),
                r.stopReason().name(), c.fosp().verdict().name(), c.fosp().residual(), c.sospPaper().verdict().name(), why,
                e == null ? 0 : e.steps().size(), e == null ? null : e.status().name());
    }

    /** The float NMF certificate options of an audit (also those of its saddle escapes). */
    static CertifyOptions certifyOptions(Tolerances t, int threads) {
        return new CertifyOptions(null, Mode.FLOAT, t, threads, 0L);
    }

    /** One call for a user's own solver: {@code starts} seeded runs on V, certified and summarised. */
    public static Summary audit(Solver solver, DenseMatrix v, int rank, int starts, long seed) {
        Options o = new Options(starts, seed, 2000, 1e-9, Tolerances.DEFAULT, 0);
        List<Run> runs = run(List.of(solver), List.of(new AuditInstance("user", v, rank, null)), o, null);
        return summarize(runs).get(0);
    }

    public static List<Summary> summarize(List<Run> runs) {
        Map<String, List<Run>> groups = new LinkedHashMap<>();
        for (Run r : runs) {
            groups.computeIfAbsent(r.solver() + "\u0000" + r.instance(), k -> new ArrayList<>()).add(r);
        }
        List<Summary> out = new ArrayList<>();
        for (List<Run> g : groups.values()) {
            Map<Outcome, Integer> counts = new LinkedHashMap<>();
            for (Outcome oc : Outcome.values()) {
                counts.put(oc, 0);
            }
            List<Run> ran = new ArrayList<>();
            for (Run r : g) {
                counts.merge(r.outcome(), 1, Integer::sum);
                if (r.outcome() != Outcome.FAILED) {
                    ran.add(r);
                }
            }
            // medians over the runs that returned factors (a failed run has none)
            double[] obj = new double[ran.size()], it = new double[ran.size()], sec = new double[ran.size()];
            for (int i = 0; i < ran.size(); i++) {
                obj[i] = ran.get(i).objective();
                it[i] = ran.get(i).iterations();
                sec[i] = ran.get(i).seconds();
            }
            out.add(new Summary(g.get(0).solver(), g.get(0).instance(), counts, median(obj), Arrays.stream(obj).min().orElse(Double.NaN),
                    median(it), median(sec)));
        }
        return out;
    }

    static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
