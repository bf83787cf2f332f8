package io.github.nmforacle.reproduce;

import io.github.nmforacle.io.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * The folder a reproduction writes into: created if missing, refused if it is a file. Only files with the
 * fixed names of the reproduction (fig1.csv, fig1.png, …) are written, each atomically (temporary file in the
 * same folder, then a move), so a reader never sees half a file; a path of that name that is not a regular file
 * (a folder, a device) is refused rather than replaced.
 */
public final class OutputFolder {
    private final Path dir;

    private OutputFolder(Path dir) {
        this.dir = dir;
    }

    /** Creates {@code dir} (and its parents) if missing; one-line {@link InputException} if it is a file or cannot be made. */
    public static OutputFolder prepare(Path dir) {
        if (dir == null) {
            throw new IllegalArgumentException("--out: an output folder is required");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InputException(dir + ": exists and is not a folder; give --out a folder (it is created if missing)");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InputException(dir + ": cannot create the --out folder (" + describe(dir, e) + ")", e);
        }
        if (!Files.isWritable(dir)) {
            throw new InputException(dir + ": the output folder is not writable");
        }
        return new OutputFolder(dir);
    }

    /** An I/O failure in words, without exception class names. */
    private static String describe(Path p, IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied: " + ((java.nio.file.FileSystemException) e).getFile();
        }
        if (e instanceof java.nio.file.NoSuchFileException nf) {
            return "no such file or folder: " + nf.getFile();
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException fe) {
            return "a file is in the way: " + fe.getFile();
        }
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason() + (fse.getFile() != null ? ": " + fse.getFile() : "");
        }
        return e.getMessage() != null ? e.getMessage() : "input/output error";
    }

    public Path dir() {
        return dir;
    }

    public Path resolve(String name) {
        return dir.resolve(name);
    }

    /** Writes UTF-8 text to {@code name} in the folder; returns its path. */
    public Path writeText(String name, String text) {
        return writeBytes(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the charts as one PNG, laid out on a rows × cols grid; returns its path. */
    public Path writePng(String name, List<? extends Chart<?, ?>> charts, int rows, int cols) {
        return writeBytes(name, Charts.png(charts, rows, cols));
    }

    /** Writes bytes atomically to {@code name}; refuses to replace anything but a regular file. */
    public Path writeBytes(String name, byte[] bytes) {
        Path target = dir.resolve(name);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new InputException(target + ": exists and is not a regular file; refusing to replace it");
        }
        Path tmp = null;
        try {
            // Not Files.createTempFile: it makes mode-0600 files on POSIX; the outputs should get the usual umask.
            tmp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new InputException(target + ": cannot write (" + describe(target, e) + ")", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
        return target;
    }
}
