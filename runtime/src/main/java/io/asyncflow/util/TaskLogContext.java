package io.asyncflow.util;

import org.slf4j.MDC;

/**
 * Puts the conversation and task a piece of work is about into the logging context (SLF4J's MDC)
 * for as long as it runs, so every log line about a task carries {@code conversationId} and
 * {@code taskId}: fields of their own in JSON logs ({@code ASYNCFLOW_LOG_FORMAT=json}), and
 * {@code [conversation/task]} in text logs. Ids are not personal data; nothing else goes there.
 *
 * <pre>{@code try (TaskLogContext ignored = TaskLogContext.open(conversationId, taskId)) { ... }}</pre>
 */
public final class TaskLogContext implements AutoCloseable {
    /** MDC key of the conversation id. */
    public static final String CONVERSATION_ID = "conversationId";
    /** MDC key of the task id. */
    public static final String TASK_ID = "taskId";

    private final String previousConversation;
    private final String previousTask;

    private TaskLogContext(String conversationId, String taskId) {
        previousConversation = MDC.get(CONVERSATION_ID);
        previousTask = MDC.get(TASK_ID);
        set(CONVERSATION_ID, conversationId);
        set(TASK_ID, taskId);
    }

    /** Sets both ids (a null one is removed) until {@link #close}, which restores what was there. */
    public static TaskLogContext open(String conversationId, String taskId) {
        return new TaskLogContext(conversationId, taskId);
    }

    /** Sets the task id inside an open context, once it is known. */
    public static void task(String taskId) {
        set(TASK_ID, taskId);
    }

    @Override
    public void close() {
        set(CONVERSATION_ID, previousConversation);
        set(TASK_ID, previousTask);
    }

    private static void set(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, Mask.id(value));
        }
    }
}
