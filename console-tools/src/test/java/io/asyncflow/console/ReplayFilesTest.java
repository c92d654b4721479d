package io.asyncflow.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncflow.avro.ConversationEvent;
import io.asyncflow.avro.ConversationEventType;
import io.asyncflow.avro.TaskEvent;
import io.asyncflow.avro.TaskRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The recorded demo conversations in {@code replay/} hold what each scenario needs, in the formatter's format. */
class ReplayFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REPLAY = replayDirectory();

    @Test
    void shouldHoldOneFileAndOneReadmeEntryPerDemoScenario() throws IOException {
        List<String> files;
        try (Stream<Path> list = Files.list(REPLAY)) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsonl")).sorted().toList();
        }
        assertThat(files).containsExactlyInAnyOrder("match-in-gamma.jsonl", "no-match.jsonl", "database-down.jsonl",
                "caller-hangs-up.jsonl", "slow-ai.jsonl", "repeat-request.jsonl");
        String readme = Files.readString(REPLAY.resolve("README.md"));
        assertThat(files).allSatisfy(f -> assertThat(readme).contains(f));
    }

    @Test
    void shouldAskForTheCallerOfAGammaCustomer() {
        TaskRequest request = onlyRequest("match-in-gamma");
        assertThat(request.getTaskType()).isEqualTo("identify-caller");
        assertThat(request.getInputs()).containsExactly(Map.entry("ani", "tel:+33611111103"));
    }

    @Test
    void shouldAskForACallerNoDatabaseKnows() {
        TaskRequest request = onlyRequest("no-match");
        assertThat(request.getTaskType()).isEqualTo("identify-caller");
        assertThat(request.getInputs()).containsExactly(Map.entry("ani", "tel:+33611111199"));
    }

    @Test
    void shouldAskForAGammaCustomerWhileADatabaseIsDown() {
        TaskRequest request = onlyRequest("database-down");
        assertThat(request.getTaskType()).isEqualTo("identify-caller");
        assertThat(request.getInputs()).containsExactly(Map.entry("ani", "tel:+33611111103"));
    }

    @Test
    void shouldEndTheConversationFiftyMillisecondsAfterTheRequest() {
        List<TaskEvent> events = events("caller-hangs-up");
        assertThat(events).hasSize(2);
        TaskRequest request = (TaskRequest) events.get(0).getEvent();
        ConversationEvent end = (ConversationEvent) events.get(1).getEvent();
        assertThat(request.getInputs()).containsExactly(Map.entry("ani", "tel:+33611111103"));
        assertThat(end.getType()).isEqualTo(ConversationEventType.ENDED);
        assertThat(end.getConversationId()).isEqualTo(request.getConversationId());
        assertThat(end.getEventTime() - request.getRequestedAt()).isEqualTo(50);
    }

    @Test
    void shouldGiveTheIntentAiAShortDeadline() {
        TaskRequest request = onlyRequest("slow-ai");
        assertThat(request.getTaskType()).isEqualTo("classify-intent");
        assertThat(request.getInputs()).containsExactly(Map.entry("transcript", "I lost my credit card"));
        assertThat(request.getDeadline()).isEqualTo(request.getRequestedAt() + 1500);
    }

    @Test
    void shouldSendTheSameTaskTwice() {
        List<TaskEvent> events = events("repeat-request");
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isEqualTo(events.get(1));
        assertThat(((TaskRequest) events.get(0).getEvent()).getTaskId()).isNotBlank();
    }

    @Test
    void shouldKeyEveryRecordByItsConversationAndGiveEachScenarioItsOwn() {
        List<String> conversations = new ArrayList<>();
        for (ReplayScenarios.Scenario scenario : ReplayScenarios.all()) {
            List<ProducerRecord<byte[], byte[]>> records = records(scenario.name());
            for (ProducerRecord<byte[], byte[]> record : records) {
                TaskEvent event = ConsoleFixtures.decodeTaskEvent(record.value());
                String cid = event.getEvent() instanceof TaskRequest r ? r.getConversationId() : ((ConversationEvent) event.getEvent()).getConversationId();
                assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(cid);
            }
            conversations.add(new String(records.get(0).key(), StandardCharsets.UTF_8));
        }
        assertThat(conversations).doesNotHaveDuplicates();
    }

    @Test
    void shouldBeExactlyWhatTheFormatterPrints() throws IOException {
        for (ReplayScenarios.Scenario scenario : ReplayScenarios.all()) {
            // given the file's lines
            String file = Files.readString(REPLAY.resolve(scenario.fileName()));
            List<ProducerRecord<byte[], byte[]>> records = records(scenario.name());
            String[] lines = file.split("\n");

            // when each record read back is printed again at its recorded place
            StringBuilder printed = new StringBuilder();
            for (int i = 0; i < lines.length; i++) {
                JsonNode place = JSON.readTree(lines[i]);
                ProducerRecord<byte[], byte[]> r = records.get(i);
                printed.append(ConsoleFixtures.format(Map.of(), List.of(new ConsumerRecord<>(place.path("topic").asText(),
                        place.path("partition").asInt(), place.path("offset").asLong(), r.timestamp(), TimestampType.CREATE_TIME,
                        0, 0, r.key(), r.value(), r.headers(), Optional.empty()))));
            }

            // then
            assertThat(printed.toString()).as(scenario.fileName()).isEqualTo(file);
        }
    }

    private static TaskRequest onlyRequest(String scenario) {
        List<TaskEvent> events = events(scenario);
        assertThat(events).hasSize(1);
        return (TaskRequest) events.get(0).getEvent();
    }

    private static List<TaskEvent> events(String scenario) {
        return records(scenario).stream().map(r -> ConsoleFixtures.decodeTaskEvent(r.value())).toList();
    }

    private static List<ProducerRecord<byte[], byte[]>> records(String scenario) {
        try {
            String lines = Files.readString(REPLAY.resolve(scenario + ".jsonl"));
            return ConsoleFixtures.read(Map.of("topic", ReplayScenarios.TOPIC, "rebase.time", "false"), lines, 0L);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** replay/ at the repository root; tests run in the module directory. */
    static Path replayDirectory() {
        Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("replay")) && Files.exists(dir.resolve("pom.xml"))) {
                return dir.resolve("replay");
            }
        }
        throw new IllegalStateException("no replay/ directory above " + here);
    }
}
