package io.asyncflow.config;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A documented, typed configuration key, in the manner of Kafka's {@code ConfigDef}: its type says
 * how a value is read, its validator which values are allowed, and both appear in the generated
 * reference (docs/configuration.md). {@link AsyncFlowConfig#validate} checks every set value
 * against them, so a bad value stops a process at start with a message naming the key.
 *
 * <p>A name may hold {@code *} segments standing for a configured name, e.g. {@code backend.*.url}.
 * The default is the value used when no layer sets the key; {@code null} means "no default".
 * A {@link Type#PASSWORD} key is read with {@link AsyncFlowConfig#getPassword}, whose value no
 * {@code toString} shows.
 *
 * @param name key name, dot separated
 * @param defaultValue default as text, or null
 * @param doc one-line description for the configuration reference
 * @param type how the value is read
 * @param validator which values are allowed beyond parsing as {@code type}, or null for any
 */
public record ConfigKey(String name, String defaultValue, String doc, Type type, Validator validator) {

    /** How a value is read. */
    public enum Type {
        STRING("string"), INT("integer"), LONG("long"), DOUBLE("number"), BOOLEAN("boolean"),
        DURATION("duration"), LIST("list"), PASSWORD("password");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        /** The type's name in the configuration reference. */
        public String label() {
            return label;
        }
    }

    /** Checks a parsed value; throws {@link ConfigException} naming the key when it is not allowed. */
    public interface Validator {
        void ensureValid(String key, Object value);

        /** The allowed values in words, for the configuration reference. */
        String describe();
    }

    public static ConfigKey string(String name, String defaultValue, String doc) {
        return new ConfigKey(name, defaultValue, doc, Type.STRING, null);
    }

    /** A string key (kept for keys declared before types existed, and for tests). */
    public static ConfigKey of(String name, String defaultValue, String doc) {
        return string(name, defaultValue, doc);
    }

    public static ConfigKey integer(String name, String defaultValue, String doc) {
        return new ConfigKey(name, defaultValue, doc, Type.INT, null);
    }

    public static ConfigKey bool(String name, String defaultValue, String doc) {
        return new ConfigKey(name, defaultValue, doc, Type.BOOLEAN, null);
    }

    public static ConfigKey duration(String name, String defaultValue, String doc) {
        return new ConfigKey(name, defaultValue, doc, Type.DURATION, null);
    }

    public static ConfigKey list(String name, String defaultValue, String doc) {
        return new ConfigKey(name, defaultValue, doc, Type.LIST, null);
    }

    /** A secret: read with {@link AsyncFlowConfig#getPassword}; never shown by {@code toString} or the reference's values. */
    public static ConfigKey password(String name, String defaultValue, String doc) {
        return new ConfigKey(name, defaultValue, doc, Type.PASSWORD, null);
    }

    /** A string key whose value must be one of {@code choices}, matched ignoring case. */
    public static ConfigKey choice(String name, String defaultValue, String doc, List<String> choices) {
        return new ConfigKey(name, defaultValue, doc, Type.STRING, oneOf(choices));
    }

    /** This key with a lower bound (numbers: the value; durations: milliseconds). */
    public ConfigKey atLeast(long min) {
        return new ConfigKey(name, defaultValue, doc, type, new Validator() {
            @Override
            public void ensureValid(String key, Object value) {
                long v = value instanceof java.time.Duration d ? d.toMillis() : ((Number) value).longValue();
                if (v < min) {
                    throw ConfigException.forKey(key, "must be at least " + describeBound() + ", got " + value);
                }
            }

            private String describeBound() {
                return type == Type.DURATION ? min + "ms" : Long.toString(min);
            }

            @Override
            public String describe() {
                return "at least " + describeBound();
            }
        });
    }

    /** The values allowed, in words (the reference's "valid values" column); empty when any value of the type is. */
    public String validValues() {
        return validator == null ? "" : validator.describe();
    }

    /** Reads {@code raw} as this key's type and checks it with the validator; {@link ConfigException} naming {@code key} if not allowed. */
    public Object parse(String key, String raw) {
        Object value;
        try {
            value = switch (type) {
                case STRING, PASSWORD -> raw;
                case INT -> Integer.parseInt(raw.trim());
                case LONG -> Long.parseLong(raw.trim());
                case DOUBLE -> Double.parseDouble(raw.trim());
                case BOOLEAN -> parseBoolean(key, raw);
                case DURATION -> AsyncFlowConfig.parseDuration(raw);
                case LIST -> AsyncFlowConfig.of(java.util.Map.of(key, raw)).getList(key, null);
            };
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            String expected = switch (type) {
                case DOUBLE -> "a number";
                case DURATION -> "a duration such as 250ms, 8s or 2m";
                default -> "an integer";
            };
            throw ConfigException.forKey(key, "expected " + expected + ", got '" + raw + "'");
        }
        if (validator != null) {
            validator.ensureValid(key, value);
        }
        return value;
    }

    private static Boolean parseBoolean(String key, String raw) {
        String v = raw.trim().toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw ConfigException.forKey(key, "must be true or false, got '" + raw + "'");
        }
        return Boolean.valueOf(v);
    }

    private static Validator oneOf(List<String> choices) {
        return new Validator() {
            @Override
            public void ensureValid(String key, Object value) {
                String v = value.toString().trim();
                if (choices.stream().noneMatch(c -> c.equalsIgnoreCase(v))) {
                    throw ConfigException.forKey(key, "must be one of " + choices + ", got '" + v + "'");
                }
            }

            @Override
            public String describe() {
                return String.join(", ", choices);
            }
        };
    }

    /** True when this key (with its wildcards) names {@code key}. */
    public boolean matches(String key) {
        if (!name.contains("*")) {
            return name.equals(key);
        }
        return Pattern.matches(Pattern.quote(name).replace("*", "\\E[^.]+\\Q"), key);
    }

    /** The concrete key for one configured name, e.g. {@code backend.*.url} for {@code alpha}. */
    public String forName(String configuredName) {
        return name.replaceFirst("\\*", configuredName);
    }
}
