package io.github.nmforacle.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.nmforacle.certify.Verdict;
import io.github.nmforacle.certify.Certificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Certificates as JSON (field names of ../shared/spec/certify.md); writes are atomic. */
public final class CertificateJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CertificateJson() {
    }

    /** The certificate as JSON, format v2 (README "Certificate format"; schema: certificate-v2.schema.json). */
    public static String toJson(Certificate c) {
        try {
            return MAPPER.writeValueAsString(tree(c));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise certificate: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The JSON tree: the claims and every number the checker verifies, then "provenance" and "info". Everything a
     * reader should not take as a verified fact (reasons, methods, float estimates, notes) is in "info", which the
     * checker ignores and says so.
     */
    public static ObjectNode tree(Certificate c) {
        boolean exact = c.mode().equals("exact");
        ObjectNode t = MAPPER.createObjectNode();
        t.put("tool", c.tool());
        t.put("indexBase", 0);
        t.put("problem", c.problem());
        t.put("C", c.C());
        t.put("CExact", c.CExact());
        t.put("mode", c.mode());
        t.put("n", c.n());
        t.put("m", c.m());
        t.put("r", c.r());
        t.put("objective", c.objective());
        Certificate.FirstOrder f = c.fosp();
        ObjectNode fo = t.putObject("fosp");
        fo.put("verdict", f.verdict().name());
        fo.put("residual", f.residual());
        fo.put("multiplier", f.multiplier());
        fo.put("multiplierExact", f.multiplierExact());
        fo.put("sum", f.sum());
        fo.set("witness", witness(f.witness()));
        Certificate.Bounds b = c.bounds() == null ? Certificate.Bounds.NONE : c.bounds();
        second(t.putObject("sospPaper"), c.sospPaper().verdict(), "lambdaMin", b.paper(), c.sospPaper().witness());
        second(t.putObject("sospCone"), c.sospCone().verdict(), "lambdaMin", b.cone(), c.sospCone().witness());
        ObjectNode st = t.putObject("strictModuloSymmetry");
        second(st, c.strictModuloSymmetry().verdict(), "mu", b.strict(), c.strictModuloSymmetry().witness());
        if (c.strictModuloSymmetry().symmetry() != null) {
            // the hint behind a verified-cholesky bound on μ: T = span P_L t_X (the checker re-verifies it)
            ArrayNode xs = st.putArray("symmetry");
            for (double[] xm : c.strictModuloSymmetry().symmetry()) {
                ArrayNode a = xs.addArray();
                for (double v : xm) {
                    a.add(v);
                }
            }
        }
        Certificate.TolerancesJson tj = c.tolerances();
        ObjectNode tol = t.putObject("tolerances");
        if (exact) {
            // exact mode decides over the rationals: only the budgets shape the result
            tol.put("maxDegenerate", tj.maxDegenerate());
            tol.put("maxExactDimension", tj.maxExactDimension());
        } else {
            tol.put("firstOrder", tj.firstOrder());
            tol.put("degenerate", tj.degenerate());
            tol.put("secondOrder", tj.secondOrder());
            if (c.problem().equals("S-NMF")) {
                tol.put("sum", tj.sum());
            }
            tol.put("maxDenseDimension", tj.maxDenseDimension());
        }
        if (f.verdict() == Verdict.HOLDS && c.counts() != null) {
            ObjectNode k = t.putObject("counts");
            k.put("support", c.counts().support());
            k.put("stronglyActive", c.counts().stronglyActive());
            k.put("degenerate", c.counts().degenerate());
        } else {
            t.putNull("counts"); // the classification exists only at a FOSP
        }
        ObjectNode sc = t.putObject("scales");
        sc.put("gradient", c.scales().gradient());
        sc.put("entry", c.scales().entry());
        sc.put("hessian", c.scales().hessian());
        Certificate.Provenance p = c.provenance();
        if (p != null) {
            ObjectNode pv = t.putObject("provenance");
            pv.put("version", p.version());
            pv.set("options", MAPPER.valueToTree(p.options()));
            ObjectNode sha = pv.putObject("sha256");
            sha.put("V", p.sha256V());
            sha.put("W", p.sha256W());
            sha.put("H", p.sha256H());
        } else {
            t.putNull("provenance");
        }
        ObjectNode info = t.putObject("info");
        info.put("about", "informational text and estimates: the checker ignores this object; nothing here is verified");
        if (exact) {
            info.put("exactMode", "exact mode certifies the exact rational point given (every double is a rational): an"
                    + " iterative solver's output is almost never an exact first-order point, so expect FAILS there;"
                    + " float mode certifies within tolerances");
        }
        ObjectNode reasons = info.putObject("reasons");
        reasons.put("fosp", f.reason());
        reasons.put("sospPaper", c.sospPaper().reason());
        reasons.put("sospCone", c.sospCone().reason());
        reasons.put("strictModuloSymmetry", c.strictModuloSymmetry().reason());
        ObjectNode methods = info.putObject("methods");
        methods.put("sospPaper", c.sospPaper().method());
        methods.put("sospCone", c.sospCone().method());
        methods.put("strictModuloSymmetry", c.strictModuloSymmetry().method());
        ObjectNode est = info.putObject("estimates");
        est.putObject("fosp").put("noise", f.noise()).put("what", "the certifier's bound on the rounding error of the"
                + " residual, which its float decision used (0 in exact mode); the checker uses its own");
        estimate(est, "sospPaper", "lambdaMin", c.sospPaper().lambdaMin(), c.sospPaper().noise(), c.sospPaper().method());
        estimate(est, "sospCone", "lambdaMin", c.sospCone().lambdaMin(), c.sospCone().noise(), c.sospCone().method());
        estimate(est, "strictModuloSymmetry", "mu", c.strictModuloSymmetry().mu(), c.strictModuloSymmetry().noise(),
                c.strictModuloSymmetry().method());
        ObjectNode expl = info.putObject("explanations");
        if (f.witness() != null) {
            expl.put("fosp", f.witness().explanation());
        }
        ArrayNode notes = info.putArray("notes");
        c.notes().forEach(notes::add);
        return t;
    }

    private static void second(ObjectNode o, Verdict v, String field, Certificate.Interval iv, Object witness) {
        o.put("verdict", v.name());
        ObjectNode i = o.putObject(field);
        i.put("lower", iv.lower());
        i.put("lowerMethod", iv.lowerMethod());
        i.put("upper", iv.upper());
        i.put("upperMethod", iv.upperMethod());
        o.set("witness", witness(witness));
    }

    private static void estimate(ObjectNode est, String claim, String field, Double value, Double noise, String method) {
        if (value == null) {
            return;
        }
        ObjectNode e = est.putObject(claim);
        e.put(field, value);
        e.put("noise", noise);
        e.put("what", "lanczos".equals(method) ? "a Ritz value: an estimate from above, not a bound"
                : method != null && method.startsWith("exact") ? "a double eigenvalue beside the exact decision"
                : "the computed eigenvalue and its rounding band under the standard backward-error model (not re-verified)");
    }

    private static JsonNode witness(Object w) {
        if (w == null) {
            return NullNode.getInstance();
        }
        if (w instanceof Certificate.FirstOrderWitness fw) {
            ObjectNode o = MAPPER.createObjectNode();
            o.put("kind", fw.kind());
            ArrayNode cs = o.putArray("coordinates");
            for (Certificate.Coordinate c : fw.coordinates()) {
                cs.add(MAPPER.valueToTree(c));
            }
            o.put("value", fw.value());
            o.put("valueExact", fw.valueExact());
            return o;
        }
        return MAPPER.valueToTree(w);
    }

    /** Writes the certificate to {@code p}, replacing it atomically. */
    public static void write(Certificate c, Path p) {
        Path abs = p.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new InputException(p + ": folder " + dir + " does not exist");
        }
        Path tmp = dir.resolve("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.writeString(tmp, toJson(c) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            throw new InputException(p + ": cannot write: " + e.getMessage());
        }
    }

    /** Reads a JSON document (any shape; the checker interprets it). */
    public static JsonNode read(Path p) {
        try {
            byte[] b = Files.readAllBytes(p);
            if (b.length == 0) {
                throw new InputException(p + ": empty file, no certificate");
            }
            JsonNode n = MAPPER.readTree(b);
            if (n == null || !n.isObject()) {
                throw new InputException(p + ": not a certificate: the top level is not a JSON object");
            }
            return n;
        } catch (NoSuchFileException e) {
            throw new InputException(p + ": no such file");
        } catch (JsonProcessingException e) {
            throw new InputException(p + ": not a certificate: malformed JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw new InputException(p + ": cannot read: " + e.getMessage());
        }
    }
}
