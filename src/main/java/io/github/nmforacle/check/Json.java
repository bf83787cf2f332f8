package io.github.nmforacle.check;

import com.fasterxml.jackson.databind.JsonNode;
import org.hipparchus.fraction.BigFraction;

/** Reading fields of the certificate tree as they are; a missing or ill-typed field is a {@link Rejected}. */
final class Json {
    private Json() {
    }

    /** A claim of the certificate that is false or malformed; caught per item and reported as REJECTED. */
    static final class Rejected extends RuntimeException {
        Rejected(String message) {
            super(message, null, false, false);
        }
    }

    static Rejected reject(String message) {
        return new Rejected(message);
    }

    /** The field, or null when it is absent or JSON null. */
    static JsonNode get(JsonNode obj, String name) {
        JsonNode f = obj == null ? null : obj.get(name);
        return f == null || f.isNull() ? null : f;
    }

    static JsonNode object(JsonNode obj, String name, String where) {
        JsonNode f = get(obj, name);
        if (f == null) {
            throw reject(where + name + " is missing");
        }
        if (!f.isObject()) {
            throw reject(where + name + " is not an object");
        }
        return f;
    }

    static String text(JsonNode obj, String name, String where) {
        JsonNode f = get(obj, name);
        if (f == null) {
            throw reject(where + name + " is missing");
        }
        if (!f.isTextual()) {
            throw reject(where + name + " is not a string");
        }
        return f.asText();
    }

    static String optionalText(JsonNode obj, String name, String where) {
        JsonNode f = get(obj, name);
        if (f != null && !f.isTextual()) {
            throw reject(where + name + " is not a string");
        }
        return f == null ? null : f.asText();
    }

    static int integer(JsonNode obj, String name, String where) {
        JsonNode f = get(obj, name);
        if (f == null) {
            throw reject(where + name + " is missing");
        }
        if (!f.isIntegralNumber() || !f.canConvertToInt()) {
            throw reject(where + name + " is not an integer");
        }
        return f.intValue();
    }

    static double number(JsonNode obj, String name, String where) {
        Double d = optionalNumber(obj, name, where);
        if (d == null) {
            throw reject(where + name + " is missing");
        }
        return d;
    }

    /** A JSON number, or the strings "NaN", "Infinity", "-Infinity" that Jackson writes for them; null if absent. */
    static Double optionalNumber(JsonNode obj, String name, String where) {
        JsonNode f = get(obj, name);
        if (f == null) {
            return null;
        }
        if (f.isNumber()) {
            return f.doubleValue();
        }
        if (f.isTextual()) {
            switch (f.asText()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw reject(where + name + " is not a number");
    }

    /** An exact rational string (decimal or p/q); null if absent. */
    static BigFraction optionalExact(JsonNode obj, String name, String where) {
        String s = optionalText(obj, name, where);
        if (s == null) {
            return null;
        }
        try {
            return Exact.parse(s);
        } catch (IllegalArgumentException e) {
            throw reject(where + name + ": " + e.getMessage());
        }
    }

    static BigFraction exact(JsonNode obj, String name, String where) {
        BigFraction f = optionalExact(obj, name, where);
        if (f == null) {
            throw reject(where + name + " is missing");
        }
        return f;
    }

    /** An exact entry of a direction: a string, or an integral JSON number (a non-integral number is ambiguous). */
    static BigFraction exactEntry(JsonNode e, String where) {
        if (e != null && e.isIntegralNumber()) {
            return new BigFraction(e.bigIntegerValue());
        }
        if (e == null || !e.isTextual()) {
            throw reject(where + " is not an exact string");
        }
        try {
            return Exact.parse(e.asText());
        } catch (IllegalArgumentException ex) {
            throw reject(where + ": " + ex.getMessage());
        }
    }
}
