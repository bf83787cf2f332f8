package io.github.nmforacle.theory;

/** The verdict of a {@code fuzz --proof} row: a failure is expected only for a line with a recorded erratum. */
public final class ProofLineStatus {
    private ProofLineStatus() {
    }

    /**
     * "holds", "FAILS (erratum E11)", "no counterexample in N trials (erratum E11 records one)", or
     * "UNEXPECTED FAILURE" (a line with no erratum failed: the only status that makes {@code fuzz --proof} exit 1).
     */
    public static String of(ProofLine line, Fuzzer.Report r) {
        if (line.erratum() != null) {
            return r.failures() > 0 ? "FAILS (erratum " + line.erratum() + ")"
                    : "no counterexample in " + r.trials() + " trials (erratum " + line.erratum() + " records one)";
        }
        if (r.failures() > 0) {
            return "UNEXPECTED FAILURE";
        }
        return r.passes() > 0 ? "holds" + (line.corrects() != null ? " (corrects " + line.corrects() + ")" : "")
                : "no eligible case";
    }
}
