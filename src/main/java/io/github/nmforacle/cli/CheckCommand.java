package io.github.nmforacle.cli;

import io.github.nmforacle.check.Checker;
import io.github.nmforacle.check.Report;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.nmforacle.linalg.DenseMatrix;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code check}: re-verify a certificate against (V, W, H) with the independent checker. */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Re-verify a certificate (JSON) against V, W, H without the code that produced it:",
                "each claim is reported as verified, not re-checked (an UNDECIDED claim: nothing to verify),",
                "NOT VERIFIED (a HOLDS it cannot verify) or REJECTED (why).",
                "Exit 0 when every HOLDS and FAILS verifies, 1 when something is rejected or cannot be verified, 2 on bad input."})
public final class CheckCommand implements Callable<Integer> {
    @Option(names = "--input", paramLabel = "V", required = true, description = "V as .csv, .mtx, .npy or scipy .npz")
    Path input;

    @Option(names = "--w", paramLabel = "W", required = true, description = "W (n×r) as .csv, .mtx or .npy")
    Path w;

    @Option(names = "--h", paramLabel = "H", required = true, description = "H (r×m) as .csv, .mtx or .npy")
    Path h;

    @Option(names = "--certificate", paramLabel = "JSON", required = true, description = "the certificate to check")
    Path certificate;

    @Option(names = "--accept-unverified", description = "list HOLDS claims the checker cannot verify (e.g. float-mode"
            + " second-order HOLDS) as ACCEPTED UNVERIFIED and exit 0 if nothing else is wrong; by default they fail the check")
    boolean acceptUnverified;

    @Option(names = "--max-factor-memory", paramLabel = "MiB", description = "memory the checker's verified factorisations"
            + " above its dense limit may take; a larger one is not attempted and its claim is NOT VERIFIED (default: a third"
            + " of the maximum heap; raise -Xmx with it)")
    Long maxFactorMiB;

    @Option(names = "--json", description = "print the report as one JSON object: ok, exit, verdict (the last line),"
            + " problems (the REJECTED and NOT VERIFIED items), items (every line as subject, status, message)")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "print only the last line (check: OK / check: REJECTED (k problems))")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where V, W, H come from (files; {@code serve} adds inline matrices). */
    Inputs.Reader reader = Inputs.FILES;

    /** The certificate sent inline to {@code serve}, used instead of reading --certificate; null: read the file. */
    JsonNode inlineCertificate;

    @Override
    public Integer call() {
        Report report = run();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(CliJson.compact(CliJson.check(report)));
        } else {
            List<String> lines = report.lines();
            for (String line : quiet ? lines.subList(lines.size() - 1, lines.size()) : lines) {
                out.println(line);
            }
        }
        out.flush();
        return report.exitCode();
    }

    /** Reads the inputs and checks: everything but printing. */
    Report run() {
        long bytes = Inputs.factorMemory("--max-factor-memory", maxFactorMiB);
        io.github.nmforacle.linalg.DataMatrix vm = reader.readV(input);
        DenseMatrix wm = reader.read(w);
        DenseMatrix hm = reader.read(h);
        JsonNode cert = inlineCertificate != null ? inlineCertificate : Checker.readCertificate(certificate);
        return Checker.check(input, vm, w, wm, h, hm, cert, acceptUnverified, bytes);
    }
}
