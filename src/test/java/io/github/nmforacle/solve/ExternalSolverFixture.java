package io.github.nmforacle.solve;

import io.github.nmforacle.io.NpyMatrix;
import io.github.nmforacle.linalg.DenseMatrix;
import java.nio.file.Path;

/**
 * A stand-in external solver run with the test's own java and classpath (no python needed):
 * {@code ExternalSolverFixture MODE V W0 H0 W H}. Modes: start (returns the start), mu (NMF_ORACLE_MAX_ITER
 * Lee–Seung steps), crash, sleep, shape, nan, negative, none, chatty (prints, then crashes).
 */
public final class ExternalSolverFixture {
    /** The command line that runs this fixture in {@code mode} (paths single-quoted: they may hold blanks). */
    public static String command(String mode) {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return "'" + java + "' -Xshare:auto -cp '" + System.getProperty("java.class.path") + "' "
                + ExternalSolverFixture.class.getName() + " " + mode;
    }

    public static void main(String[] a) throws Exception {
        String mode = a[0];
        DenseMatrix v = NpyMatrix.read(Path.of(a[1]), 1L << 28);
        DenseMatrix w = NpyMatrix.read(Path.of(a[2]), 1L << 28);
        DenseMatrix h = NpyMatrix.read(Path.of(a[3]), 1L << 28);
        switch (mode) {
            case "crash" -> System.exit(3);
            case "chatty" -> {
                System.out.println("reading V");
                System.err.println("Traceback: something broke");
                System.exit(1);
            }
            case "sleep" -> Thread.sleep(60_000);
            case "none" -> System.exit(0);
            case "shape" -> w = new DenseMatrix(w.rows() + 1, w.cols(), new double[(w.rows() + 1) * w.cols()]);
            case "nan" -> w.data()[0] = Double.NaN;
            case "negative" -> h.data()[h.data().length - 1] = -1.0;
            case "mu" -> {
                int iters = Integer.parseInt(System.getenv("NMF_ORACLE_MAX_ITER"));
                for (int t = 0; t < iters; t++) {
                    mu(v, w, h);
                }
            }
            default -> {
            }
        }
        NpyMatrix.write(w, Path.of(a[4]));
        NpyMatrix.write(h, Path.of(a[5]));
    }

    /** One alternating multiplicative update (Lee and Seung 2001), in place. */
    private static void mu(DenseMatrix v, DenseMatrix w, DenseMatrix h) {
        int n = v.rows(), m = v.cols(), r = w.cols();
        double[] vd = v.data(), wd = w.data(), hd = h.data();
        for (int k = 0; k < r; k++) {
            for (int j = 0; j < m; j++) {
                double num = 0, den = 0;
                for (int i = 0; i < n; i++) {
                    double wh = 0;
                    for (int q = 0; q < r; q++) {
                        wh += wd[i * r + q] * hd[q * m + j];
                    }
                    num += wd[i * r + k] * vd[i * m + j];
                    den += wd[i * r + k] * wh;
                }
                hd[k * m + j] *= den > 0 ? num / den : 1;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < r; k++) {
                double num = 0, den = 0;
                for (int j = 0; j < m; j++) {
                    double wh = 0;
                    for (int q = 0; q < r; q++) {
                        wh += wd[i * r + q] * hd[q * m + j];
                    }
                    num += vd[i * m + j] * hd[k * m + j];
                    den += wh * hd[k * m + j];
                }
                wd[i * r + k] *= den > 0 ? num / den : 1;
            }
        }
    }
}
