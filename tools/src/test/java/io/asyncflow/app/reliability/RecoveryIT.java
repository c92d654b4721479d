package io.asyncflow.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskEvent;
import io.asyncflow.avro.TaskRequest;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.ingress.IngressSettings;
import io.asyncflow.processor.lookup.LookupSettings;
import io.asyncflow.processor.sink.SinkSettings;
import io.asyncflow.processor.topology.TopologySettings;
import io.asyncflow.testing.SampleRecords;
import io.asyncflow.topic.Topic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.GroupState;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code asyncflow run} with the documented defaults (only ports and paths set, plus the sink's
 * Genesys rate so the final check does not wait minutes for writes), under about 30 conversations
 * a second, killed the hard way ({@code kill -9}): once restarted at once, once replaced by a second
 * instance that keeps running. Each test asserts that nothing is lost, reordered or decided twice,
 * and prints its figures as a {@code RELIABILITY} line: from the kill to the first and last decided
 * status, the TIMEOUT share, the takeover time. Load: {@code -Dreliability.recovery.seconds} of
 * requests (default 20) at {@code -Dreliability.recovery.rate} a second (default 30); the kill comes
 * once {@code -Dreliability.recovery.warm-up} seconds of them (default 8) are decided. A third
 * test measures the restore of the topology's state after a kill with
 * {@code -Dreliability.recovery.conversations} (default 2,000) conversations in flight, whose
 * deadline ({@code -Dreliability.recovery.restore-deadline} seconds, default 30) must outlive filling
 * the state, the kill and the restore. The defaults keep {@code mvn verify} short; RELIABILITY.md's
 * figures come from the heavier load its command names (40 s, 15 s, 10,000, 100 s).
 */
@Timeout(value = 8, unit = java.util.concurrent.TimeUnit.MINUTES)
class RecoveryIT {
    private static final int RATE = Integer.getInteger("reliability.recovery.rate", 30);
    private static final int SECONDS = Integer.getInteger("reliability.recovery.seconds", 20);
    /** Seconds of decided load before the kill: the JVMs of this 2-core machine compile for that long before they keep up. */
    private static final int WARM_UP_SECONDS = Integer.getInteger("reliability.recovery.warm-up", 8);
    /**
     * The sink's Genesys budget raised from 280 to 6,000 requests a minute (decisions are measured on
     * the status topic), plus any {@code -Dreliability.recovery.set=key=value;key=value} to compare a
     * setting, e.g. {@code consumer.group.protocol=consumer}.
     */
    private static final String RUN_SETTINGS = "sink.rate-per-minute=6000\n"
            + System.getProperty("reliability.recovery.set", "").replace(';', '\n');
    /** A generous bound that a 45 s wait for the dead member's session timeout could not meet. */
    private static final Duration NO_SESSION_WAIT = Duration.ofSeconds(30);
    /** Conversations in state for the restore measurement: {@code -Dreliability.recovery.conversations}. */
    private static final int CONVERSATIONS = Integer.getInteger("reliability.recovery.conversations", 2_000);
    /** Deadline of the restore test's tasks: long enough to outlive filling the state, the kill and the restore. */
    private static final Duration RESTORE_DEADLINE = Duration.ofSeconds(Integer.getInteger("reliability.recovery.restore-deadline", 30));
    private static final String TOPOLOGY_RUNNING = "topology REBALANCING -> RUNNING";
    private static final String TOPOLOGY_STARTED = "topology asyncflow-processor started";
    /** The default consumer groups of a {@code run} process: the topology's, the lookup worker's, the sink's, the bridge's. */
    private static final List<String> GROUPS = List.of(TopologySettings.APPLICATION_ID.defaultValue(),
            LookupSettings.GROUP_ID.defaultValue(), SinkSettings.GROUP_ID.defaultValue(),
            IngressSettings.BRIDGE_GROUP_ID.defaultValue());

