package io.asyncflow.operator;

import io.asyncflow.avro.Activity;
import io.asyncflow.avro.ActivityKind;
import io.asyncflow.avro.ConversationEvent;
import io.asyncflow.avro.ConversationEventType;
import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.LookupResult;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.trace.Hop;
import io.asyncflow.trace.Stage;
import io.asyncflow.trace.Trace;
import io.asyncflow.util.Mask;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The conversations the console shows, built from AsyncFlow's topics: each one's tasks, its
 * timeline (request, lookups per backend, statuses, participant-data writes, long-poll answers,
 * orphans, dead letters) and the trace of its deciding path. Caller numbers are held only masked,
 * with their last four digits for the search. Bounded: at most {@code maxConversations} (the least
 * recently changed go first), none older than the window, at most {@code maxEvents} timeline
 * entries each. One thread applies records; pages read snapshots.
 */
public final class ConversationStore {
    /** Task statuses a filter may ask for: {@code running} is a task without a final status yet. */
    public static final List<String> STATUS_FILTERS = List.of("running", "SUCCESS", "NOT_FOUND", "TIMEOUT", "ERROR", "CANCELLED");
    static final String RUNNING = "running";
    /** Most tasks kept per conversation and task types listed: records written by hand to a topic cannot grow them without end. */
    static final int MAX_TASKS = 50;
    static final int MAX_TASK_TYPES = 100;

    private final long windowMs;
    private final int maxConversations;
    private final int maxEvents;
    private final LinkedHashMap<String, Conversation> conversations = new LinkedHashMap<>();
    private final Set<String> taskTypes = new TreeSet<>();

    public ConversationStore(long windowMs, int maxConversations, int maxEvents) {
        this.windowMs = windowMs;
        this.maxConversations = maxConversations;
        this.maxEvents = maxEvents;
    }

    /** One entry of a timeline; {@code at} in epoch ms. */
    public record Event(long at, String kind, String taskId, String title, String detail, String backend, String outcome,
                        Long durationMs, String status) {
    }

    private static final class Task {
        final String taskId;
        String taskType;
        String source;
        Long requestedAt;
        Long deadline;
        Map<String, String> inputs = Map.of();
        String status = RUNNING;
        int version;
        String backend;
        String reason;
        Long decidedAt;
        Trace trace = Trace.empty();

        Task(String taskId) {
            this.taskId = taskId;
        }
    }

    private static final class Conversation {
        final String id;
        String caller;
        String lastDigits = "";
        long firstSeen;
        long lastUpdate;
        boolean ended;
        final LinkedHashMap<String, Task> tasks = new LinkedHashMap<>();
        final List<Event> events = new ArrayList<>();
        final Map<String, Integer> lookups = new HashMap<>();
        int eventsDropped;

        Conversation(String id, long at) {
            this.id = id;
            this.firstSeen = at;
            this.lastUpdate = at;
        }

        Task task(String taskId, String taskType) {
            Task task = tasks.size() >= MAX_TASKS && !tasks.containsKey(taskId) ? new Task(taskId) : tasks.computeIfAbsent(taskId, Task::new);
            if (task.taskType == null) {
                task.taskType = taskType;
            }
            return task;
        }
    }

    public synchronized void task(TaskRequest request) {
        Conversation c = conversation(request.getConversationId(), request.getRequestedAt());
        Task task = c.task(request.getTaskId(), request.getTaskType());
        addTaskType(request.getTaskType());
        task.source = request.getSource();
        task.requestedAt = request.getRequestedAt();
        task.deadline = request.getDeadline();
        task.inputs = Mask.inputs(request.getInputs());
        String number = request.getInputs().get("ani") != null ? request.getInputs().get("ani") : request.getInputs().get("phone");
        caller(c, number);
        add(c, new Event(request.getRequestedAt(), "request", task.taskId, request.getTaskType() + " requested",
                "from " + request.getSource() + ", inputs " + task.inputs, null, null, null, null));
    }

    public synchronized void conversationEvent(ConversationEvent event) {
        Conversation c = conversation(event.getConversationId(), event.getEventTime());
        caller(c, event.getAni());
        boolean ended = event.getType() == ConversationEventType.ENDED;
        c.ended |= ended;
        add(c, new Event(event.getEventTime(), "conversation", null, ended ? "caller hung up (conversation ended)" : "customer joined",
                "from " + event.getSource(), null, null, null, null));
    }

