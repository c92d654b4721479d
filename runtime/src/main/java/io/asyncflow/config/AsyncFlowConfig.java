package io.asyncflow.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Immutable configuration, layered in one documented order: code defaults (each
 * {@link ConfigKey}'s default) → properties file → {@code ASYNCFLOW_*} environment variables →
 * command-line overrides. Values may refer to environment variables as {@code ${env:NAME}}, which
 * keeps secrets out of files. Typed getters fail with a {@link ConfigException} naming the key.
 */
public final class AsyncFlowConfig {
    /** Prefix of environment variables that set keys: {@code ASYNCFLOW_SINK_RATE_PER_MINUTE}. */
    public static final String ENV_PREFIX = "ASYNCFLOW_";
    /** Keys under these prefixes pass through to Kafka clients and serdes unchecked. */
    public static final List<String> PASSTHROUGH_PREFIXES = List.of("kafka.", "streams.", "producer.", "consumer.", "admin.", "serde.config.");

    private static final Pattern ENV_REF = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private final Map<String, String> values;
    private final Map<String, String> env;

    private AsyncFlowConfig(Map<String, String> values, Map<String, String> env) {
        this.values = Map.copyOf(values);
        this.env = Map.copyOf(env);
    }

    /** Configuration from explicit values only (tests, embedded use); no environment. */
    public static AsyncFlowConfig of(Map<String, String> values) {
        return new AsyncFlowConfig(values, Map.of());
    }

    /**
     * Loads the layers above the code defaults with no declared keys: an {@code ASYNCFLOW_*}
     * variable sets the key its name spells (underscores as dots).
     *
     * @param file properties file, or null
     * @param environment the process environment (only {@code ASYNCFLOW_*} entries set keys)
     * @param overrides command-line {@code key=value} overrides
     */
    public static AsyncFlowConfig load(Path file, Map<String, String> environment, Map<String, String> overrides) {
        return load(file, environment, overrides, List.of(), Set.of());
    }

    /**
     * Loads the layers in the documented order: properties file, then {@code ASYNCFLOW_*}
     * environment, then {@code overrides}. One pass over the environment: a variable is matched
     * first against the declared keys (a wildcard key such as {@code backend.*.hit-pointer} against
     * the names the file configures), so {@code ASYNCFLOW_GENESYS_CLIENT_ID} sets
     * {@code genesys.client-id}; any other {@code ASYNCFLOW_*} variable sets the key its name spells
     * with underscores as dots (Kafka pass-through such as {@code ASYNCFLOW_KAFKA_ACKS}). Variables in
     * {@code reserved} are the launcher's own and set nothing.
     */
    public static AsyncFlowConfig load(Path file, Map<String, String> environment, Map<String, String> overrides,
                                       Collection<ConfigKey> declared, Set<String> reserved) {
        Map<String, String> merged = new TreeMap<>();
        if (file != null) {
            merged.putAll(readProperties(file));
        }
        merged.putAll(fromEnvironment(environment, candidateKeys(declared, merged), reserved));
        merged.putAll(overrides);
        return new AsyncFlowConfig(merged, environment);
    }

    private static Collection<String> candidateKeys(Collection<ConfigKey> declared, Map<String, String> fileValues) {
        AsyncFlowConfig fileConfig = of(fileValues);
        Set<String> keys = new LinkedHashSet<>(fileValues.keySet());
        for (ConfigKey key : declared) {
            String name = key.name();
            int star = name.indexOf('*');
            if (star < 0) {
                keys.add(name);
            } else if (name.indexOf('*', star + 1) < 0 && star < name.length() - 1) {
                fileConfig.namesUnder(name.substring(0, star)).forEach(n -> keys.add(name.replace("*", n)));
            }
        }
        return keys;
    }

    /** Reads a properties file; a missing or unreadable file is a {@link ConfigException}. */
    public static Map<String, String> readProperties(Path file) {
        if (!Files.isReadable(file)) {
            throw new ConfigException("config file " + file + " does not exist or cannot be read");
        }
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            props.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
        }
        Map<String, String> map = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> map.put(k.trim(), props.getProperty(k).trim()));
        return map;
    }

    /** The environment variable that sets {@code key}: upper case, dots and dashes as underscores. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    static Map<String, String> fromEnvironment(Map<String, String> environment, Collection<String> knownKeys,
                                               Set<String> reserved) {
        Map<String, String> byEnvName = new LinkedHashMap<>();
        knownKeys.forEach(k -> byEnvName.put(envName(k), k));
        Map<String, String> result = new TreeMap<>();
        environment.forEach((name, value) -> {
            if (!name.startsWith(ENV_PREFIX) || name.equals(ENV_PREFIX + "CONFIG") || reserved.contains(name)) {
                return;
            }
            String key = byEnvName.getOrDefault(name,
                    name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'));
            result.put(key, value);
        });
        return result;
    }

    public AsyncFlowConfig with(Map<String, String> more) {
        Map<String, String> merged = new TreeMap<>(values);
        merged.putAll(more);
        return new AsyncFlowConfig(merged, env);
    }

    /** All explicitly set keys and their raw values (environment references unresolved). */
    public Map<String, String> explicitValues() {
        return new TreeMap<>(values);
    }

    /** Keys explicitly set under {@code prefix}, with the prefix removed and values resolved. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> result = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                result.put(k.substring(prefix.length()), resolve(k, v));
            }
        });
        return result;
    }

    /** Names configured for a wildcard family, e.g. the backends under {@code backend.*.}. */
    public List<String> namesUnder(String prefix) {
        return values.keySet().stream()
                .filter(k -> k.startsWith(prefix))
                .map(k -> k.substring(prefix.length()))
                .map(rest -> rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest)
                .distinct()
                .sorted()
                .toList();
    }

    public boolean isSet(String key) {
        return values.containsKey(key);
    }

    /** Raw text of a key: explicit value, else the key's default; may be null. */
    public String get(ConfigKey key) {
        return get(key.name(), key.defaultValue());
    }

    public String get(String key, String defaultValue) {
        String raw = values.get(key);
        return raw == null ? defaultValue : resolve(key, raw);
    }

    public String require(ConfigKey key) {
        return require(key.name(), key.defaultValue());
    }

    public String require(String key, String defaultValue) {
        String value = get(key, defaultValue);
        if (value == null || value.isBlank()) {
            throw ConfigException.forKey(key, "is required but not set (or " + envName(key) + ")");
        }
        return value;
    }

    public int getInt(ConfigKey key) {
        return getInt(key.name(), key.defaultValue());
    }

    public int getInt(String key, String defaultValue) {
        return parse(key, defaultValue, "a whole number", Integer::parseInt);
    }

    /** A whole number of at least {@code min}; otherwise a {@link ConfigException} naming the key. */
    public int getInt(ConfigKey key, int min) {
        int value = getInt(key);
        if (value < min) {
            throw ConfigException.forKey(key.name(), "must be at least " + min + ", got " + value);
        }
        return value;
    }

    public long getLong(ConfigKey key) {
        return parse(key.name(), key.defaultValue(), "a whole number", Long::parseLong);
    }

    public double getDouble(ConfigKey key) {
        return parse(key.name(), key.defaultValue(), "a number", Double::parseDouble);
    }

    public boolean getBoolean(ConfigKey key) {
        return getBoolean(key.name(), key.defaultValue());
    }

    public boolean getBoolean(String key, String defaultValue) {
        return parse(key, defaultValue, "true or false", v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException(v);
        });
    }

    public Duration getDuration(ConfigKey key) {
        return getDuration(key.name(), key.defaultValue());
    }

    /** A duration above zero; otherwise a {@link ConfigException} naming the key. */
    public Duration getPositiveDuration(ConfigKey key) {
        Duration value = getDuration(key);
        if (value.isZero() || value.isNegative()) {
            throw ConfigException.forKey(key.name(), "must be positive, got '" + get(key) + "'");
        }
        return value;
    }

    /**
     * One of {@code choices} (lower case), matched ignoring case and surrounding blanks; otherwise a
     * {@link ConfigException} naming the key and the choices.
     */
    public String getChoice(ConfigKey key, List<String> choices) {
        String value = require(key).trim().toLowerCase(Locale.ROOT);
        if (!choices.contains(value)) {
            throw ConfigException.forKey(key.name(), "must be one of " + choices + ", got '" + value + "'");
        }
        return value;
    }

    public Duration getDuration(String key, String defaultValue) {
        return parse(key, defaultValue, "a duration such as 250ms, 8s or 2m", AsyncFlowConfig::parseDuration);
    }

    public List<String> getList(ConfigKey key) {
        return getList(key.name(), key.defaultValue());
    }

    public List<String> getList(String key, String defaultValue) {
        String value = get(key, defaultValue);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * Checks every explicitly set value against the declared key it belongs to: its type (an
     * integer, a duration, true/false...) and its validator (a range, a set of choices).
     *
     * @throws ConfigException naming the first bad key, its allowed values and what was set
     */
    public void validate(Collection<ConfigKey> declared) {
        for (Map.Entry<String, String> e : values.entrySet()) {
            declared.stream().filter(k -> k.matches(e.getKey())).findFirst().ifPresent(k -> {
                String raw = get(e.getKey(), null);
                if (raw != null && !raw.isBlank()) {
                    k.parse(e.getKey(), raw);
                }
            });
        }
    }

    /** A secret's value, wrapped so that no {@code toString} or log line shows it; null when not set. */
    public Password getPassword(ConfigKey key) {
        String value = get(key);
        return value == null ? null : new Password(value);
    }

    /**
     * Rejects explicitly set keys that no declared key matches (typos), except pass-through
     * prefixes for Kafka clients.
     */
    public void rejectUnknownKeys(Collection<ConfigKey> declared) {
        List<String> unknown = new ArrayList<>();
        for (String key : values.keySet()) {
            boolean passthrough = PASSTHROUGH_PREFIXES.stream().anyMatch(key::startsWith);
            if (!passthrough && declared.stream().noneMatch(k -> k.matches(key))) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown config key" + (unknown.size() > 1 ? "s " : " ") + unknown
                    + " (see docs/configuration.md; Kafka client settings go under kafka.*)");
        }
    }

    /** Parses "250ms", "8s", "2m", "1h", "14d" or plain milliseconds. */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?").matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException(text);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private <T> T parse(String key, String defaultValue, String expected, Function<String, T> parser) {
        String value = get(key, defaultValue);
        if (value == null || value.isBlank()) {
            throw ConfigException.forKey(key, "is required but not set (or " + envName(key) + ")");
        }
        try {
            return parser.apply(value.trim());
        } catch (RuntimeException e) {
            throw ConfigException.forKey(key, "expected " + expected + ", got '" + value + "'");
        }
    }

    private String resolve(String key, String raw) {
        Matcher m = ENV_REF.matcher(raw);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.containsKey(m.group(1)) ? env.get(m.group(1)) : System.getenv(m.group(1));
            if (value == null) {
                throw ConfigException.forKey(key, "refers to environment variable " + m.group(1) + ", which is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