    @TempDir
    Path dir;
    private RunStack stack;
    private StatusWatch statuses;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (statuses != null) {
            statuses.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldDecideAgainWithinSecondsWhenRunIsKilledAndRestartedAtOnce() throws Exception {
        // given one all-in-one process under load
        stack = new RunStack(dir, RUN_SETTINGS);
        int port = RunStack.freePort();
        ChildProcessor first = stack.startRun(port, "recovery-restart-first.log");
        String instance = RunStack.instanceId(first);
        statuses = StatusWatch.start(stack.bootstrapServers(), stack.topics().status());
        ParticipantDataLedger ledger = new ParticipantDataLedger(stack.genesys());
        List<Caller> callers = Caller.population(stack.backends(), 11, RATE * SECONDS);
        LoadDriver load = new LoadDriver("http://127.0.0.1:" + port, RunStack.TOKEN, 64);
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> submit(load, callers));
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> statuses.terminalCount() >= RATE * WARM_UP_SECONDS);

        // when it is killed and restarted at once
        long killedAt = System.currentTimeMillis();
        first.kill();
        Set<String> acceptedBeforeKill = Set.copyOf(load.accepted().values());
        Set<String> decidedBeforeKill = statuses.decidedTasks();
        long restartedAt = System.currentTimeMillis();
        ChildProcessor second = stack.startRun(port, "recovery-restart-second.log");
        long runningAt = System.currentTimeMillis();
        sending.get();
        ledger.awaitTerminal(load.accepted(), Duration.ofMinutes(3));

