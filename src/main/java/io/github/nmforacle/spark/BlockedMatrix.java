package io.github.nmforacle.spark;

import io.github.nmforacle.io.MatrixIO;
import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.linalg.CsrMatrix;
import io.github.nmforacle.linalg.DataMatrix;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.NmfProblem;
import java.io.IOException;
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
            throw new IllegalArgumentException(dir + ": no row-block files (.npy, .csv, .mtx) in the directory");
        }
        // first job: shapes (each file read and validated where it will live); second: the blocks with their offsets
        List<int[]> shapes = sc.parallelize(files, files.size()).map(f -> {
            DataMatrix b = read(f, -1);
            return new int[]{b.rows(), b.cols()};
        }).collect();
        int m = shapes.get(0)[1];
        long n = 0;
        int[] first = new int[files.size()];
        for (int b = 0; b < files.size(); b++) {
            if (shapes.get(b)[1] != m) {
                throw new IllegalArgumentException(files.get(b) + ": " + shapes.get(b)[1] + " columns, but "
                        + files.get(0) + " has " + m + " (the row blocks of V must have the same columns)");
            }
            first[b] = (int) n;
            n += shapes.get(b)[0];
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(dir + ": more than 2^31 - 1 rows in the row blocks");
            }
        }
        JavaRDD<RowBlock> rdd = sc.parallelize(files, files.size()).mapPartitionsWithIndex((idx, it) -> {
            DataMatrix b = read(it.next(), first[idx]);
            RowBlock block = b instanceof CsrMatrix c
                    ? new CsrRowBlock(first[idx], c.rows(), c.cols(), c.indptr(), c.indices(), c.values())
                    : new DenseRowBlock(first[idx], b.rows(), b.cols(), ((DenseMatrix) b).data(), blas);
            return Collections.singletonList(block).iterator();
        }, true).persist(StorageLevel.MEMORY_ONLY());
        return new BlockedMatrix(rdd, (int) n, m, files.size());
    }

    private static boolean readable(String f) {
        String s = f.toLowerCase(java.util.Locale.ROOT);
        return s.endsWith(".npy") || s.endsWith(".csv") || s.endsWith(".mtx") || s.endsWith(".npz");
    }

    /** One block file, validated unless {@code first} &lt; 0; an entry is named by its row in V (offset {@code first}). */
    private static DataMatrix read(String file, int first) {
        DataMatrix b;
        try {
            b = MatrixIO.readData(Path.of(file));
            if (b.rows() == 0 || b.cols() == 0) {
                throw new IllegalArgumentException("empty matrix (" + b.shape() + ")");
            }
        } catch (RuntimeException e) {
            // the readers name the file and the entry in it already
            String msg = String.valueOf(e.getMessage());
            throw new IllegalArgumentException(msg.startsWith(file) ? msg : file + ": " + msg, e);
        }
        if (first < 0) {
            return b;
        }
        if (b instanceof CsrMatrix c) {
            int[] ip = c.indptr(), idx = c.indices();
            double[] val = c.values();
            for (int i = 0; i < c.rows(); i++) {
                for (int p = ip[i]; p < ip[i + 1]; p++) {
                    requireEntry(file, first + i, idx[p], val[p]);
                }
            }
            return b;
        }
        double[] d = ((DenseMatrix) b).data();
        for (int p = 0; p < d.length; p++) {
            requireEntry(file, first + p / b.cols(), p % b.cols(), d[p]);
        }
        return b;
    }

    private static void requireEntry(String file, int i, int j, double x) {
        if (!(x >= 0) || Double.isInfinite(x)) {
            String what = Double.isNaN(x) ? "NaN" : Double.isInfinite(x) ? "infinite" : "negative (" + x + ")";
            throw new IllegalArgumentException(file + ": entry [" + i + ", " + j + "] of V is " + what);
        }
    }
}
