package io.github.nmforacle.cli;

import io.github.nmforacle.certify.Certificate;
import io.github.nmforacle.certify.CertificateTable;
import io.github.nmforacle.certify.Certifier;
import io.github.nmforacle.certify.CertifyOptions;
import io.github.nmforacle.certify.Mode;
import io.github.nmforacle.certify.Tolerances;
import io.github.nmforacle.certify.Verdict;
import io.github.nmforacle.io.CertificateJson;
import io.github.nmforacle.io.InputException;
import io.github.nmforacle.io.OutputSet;
import io.github.nmforacle.linalg.DenseMatrix;
import io.github.nmforacle.problem.ExactNmf;
import io.github.nmforacle.problem.NmfProblem;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.hipparchus.fraction.BigFraction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code certify}: decide FOSP / SOSP of (W, H) for V and print or write the certificate. */
@Command(name = "certify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Certify (W, H) as a first-order (KKT) and second-order stationary point of NMF or S-NMF(C).",
                "Each claim gets HOLDS, FAILS (with a witness) or UNDECIDED (with the reason).",
                "Exit 0 when the run worked, whatever the verdicts; with --require, 1 unless that claim HOLDS; 2 on bad input."})
public final class CertifyCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, paramLabel = "V", description = "V (.csv, .mtx, .npy; sparse: .mtx coordinate, scipy .npz)")
    Path input;

    @Option(names = "--w", required = true, paramLabel = "W", description = "W (n×r)")
    Path wPath;

    @Option(names = "--h", required = true, paramLabel = "H", description = "H (r×m)")
    Path hPath;

    @Option(names = "--simplex-sum", paramLabel = "C",
            description = "certify for S-NMF(C) instead of NMF: a number (decimal or p/q), 'paper' (Algorithm 1's"
                    + " C = 4r(nm)^{1/4}√‖V‖_F, as a double) or 'sum' (ΣW + ΣH of the given point)")
    String simplexSum;

    @Option(names = "--mode", defaultValue = "float", description = "exact | float (default: ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--tol-first-order", defaultValue = "1e-6", description = "relative first-order tolerance (default: ${DEFAULT-VALUE})")
    double tolFirst;

    @Option(names = "--tol-degenerate", description = "relative threshold for zero entries and degenerate coordinates"
            + " (default: the first-order tolerance)")
    Double tolDegenerate;

    @Option(names = "--tol-second-order", defaultValue = "1e-6", description = "relative curvature tolerance (default: ${DEFAULT-VALUE})")
    double tolSecond;

    @Option(names = "--tol-sum", defaultValue = "1e-9", description = "relative tolerance on ΣW + ΣH = C (default: ${DEFAULT-VALUE})")
    double tolSum;

    @Option(names = "--max-degenerate", defaultValue = "12", description = "exact copositivity on K when |D| <= this (default: ${DEFAULT-VALUE})")
    int maxDegenerate;

    @Option(names = "--max-dense", defaultValue = "1500", description = "float: dense eigensolver and verified Cholesky up to this reduced dimension; above it Lanczos"
            + " (refutes) and, for NMF, the structured verified Cholesky (proves) (default: ${DEFAULT-VALUE})")
    int maxDense;

    @Option(names = "--max-exact", defaultValue = "120", description = "exact: second order up to this reduced dimension (default: ${DEFAULT-VALUE})")
    int maxExact;

    @Option(names = "--json", description = "print the certificate as JSON instead of the table")
    boolean json;

    @Option(names = "--out", paramLabel = "FILE", description = "also write the JSON certificate here")
    Path out;

    @Option(names = "--require", paramLabel = "CLAIM", description = "fosp | sosp | sosp-cone | strict: exit 1 unless it HOLDS")
    String require;

    @Option(names = "--threads", defaultValue = "0", description = "threads, 0 = one per core, at most " + Inputs.MAX_THREADS + " (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the Lanczos start vector (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--max-factor-memory", paramLabel = "MiB", description = "float: memory the verified factorisations"
            + " above --max-dense may take (structured Cholesky, strictness); larger ones are not attempted and only the"
            + " Gauss–Newton bound applies (default: a third of the maximum heap; raise -Xmx with it)")
    Long maxFactorMiB;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where V, W, H come from (files; {@code serve} adds inline matrices). */
    Inputs.Reader reader = Inputs.FILES;

    @Override
    public Integer call() {
        Certificate cert = run();
        PrintWriter o = spec.commandLine().getOut();
        o.print(json ? CertificateJson.toJson(cert) + "\n" : CertificateTable.render(cert));
        o.flush();
        return exitCode(cert);
    }

    /** Checks the options, reads the inputs, certifies and writes --out: everything but printing. */
    Certificate run() {
        Mode md = switch (mode.toLowerCase(Locale.ROOT)) {
            case "exact" -> Mode.EXACT;
            case "float" -> Mode.FLOAT;
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "--mode must be exact or float, got '" + mode + "'");
        };
        if (require != null && !Arrays.asList("fosp", "sosp", "sosp-cone", "strict").contains(require)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--require must be one of fosp, sosp, sosp-cone, strict; got '" + require + "'");
        }
        Inputs.threads("--threads", threads);
        Inputs.requireDistinct(Arrays.asList(input, wPath, hPath), Arrays.asList(out));
        OutputSet.check("--out", out, OutputSet.Kind.JSON);
        io.github.nmforacle.linalg.DataMatrix v = Inputs.readData(reader, input);
        DenseMatrix w = reader.read(wPath);
        DenseMatrix h = reader.read(hPath);
        if (w.rows() != v.rows()) {
            throw new InputException(wPath + ": W has " + w.rows() + " rows but V has " + v.rows());
        }
        if (h.cols() != v.cols()) {
            throw new InputException(hPath + ": H has " + h.cols() + " columns but V has " + v.cols());
        }
        if (w.cols() != h.rows()) {
            throw new InputException(hPath + ": H has " + h.rows() + " rows but W has " + w.cols() + " columns (the rank)");
        }
        if (w.cols() > Math.min(v.rows(), v.cols())) {
            throw new InputException(wPath + ": rank " + w.cols() + " exceeds min(n, m) = " + Math.min(v.rows(), v.cols()));
        }
        Tolerances t = new Tolerances(tolFirst, tolDegenerate == null ? tolFirst : tolDegenerate, tolSecond, tolSum,
                maxDegenerate, maxDense, maxExact);
        BigFraction c = simplexSum == null ? null : simplexSum(v, w, h);
        if (c != null && !(Double.isFinite(c.doubleValue()) && c.doubleValue() >= Double.MIN_NORMAL)) {
            throw new InputException("--simplex-sum " + simplexSum + ": C = " + c.doubleValue()
                    + " is outside the range of double precision; rescale V, W and H");
        }
        Certificate cert = Certifier.certify(v, w, h, new CertifyOptions(c, md, t, threads, seed,
                Inputs.factorMemory("--max-factor-memory", maxFactorMiB)));
        if (out != null) {
            OutputSet outputs = new OutputSet();
            outputs.stageCertificate(cert, out);
            outputs.commit();
        }
        return cert;
    }

    /** The exit code: 0, or with --require 1 unless that claim HOLDS. */
    int exitCode(Certificate cert) {
        if (require == null) {
            return Main.EXIT_OK;
        }
        Verdict vr = switch (require) {
            case "fosp" -> cert.fosp().verdict();
            case "sosp" -> cert.sospPaper().verdict();
            case "sosp-cone" -> cert.sospCone().verdict();
            default -> cert.strictModuloSymmetry().verdict();
        };
        return vr == Verdict.HOLDS ? Main.EXIT_OK : Main.EXIT_REQUIREMENT_FAILED;
    }

    private BigFraction simplexSum(io.github.nmforacle.linalg.DataMatrix v, DenseMatrix w, DenseMatrix h) {
        switch (simplexSum.toLowerCase(Locale.ROOT)) {
            case "paper":
                return ExactNmf.exact(NmfProblem.of(v, w.cols()).algorithmOneConstant());
            case "sum": {
                BigFraction s = BigFraction.ZERO;
                for (double x : w.data()) {
                    s = s.add(ExactNmf.exact(x));
                }
                for (double x : h.data()) {
                    s = s.add(ExactNmf.exact(x));
                }
                if (s.signum() <= 0) {
                    throw new IllegalArgumentException("--simplex-sum sum: ΣW + ΣH must be positive");
                }
                return s;
            }
            default:
                return parseSimplexSum(simplexSum);
        }
    }

    /**
     * C given as a decimal or p/q: exact, positive, and inside the range of normal doubles (the float mode and the
     * table work with C as a double, so a C that overflows to infinity or underflows to 0 would silently change the claim).
     */
    static BigFraction parseSimplexSum(String s) {
        String t = s.trim();
        BigFraction f;
        try {
            int slash = t.indexOf('/');
            if (slash >= 0 && new BigInteger(t.substring(slash + 1).trim()).signum() == 0) {
                throw new InputException("--simplex-sum " + s + ": the denominator is 0");
            }
            if (slash < 0) {
                // before the exact conversion: 1e99999999 would otherwise build a 10^99999999
                BigDecimal d = new BigDecimal(t);
                if (d.signum() <= 0) {
                    throw new InputException("--simplex-sum must be positive, got " + s);
                }
                long exponent = (long) d.precision() - d.scale() - 1; // floor(log10 d)
                if (exponent > 308) {
                    throw outOfRange(s, "overflows to infinity");
                }
                if (exponent < -308) {
                    throw outOfRange(s, "underflows to 0");
                }
            }
            f = Certifier.parseFraction(t);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InputException("--simplex-sum must be a positive number (decimal or p/q), 'paper' or 'sum'; got '" + s + "'");
        }
        if (f.signum() <= 0) {
            throw new InputException("--simplex-sum must be positive, got " + s);
        }
        double x = f.doubleValue();
        if (Double.isInfinite(x)) {
            throw outOfRange(s, "overflows to infinity");
        }
        if (!(x >= Double.MIN_NORMAL)) {
            throw outOfRange(s, "underflows to 0");
        }
        return f;
    }

    private static InputException outOfRange(String s, String what) {
        return new InputException("--simplex-sum " + s + ": " + what + " in double precision; C must lie in ["
                + Double.MIN_NORMAL + ", " + Double.MAX_VALUE + "]");
    }
}
