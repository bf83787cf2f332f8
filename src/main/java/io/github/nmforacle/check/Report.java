package io.github.nmforacle.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the checker found: one line per claim or part of the certificate, then a last line
 * "check: OK" or "check: REJECTED (k problems)" ("check: NOT VERIFIED (k problems)" when nothing was
 * found false but a claim could not be verified: every HOLDS must be verified, e.g. a float-mode second-order
 * HOLDS, which the checker has no rigorous bound for yet, or an exact HOLDS above its size limits). With
 * accept-unverified such HOLDS are listed as ACCEPTED UNVERIFIED and the last line says how many.
 */
public final class Report {
    /** The outcome of one item. */
    public enum Status {
        /** Re-checked and true. */
        VERIFIED,
        /** Not re-checked, for the stated reason; not a problem (an UNDECIDED claim, a float-mode HOLDS, a size limit). */
        NOT_RECHECKED,
        /** Had to be re-checked and could not be (exact FOSP HOLDS too large): a problem. */
        NOT_VERIFIED,
        /**
         * A HOLDS the checker could not verify, accepted only because the caller asked for it
         * ({@code --accept-unverified}); listed, and named in the last line.
         */
        ACCEPTED_UNVERIFIED,
        /** Found false or malformed: a problem. */
        REJECTED
    }

    /**
     * One line of the report.
     *
     * @param subject what was checked ("fosp", "sospPaper", "objective", ...)
     * @param status  the outcome
     * @param message what was found, one line
     */
    public record Item(String subject, Status status, String message) {
        public boolean problem() {
            return status == Status.NOT_VERIFIED || status == Status.REJECTED;
        }

        public String line() {
            String word = switch (status) {
                case VERIFIED -> "verified";
                case NOT_RECHECKED -> "not re-checked";
                case NOT_VERIFIED -> "NOT VERIFIED";
                case ACCEPTED_UNVERIFIED -> "ACCEPTED UNVERIFIED";
                case REJECTED -> "REJECTED";
            };
            return subject + ": " + word + (message == null || message.isEmpty() ? "" : (status == Status.VERIFIED
                    || status == Status.NOT_RECHECKED ? " (" + message + ")" : ": " + message));
        }
    }

    private final List<Item> items = new ArrayList<>();

    Report() {
    }

    void add(String subject, Status status, String message) {
        items.add(new Item(subject, status, message));
    }

    void verified(String subject, String message) {
        add(subject, Status.VERIFIED, message);
    }

    void notRechecked(String subject, String why) {
        add(subject, Status.NOT_RECHECKED, why);
    }

    void notVerified(String subject, String why) {
        add(subject, Status.NOT_VERIFIED, why);
    }

    void rejected(String subject, String why) {
        add(subject, Status.REJECTED, why);
    }

    public List<Item> items() {
        return Collections.unmodifiableList(items);
    }

    /** The number of REJECTED and NOT VERIFIED items. */
    public int problems() {
        return (int) items.stream().filter(Item::problem).count();
    }

    public boolean ok() {
        return problems() == 0;
    }

    /** 0 when everything verifies, 1 otherwise (the command line's exit status). */
    public int exitCode() {
        return ok() ? 0 : 1;
    }

    /** The items with the given subject (tests). */
    public List<Item> about(String subject) {
        return items.stream().filter(i -> i.subject().equals(subject)).toList();
    }

    public String lastLine() {
        int k = problems();
        if (k == 0) {
            long u = items.stream().filter(i -> i.status() == Status.ACCEPTED_UNVERIFIED).count();
            return u == 0 ? "check: OK" : "check: OK, with " + u + (u == 1 ? " claim" : " claims")
                    + " accepted UNVERIFIED (--accept-unverified)";
        }
        boolean anyRejected = items.stream().anyMatch(i -> i.status() == Status.REJECTED);
        return "check: " + (anyRejected ? "REJECTED" : "NOT VERIFIED") + " (" + k + (k == 1 ? " problem)" : " problems)");
    }

    /** Every item's line, then the last line. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        for (Item i : items) {
            out.add(i.line());
        }
        out.add(lastLine());
        return out;
    }

    @Override
    public String toString() {
        return String.join(System.lineSeparator(), lines());
    }
}
