package io.github.nmforacle.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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

    public static String toJson(Certificate c) {
        try {
            return MAPPER.writeValueAsString(c);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise certificate: " + e.getOriginalMessage(), e);
        }
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
