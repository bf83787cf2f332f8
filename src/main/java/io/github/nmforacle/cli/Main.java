package io.github.nmforacle.cli;

import io.github.nmforacle.io.InputException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code java -jar nmf-oracle.jar}. Exit codes: 0 the run worked, 1 a {@code --require}d
 * verdict did not hold, 2 bad input or usage (one line on stderr, never a stack trace), 3 internal error.
 */
@Command(name = "nmf-oracle", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Solve, certify and fuzz non-negative matrix factorizations (Panageas et al., concurrent MWU).",
        subcommands = {DemoCommand.class, SolveCommand.class, CertifyCommand.class, CheckCommand.class, ServeCommand.class, FuzzCommand.class, AuditCommand.class, RecoveryCommand.class, ReproduceCommand.class,
                BenchCommand.class, SparkCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_REQUIREMENT_FAILED = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_INTERNAL = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: "
                + String.join(", ", spec.subcommands().keySet()) + " (try --help)");
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line with the given streams and returns the exit code (for tests and embedding). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main());
        PrintWriter o = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        cl.setOut(o);
        cl.setErr(e);
        cl.setParameterExceptionHandler((ex, a) -> {
            e.println("nmf-oracle: " + oneLine(ex.getMessage()));
            CommandLine c = ex.getCommandLine();
            e.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
            return EXIT_BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            String user = userMessage(ex);
            if (user != null) {
                e.println("nmf-oracle: " + user);
                return EXIT_BAD_INPUT;
            }
            e.println("nmf-oracle: internal error: " + ex.getClass().getSimpleName() + ": " + oneLine(String.valueOf(ex.getMessage()))
                    + " (please report it with the command line)");
            return EXIT_INTERNAL;
        });
        int code;
        try {
            code = cl.execute(args);
        } catch (OutOfMemoryError oom) {
            e.println("nmf-oracle: out of memory; give Java more heap (java -Xmx...) or use a smaller input");
            code = EXIT_BAD_INPUT;
        }
        o.flush();
        e.flush();
        return code;
    }

    /** The one-line message of an error in the user's input, or null when {@code ex} is a bug (exit 3). */
    static String userMessage(Throwable ex) {
        // an IllegalArgumentException without a message is no user-facing error (a bug, e.g. from a library)
        if (ex instanceof InputException || (ex instanceof IllegalArgumentException && !oneLine(ex.getMessage()).isEmpty())) {
            return oneLine(ex.getMessage());
        }
        return null;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    /**
     * {@code --version} / {@code -V}: nmf-oracle's version (from the Maven-filtered resource
     * {@code io/github/nmforacle/version.properties}, so it is right in tests run from target/classes too), then the
     * Java runtime and the platform.
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                    "nmf-oracle " + projectVersion(),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                            + System.getProperty("java.vm.name") + ")",
                    "Platform " + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
        }

        static String projectVersion() {
            return io.github.nmforacle.Version.project();
        }
    }
}
