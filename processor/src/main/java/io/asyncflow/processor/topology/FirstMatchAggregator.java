package io.asyncflow.processor.topology;

import io.asyncflow.util.TaskLogContext;
import io.asyncflow.avro.ConversationEvent;
import io.asyncflow.avro.ConversationEventType;
import io.asyncflow.avro.LookupOutcome;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.LookupResult;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskEvent;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.trace.HopMeter;
import io.asyncflow.trace.Stage;
import io.asyncflow.trace.Trace;
import io.asyncflow.util.Mask;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans each task out to its backends and folds their answers into one status per task, per
 * conversation (first hit wins; the rules and statuses: README, "The parts", Topology, and
 * docs/DESIGN.md, "Topics"). Its state, one {@link ConversationState} per conversation, lives in
 * {@link #TASKS_STORE} ({@link StateSerde}) with its timers in {@link #TIMERS_STORE}.
 * <p>
 * Input: {@link TaskEvent} and {@link LookupResult} keyed by conversation id. Output, to the
 * children named in {@link TopologyFactory}: {@link LookupRequest}s, {@link StatusUpdate}s and orphan
 * {@link StatusUpdate}s. Deadlines and retention run on wall-clock punctuation.
 * <p>
 * Trace stamps ({@link Trace}) travel on: a lookup carries its task's, a status decided by a result
 * carries that result's (so the whole path of the lookup that decided it), each with this
 * processor's stamps added.
 */
final class FirstMatchAggregator implements Processor<String, SpecificRecord, String, SpecificRecord> {
    /** Store of {@link ConversationState} by conversation id. */
    static final String TASKS_STORE = "first-match-tasks";
    /** Store of {@link TimerIndex} entries. */
    static final String TIMERS_STORE = "first-match-timers";
    static final String ORPHAN_REASON = "conversation ended before the result";

    private static final Logger LOG = LoggerFactory.getLogger(FirstMatchAggregator.class);

    /** Creates the aggregator and owns its stores. */
    static final class Supplier implements ProcessorSupplier<String, SpecificRecord, String, SpecificRecord> {
        private final TaskCatalog catalog;
        private final TopologySettings settings;
        private final HopMeter hops;
        /** When a final status was last decided by any task of this instance (wall clock, ms). */
        private final AtomicLong lastDecision = new AtomicLong(Long.MIN_VALUE / 2);

        Supplier(TaskCatalog catalog, TopologySettings settings, HopMeter hops) {
            this.catalog = catalog;
            this.settings = settings;
            this.hops = hops;
        }

        @Override
        public Processor<String, SpecificRecord, String, SpecificRecord> get() {
            return new FirstMatchAggregator(catalog, settings.punctuateInterval(), settings.finishedRetention(), hops,
                    settings.commitOnDecision()
                            ? new DecisionCommits(lastDecision, DecisionCommits.QUIET_INTERVALS * settings.commitInterval().toMillis()) : null);
        }

        @Override
        public Set<StoreBuilder<?>> stores() {
            return Set.of(
                    Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TASKS_STORE), Serdes.String(),
                            new StateSerde()),
                    Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TIMERS_STORE), Serdes.String(), Serdes.String()));
        }
    }

    private final FanOut fanOut;
    private final Duration punctuateInterval;
    private final Duration retention;
    private final HopMeter hops;
    private final DecisionCommits decisionCommits;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, ConversationState> conversations;
    private TimerIndex timers;

    private FirstMatchAggregator(TaskCatalog catalog, Duration punctuateInterval, Duration retention, HopMeter hops,
                                 DecisionCommits decisionCommits) {
        this.decisionCommits = decisionCommits;
        this.fanOut = new FanOut(catalog);
        this.hops = hops;
        this.punctuateInterval = punctuateInterval;
        this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.conversations = context.getStateStore(TASKS_STORE);
        this.timers = new TimerIndex(context.getStateStore(TIMERS_STORE));
        context.schedule(punctuateInterval, PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        long now = context.currentSystemTimeMs();
        String conversationId = record.key();
        try (TaskLogContext ignored = TaskLogContext.open(conversationId, taskIdOf(record.value()))) {
            ConversationState stored = load(conversationId);
            ConversationState conversation = timeOutOverdue(conversationId, stored, now);
            if (record.value() instanceof TaskEvent event && event.getEvent() instanceof TaskRequest request) {
                conversation = onRequest(conversationId, conversation, request, read(conversationId, record, Stage.TASK_READ), now);
            } else if (record.value() instanceof TaskEvent event && event.getEvent() instanceof ConversationEvent lifecycle) {
                conversation = onConversationEvent(conversationId, conversation, lifecycle, now);
            } else if (record.value() instanceof LookupResult result) {
                conversation = onResult(conversationId, conversation, result, read(conversationId, record, Stage.RESULT_READ), now);
            }
            if (!conversation.equals(stored)) {
                save(conversationId, conversation);
            }
        }
    }

    /** The record's trace, stamped {@code stage} now and recorded. */
    private Trace read(String conversationId, Record<String, SpecificRecord> record, Stage stage) {
        Trace trace = Trace.from(record.headers()).stamp(stage);
        hops.record(stage, conversationId, trace);
        return trace;
    }

    private static String taskIdOf(SpecificRecord value) {
        if (value instanceof TaskEvent event && event.getEvent() instanceof TaskRequest request) {
            return request.getTaskId();
        }
        return value instanceof LookupResult result ? result.getTaskId() : null;
    }

    private ConversationState onRequest(String conversationId, ConversationState conversation, TaskRequest request, Trace trace,
                                        long now) {
        if (conversation.task(request.getTaskId()).isPresent()) {
            LOG.debug("task {} of conversation {} is already known; repeated request ignored", request.getTaskId(), conversationId);
            return conversation;
        }
        conversation = conversation.withParticipant(request.getParticipantId(), now);
        FanOut.Start start = fanOut.start(request, conversation.ended(), now);
        TaskState task = start.task().withParticipant(conversation.participantId());
        emitStatus(task.statusUpdate(conversationId, task.status(), Map.of(), null, start.reason(), now), trace, now);
        start.lookups().forEach(lookup -> emit(TopologyFactory.LOOKUPS_SINK, conversationId, lookup, trace, now));
        if (start.reason() == null) {
            LOG.debug("task {} ({}) of conversation {} started on {} with inputs {}", task.taskId(), task.taskType(), conversationId,
                    task.backends(), Mask.inputs(request.getInputs()));
        } else {
            LOG.info("task {} ({}) of conversation {} not started: {}", task.taskId(), task.taskType(), conversationId, start.reason());
        }
        return conversation.with(task);
    }

    private ConversationState onConversationEvent(String conversationId, ConversationState conversation, ConversationEvent event, long now) {
        if (event.getType() == ConversationEventType.STARTED) {
            return learnParticipant(conversation.withParticipant(event.getParticipantId(), now));
        }
        for (TaskState open : conversation.openTasks()) {
            TaskState cancelled = open.moveTo(TaskStatus.CANCELLED, now);
            emitStatus(cancelled.statusUpdate(conversationId, TaskStatus.CANCELLED, Map.of(), null, "conversation ended", now),
                    Trace.empty(), now);
            conversation = conversation.with(cancelled);
        }
        return conversation.markEnded(now);
    }

    /** Gives the conversation's participant to its open tasks that started without one. */
    private static ConversationState learnParticipant(ConversationState conversation) {
        for (TaskState open : conversation.openTasks()) {
            conversation = conversation.with(open.withParticipant(conversation.participantId()));
        }
        return conversation;
    }

    private ConversationState onResult(String conversationId, ConversationState conversation, LookupResult result, Trace trace,
                                       long now) {
        TaskState task = conversation.task(result.getTaskId()).orElse(null);
        if (task == null) {
            LOG.debug("result {} for unknown or forgotten task of conversation {} ignored", result.getLookupId(), conversationId);
            return conversation;
        }
        boolean hit = result.getOutcome() == LookupOutcome.HIT;
        if (task.awaits(result.getBackend())) {
            return conversation.with(decide(conversationId, task.withAnswer(result.getBackend(), result.getOutcome(), result.getError()),
                    result, trace, now));
        }
        if (hit && task.status() == TaskStatus.CANCELLED && !task.orphaned()) {
            TaskState orphan = task.orphan();
            emit(TopologyFactory.ORPHANS_SINK, conversationId, orphan.statusUpdate(conversationId, TaskStatus.SUCCESS, result.getAttributes(),
                    result.getBackend(), ORPHAN_REASON, now), trace, now);
            return conversation.with(orphan);
        }
        LOG.debug("late or repeated result {} ({}) for task {} in status {} ignored", result.getLookupId(), result.getOutcome(),
                task.taskId(), task.status());
        return conversation;
    }

    private TaskState decide(String conversationId, TaskState task, LookupResult result, Trace trace, long now) {
        if (result.getOutcome() == LookupOutcome.HIT) {
            TaskState done = task.moveTo(TaskStatus.SUCCESS, now);
            emitStatus(done.statusUpdate(conversationId, TaskStatus.SUCCESS, result.getAttributes(), result.getBackend(), null, now),
                    trace, now);
            return done;
        }
        if (!task.allAnswered()) {
            return task;
        }
        TaskStatus status = task.anyError() ? TaskStatus.ERROR : TaskStatus.NOT_FOUND;
        TaskState done = task.moveTo(status, now);
        emitStatus(done.statusUpdate(conversationId, status, Map.of(), null, task.anyError() ? task.errorReasons() : null, now),
                trace, now);
        return done;
    }

    /**
     * When a final status is worth a commit of its own: when no other was decided within
     * {@code quietMs} before it (across the instance's tasks; {@link #QUIET_INTERVALS} commit
     * intervals). A status decided in a quiet moment is then committed at once instead of up to a
     * commit interval later. Under load the interval's commits carry the statuses: asking for a
     * commit whenever the previous decision was one interval back was measured to double the
     * commits at 50 conversations/s and stall the stream thread behind them (p99 from 81 to 124 ms).
     */
    record DecisionCommits(AtomicLong lastDecision, long quietMs) {
        /** The quiet time before a decision that earns it its own commit, in commit intervals. */
        static final int QUIET_INTERVALS = 5;

        boolean isolated(long now) {
            return now - lastDecision.getAndSet(now) >= quietMs;
        }
    }

    private void expire(long now) {
        for (TimerIndex.Timer timer : timers.dueBy(now)) {
            ConversationState conversation = conversations.get(timer.conversationId());
            if (conversation == null || conversation.timerAt() != timer.due()) {
                timers.remove(timer);
                continue;
            }
            save(timer.conversationId(), timeOutOverdue(timer.conversationId(), conversation, now));
        }
    }

    private ConversationState timeOutOverdue(String conversationId, ConversationState conversation, long now) {
        for (TaskState open : conversation.openTasks()) {
            if (open.deadline() <= now) {
                TaskState timedOut = open.moveTo(TaskStatus.TIMEOUT, now);
                emitStatus(timedOut.statusUpdate(conversationId, TaskStatus.TIMEOUT, Map.of(), null, open.timeoutReason(), now),
                        Trace.empty(), now);
                conversation = conversation.with(timedOut);
            }
        }
        return conversation.forgetFinished(now, retention);
    }

    private ConversationState load(String conversationId) {
        ConversationState state = conversations.get(conversationId);
        return state == null ? ConversationState.empty() : state;
    }

    private void save(String conversationId, ConversationState conversation) {
        long due = conversation.nextDue(retention);
        timers.move(conversationId, conversation.timerAt(), due);
        if (due == ConversationState.NOTHING_DUE) {
            conversations.delete(conversationId);
        } else {
            conversations.put(conversationId, conversation.withTimerAt(due));
        }
    }

    /** Emits a status with {@code trace} (empty for one no record decided) stamped {@link Stage#STATUS_EMITTED}. */
    private void emitStatus(StatusUpdate update, Trace trace, long now) {
        if (decisionCommits != null && update.getStatus() != TaskStatus.ONGOING && decisionCommits.isolated(now)) {
            // a caller waits for this status: under exactly-once it is visible only once committed
            context.commit();
        }
        Trace emitted = trace.stamp(Stage.STATUS_EMITTED);
        if (!trace.isEmpty()) {
            hops.record(Stage.STATUS_EMITTED, update.getConversationId(), emitted);
        }
        emit(TopologyFactory.STATUS_SINK, update.getConversationId(), update, emitted, now);
    }

    private void emit(String child, String conversationId, SpecificRecord value, Trace trace, long now) {
        context.forward(new Record<>(conversationId, value, now, trace.writeTo(new RecordHeaders())), child);
    }
}
