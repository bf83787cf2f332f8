package com.example.nmfconsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.nmforacle.certify.Certificate;
import io.github.nmforacle.certify.Certifier;
import io.github.nmforacle.certify.CertifyOptions;
import io.github.nmforacle.certify.Mode;
import io.github.nmforacle.certify.Verdict;
import io.github.nmforacle.testkit.jqwik.Instance;
import io.github.nmforacle.testkit.jqwik.NmfArbitraries;
import io.github.nmforacle.testkit.jqwik.Point;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The user's properties over nmf-oracle's jqwik arbitraries (the "jqwik" classified artifact, test scope). */
class ArbitrariesPropertyTest {
    @Provide
    Arbitrary<Point> stationaryPoints() {
        return NmfArbitraries.builder().dimensions(1, 4).rank(1, 2).stationaryPoints();
    }

    @Property(tries = 30)
    void stationaryPointsAreCertifiedFirstOrderAndSaddlesRefuted(@ForAll("stationaryPoints") Point p) {
        Certificate c = Certifier.certify(p.v(), p.w(), p.h(), CertifyOptions.nmf(Mode.EXACT));
        assertEquals(Verdict.HOLDS, c.fosp().verdict(), p + ": " + c.fosp().reason());
        if (p.saddle()) {
            assertEquals(Verdict.FAILS, c.sospCone().verdict(), p.toString());
        }
    }

    @Property(tries = 50)
    void instancesFromTheSupplierAreNonNegative(@ForAll(supplier = NmfArbitraries.AnyInstance.class) Instance i) {
        assertTrue(i.rank() >= 1 && i.rank() <= Math.min(i.v().rows(), i.v().cols()), i.toString());
        for (double x : i.v().data()) {
            assertTrue(x >= 0 && Double.isFinite(x), i.toString());
        }
    }
}
