package io.asyncflow.processor.topology;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Conversations ordered by the time they next need attention (a deadline, or the end of a
 * retention), so a punctuation reads only what is due instead of scanning every conversation.
 * Keys are {@code <due, 19 digits>|<conversationId>}: their byte order is time order.
 */
final class TimerIndex {
    /** A conversation due at {@code due}. */
    record Timer(long due, String conversationId) {
    }

    private final KeyValueStore<String, String> store;

    TimerIndex(KeyValueStore<String, String> store) {
        this.store = store;
    }

    /** Moves a conversation's timer; {@link ConversationState#NOTHING_DUE} means no timer. */
    void move(String conversationId, long from, long to) {
        if (from == to) {
            return;
        }
        if (from != ConversationState.NOTHING_DUE) {
            store.delete(key(from, conversationId));
        }
        if (to != ConversationState.NOTHING_DUE) {
            store.put(key(to, conversationId), conversationId);
        }
    }

    /** Timers due at or before {@code now}, earliest first. */
    List<Timer> dueBy(long now) {
        List<Timer> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = store.range(pad(0), pad(now + 1))) {
            while (it.hasNext()) {
                KeyValue<String, String> entry = it.next();
                due.add(new Timer(Long.parseLong(entry.key.substring(0, 19)), entry.value));
            }
        }
        return due;
    }

    void remove(Timer timer) {
        store.delete(key(timer.due(), timer.conversationId()));
    }

    private static String key(long due, String conversationId) {
        return pad(due) + "|" + conversationId;
    }

    /** {@code due} as 19 digits, zero-padded (a due time is never negative). */
    static String pad(long due) {
        String digits = Long.toString(due);
        return "0".repeat(19 - digits.length()) + digits;
    }
}
