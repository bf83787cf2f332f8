package io.github.nmforacle.solve;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.nmforacle.testkit.Instances;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 2's convergence criterion, verbatim: on planted V = W₀H₀ (W₀, H₀ uniform in [0, 1)), n = m ∈ {20, 50, 100},
 * r ∈ {2, 5, 10}, mwu-adaptive reaches ‖V − WH‖_F/‖V‖_F < 1e-2 within 500 iterations for each of 5 seeds.
 *
 * <p>Tagged "acceptance" (run with {@code mvn test -Pacceptance}): it does NOT hold today. The single
 * global step of the concurrent MWU on the 2C* simplex converges more slowly than Lee–Seung MU (which
 * itself needs 400–1000 iterations at r = 10); see README "Convergence on planted instances" for the
 * measured iteration counts. The test stays as written so that it fails loudly until that changes.
 */
@Tag("acceptance")
class PlantedAcceptanceTest {
    @Test
    void mwuAdaptiveReachesOnePercentWithin500IterationsOnEveryPlantedInstance() {
        List<String> misses = new ArrayList<>();
        for (int n : new int[] {20, 50, 100}) {
            for (int r : new int[] {2, 5, 10}) {
                for (int seed = 0; seed < 5; seed++) {
                    var planted = Instances.planted(n, n, r, 1000 + seed);
                    SolveResult res = ConcurrentMwu.adaptiveStep().solve(planted.v(),
                            SolverOptions.rank(r).withMaxIterations(500).withObjectiveTolerance(0).withSeed(seed));
                    if (!(res.relativeError() < 1e-2)) {
                        misses.add(String.format("n=%d r=%d seed=%d: %.2e", n, r, seed, res.relativeError()));
                    }
                }
            }
        }
        assertThat(misses).as("planted instances where mwu-adaptive missed 1e-2 in 500 iterations").isEmpty();
    }
}
