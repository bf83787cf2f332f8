package io.github.nmforacle.io;

import io.github.nmforacle.certify.Certificate;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.solve.TraceRow;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The outputs of one run, all or nothing. {@link #check} validates an output path before any work starts; the
 * {@code stage} methods write each output to a temporary file next to its target; {@link #commit} renames them all
 * into place (atomically where the file system can) only once every one is complete. Temporary files are removed
 * on failure, by {@link #abort}, and by a JVM shutdown hook when the process is interrupted (SIGINT, SIGTERM): an
 * interrupted run leaves either no output or, if it was already renaming, every output.
 */
public final class OutputSet {
    /** What an output holds, which decides the extensions it may have. */
    public enum Kind {
        MATRIX(List.of("csv", "mtx", "npy")), TRACE(List.of("csv")), JSON(List.of("json"));

        final List<String> extensions;

        Kind(List<String> extensions) {
            this.extensions = extensions;
        }
    }

    private static final Object LOCK = new Object();
    /** Temporary files of every open set in this JVM, removed by the shutdown hook. Guarded by LOCK. */
    private static final Set<Path> PENDING = new LinkedHashSet<>();
    private static boolean shuttingDown;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(OutputSet::removeAllPending, "nmf-oracle-output-cleanup"));
    }

    private record Staged(Path tmp, Path target) {
    }

    private final List<Staged> staged = new ArrayList<>();

    /**
     * Fails with a one-line {@link InputException} naming {@code option} and {@code p} unless {@code p} can become
     * an output of this kind: a supported extension, not a folder or other non-regular file, in an existing,
     * writable folder. Nothing is created.
     */
    public static void check(String option, Path p, Kind kind) {
        if (p == null) {
            return;
        }
        String where = option + " " + p;
        Path name = p.getFileName();
        String s = name == null ? "" : name.toString();
        int dot = s.lastIndexOf('.');
        String ext = dot < 0 ? "" : s.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (Files.isDirectory(p)) {
            throw new InputException(where + ": is a directory, not a file");
        }
        if (!kind.extensions.contains(ext)) {
            throw new InputException(where + ": unsupported file extension, expected ."
                    + String.join(", .", kind.extensions).replaceFirst(", \\.([a-z]+)$", " or .$1"));
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(p)) {
            throw new InputException(where + ": exists and is not a regular file; refusing to replace it");
        }
        Path dir = p.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new InputException(where + ": folder " + (p.getParent() != null ? p.getParent() : dir) + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new InputException(where + ": folder " + (p.getParent() != null ? p.getParent() : dir) + " is not writable");
        }
    }

    /** Writes {@code m} (format from the extension of {@code target}) to a temporary file next to it. */
    public void stageMatrix(DenseMatrix m, Path target) {
        String s = String.valueOf(target.getFileName()).toLowerCase(Locale.ROOT);
        MatrixIO.Body body = s.endsWith(".npy") ? NpyMatrix.body(m) : s.endsWith(".mtx") ? MatrixMarket.body(m) : CsvMatrix.body(m);
        stage(target, body);
    }

    /** Writes the trace as CSV ({@link TraceCsv#HEADER}) to a temporary file next to {@code target}. */
    public void stageTrace(List<TraceRow> rows, Path target) {
        stage(target, out -> out.write(TraceCsv.content(rows).getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes the JSON certificate to a temporary file next to {@code target}. */
    public void stageCertificate(Certificate c, Path target) {
        stage(target, out -> out.write((CertificateJson.toJson(c) + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    private void stage(Path target, MatrixIO.Body body) {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new InputException(target + ": folder " + dir + " does not exist");
        }
        // Not Files.createTempFile: it makes mode-0600 files on POSIX; the outputs should get the usual umask.
        Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        synchronized (LOCK) {
            if (shuttingDown) {
                throw new InputException(target + ": not written, the run was interrupted");
            }
            PENDING.add(tmp);
        }
        staged.add(new Staged(tmp, target));
        try (OutputStream out = new BufferedOutputStream(
                Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16)) {
            body.writeTo(out);
        } catch (IOException e) {
            abort();
            throw new InputException(target + ": cannot write: " + describe(e), e);
        } catch (RuntimeException e) {
            abort();
            throw e;
        }
    }

    /**
     * Renames every staged file into place. If the process is being shut down, nothing is renamed (the hook removes
     * the temporary files); a shutdown that begins while renaming waits until every file is in place.
     */
    public void commit() {
        synchronized (LOCK) {
            if (shuttingDown) {
                throw new InputException("outputs not written: the run was interrupted");
            }
            for (int k = 0; k < staged.size(); k++) {
                Staged s = staged.get(k);
                try {
                    try {
                        Files.move(s.tmp(), s.target(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(s.tmp(), s.target(), StandardCopyOption.REPLACE_EXISTING);
                    }
                    PENDING.remove(s.tmp());
                } catch (IOException e) {
                    staged.subList(0, k + 1).forEach(x -> PENDING.remove(x.tmp()));
                    deleteQuietly(s.tmp());
                    List<Staged> rest = new ArrayList<>(staged.subList(k + 1, staged.size()));
                    staged.clear();
                    staged.addAll(rest);
                    abort();
                    throw new InputException(s.target() + ": cannot write: " + describe(e)
                            + (k > 0 ? " (" + k + " earlier output(s) of this run were already written)" : ""), e);
                }
            }
            staged.clear();
        }
    }

    /** Removes every staged temporary file; nothing is renamed. */
    public void abort() {
        synchronized (LOCK) {
            for (Staged s : staged) {
                deleteQuietly(s.tmp());
                PENDING.remove(s.tmp());
            }
            staged.clear();
        }
    }

    private static void removeAllPending() {
        synchronized (LOCK) {
            shuttingDown = true;
            for (Path p : PENDING) {
                deleteQuietly(p);
            }
            PENDING.clear();
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : "input/output error";
    }
}
