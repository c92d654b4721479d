package io.asyncflow.ingress;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Task ids derived from what identifies a task, so every ingress instance and every redelivery of
 * the same request or event yields the same id, and the topology (which deduplicates by task id)
 * starts nothing new. A task is identified by its conversation, its type and an optional
 * idempotency key: without a key there is one task per type and conversation (an auto-started
 * task and a Data Action request for the same type share it); a distinct key runs the type again.
 */
public final class TaskIds {
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private TaskIds() {
    }

    /** A name-based (version 3) UUID of conversation, task type and key ({@code null} = no key). */
    public static String of(String conversationId, String taskType, String idempotencyKey) {
        String name = "asyncflow-task\u0000" + conversationId.toLowerCase(Locale.ROOT) + "\u0000" + taskType
                + (idempotencyKey == null ? "" : "\u0000" + idempotencyKey);
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** True for the canonical 8-4-4-4-12 hexadecimal form (stricter than {@link UUID#fromString}). */
    public static boolean isUuid(String text) {
        return text != null && UUID_TEXT.matcher(text).matches();
    }
}
