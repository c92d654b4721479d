package io.asyncflow.processor.topology;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the topology remembers of one conversation: its tasks (open, and finished ones until
 * their retention passes), when it ended, the time its timer is set for, and its customer
 * participant id (from {@code customer.start} or a request that carried one), so tasks that arrive
 * without one, and their statuses, get it and the sink needs no GET. The participant is kept while
 * anything else of the conversation is, and alone for the finished-task retention after it was
 * learnt (a Data Action that comes later in the call still finds it). Immutable; the value of the
 * {@link FirstMatchAggregator#TASKS_STORE} store, keyed by conversation id. State written before
 * the participant was remembered reads with none.
 *
 * @param tasks task id → task
 * @param endedAt epoch ms of the conversation's end, 0 while it goes on
 * @param timerAt the due time of this conversation's entry in the timers store, 0 = none
 * @param participantId the customer participant id, or null while unknown
 * @param participantSince epoch ms when the participant id was learnt, 0 while unknown
 */
record ConversationState(Map<String, TaskState> tasks, long endedAt, long timerAt, String participantId, long participantSince) {
    /** {@link #nextDue} when nothing remains to remember. */
    static final long NOTHING_DUE = 0;

    ConversationState {
        tasks = Map.copyOf(tasks);
    }

    static ConversationState empty() {
        return new ConversationState(Map.of(), 0, NOTHING_DUE, null, 0);
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
        return new ConversationState(more, endedAt, timerAt, participantId, participantSince);
    }

    /** This conversation, ended at {@code now} unless it ended before. */
    ConversationState markEnded(long now) {
        return ended() ? this : new ConversationState(tasks, now, timerAt, participantId, participantSince);
    }

    ConversationState withTimerAt(long due) {
        return new ConversationState(tasks, endedAt, due, participantId, participantSince);
    }

    /**
     * With {@code participant} as the customer participant, learnt at {@code now}; the first one
     * learnt stays (a conversation has one customer), a blank one changes nothing.
     */
    ConversationState withParticipant(String participant, long now) {
        if (participantId != null || participant == null || participant.isBlank()) {
            return this;
        }
        return new ConversationState(tasks, endedAt, timerAt, participant, now);
    }

    /**
     * Without the finished tasks, the end marker, and the participant when nothing else is left,
     * whose retention has passed by {@code now}.
     */
    ConversationState forgetFinished(long now, Duration retention) {
        Map<String, TaskState> kept = new LinkedHashMap<>();
        tasks.forEach((id, task) -> {
            if (task.open() || task.dueAt(retention) > now) {
                kept.put(id, task);
            }
        });
        long end = ended() && endedAt + retention.toMillis() > now ? endedAt : 0;
        boolean keepParticipant = participantId != null && (!kept.isEmpty() || end > 0 || participantSince + retention.toMillis() > now);
        return keepParticipant ? new ConversationState(kept, end, timerAt, participantId, participantSince)
                : new ConversationState(kept, end, timerAt, null, 0);
    }

    /**
     * The earliest time something must happen: an open task's deadline, or the moment a finished
     * task, the end marker or a participant remembered alone may be forgotten; {@link #NOTHING_DUE}
     * when nothing is left.
     */
    long nextDue(Duration retention) {
        long due = ended() ? endedAt + retention.toMillis() : Long.MAX_VALUE;
        for (TaskState task : tasks.values()) {
            due = Math.min(due, task.dueAt(retention));
        }
        if (due == Long.MAX_VALUE && participantId != null) {
            due = participantSince + retention.toMillis();
        }
        return due == Long.MAX_VALUE ? NOTHING_DUE : due;
    }
}
