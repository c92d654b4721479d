package io.asyncflow.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.avro.Activity;
import io.asyncflow.avro.ActivityKind;
import io.asyncflow.avro.ConversationEvent;
import io.asyncflow.avro.ConversationEventType;
import io.asyncflow.avro.LookupOutcome;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.testing.SampleRecords;
import io.asyncflow.trace.Stage;
import io.asyncflow.trace.Trace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConversationStoreTest {
    static {
        io.asyncflow.serde.AvroTrust.install(); // the records below are built without a serde, which installs it
    }

    private static final long WINDOW = 30 * 60_000L;
    private final ConversationStore store = new ConversationStore(WINDOW, 100, 50);

    @Test
    void shouldFindAConversationByTheLastDigitsOfItsNumberAndShowItOnlyMasked() {
        // given
        String conversationId = SampleRecords.conversationId();
        store.task(request(conversationId, "tel:+33612345678"));
        store.task(request(SampleRecords.conversationId(), "tel:+33699990000"));

        // when
        ConversationStore.Page<ConversationStore.Summary> byDigits = store.find("5678", "", "", 10);

        // then
        assertThat(byDigits.items()).singleElement().satisfies(c -> {
            assertThat(c.conversationId()).isEqualTo(conversationId);
            assertThat(c.caller()).isEqualTo("tel:+33*******78").doesNotContain("612345678");
        });
        assertThat(store.find("78", "", "", 10).items()).hasSize(1);
        assertThat(store.find("9999", "", "", 10).items()).isEmpty();
        assertThat(store.detail(conversationId).orElseThrow().tasks().get(0).inputs()).containsEntry("ani", "tel:+33*******78");
    }

    @Test
    void shouldFindByConversationOrTaskIdPrefixAndFilterByTypeAndStatus() {
        // given one call decided SUCCESS, one still running
        String decided = SampleRecords.conversationId();
        TaskRequest task = request(decided, "tel:+33612345678");
        store.task(task);
        store.status(status(task, TaskStatus.SUCCESS, 2), Trace.empty());
        String running = SampleRecords.conversationId();
        store.task(request(running, "tel:+33612340000"));

        // then
        assertThat(ids(store.find(decided.substring(0, 8), "", "", 10))).containsExactly(decided);
        assertThat(ids(store.find(task.getTaskId(), "", "", 10))).containsExactly(decided);
        assertThat(ids(store.find("", "identify-caller", "SUCCESS", 10))).containsExactly(decided);
        assertThat(ids(store.find("", "", "running", 10))).containsExactly(running);
        assertThat(ids(store.find("", "classify-intent", "", 10))).isEmpty();
        assertThat(store.find("", "", "", 1).total()).isEqualTo(2);
        assertThat(store.find("", "", "", 1).items()).hasSize(1);
    }

    @Test
    void shouldBuildTheTimelineWithOneEntryPerLookupWhateverTheOrderTheTopicsAreRead() {
        // given the result of gamma read before its request (two topics, two fetches), alpha's the other way round
        String conversationId = SampleRecords.conversationId();
        LookupRequest alpha = SampleRecords.lookupRequest(conversationId, "alpha");
        LookupRequest gamma = SampleRecords.lookupRequest(conversationId, "gamma");
        Trace sent = Trace.empty().with(Stage.BACKEND_SENT, alpha.getRequestedAt() * 1000 + 3000);

        // when
        store.lookup(alpha);
        store.lookupResult(SampleRecords.lookupResult(alpha, LookupOutcome.MISS, Map.of()), sent);
        store.lookupResult(SampleRecords.lookupResult(gamma, LookupOutcome.HIT, Map.of("name", "Gaston")), Trace.empty());
        store.lookup(gamma);

        // then
        List<ConversationStore.TimelineEvent> lookups = store.detail(conversationId).orElseThrow().events().stream()
                .filter(e -> e.kind().equals("lookup")).toList();
        assertThat(lookups).extracting(ConversationStore.TimelineEvent::backend).containsExactlyInAnyOrder("alpha", "gamma");
        assertThat(lookups).extracting(ConversationStore.TimelineEvent::outcome).containsExactlyInAnyOrder("MISS", "HIT");
        assertThat(lookups).filteredOn(e -> e.backend().equals("alpha")).singleElement()
                .satisfies(e -> assertThat(e.at()).isEqualTo(alpha.getRequestedAt() + 3));
        assertThat(lookups).allSatisfy(e -> assertThat(e.durationMs()).isEqualTo(42L));
    }

    @Test
    void shouldShowTheDecidingPathAndTheWritesAndLongPollsOfATask() {
        // given
        TaskRequest task = request(SampleRecords.conversationId(), "tel:+33612345678");
        store.task(task);
        long t0 = task.getRequestedAt() * 1000;
        Trace decided = Trace.empty().with(Stage.ACCEPTED, t0).with(Stage.TASK_READ, t0 + 2_000).with(Stage.LOOKUP_READ, t0 + 5_000)
                .with(Stage.BACKEND_SENT, t0 + 5_500).with(Stage.BACKEND_ANSWERED, t0 + 125_500).with(Stage.RESULT_READ, t0 + 128_000)
                .with(Stage.STATUS_EMITTED, t0 + 128_100);
        store.status(status(task, TaskStatus.SUCCESS, 2), decided);

        // when the sink's write and the ingress's long poll are recorded
        Trace written = decided.with(Stage.STATUS_READ, t0 + 140_000).with(Stage.GENESYS_WRITTEN, t0 + 160_000);
        store.activity(activity(task, ActivityKind.WRITE, "written", 20L).setThrottled(2).build(), written);
        store.activity(activity(task, ActivityKind.LONG_POLL, "answered", 130L).setHttpStatus(200).build(), Trace.empty());

        // then
        ConversationStore.Detail detail = store.detail(task.getConversationId()).orElseThrow();
        ConversationStore.TaskDetail taskDetail = detail.tasks().get(0);
        assertThat(taskDetail.status()).isEqualTo("SUCCESS");
        assertThat(taskDetail.backend()).isEqualTo("gamma");
        assertThat(taskDetail.hops()).extracting(ConversationStore.HopTime::hop).containsExactly("ingress-to-topology",
                "topology-to-worker", "worker-queue", "backend", "worker-to-topology", "decision", "topology-to-sink", "genesys-write");
        assertThat(taskDetail.totalMs()).isEqualTo(160.0);
        assertThat(taskDetail.ownMs()).isEqualTo(160.0 - 120.0 - 20.0);
        assertThat(detail.events()).extracting(ConversationStore.TimelineEvent::kind)
                .contains("request", "status", "write", "long-poll");
        assertThat(detail.events()).filteredOn(e -> e.kind().equals("write")).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("1 attempt").contains("2 × 429"));
    }

    @Test
    void shouldMarkAnEndedConversationAndItsCancelledTask() {
        // given
        TaskRequest task = request(SampleRecords.conversationId(), "tel:+33612345678");
        store.task(task);

        // when the caller hangs up
        store.conversationEvent((ConversationEvent) SampleRecords.conversationEvent(task.getConversationId(), ConversationEventType.ENDED).getEvent());
        store.status(status(task, TaskStatus.CANCELLED, 2), Trace.empty());

        // then
        assertThat(store.find("", "", "CANCELLED", 10).items()).singleElement().satisfies(c -> assertThat(c.ended()).isTrue());
    }

    @Test
    void shouldStayWithinItsBounds() {
        // given a store of 3 conversations of at most 10 entries each
        ConversationStore small = new ConversationStore(WINDOW, 3, 10);
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(SampleRecords.conversationId());
            small.task(request(ids.get(i), "tel:+3361234567" + i));
        }
        for (int i = 0; i < 20; i++) {
            small.lookup(SampleRecords.lookupRequest(ids.get(4), "backend-" + i));
        }

        // then the oldest conversations went and the timeline stopped growing
        assertThat(small.size()).isEqualTo(3);
        assertThat(small.detail(ids.get(0))).isEmpty();
        assertThat(small.detail(ids.get(4)).orElseThrow().events()).hasSize(10);
        assertThat(small.detail(ids.get(4)).orElseThrow().eventsDropped()).isEqualTo(11);

        // and a conversation quiet for longer than the window is forgotten
        small.expire(System.currentTimeMillis() + WINDOW + 1);
        assertThat(small.size()).isZero();
    }

    @Test
    void shouldKeepAtMostItsTasksPerConversationAndTaskTypes() {
        String conversationId = SampleRecords.conversationId();
        for (int i = 0; i < ConversationStore.MAX_TASKS + 10; i++) {
            store.task(SampleRecords.taskRequest(conversationId, "type-" + (i % 20), Map.of(), 0));
        }
        assertThat(store.detail(conversationId).orElseThrow().tasks()).hasSize(ConversationStore.MAX_TASKS);
        for (int i = 0; i < ConversationStore.MAX_TASK_TYPES + 10; i++) {
            store.task(SampleRecords.taskRequest(SampleRecords.conversationId(), "made-up-" + i, Map.of(), 0));
        }

        assertThat(store.taskTypes()).hasSize(ConversationStore.MAX_TASK_TYPES);
    }

    private static List<String> ids(ConversationStore.Page<ConversationStore.Summary> page) {
        return page.items().stream().map(ConversationStore.Summary::conversationId).toList();
    }

    private static TaskRequest request(String conversationId, String ani) {
        return SampleRecords.taskRequest(conversationId, "identify-caller", Map.of("ani", ani), System.currentTimeMillis() + 8000);
    }

    private static StatusUpdate status(TaskRequest task, TaskStatus status, int version) {
        return SampleRecords.status(task.getConversationId(), task.getTaskId(), status, version);
    }

    private static Activity.Builder activity(TaskRequest task, ActivityKind kind, String outcome, Long durationMs) {
        return Activity.newBuilder().setKind(kind).setConversationId(task.getConversationId()).setTaskId(task.getTaskId())
                .setTaskType(task.getTaskType()).setStatus("SUCCESS").setVersion(2).setOutcome(outcome).setDurationMs(durationMs)
                .setAt(System.currentTimeMillis());
    }
}
