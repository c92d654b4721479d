package io.asyncflow.config;

import java.util.regex.Pattern;

/**
 * A documented configuration key. A name may hold {@code *} segments standing for a configured
 * name, e.g. {@code backend.*.url}. The default is the value used when no layer sets the key;
 * {@code null} means "no default".
 *
 * @param name key name, dot separated
 * @param defaultValue default as text, or null
 * @param doc one-line description for the configuration reference
 */
public record ConfigKey(String name, String defaultValue, String doc) {

    public static ConfigKey of(String name, String defaultValue, String doc) {
        return new ConfigKey(name, defaultValue, doc);
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
