package io.github.nmforacle.cli;

import io.github.nmforacle.check.Checker;
import io.github.nmforacle.check.Report;
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
    @Option(names = "--input", paramLabel = "V", required = true, description = "V as .csv, .mtx or .npy")
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

    @Option(names = {"-q", "--quiet"}, description = "print only the last line (check: OK / check: REJECTED (k problems))")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Report report = Checker.check(input, w, h, certificate, acceptUnverified,
                Inputs.factorMemory("--max-factor-memory", maxFactorMiB));
        PrintWriter out = spec.commandLine().getOut();
        List<String> lines = report.lines();
        for (String line : quiet ? lines.subList(lines.size() - 1, lines.size()) : lines) {
            out.println(line);
        }
        out.flush();
        return report.ok() ? Main.EXIT_OK : Main.EXIT_REQUIREMENT_FAILED;
    }
}