    public synchronized void lookup(LookupRequest lookup) {
        Conversation c = conversation(lookup.getConversationId(), lookup.getRequestedAt());
        c.task(lookup.getTaskId(), lookup.getTaskType());
        if (c.lookups.containsKey(lookup.getLookupId())) {
            return; // its result was read first (another topic, another fetch): the result's entry stands
        }
        Event event = new Event(lookup.getRequestedAt(), "lookup", lookup.getTaskId(), "lookup in " + lookup.getBackend(),
                "sent, no answer yet", lookup.getBackend(), null, null, null);
        if (add(c, event)) {
            c.lookups.put(lookup.getLookupId(), c.events.size() - 1);
        }
    }

    public synchronized void lookupResult(LookupResult result, Trace trace) {
        Conversation c = conversation(result.getConversationId(), result.getCompletedAt());
        c.task(result.getTaskId(), result.getTaskType());
        long sentAt = trace.at(Stage.BACKEND_SENT).isPresent() ? trace.at(Stage.BACKEND_SENT).getAsLong() / 1000
                : result.getCompletedAt() - result.getLatencyMs();
        String detail = result.getOutcome() + " after " + result.getLatencyMs() + " ms, " + result.getAttempts()
                + (result.getAttempts() == 1 ? " attempt" : " attempts")
                + (result.getError() == null ? "" : ": " + Mask.message(result.getError()));
        Event event = new Event(sentAt, "lookup", result.getTaskId(), "lookup in " + result.getBackend(), detail,
                result.getBackend(), result.getOutcome().name(), result.getLatencyMs(), null);
        Integer index = c.lookups.get(result.getLookupId());
        if (index != null && index < c.events.size()) {
            c.events.set(index, event);
        } else if (add(c, event)) {
            c.lookups.put(result.getLookupId(), c.events.size() - 1);
        }
    }

    public synchronized void status(StatusUpdate status, Trace trace) {
        Conversation c = conversation(status.getConversationId(), status.getEmittedAt());
        Task task = c.task(status.getTaskId(), status.getTaskType());
        addTaskType(status.getTaskType());
        if (status.getVersion() >= task.version) {
            task.version = status.getVersion();
            task.status = status.getStatus() == TaskStatus.ONGOING ? RUNNING : status.getStatus().name();
            task.backend = status.getBackend();
            task.reason = status.getReason() == null ? null : Mask.message(status.getReason());
            if (status.getStatus() != TaskStatus.ONGOING) {
                task.decidedAt = status.getEmittedAt();
                task.trace = trace;
            }
        }
        if (status.getStatus() == TaskStatus.CANCELLED) {
            c.ended = true;
        }
        add(c, new Event(status.getEmittedAt(), "status", status.getTaskId(), "status v" + status.getVersion() + " " + status.getStatus(),
                status.getReason() == null ? null : Mask.message(status.getReason()), status.getBackend(),
                status.getStatus().name(), null, status.getStatus().name()));
    }

    public synchronized void orphan(StatusUpdate orphan) {
        Conversation c = conversation(orphan.getConversationId(), orphan.getEmittedAt());
        c.task(orphan.getTaskId(), orphan.getTaskType());
        add(c, new Event(orphan.getEmittedAt(), "orphan", orphan.getTaskId(),
                "late result" + (orphan.getBackend() == null ? "" : " from " + orphan.getBackend()) + " kept on the orphans topic",
                "the conversation had ended; nothing was written", orphan.getBackend(), orphan.getStatus().name(), null, null));
    }

    public synchronized void deadLetter(DeadLetter letter) {
        if (letter.getConversationId() == null) {
            return;
        }
        Conversation c = conversation(letter.getConversationId(), letter.getFailedAt());
        add(c, new Event(letter.getFailedAt(), "dead-letter", null, "dead-lettered by " + letter.getStage(),
                Mask.message(letter.getReason()), null, "ERROR", null, null));
    }

