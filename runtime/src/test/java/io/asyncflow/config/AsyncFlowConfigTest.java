package io.asyncflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsyncFlowConfigTest {
    private static final ConfigKey RATE = ConfigKey.of("sink.rate-per-minute", "280", "doc");

    @Test
    void shouldLayerDefaultsFileEnvironmentAndCommandLineInThatOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("asyncflow.properties");
        Files.writeString(file, "sink.rate-per-minute=100\ntopic.tasks=from-file\nkafka.bootstrap.servers=file:9092\n");
        Map<String, String> env = Map.of("ASYNCFLOW_TOPIC_TASKS", "from-env", "ASYNCFLOW_KAFKA_BOOTSTRAP_SERVERS", "env:9092");

        AsyncFlowConfig config = AsyncFlowConfig.load(file, env, Map.of("kafka.bootstrap.servers", "cli:9092"));

        assertThat(config.getInt(RATE)).as("file beats default").isEqualTo(100);
        assertThat(config.get("topic.tasks", null)).as("env beats file").isEqualTo("from-env");
        assertThat(config.get("kafka.bootstrap.servers", null)).as("command line beats env").isEqualTo("cli:9092");
        assertThat(AsyncFlowConfig.of(Map.of()).getInt(RATE)).as("default").isEqualTo(280);
    }

    @Test
    void shouldMapEnvironmentNamesWithDashesToKnownKeys() {
        AsyncFlowConfig config = AsyncFlowConfig.load(null,
                Map.of("ASYNCFLOW_TOPIC_RAW_EVENTS", "raw", "ASYNCFLOW_BACKEND_ALPHA_URL", "http://a/{{ani}}", "PATH", "/bin"),
                Map.of());

        assertThat(config.explicitValues()).containsEntry("topic.raw.events", "raw")
                .containsEntry("backend.alpha.url", "http://a/{{ani}}")
                .doesNotContainKey("path");
        assertThat(AsyncFlowConfig.envName("topic.raw-events")).isEqualTo("ASYNCFLOW_TOPIC_RAW_EVENTS");
    }

    @Test
    void shouldPreferAKnownKeyWhenTheFileNamesIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("a.properties");
        Files.writeString(file, "topic.raw-events=file\n");

        AsyncFlowConfig config = AsyncFlowConfig.load(file, Map.of("ASYNCFLOW_TOPIC_RAW_EVENTS", "env"), Map.of());

        assertThat(config.get("topic.raw-events", null)).isEqualTo("env");
    }

    @Test
    void shouldResolveSecretsFromTheEnvironment() {
        AsyncFlowConfig config = AsyncFlowConfig.load(null, Map.of("ALPHA_KEY", "s3cret"),
                Map.of("backend.alpha.header.X-Api-Key", "Key ${env:ALPHA_KEY}"));

        assertThat(config.withPrefix("backend.alpha.header.")).containsEntry("X-Api-Key", "Key s3cret");
        assertThatThrownBy(() -> AsyncFlowConfig.load(null, Map.of(), Map.of("k", "${env:NOPE_NOT_SET_123}")).get("k", null))
                .hasMessageContaining("'k'").hasMessageContaining("NOPE_NOT_SET_123");
    }

    @Test
    void shouldNameTheKeyAndTheExpectationOnBadValues() {
        AsyncFlowConfig config = AsyncFlowConfig.of(Map.of("sink.rate-per-minute", "lots", "t", "soon"));

        assertThatThrownBy(() -> config.getInt(RATE))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config key 'sink.rate-per-minute': expected a whole number, got 'lots'");
        assertThatThrownBy(() -> config.getDuration("t", null)).hasMessageContaining("expected a duration");
    }

    @Test
    void shouldEnforceLowerBoundsNamingTheKey() {
        ConfigKey workers = ConfigKey.of("lookup.max-in-flight", "256", "doc");
        ConfigKey timeout = ConfigKey.of("sink.poll-timeout", "50ms", "doc");
        AsyncFlowConfig config = AsyncFlowConfig.of(Map.of("lookup.max-in-flight", "0", "sink.poll-timeout", "0s"));

        assertThatThrownBy(() -> config.getInt(workers, 1))
                .hasMessage("config key 'lookup.max-in-flight': must be at least 1, got 0");
        assertThatThrownBy(() -> config.getPositiveDuration(timeout))
                .hasMessage("config key 'sink.poll-timeout': must be positive, got '0s'");
        assertThat(AsyncFlowConfig.of(Map.of()).getInt(workers, 1)).isEqualTo(256);
        assertThat(AsyncFlowConfig.of(Map.of()).getPositiveDuration(timeout)).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void shouldAcceptOneOfTheChoicesIgnoringCaseAndNameTheKeyOtherwise() {
        ConfigKey level = ConfigKey.of("lookup.isolation-level", "read_uncommitted", "doc");
        List<String> choices = List.of("read_uncommitted", "read_committed");

        assertThat(AsyncFlowConfig.of(Map.of()).getChoice(level, choices)).isEqualTo("read_uncommitted");
        assertThat(AsyncFlowConfig.of(Map.of("lookup.isolation-level", " READ_Committed ")).getChoice(level, choices))
                .isEqualTo("read_committed");
        assertThatThrownBy(() -> AsyncFlowConfig.of(Map.of("lookup.isolation-level", "dirty")).getChoice(level, choices))
                .hasMessage("config key 'lookup.isolation-level': must be one of [read_uncommitted, read_committed], got 'dirty'");
    }

    @Test
    void shouldParseDurations() {
        assertThat(AsyncFlowConfig.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(AsyncFlowConfig.parseDuration("8s")).isEqualTo(Duration.ofSeconds(8));
        assertThat(AsyncFlowConfig.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(AsyncFlowConfig.parseDuration("1500")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void shouldRejectUnknownKeysButPassKafkaSettingsThrough() {
        List<ConfigKey> declared = List.of(RATE, ConfigKey.of("backend.*.url", null, "d"));
        AsyncFlowConfig ok = AsyncFlowConfig.of(Map.of("sink.rate-per-minute", "1", "backend.alpha.url", "http://x",
                "kafka.acks", "all", "streams.num.stream.threads", "2"));
        AsyncFlowConfig typo = AsyncFlowConfig.of(Map.of("sink.rate-per-minut", "1"));

        ok.rejectUnknownKeys(declared);
        assertThatThrownBy(() -> typo.rejectUnknownKeys(declared))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sink.rate-per-minut");
    }

    @Test
    void shouldFailClearlyOnAMissingFile(@TempDir Path dir) {
        assertThatThrownBy(() -> AsyncFlowConfig.load(dir.resolve("none.properties"), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
    }
}
