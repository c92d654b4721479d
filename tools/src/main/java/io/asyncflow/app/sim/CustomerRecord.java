package io.asyncflow.app.sim;

/**
 * A customer as one simulated database answers it:
 * {@code {"customer": {"id", "name", "segment"}}}.
 */
public record CustomerRecord(String id, String name, String segment) {
}