    public synchronized void activity(Activity activity, Trace trace) {
        if (activity.getConversationId() == null) {
            return;
        }
        Conversation c = conversation(activity.getConversationId(), activity.getAt());
        Task task = activity.getTaskId() == null ? null : c.task(activity.getTaskId(), activity.getTaskType());
        long start = activity.getDurationMs() == null ? activity.getAt() : activity.getAt() - activity.getDurationMs();
        ActivityKind kind = activity.getKind();
        if (kind == ActivityKind.WRITE) {
            boolean written = "written".equals(activity.getOutcome());
            if (written && task != null && trace.at(Stage.GENESYS_WRITTEN).isPresent()
                    && activity.getStatus() != null && activity.getStatus().equals(task.status)) {
                task.trace = trace;
            }
            add(c, new Event(start, "write", activity.getTaskId(),
                    (written ? "participant data written: " : "participant-data write dead-lettered: ") + activity.getStatus()
                            + " v" + activity.getVersion(),
                    writeDetail(activity), null, written ? "WRITTEN" : "ERROR", activity.getDurationMs(), activity.getStatus()));
        } else if (kind == ActivityKind.LONG_POLL) {
            add(c, new Event(start, "long-poll", activity.getTaskId(),
                    "answered".equals(activity.getOutcome()) ? "long poll answered " + activity.getStatus()
                            : "long poll's wait ended at " + activity.getStatus(),
                    "HTTP " + activity.getHttpStatus(), null, activity.getStatus(), activity.getDurationMs(), activity.getStatus()));
        } else if (kind == ActivityKind.REPLAY) {
            add(c, new Event(activity.getAt(), "replay", null, "dead letter replayed by " + activity.getActor(),
                    Mask.message(activity.getDetail()), null, null, null, null));
        }
    }

    private static String writeDetail(Activity a) {
        StringBuilder s = new StringBuilder();
        if (a.getHttpStatus() != null) {
            s.append("HTTP ").append(a.getHttpStatus()).append(", ");
        }
        s.append(a.getAttempts()).append(a.getAttempts() == 1 ? " attempt" : " attempts");
        s.append(", ").append(a.getThrottled()).append(" × 429 / rate limit");
        if (a.getDetail() != null) {
            s.append(": ").append(Mask.message(a.getDetail()));
        }
        return s.toString();
    }

    private void addTaskType(String type) {
        if (taskTypes.size() < MAX_TASK_TYPES) {
            taskTypes.add(type);
        }
    }

    private void caller(Conversation c, String number) {
        if (number == null || number.isBlank() || c.caller != null) {
            return;
        }
        c.caller = Mask.phone(number);
        String digits = number.replaceAll("\\D", "");
        c.lastDigits = digits.length() <= 4 ? digits : digits.substring(digits.length() - 4);
    }

