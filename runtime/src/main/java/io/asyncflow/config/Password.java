package io.asyncflow.config;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/**
 * A secret read from a {@link ConfigKey.Type#PASSWORD} key: {@link #toString} never shows it, so a
 * settings object that holds one can be logged. {@link #value()} is for the one place that sends it.
 */
public final class Password {
    /** What {@link #toString} shows instead of the value. */
    public static final String HIDDEN = "[hidden]";

    private final String value;

    public Password(String value) {
        this.value = value;
    }

    /** The secret itself: pass it on, never log it. */
    public String value() {
        return value;
    }

    /** True when {@code candidate} is this secret, compared in constant time. */
    public boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
                candidate.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Password p && matches(p.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return HIDDEN;
    }
}
