package io.asyncflow.processor.topology;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the topology remembers of one conversation: its tasks (open, and finished ones until
 * their retention passes), when it ended, and the time its timer is set for. Immutable; the value of
 * the {@link FirstMatchAggregator#TASKS_STORE} store, keyed by conversation id.
 *
 * @param tasks task id → task
 * @param endedAt epoch ms of the conversation's end, 0 while it goes on
 * @param timerAt the due time of this conversation's entry in the timers store, 0 = none
 */
record ConversationState(Map<String, TaskState> tasks, long endedAt, long timerAt) {
    /** {@link #nextDue} when nothing remains to remember. */
    static final long NOTHING_DUE = 0;

    ConversationState {
        tasks = Map.copyOf(tasks);
    }

    static ConversationState empty() {
        return new ConversationState(Map.of(), 0, NOTHING_DUE);
    }

    Optional<TaskState> task(String taskId) {
        return Optional.ofNullable(tasks.get(taskId));
    }

    boolean ended() {
        return endedAt > 0;
    }

    List<TaskState> openTasks() {
        return tasks.values().stream().filter(TaskState::open).toList();
    }

    ConversationState with(TaskState task) {
        Map<String, TaskState> more = new LinkedHashMap<>(tasks);
        more.put(task.taskId(), task);
        return new ConversationState(more, endedAt, timerAt);
    }

    ConversationState endedAt(long now) {
        return ended() ? this : new ConversationState(tasks, now, timerAt);
    }

    ConversationState timerAt(long due) {
        return new ConversationState(tasks, endedAt, due);
    }

    /** Without the finished tasks, and the end marker, whose retention has passed by {@code now}. */
    ConversationState forgetFinished(long now, Duration retention) {
        Map<String, TaskState> kept = new LinkedHashMap<>();
        tasks.forEach((id, task) -> {
            if (task.open() || task.dueAt(retention) > now) {
                kept.put(id, task);
            }
        });
        long end = ended() && endedAt + retention.toMillis() > now ? endedAt : 0;
        return new ConversationState(kept, end, timerAt);
    }

    /**
     * The earliest time something must happen: an open task's deadline, or the moment a finished
     * task or the end marker may be forgotten; {@link #NOTHING_DUE} when nothing is left.
     */
    long nextDue(Duration retention) {
        long due = ended() ? endedAt + retention.toMillis() : Long.MAX_VALUE;
        for (TaskState task : tasks.values()) {
            due = Math.min(due, task.dueAt(retention));
        }
        return due == Long.MAX_VALUE ? NOTHING_DUE : due;
    }
}
