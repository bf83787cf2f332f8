package io.github.nmforacle.solve;

import io.github.nmforacle.io.NpyMatrix;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.FactorPair;
import io.github.nmforacle.problem.NmfProblem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A solver given as a program (issue 16 item 4). Protocol, per run, in a fresh temporary folder:
 * {@code CMD... V.npy W0.npy H0.npy W.npy H.npy} with environment {@code NMF_ORACLE_RANK}, {@code NMF_ORACLE_MAX_ITER},
 * {@code NMF_ORACLE_SEED}, {@code NMF_ORACLE_TOL} (relative objective change that should stop it); the program reads V (n×m) and the start (W0 n×r, H0 r×m: the user's initial or the random
 * positive start the built-in solvers draw for the seed), writes W (n×r) and H (r×m) as {@code .npy} and exits 0 within
 * the time limit. Anything else (non-zero exit, timeout, missing or malformed output, wrong shapes, NaN/∞, negative
 * entries) is a {@link Failure} naming the program and the problem. The program's output is captured, never printed.
 */
public final class ExternalSolver implements Solver {
    /** Default wall-clock limit per run. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final int KEEP_LINES = 3;
    private static final long MAX_OUTPUT_ENTRIES = 1L << 28;

    /** Bad behaviour of the external program: a finding about it, not an error of nmf-oracle. */
    public static final class Failure extends IllegalArgumentException {
        public Failure(String message) {
            super(message);
        }
    }

    private final List<String> command;
    private final Duration timeout;

    public ExternalSolver(String commandLine, Duration timeout) {
        this.command = split(commandLine);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("--solver-command: empty command");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--solver-timeout must be positive, got " + timeout);
        }
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "external";
    }

    /** The command words. */
    public List<String> command() {
        return command;
    }

    /** Splits like a shell does for words: blanks separate, '…' and "…" quote, \ escapes (outside '…'); no expansion. */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '\\' && i + 1 < s.length()) {
                cur.append(s.charAt(++i));
                inWord = true;
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("--solver-command: unbalanced " + quote + " quote");
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }

    @Override
    public SolveResult solve(DenseMatrix v, SolverOptions o) {
        NmfProblem.requireData(v);
        NmfProblem p = NmfProblem.of(v, o.rank());
        FactorPair start = o.initial();
        if (start != null) {
            p.requireShapes(start.w(), start.h());
        } else {
            // the start the built-in solvers draw: on V' = 2^{-2e} V, then back to the scale of V
            Scaling sc = Scaling.of(v);
            start = Scaling.scale(IterativeSolver.randomPositive(NmfProblem.of(sc.v(), o.rank()), o.seed()), sc.exponent());
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("nmf-oracle-external");
            return run(dir, v, start, o);
        } catch (IOException e) {
            throw new Failure(prefix() + "cannot exchange files with it: " + e.getMessage());
        } finally {
            if (dir != null) {
                delete(dir);
            }
        }
    }

    private String prefix() {
        String c = String.join(" ", command);
        return "external solver '" + (c.length() > 100 ? c.substring(0, 100) + "…" : c) + "': ";
    }

    private SolveResult run(Path dir, DenseMatrix v, FactorPair start, SolverOptions o) throws IOException {
        Path vp = dir.resolve("V.npy"), w0 = dir.resolve("W0.npy"), h0 = dir.resolve("H0.npy");
        Path wp = dir.resolve("W.npy"), hp = dir.resolve("H.npy"), log = dir.resolve("output.txt");
        NpyMatrix.write(v, vp);
        NpyMatrix.write(start.w(), w0);
        NpyMatrix.write(start.h(), h0);
        List<String> cmd = new ArrayList<>(command);
        for (Path x : List.of(vp, w0, h0, wp, hp)) {
            cmd.add(x.toString());
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("NMF_ORACLE_RANK", Integer.toString(o.rank()));
        pb.environment().put("NMF_ORACLE_MAX_ITER", Integer.toString(o.maxIterations()));
        pb.environment().put("NMF_ORACLE_SEED", Long.toString(o.seed()));
        pb.environment().put("NMF_ORACLE_TOL", Double.toString(o.objectiveTolerance()));
        long t0 = System.nanoTime();
        Process proc;
        try {
            proc = pb.start();
        } catch (IOException e) {
            throw new Failure(prefix() + "cannot start it: " + e.getMessage());
        }
        proc.getOutputStream().close(); // no input: a program reading stdin sees end of file
        boolean done;
        try {
            done = proc.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        }
        if (!done) {
            proc.descendants().forEach(ProcessHandle::destroyForcibly);
            proc.destroyForcibly();
            try {
                proc.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new Failure(prefix() + "timeout after " + seconds(timeout) + " s" + tail(log));
        }
        double secs = (System.nanoTime() - t0) * 1e-9;
        if (proc.exitValue() != 0) {
            throw new Failure(prefix() + "exit status " + proc.exitValue() + tail(log));
        }
        DenseMatrix w = output(wp, "W.npy", v.rows(), o.rank(), log);
        DenseMatrix h = output(hp, "H.npy", o.rank(), v.cols(), log);
        Scaling sc = Scaling.of(v);
        int e = sc.exponent();
        DenseMatrix wn = Scaling.scale(w, -e), hn = Scaling.scale(h, -e);
        NmfProblem pn = NmfProblem.of(sc.v(), o.rank());
        double f = pn.objective(wn, hn);
        double vNorm = Math.sqrt(pn.dataNormSquared());
        double relErr = vNorm > 0 ? Math.sqrt(f) / vNorm : 0;
        double res = IterativeSolver.scaledResidual(wn.data(), hn.data(), pn.gradient(wn, hn), 1, 1);
        // one row: the returned point (the program's own iterates are not seen)
        TraceRow row = new TraceRow(0, f, relErr, res, Double.NaN, secs, e, 0);
        return new SolveResult(name(), w, h, List.of(row), StopReason.EXTERNAL, 0, f, relErr, secs, e, sc.flushed());
    }

    private DenseMatrix output(Path p, String name, int rows, int cols, Path log) {
        if (!Files.isRegularFile(p)) {
            throw new Failure(prefix() + "exited 0 but wrote no " + name + tail(log));
        }
        DenseMatrix a;
        try {
            a = NpyMatrix.read(p, MAX_OUTPUT_ENTRIES);
        } catch (RuntimeException ex) {
            String why = String.valueOf(ex.getMessage()).replace(p + ": ", "").replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
            throw new Failure(prefix() + name + ": " + why);
        }
        if (a.rows() != rows || a.cols() != cols) {
            throw new Failure(prefix() + name + " has shape (" + a.rows() + ", " + a.cols() + "), expected (" + rows + ", " + cols + ")");
        }
        try {
            NmfProblem.requireFinite(a, true);    // the reader rejects NaN and ∞ already; this adds the sign
        } catch (IllegalArgumentException ex) {
            throw new Failure(prefix() + name + ": " + ex.getMessage());
        }
        return a;
    }

    private static String seconds(Duration d) {
        double s = d.toMillis() / 1000.0;
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }

    /** The program's last output lines, for the message. */
    private static String tail(Path log) {
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            Deque<String> last = new ArrayDeque<>();
            lines.map(String::strip).filter(l -> !l.isEmpty()).forEach(l -> {
                last.addLast(l.length() > 200 ? l.substring(0, 200) + "…" : l);
                if (last.size() > KEEP_LINES) {
                    last.removeFirst();
                }
            });
            return last.isEmpty() ? "" : "; its last output: " + String.join(" | ", last);
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp folder left behind is no wrong answer
        }
    }
}
