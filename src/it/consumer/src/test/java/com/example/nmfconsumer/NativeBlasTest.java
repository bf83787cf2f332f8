package com.example.nmfconsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.nmforacle.linalg.Blas;
import io.github.nmforacle.linalg.NativeBlas;
import io.github.nmforacle.solve.SolveResult;
import io.github.nmforacle.solve.Solvers;
import io.github.nmforacle.solve.SolverOptions;
import io.github.nmforacle.testkit.Instances;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The bundled OpenBLAS reaches a user through the thin jar's declared platform dependencies. */
class NativeBlasTest {
    static boolean bundledPlatform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
        return (os.startsWith("linux") || os.startsWith("mac")) && (x64 || arm64);
    }

    @Test
    void nativeProductsLoadAndAgreeWithTheJavaKernels() {
        assumeTrue(bundledPlatform(), "nmf-oracle bundles OpenBLAS for " + NativeBlas.BUNDLED_PLATFORMS);
        assertTrue(NativeBlas.available(), NativeBlas.unavailableReason());
        assertEquals(Blas.NATIVE, Blas.AUTO.resolve());

        Instances.Planted p = Instances.planted(60, 50, 4, 1L);
        SolverOptions o = SolverOptions.rank(4).withSeed(3).withMaxIterations(300).withObjectiveTolerance(0).withThreads(1);
        SolveResult nat = Solvers.byName("mu").solve(p.v(), o.withBlas(Blas.NATIVE));
        SolveResult auto = Solvers.byName("mu").solve(p.v(), o.withBlas(Blas.AUTO));
        SolveResult java = Solvers.byName("mu").solve(p.v(), o.withBlas(Blas.JAVA));
        assertEquals(300, nat.iterations());
        assertEquals(nat.objective(), auto.objective(), 0.0, "AUTO resolves to NATIVE here");
        assertEquals(java.objective(), nat.objective(), 1e-6 * java.objective());
    }
}
