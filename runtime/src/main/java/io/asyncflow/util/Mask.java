package io.asyncflow.util;

import java.util.Map;
import java.util.TreeMap;

/** Masks personal data before it reaches a log line. */
public final class Mask {
    private static final java.util.Set<String> SENSITIVE_INPUTS = java.util.Set.of("ani", "dnis", "phone", "transcript", "email", "name");

    private Mask() {
    }

    /** Keeps a phone number's scheme, country prefix and last two digits: {@code tel:+33******89}. */
    public static String phone(String number) {
        if (number == null) {
            return "null";
        }
        String prefix = number.startsWith("tel:") ? "tel:" : "";
        String digits = number.substring(prefix.length());
        if (digits.length() <= 5) {
            return prefix + "*".repeat(digits.length());
        }
        return prefix + digits.substring(0, 3) + "*".repeat(digits.length() - 5) + digits.substring(digits.length() - 2);
    }

    /** Free text (a transcript, a name): only its length. */
    public static String text(String value) {
        return value == null ? "null" : "<" + value.length() + " chars>";
    }

    /** Task inputs with phone numbers and free text masked. */
    public static Map<String, String> inputs(Map<String, String> inputs) {
        Map<String, String> masked = new TreeMap<>();
        if (inputs == null) {
            return masked;
        }
        inputs.forEach((k, v) -> masked.put(k, switch (k) {
            case "ani", "dnis", "phone" -> phone(v);
            default -> SENSITIVE_INPUTS.contains(k) ? text(v) : v;
        }));
        return masked;
    }

    /** Attribute values masked entirely (participant data may hold names, accounts). */
    public static Map<String, String> attributes(Map<String, String> attributes) {
        Map<String, String> masked = new TreeMap<>();
        if (attributes != null) {
            attributes.forEach((k, v) -> masked.put(k, text(v)));
        }
        return masked;
    }
}
