package io.asyncflow.operator;

import io.asyncflow.avro.Activity;
import io.asyncflow.avro.ActivityKind;
import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.util.Mask;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The dead letters and orphans the console lists (the newest {@code max} of each), the replays
 * recorded on the activity topic (the audit log), and which dead letter was replayed by whom. A
 * dead letter's id is its place on the dead-letter topic, {@code partition-offset}.
 */
public final class DeadLetterBook {
    private final int max;
    private final LinkedHashMap<String, DeadLetter> letters = new LinkedHashMap<>();
    private final Deque<Orphan> orphans = new ArrayDeque<>();
    private final Deque<AuditEntry> audit = new ArrayDeque<>();
    private final Map<String, AuditEntry> replayed = new HashMap<>();

    public DeadLetterBook(int max) {
        this.max = max;
    }

    /** A dead letter as pages list it (no record bytes). */
    public record Entry(String id, long failedAt, String stage, String reason, String topic, String conversationId,
                        boolean replayable, String replayedBy, Long replayedAt) {
    }

    /** An orphan as pages list it. */
    public record Orphan(String conversationId, String taskId, String taskType, String status, String backend, long at) {
    }

    /** One replay, as the audit log shows it. */
    public record AuditEntry(long at, String user, String action, int count, List<String> ids, String detail) {
    }

    public synchronized void deadLetter(int partition, long offset, DeadLetter letter) {
        letters.put(partition + "-" + offset, letter);
        while (letters.size() > max) {
            letters.remove(letters.keySet().iterator().next());
        }
    }

    public synchronized void orphan(StatusUpdate orphan) {
        orphans.addFirst(new Orphan(orphan.getConversationId(), orphan.getTaskId(), orphan.getTaskType(),
                orphan.getStatus().name(), orphan.getBackend(), orphan.getEmittedAt()));
        while (orphans.size() > max) {
            orphans.removeLast();
        }
    }

    public synchronized void activity(Activity activity) {
        if (activity.getKind() != ActivityKind.REPLAY) {
            return;
        }
        AuditEntry entry = new AuditEntry(activity.getAt(), activity.getActor(), "replay", activity.getItems().size(),
                List.copyOf(activity.getItems()), Mask.message(activity.getDetail()));
        audit.addFirst(entry);
        while (audit.size() > max) {
            audit.removeLast();
        }
        activity.getItems().forEach(id -> replayed.put(id, entry));
        if (replayed.size() > 4 * max) {
            replayed.keySet().retainAll(letters.keySet());
        }
    }

    /** The dead letters, newest first. */
    public synchronized List<Entry> entries(Predicate<String> replayableTopic) {
        List<Entry> out = new ArrayList<>();
        letters.forEach((id, l) -> {
            AuditEntry replay = replayed.get(id);
            out.add(0, new Entry(id, l.getFailedAt(), l.getStage(), Mask.message(l.getReason()), l.getTopic(), l.getConversationId(),
                    replayable(l, replayableTopic), replay == null ? null : replay.user(), replay == null ? null : replay.at()));
        });
        return out;
    }

    public synchronized List<Orphan> orphans() {
        return List.copyOf(orphans);
    }

    public synchronized List<AuditEntry> audit() {
        return List.copyOf(audit);
    }

    /** Who replayed the dead letter with this id, if someone did. */
    public synchronized Optional<String> replayedBy(String id) {
        return Optional.ofNullable(replayed.get(id)).map(AuditEntry::user);
    }

    /** The dead letter with this id, with its record bytes, if held. */
    public synchronized Optional<DeadLetter> letter(String id) {
        return Optional.ofNullable(letters.get(id));
    }

    /** True when the letter carries a whole record of one of AsyncFlow's topics, which a replay can produce again. */
    static boolean replayable(DeadLetter letter, Predicate<String> replayableTopic) {
        return letter.getTopic() != null && letter.getValue() != null && replayableTopic.test(letter.getTopic());
    }
}
