package io.github.nmforacle.spark;

import io.github.nmforacle.io.MatrixIO;
import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.linalg.CsrMatrix;
import io.github.nmforacle.linalg.DataMatrix;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.NmfProblem;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

/**
 * V (n×m) as an RDD of {@link RowBlock}s, one block per partition, in row order, cached: block b of every RDD the
 * engine zips with it (W's rows, the per-block results) is partition b, so W's rows live with V's.
 */
public final class BlockedMatrix {
    /** Rows of a block are a multiple of this when V is cut by the engine (the Java kernels' row block). */
    static final int ROW_ALIGN = 32;

    private final JavaRDD<RowBlock> blocks;
    private final int n;
    private final int m;
    private final int count;

    private BlockedMatrix(JavaRDD<RowBlock> blocks, int n, int m, int count) {
        this.blocks = blocks;
        this.n = n;
        this.m = m;
        this.count = count;
    }

    /** The RDD of blocks (partition b holds block b). */
    public JavaRDD<RowBlock> blocks() {
        return blocks;
    }

    public int n() {
        return n;
    }

    public int m() {
        return m;
    }

    /** Number of blocks (= partitions). */
    public int count() {
        return count;
    }

    /**
     * V (validated by the caller's reader) cut into {@code parts} row blocks of a multiple of 32 rows each (fewer if n
     * is small): dense blocks of a dense V, CSR blocks ({@link CsrRowBlock}) of a CSR one, never made dense.
     */
    public static BlockedMatrix of(JavaSparkContext sc, DataMatrix v, int parts, Blas blas) {
        NmfProblem.requireData(v);
        int n = v.rows(), m = v.cols();
        if (parts < 1) {
            throw new IllegalArgumentException("blocks must be at least 1, got " + parts);
        }
        long per0 = ((long) n + parts - 1) / parts;
        int per = (int) Math.min(n, (per0 + ROW_ALIGN - 1) / ROW_ALIGN * ROW_ALIGN);
        List<RowBlock> list = new ArrayList<>();
        for (int from = 0; from < n; from += per) {
            int rows = Math.min(per, n - from);
            if (v instanceof CsrMatrix c) {
                list.add(CsrRowBlock.slice(c, from, rows, from));
                continue;
            }
            double[] d = new double[rows * m];
            System.arraycopy(((DenseMatrix) v).data(), from * m, d, 0, d.length);
            list.add(new DenseRowBlock(from, rows, m, d, blas));
        }
        return fromList(sc, list, n, m);
    }

    private static BlockedMatrix fromList(JavaSparkContext sc, List<RowBlock> list, int n, int m) {
        // A parallelised RDD keeps its data in its partitions, and every task of an RDD built on it ships them along (V's
        // block in each of its visits: 0.4 s a pass at 4000x1000). Checkpointed locally, the partitions are empty
        // handles and the blocks stay in the executors' block managers; the price: a lost executor loses its blocks
        // of V for good (the run then fails and resumes from its checkpoint; --input-dir V is re-read instead).
        JavaRDD<RowBlock> rdd = sc.parallelize(list, list.size()).persist(StorageLevel.MEMORY_AND_DISK());
        rdd.rdd().localCheckpoint();
        rdd.count();
        return new BlockedMatrix(rdd, n, m, list.size());
    }