    private Conversation conversation(String id, long at) {
        Conversation c = conversations.remove(id);
        if (c == null) {
            c = new Conversation(id, at);
        }
        c.firstSeen = Math.min(c.firstSeen, at);
        c.lastUpdate = Math.max(c.lastUpdate, at);
        conversations.put(id, c);
        while (conversations.size() > maxConversations) {
            Iterator<String> eldest = conversations.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        return c;
    }

    private boolean add(Conversation c, Event event) {
        if (c.events.size() >= maxEvents) {
            c.eventsDropped++;
            return false;
        }
        c.events.add(event);
        return true;
    }

    /** Forgets conversations whose last change is older than the window. */
    public synchronized void expire(long nowMs) {
        conversations.values().removeIf(c -> nowMs - c.lastUpdate > windowMs);
    }

    public synchronized int size() {
        return conversations.size();
    }

    public synchronized List<String> taskTypes() {
        return List.copyOf(taskTypes);
    }

    /** The view of one task in a list. */
    public record TaskSummary(String taskId, String taskType, String status, String backend, Long elapsedMs) {
    }

    /** A conversation in the list. */
    public record Summary(String conversationId, String caller, long firstSeen, long lastUpdate, boolean ended,
                          List<TaskSummary> tasks) {
    }

    /** The conversations matching {@code query}, {@code taskType} and {@code status} (each may be empty), newest first. */
    public synchronized Page<Summary> find(String query, String taskType, String status, int limit) {
        Predicate<Conversation> matches = matcher(query == null ? "" : query.trim());
        List<Summary> found = new ArrayList<>();
        int total = 0;
        List<Conversation> newestFirst = new ArrayList<>(conversations.values());
        newestFirst.sort(Comparator.comparingLong((Conversation c) -> c.firstSeen).reversed());
        for (Conversation c : newestFirst) {
            if (!matches.test(c) || !hasTask(c, taskType, status)) {
                continue;
            }
            total++;
            if (found.size() < limit) {
                found.add(summary(c));
            }
        }
        return new Page<>(total, found);
    }

    /** Some of the items and how many matched. */
    public record Page<T>(int total, List<T> items) {
    }

    private static Predicate<Conversation> matcher(String q) {
        if (q.isEmpty()) {
            return c -> true;
        }
        String lower = q.toLowerCase(Locale.ROOT);
        boolean digits = q.chars().allMatch(Character::isDigit) && q.length() >= 2 && q.length() <= 4;
        return c -> (digits && c.lastDigits.endsWith(q))
                || c.id.toLowerCase(Locale.ROOT).startsWith(lower)
                || c.tasks.keySet().stream().anyMatch(t -> t.toLowerCase(Locale.ROOT).startsWith(lower));
    }

    private static boolean hasTask(Conversation c, String taskType, String status) {
        boolean anyType = taskType == null || taskType.isBlank();
        boolean anyStatus = status == null || status.isBlank();
        if (anyType && anyStatus) {
            return true;
        }
        return c.tasks.values().stream().anyMatch(t -> (anyType || taskType.equals(t.taskType))
                && (anyStatus || status.equalsIgnoreCase(t.status)));
    }

    private static Summary summary(Conversation c) {
        List<TaskSummary> tasks = c.tasks.values().stream().map(t -> new TaskSummary(t.taskId, t.taskType, t.status, t.backend,
                t.decidedAt != null && t.requestedAt != null ? t.decidedAt - t.requestedAt : null)).toList();
        return new Summary(c.id, c.caller == null ? "" : c.caller, c.firstSeen, c.lastUpdate, c.ended, tasks);
    }

    /** One hop of a task's deciding path, in milliseconds. */
    public record HopTime(String hop, double ms) {
    }

    /** A task with its deciding path. */
    public record TaskDetail(String taskId, String taskType, String source, Long requestedAt, Long deadline,
                             Map<String, String> inputs, String status, String backend, String reason, List<HopTime> hops,
                             Double ownMs, Double totalMs) {
    }

    /** A timeline entry as pages get it. */
    public record TimelineEvent(long at, long offsetMs, String kind, String taskId, String title, String detail, String backend,
                                String outcome, Long durationMs, String status) {
    }

    /** One conversation, whole. */
    public record Detail(String conversationId, String caller, long firstSeen, boolean ended, List<TaskDetail> tasks,
                         List<TimelineEvent> events, int eventsDropped) {
    }

    /** The newest status version seen of this task, 0 when none. */
    public synchronized int newestVersion(String conversationId, String taskId) {
        Conversation c = conversations.get(conversationId);
        Task t = c == null ? null : c.tasks.get(taskId);
        return t == null ? 0 : t.version;
    }

    /** The conversation with this id, if held. */
    public synchronized java.util.Optional<Detail> detail(String conversationId) {
        Conversation c = conversations.get(conversationId);
        if (c == null) {
            return java.util.Optional.empty();
        }
        List<TaskDetail> tasks = c.tasks.values().stream().map(ConversationStore::taskDetail).toList();
        long origin = c.events.stream().mapToLong(Event::at).min().orElse(c.firstSeen);
        List<TimelineEvent> events = c.events.stream().sorted(Comparator.comparingLong(Event::at))
                .map(e -> new TimelineEvent(e.at(), e.at() - origin, e.kind(), e.taskId(), e.title(), e.detail(), e.backend(),
                        e.outcome(), e.durationMs(), e.status()))
                .toList();
        return java.util.Optional.of(new Detail(c.id, c.caller == null ? "" : c.caller, origin, c.ended, tasks, events,
                c.eventsDropped));
    }

    private static TaskDetail taskDetail(Task t) {
        List<HopTime> hops = new ArrayList<>();
        for (Hop hop : Hop.PATH) {
            t.trace.micros(hop).ifPresent(us -> hops.add(new HopTime(hop.id(), us / 1000.0)));
        }
        Double total = t.trace.micros(Hop.TOTAL).isPresent() ? t.trace.micros(Hop.TOTAL).getAsLong() / 1000.0 : null;
        Double own = hops.isEmpty() ? null : t.trace.ownMicros() / 1000.0;
        return new TaskDetail(t.taskId, t.taskType, t.source, t.requestedAt, t.deadline, t.inputs, t.status, t.backend,
                t.reason, hops, own, total);
    }
}