        // then
        ParticipantDataLedger.Verdict verdict = ledger.judge(load.accepted(), false);
        Set<String> inFlight = acceptedBeforeKill.stream().filter(t -> !decidedBeforeKill.contains(t)).collect(Collectors.toSet());
        long firstNew = statuses.firstTerminalDecidedSince(restartedAt).orElseThrow();
        long lastInFlight = inFlight.stream().map(statuses::terminal).mapToLong(StatusUpdate::getEmittedAt).max().orElse(restartedAt);
        long lastInFlightSeen = inFlight.stream().mapToLong(statuses::terminalSeenAt).max().orElse(restartedAt);
        Set<String> acceptedAfterRestart = load.accepted().values().stream().filter(t -> !acceptedBeforeKill.contains(t))
                .collect(Collectors.toSet());
        System.out.printf("RELIABILITY run-restart: %d requests at %d/s, instance %s -> %s, killed at %d decided (%d in flight); "
                        + "restart command %d ms after the kill, running after %d ms; first new decision %d ms after the restart "
                        + "command (%d ms after the kill); last in-flight task decided %d ms after the kill (visible to read_committed "
                        + "readers after %d ms); TIMEOUT %s of those in flight, %s of those accepted after the restart, %s of all; "
                        + "HTTP %s (-1: refused while down); %s%n",
                callers.size(), RATE, instance, RunStack.instanceId(second), decidedBeforeKill.size(), inFlight.size(),
                restartedAt - killedAt, runningAt - restartedAt, firstNew - restartedAt, firstNew - killedAt,
                lastInFlight - killedAt, lastInFlightSeen - killedAt, timeoutShare(inFlight), timeoutShare(acceptedAfterRestart),
                timeoutShare(load.accepted().values()), load.statuses(), verdict);
        assertThat(RunStack.instanceId(second)).as("the restart takes the same instance id").isEqualTo(instance);
        assertThat(verdict.problems).as(verdict.toString()).isEmpty();
        assertThat(verdict.tasks).isEqualTo(load.accepted().size());
        assertThat(Duration.ofMillis(lastInFlight - killedAt)).as("tasks in flight at the kill decided without a session-timeout wait")
                .isLessThan(NO_SESSION_WAIT);
    }

    @Test
    void shouldHandAKilledInstancesPartitionsToTheSurvivor() throws Exception {
        // given two all-in-one processes sharing the work, the load sent to the second
        stack = new RunStack(dir, RUN_SETTINGS);
        ChildProcessor victim = stack.startRun(RunStack.freePort(), "recovery-takeover-victim.log");
        int survivorPort = RunStack.freePort();
        ChildProcessor survivor = stack.startRun(survivorPort, "recovery-takeover-survivor.log");
        String survivorId = RunStack.instanceId(survivor);
        assertThat(survivorId).as("two processes on one host take different default ids").isNotEqualTo(RunStack.instanceId(victim));
        statuses = StatusWatch.start(stack.bootstrapServers(), stack.topics().status());
        ParticipantDataLedger ledger = new ParticipantDataLedger(stack.genesys());
        List<Caller> callers = Caller.population(stack.backends(), 12, RATE * SECONDS);
        LoadDriver load = new LoadDriver("http://127.0.0.1:" + survivorPort, RunStack.TOKEN, 64);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            Map<String, Integer> partitions = awaitTwoMembersEach(admin);
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> submit(load, callers));
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                    .until(() -> statuses.terminalCount() >= RATE * WARM_UP_SECONDS);

            // when one is killed and not restarted
            long killedAt = System.currentTimeMillis();
            victim.kill();
            Set<String> acceptedBeforeKill = Set.copyOf(load.accepted().values());
            Set<String> decidedBeforeKill = statuses.decidedTasks();
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> ownsEverything(admin, survivorId, partitions));
            long tookOverAt = System.currentTimeMillis();
            sending.get();
            ledger.awaitTerminal(load.accepted(), Duration.ofMinutes(3));

            // then
            ParticipantDataLedger.Verdict verdict = ledger.judge(load.accepted(), false);
            Set<String> inFlight = acceptedBeforeKill.stream().filter(t -> !decidedBeforeKill.contains(t)).collect(Collectors.toSet());
            long lastInFlight = inFlight.stream().map(statuses::terminal).mapToLong(StatusUpdate::getEmittedAt).max().orElse(killedAt);
            long lastInFlightSeen = inFlight.stream().mapToLong(statuses::terminalSeenAt).max().orElse(killedAt);
            OptionalLong firstAfterTakeover = statuses.firstTerminalDecidedSince(tookOverAt);
            System.out.printf("RELIABILITY run-takeover: %d requests at %d/s to the survivor %s, killed at %d decided (%d in flight); "
                            + "survivor owns every partition of %s %d ms after the kill; last in-flight task decided %d ms after the kill "
                            + "(visible to read_committed readers after %d ms); first decision after the takeover %d ms after the kill; "
                            + "TIMEOUT %s of all, %s of those in flight; HTTP %s; %s%n",
                    callers.size(), RATE, survivorId, decidedBeforeKill.size(), inFlight.size(), GROUPS, tookOverAt - killedAt,
                    lastInFlight - killedAt, lastInFlightSeen - killedAt, firstAfterTakeover.orElse(-1) - killedAt,
                    timeoutShare(load.accepted().values()), timeoutShare(inFlight), load.statuses(), verdict);
            assertThat(verdict.problems).as(verdict.toString()).isEmpty();
            assertThat(verdict.tasks).isEqualTo(load.accepted().size()).isEqualTo(callers.size());
            assertThat(Duration.ofMillis(tookOverAt - killedAt)).as("takeover without a 45 s session-timeout wait")
                    .isLessThan(NO_SESSION_WAIT);
        }
    }

    @Test
    void shouldRestoreTenThousandConversationsAfterAKillUnderExactlyOnce() throws Exception {
        // given the topology alone (exactly-once, the default) holding CONVERSATIONS tasks in flight
        stack = new RunStack(dir, "");
        int port = RunStack.freePort();
        ChildProcessor first = stack.startRun(port, "recovery-restore-first.log", "--components", "processor");
        statuses = StatusWatch.start(stack.bootstrapServers(), stack.topics().status());
        long deadline = System.currentTimeMillis() + RESTORE_DEADLINE.toMillis();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            Topic<String, TaskEvent> tasks = stack.topics().tasks();
            for (int i = 0; i < CONVERSATIONS; i++) {
                TaskRequest request = SampleRecords.taskRequest(SampleRecords.conversationId(), "identify-caller",
                        Map.of("ani", String.format("tel:+3378%07d", i)), deadline);
                producer.send(new ProducerRecord<>(tasks.name(), tasks.serializeKey(request.getConversationId()),
                        tasks.serializeValue(SampleRecords.task(request))));
            }
        }
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> statuses.count() >= CONVERSATIONS);

        // when it is killed and restarted at once
        first.kill();
        long restartedAt = System.currentTimeMillis();
        ChildProcessor second = stack.startRun(port, "recovery-restore-second.log", "--components", "processor");
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                .until(() -> second.logText().contains(TOPOLOGY_RUNNING));
        long runningAt = System.currentTimeMillis();
        Awaitility.await().atMost(RESTORE_DEADLINE.plusMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> statuses.terminalCount() >= CONVERSATIONS);

        // then every conversation's state was restored: each ends with exactly one TIMEOUT
        long startedToRunning = logTime(second, TOPOLOGY_RUNNING) - logTime(second, TOPOLOGY_STARTED);
        System.out.printf("RELIABILITY restore: %d conversations in state (exactly_once_v2, deadline %d s), changelog end offsets %d; restart "
                        + "command to RUNNING %d ms, of which topology start to RUNNING %d ms (local state wiped after kill -9: %s); "
                        + "%d terminal statuses%n", CONVERSATIONS, RESTORE_DEADLINE.toSeconds(), changelogEndOffsets(stack), runningAt - restartedAt,
                startedToRunning, second.logText().contains("corrupted"), statuses.terminalCount());
        assertThat(statuses.terminalCount()).isEqualTo(CONVERSATIONS);
        assertThat(statuses.terminalStatuses()).containsOnlyKeys(TaskStatus.TIMEOUT);
        assertThat(statuses.repeatedTerminalStatuses()).as("one terminal status per task across the crash").isZero();
    }

    /** Waits until each group has two members owning partitions; returns each group's partition count. */
    private static Map<String, Integer> awaitTwoMembersEach(Admin admin) {
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() ->
                describe(admin).values().stream().allMatch(g -> g.groupState() == GroupState.STABLE && g.members().size() == 2
                        && g.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())));
        return describe(admin).entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue().members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum()));
    }

    /** True when every group is stable with only the survivor's members, owning as many partitions as both did. */
    private static boolean ownsEverything(Admin admin, String survivorId, Map<String, Integer> partitions) {
        return describe(admin).entrySet().stream().allMatch(e -> {
            ConsumerGroupDescription group = e.getValue();
            return group.groupState() == GroupState.STABLE
                    && group.members().stream().allMatch(m -> m.groupInstanceId().orElse("").startsWith(survivorId + "-"))
                    && group.members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum() == partitions.get(e.getKey());
        });
    }

    private static Map<String, ConsumerGroupDescription> describe(Admin admin) {
        try {
            return admin.describeConsumerGroups(GROUPS).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot describe " + GROUPS, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String timeoutShare(java.util.Collection<String> taskIds) {
        long timeouts = taskIds.stream().map(statuses::terminal).filter(s -> s != null && s.getStatus() == TaskStatus.TIMEOUT).count();
        return taskIds.isEmpty() ? "0/0" : String.format("%d/%d (%.1f %%)", timeouts, taskIds.size(), 100.0 * timeouts / taskIds.size());
    }

    /** The time of day of the first log line of {@code run} that contains {@code text}, in ms. */
    private static long logTime(ChildProcessor run, String text) {
        String line = run.logText().lines().filter(l -> l.contains(text)).findFirst().orElseThrow();
        return java.time.LocalTime.parse(line.substring(0, "HH:mm:ss.SSS".length())).toNanoOfDay() / 1_000_000;
    }

    /** The sum of the end offsets of the topology's changelog topics (records plus transaction markers). */
    private static long changelogEndOffsets(RunStack stack) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            Set<String> changelogs = admin.listTopics().names().get().stream().filter(n -> n.endsWith("-changelog"))
                    .collect(Collectors.toSet());
            Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(changelogs).allTopicNames().get().values().stream()
                    .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void submit(LoadDriver load, List<Caller> callers) {
        try {
            load.submitPaced(callers, RATE, Duration.ofMinutes(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
