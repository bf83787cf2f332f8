package io.github.nmforacle.cli;

import io.github.nmforacle.io.InputException;
import io.github.nmforacle.io.MatrixIO;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.NmfProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** Reading the user's files with one-line errors that name the file. */
final class Inputs {
    /** Upper bound of every --threads and --jobs option: far above any core count, far below what exhausts the OS. */
    static final int MAX_THREADS = 1024;

    private Inputs() {
    }

    /**
     * The solver of {@code --solver-command CMD} with {@code --solver-timeout SECONDS} (null: 60 s), refusing
     * {@code --algorithm} beside it ({@code algorithmGiven}).
     */
    static io.github.nmforacle.solve.Solver external(String command, Double timeoutSeconds, boolean algorithmGiven) {
        if (command == null) {
            if (timeoutSeconds != null) {
                throw new InputException("--solver-timeout needs --solver-command");
            }
            return null;
        }
        if (algorithmGiven) {
            throw new InputException("--solver-command and --algorithm exclude each other (the command is the solver)");
        }
        java.time.Duration t = io.github.nmforacle.solve.ExternalSolver.DEFAULT_TIMEOUT;
        if (timeoutSeconds != null) {
            if (!(timeoutSeconds > 0) || timeoutSeconds > 1e7) {
                throw new InputException("--solver-timeout must be a number of seconds in (0, 1e7], got " + timeoutSeconds);
            }
            t = java.time.Duration.ofNanos(Math.max(1, Math.round(timeoutSeconds * 1e9)));
        }
        try {
            return new io.github.nmforacle.solve.ExternalSolver(command, t);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
    }

    /** Checks a thread count option: 0 (one per core) to {@link #MAX_THREADS}. */
    static int threads(String option, int t) {
        if (t < 0 || t > MAX_THREADS) {
            throw new InputException(option + " must be in [0, " + MAX_THREADS + "] (0 = one per core), got " + t);
        }
        return t;
    }

    /**
     * Where the commands get their matrices from: files by default; {@code serve} adds the matrices sent inline,
     * under the request's field name, so both go through the same checks and messages.
     */
    interface Reader {
        DenseMatrix read(Path p);

        /** V: by default the file as read (sparse kept sparse, {@link MatrixIO#readData}), else {@link #read}. */
        default io.github.nmforacle.linalg.DataMatrix readV(Path p) {
            return read(p);
        }
    }

    static final Reader FILES = new Reader() {
        @Override
        public DenseMatrix read(Path p) {
            return MatrixIO.read(p);
        }

        @Override
        public io.github.nmforacle.linalg.DataMatrix readV(Path p) {
            return MatrixIO.readData(p);
        }
    };

    /** Reads V (kept sparse from a sparse file) and checks it is a non-empty matrix of finite, non-negative numbers. */
    static io.github.nmforacle.linalg.DataMatrix readData(Path p) {
        return readData(FILES, p);
    }

    static io.github.nmforacle.linalg.DataMatrix readData(Reader reader, Path p) {
        io.github.nmforacle.linalg.DataMatrix v = reader.readV(p);
        try {
            NmfProblem.requireData(v);
        } catch (IllegalArgumentException e) {
            throw new InputException(p + ": " + e.getMessage());
        }
        return v;
    }

    /** Reads a factor (W or H) and checks its shape and that it is finite and non-negative. */
    static DenseMatrix readFactor(Reader reader, Path p, String name, int rows, int cols) {
        DenseMatrix a = reader.read(p);
        if (a.rows() != rows || a.cols() != cols) {
            throw new InputException(p + ": " + name + " is " + a.shape() + " but must be " + rows + "x" + cols
                    + " to match V and the rank");
        }
        try {
            NmfProblem.requireFinite(a, true);
        } catch (IllegalArgumentException e) {
            throw new InputException(p + ": " + name + ": " + e.getMessage());
        }
        return a;
    }

    /** Refuses to write an output onto an input or onto another output. */
    static void requireDistinct(List<Path> inputs, List<Path> outputs) {
        for (int i = 0; i < outputs.size(); i++) {
            Path out = outputs.get(i);
            if (out == null) {
                continue;
            }
            for (Path in : inputs) {
                if (in != null && same(in, out)) {
                    throw new InputException(out + ": output path is also an input; refusing to overwrite it");
                }
            }
            for (int j = 0; j < i; j++) {
                if (outputs.get(j) != null && same(outputs.get(j), out)) {
                    throw new InputException(out + ": given for two different outputs");
                }
            }
        }
    }

    private static boolean same(Path a, Path b) {
        if (Objects.equals(a.toAbsolutePath().normalize(), b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** A factorisation budget in MiB as bytes (null: 0, the default of a third of the heap), within the heap. */
    static long factorMemory(String option, Long mib) {
        if (mib == null) {
            return 0L;
        }
        long heap = Runtime.getRuntime().maxMemory() >> 20;
        if (mib < 1 || mib > heap) {
            throw new InputException(option + " " + mib + ": must be between 1 and the maximum heap, " + heap
                    + " MiB (raise it with java -Xmx)");
        }
        return mib << 20;
    }

    /** The escape budget of --escape / --max-escapes: 0 without --escape; K ≥ 1 with it (default 10). */
    static int escapes(boolean escape, Integer maxEscapes) {
        if (maxEscapes != null && !escape) {
            throw new InputException("--max-escapes needs --escape");
        }
        if (!escape) {
            return 0;
        }
        int k = maxEscapes == null ? io.github.nmforacle.escape.SaddleEscape.DEFAULT_MAX_ESCAPES : maxEscapes;
        if (k < 1 || k > 1_000_000) {
            throw new InputException("--max-escapes must be in [1, 1000000], got " + k);
        }
        return k;
    }

    /** The certificate first-order tolerance option {@code option}: a number in (0, 1). */
    static double firstOrderTolerance(String option, double t) {
        if (!(t > 0 && t < 1)) {
            throw new InputException(option + " must be a number in (0, 1), got " + t);
        }
        return t;
    }
}