    /**
     * A directory of row-block files (any format {@link MatrixIO#readData} reads: .npy, .csv, .mtx, .npz), stacked in
     * the order of their names; each file is read and validated on an executor, a sparse one (.npz, .mtx coordinate)
     * kept sparse as a {@link CsrRowBlock}, so dense and sparse blocks may be mixed. Errors name the file and the
     * entry [i, j] of V.
     */
    public static BlockedMatrix fromDirectory(JavaSparkContext sc, Path dir, Blas blas) {
        List<String> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).map(Path::toString).filter(BlockedMatrix::readable).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list the directory of row blocks (" + e.getMessage() + ")", e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(dir + ": no row-block files (.npy, .csv, .mtx, .npz) in the directory");
        }
        // first job: each file read and checked where it will live, its shape or why it is refused sent back (thrown
        // in the task, a refusal would reach the user's terminal as Spark's logged stack trace); second: the blocks
        List<Probe> probes = sc.parallelize(files, files.size()).map(BlockedMatrix::probe).collect();
        int m = probes.get(0).cols();
        long n = 0;
        int[] first = new int[files.size()];
        for (int b = 0; b < files.size(); b++) {
            Probe pr = probes.get(b);
            if (pr.error() != null) {
                throw new IllegalArgumentException(pr.error());
            }
            if (pr.cols() != m) {
                throw new IllegalArgumentException(files.get(b) + ": " + pr.cols() + " columns, but "
                        + files.get(0) + " has " + m + " (the row blocks of V must have the same columns)");
            }
            first[b] = (int) n;
            if (pr.bad() != null) {
                throw new IllegalArgumentException(pr.bad().message(files.get(b), first[b]));
            }
            n += pr.rows();
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(dir + ": more than 2^31 - 1 rows in the row blocks");
            }
        }
        JavaRDD<RowBlock> rdd = sc.parallelize(files, files.size()).mapPartitionsWithIndex((idx, it) -> {
            String file = it.next();
            DataMatrix b = read(file);
            Bad bad = firstBad(b);
            if (bad != null) {      // only if the file changed since the first job
                throw new IllegalArgumentException(bad.message(file, first[idx]));
            }
            RowBlock block = b instanceof CsrMatrix c
                    ? new CsrRowBlock(first[idx], c.rows(), c.cols(), c.indptr(), c.indices(), c.values())
                    : new DenseRowBlock(first[idx], b.rows(), b.cols(), ((DenseMatrix) b).data(), blas);
            return Collections.singletonList(block).iterator();
        }, true).persist(StorageLevel.MEMORY_ONLY());
        return new BlockedMatrix(rdd, (int) n, m, files.size());
    }

    /** What the first job learns of a block file: its shape, or the reader's one-line refusal, or its first bad entry. */
    private record Probe(int rows, int cols, String error, Bad bad) implements Serializable {
    }

    /** An entry of a block file (row i of the file) that is negative, NaN or infinite. */
    private record Bad(int i, int j, double x) implements Serializable {
        /** Names the file and the entry [i, j] of V, the file's rows starting at row {@code first} of V. */
        String message(String file, int first) {
            String what = Double.isNaN(x) ? "NaN" : Double.isInfinite(x) ? "infinite" : "negative (" + x + ")";
            return file + ": entry [" + (first + i) + ", " + j + "] of V is " + what;
        }
    }

    private static Probe probe(String file) {
        try {
            DataMatrix b = read(file);
            return new Probe(b.rows(), b.cols(), null, firstBad(b));
        } catch (IllegalArgumentException e) {
            return new Probe(0, 0, e.getMessage(), null);
        }
    }

    private static boolean readable(String f) {
        String s = f.toLowerCase(java.util.Locale.ROOT);
        return s.endsWith(".npy") || s.endsWith(".csv") || s.endsWith(".mtx") || s.endsWith(".npz");
    }

    /** One block file as read (sparse kept sparse), not empty; errors name the file. */
    private static DataMatrix read(String file) {
        try {
            DataMatrix b = MatrixIO.readData(Path.of(file));
            if (b.rows() == 0 || b.cols() == 0) {
                throw new IllegalArgumentException("empty matrix (" + b.shape() + ")");
            }
            return b;
        } catch (RuntimeException e) {
            // the readers name the file and the entry in it already
            String msg = String.valueOf(e.getMessage());
            throw new IllegalArgumentException(msg.startsWith(file) ? msg : file + ": " + msg, e);
        }
    }

    /** The first entry in row-major order (a CSR block: of its stored ones) that is not finite and ≥ 0, or null. */
    private static Bad firstBad(DataMatrix b) {
        if (b instanceof CsrMatrix c) {
            int[] ip = c.indptr(), idx = c.indices();
            double[] val = c.values();
            for (int i = 0; i < c.rows(); i++) {
                for (int p = ip[i]; p < ip[i + 1]; p++) {
                    if (!(val[p] >= 0) || Double.isInfinite(val[p])) {
                        return new Bad(i, idx[p], val[p]);
                    }
                }
            }
            return null;
        }
        double[] d = ((DenseMatrix) b).data();
        for (int p = 0; p < d.length; p++) {
            if (!(d[p] >= 0) || Double.isInfinite(d[p])) {
                return new Bad(p / b.cols(), p % b.cols(), d[p]);
            }
        }
        return null;
    }
}
