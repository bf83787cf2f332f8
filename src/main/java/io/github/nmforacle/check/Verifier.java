package io.github.nmforacle.check;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One run of the checker on one certificate (see {@link Checker} and proofs-notes/checker.md), as a checklist: the
 * stages, each in its own class and each extending the previous one so that what a stage verified (e.g. the exact
 * classification at a verified FOSP) is there for the next, run in the order of the spec.
 */
final class Verifier extends IntervalCheck {

    Verifier(Checker limits, Point pt, JsonNode cert) {
        super(limits, pt, cert);
    }

    Report run() {
        if (!header()) {
            rep.notRechecked("claims", "the certificate does not describe these matrices");
            return rep;
        }
        step("fields", this::fields);
        step("provenance", this::provenance);
        step("tolerances", this::tolerances);
        step("scales", this::scales);
        step("objective", this::objective);
        step("multiplier", this::multiplier);
        step("fosp", this::fosp);
        step("counts", this::counts);
        for (String name : SECOND_ORDER) {
            step(name, () -> secondOrder(name));
        }
        for (String name : SECOND_ORDER) {
            String field = name.equals("strictModuloSymmetry") ? "mu" : "lambdaMin";
            step(name + "." + field, () -> bounds(name, field));
        }
        return rep;
    }
}
