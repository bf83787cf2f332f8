package io.github.nmforacle.cli;

import io.github.nmforacle.theory.Fuzzer;
import io.github.nmforacle.theory.ProofLine;
import io.github.nmforacle.theory.ProofLineStatus;
import io.github.nmforacle.theory.ProofLines;
import io.github.nmforacle.theory.TheoryProperties;
import io.github.nmforacle.theory.TheoryProperty;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fuzz}: run the paper's claims as properties on many generated cases. */
@Command(name = "fuzz", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a property of the paper's theory on generated cases; print passes, failures, discards and the"
                + " smallest counterexample (written as V.csv, W.csv, H.csv with --out).",
                "Exit 0 when no trial failed, 1 when some did, 2 on bad input."})
public final class FuzzCommand implements Callable<Integer> {
    @Option(names = "--property", paramLabel = "NAME", description = "a property name, or 'all'; --list shows them")
    String property;

    @Option(names = "--proof", paramLabel = "NAME", description = "check every displayed line of a proof: lemma1, lemma2,"
            + " lemma3, lemma4, theorem2, or 'all' (exit 1 only for a failure that is not a recorded erratum)")
    String proof;

    @Option(names = "--list", description = "list the properties and their statements (with --proof: the proof's lines,"
            + " tab-separated id, location, relation, erratum)")
    boolean list;

    @Option(names = "--trials", defaultValue = "1000", description = "trials per property (default: ${DEFAULT-VALUE})")
    int trials;

    @Option(names = "--seed", defaultValue = "1", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "write the smallest counterexample here (one sub-folder per property)")
    Path out;

    @CommandLine.Mixin
    ExternalSolverOptions externalSolver = new ExternalSolverOptions();

    @Option(names = {"-q", "--quiet"}, description = "no progress bar")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        if (list && proof != null) {
            try {
                for (ProofLines.Proof p : proof.equals("all") ? ProofLines.all() : List.of(ProofLines.byName(proof))) {
                    for (ProofLine l : p.lines()) {
                        o.printf(Locale.ROOT, "%s\t%s\t%s\t%s%n", l.id(), l.location(), l.printed(),
                                l.erratum() == null ? "" : l.erratum());
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--proof: " + e.getMessage());
            }
            o.flush();
            return Main.EXIT_OK;
        }
        if (list) {
            for (TheoryProperty p : TheoryProperties.all()) {
                o.printf(Locale.ROOT, "%-16s %s%n", p.name(), p.statement());
            }
            return Main.EXIT_OK;
        }
        if (property == null && proof == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--property NAME, --proof NAME (or --list) is required");
        }
        if (property != null && proof != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--property and --proof are exclusive");
        }
        if (trials < 1 || trials > 100_000_000) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--trials must be in [1, 1e8], got " + trials);
        }
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            throw new io.github.nmforacle.io.InputException(out + ": exists and is not a folder");
        }
        if (proof != null) {
            return proofs(o);
        }
        List<TheoryProperty> ps = new ArrayList<>();
        io.github.nmforacle.solve.Solver external = externalSolver.solver(false);
        if (external != null && !property.equals("sosp:external")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--solver-command goes with --property sosp:external");
        }
        if (external != null) {
            ps.add(TheoryProperties.endsAtSosp(external));
        } else if (property.equals("all")) {
            ps.addAll(TheoryProperties.all());
        } else {
            ps.add(TheoryProperties.byName(property));
        }
        boolean anyFail = false;
        for (TheoryProperty p : ps) {
            Fuzzer.Report r;
            if (!quiet && System.console() != null && trials >= 100) {
                try (ProgressBar pb = new ProgressBarBuilder().setTaskName(p.name()).setInitialMax(trials)
                        .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
                    r = Fuzzer.run(p, trials, seed, pb::stepTo);
                }
            } else {
                r = Fuzzer.run(p, trials, seed, null);
            }
            o.printf(Locale.ROOT, "%-16s trials %d: %d passed, %d failed, %d discarded (hypothesis not met)%n", p.name(),
                    r.trials(), r.passes(), r.failures(), r.discards());
            if (r.failures() > 0) {
                anyFail = true;
                var t = r.smallest();
                o.printf(Locale.ROOT, "  smallest counterexample (trial seed %d, max dimension %d): %s; V %s, W %s, H %s%s%n", r.smallestSeed(), r.smallestMaxDim(),
                        t.detail(), t.example() == null ? "-" : t.example().v().shape(), t.example() == null ? "-"
                                : t.example().w().shape(), t.example() == null ? "-" : t.example().h().shape(),
                        t.c() == null ? "" : ", C = " + io.github.nmforacle.certify.Certifier.fraction(t.c()));
                if (out != null) {
                    Path dir = ps.size() == 1 ? out : out.resolve(p.name());
                    Fuzzer.writeCounterexample(r, dir);
                    o.println("  written to " + dir);
                }
            }
        }
        o.flush();
        return anyFail ? Main.EXIT_REQUIREMENT_FAILED : Main.EXIT_OK;
    }

    /** {@code --proof}: one row per displayed line (proofs-notes/proof-lines.md). */
    private int proofs(PrintWriter o) {
        List<ProofLines.Proof> ps;
        try {
            ps = proof.equals("all") ? ProofLines.all() : List.of(ProofLines.byName(proof));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--proof: " + e.getMessage());
        }
        boolean unexpected = false;
        for (ProofLines.Proof p : ps) {
            o.printf(Locale.ROOT, "%s — %d lines, %d trials each, seed %d%n", p.title(), p.lines().size(), trials, seed);
            for (ProofLine line : p.lines()) {
                Fuzzer.Report r = Fuzzer.run(p.property(line), trials, seed, null);
                String status = ProofLineStatus.of(line, r);
                unexpected |= status.startsWith("UNEXPECTED");
                o.printf(Locale.ROOT, "  %-20s pass %5d  fail %5d  discard %5d  %s%n", line.id(), r.passes(), r.failures(),
                        r.discards(), status);
                if (r.failures() > 0) {
                    var t = r.smallest();
                    o.printf(Locale.ROOT, "      smallest counterexample (trial seed %d, max dimension %d): V %s, W %s, H %s%s%n",
                            r.smallestSeed(), r.smallestMaxDim(), t.example() == null ? "-" : t.example().v().shape(),
                            t.example() == null ? "-" : t.example().w().shape(), t.example() == null ? "-" : t.example().h().shape(),
                            t.c() == null ? "" : ", C = " + io.github.nmforacle.certify.Certifier.fraction(t.c()));
                    if (out != null) {
                        Path dir = out.resolve(line.id().replaceAll("[^A-Za-z0-9.-]+", "_"));
                        Fuzzer.writeCounterexample(r, dir);
                        o.println("      written to " + dir);
                    }
                }
            }
        }
        o.flush();
        return unexpected ? Main.EXIT_REQUIREMENT_FAILED : Main.EXIT_OK;
    }
}
