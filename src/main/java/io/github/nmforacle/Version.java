package io.github.nmforacle;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** nmf-oracle's version, from the Maven-filtered resource {@code io/github/nmforacle/version.properties}. */
public final class Version {
    static final String RESOURCE = "/io/github/nmforacle/version.properties";

    private Version() {
    }

    /** The POM version nmf-oracle was built as, or "(development build)" when the resource is not filtered. */
    public static String project() {
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                String v = p.getProperty("version", "").trim();
                if (!v.isEmpty() && !v.contains("${")) {
                    return v;
                }
            }
        } catch (IOException ignored) {
            // fall through: an unreadable resource is a development build
        }
        return "(development build)";
    }
}
