package io.asyncflow.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigLoader;
import io.asyncflow.config.ConfigException;
import io.asyncflow.config.ConfigKey;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.app.run.Components;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final ConfigKey CLIENT_ID = ConfigKey.of("genesys.client-id", null, "doc");
    private static final ConfigKey RATE = ConfigKey.of("sink.rate-per-minute", "280", "doc");

    private static List<ConfigKey> declared() {
        List<ConfigKey> keys = new ArrayList<>(Components.declaredKeys());
        keys.add(CLIENT_ID);
        keys.add(RATE);
        return keys;
    }

    @Test
    void shouldMapEnvironmentVariablesToDeclaredKeysWithDashes() {
        // when
        AsyncFlowConfig config = ConfigLoader.load(null,
                Map.of("ASYNCFLOW_GENESYS_CLIENT_ID", "from-env", "ASYNCFLOW_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"),
                Map.of(), declared());

        // then
        assertThat(config.get(CLIENT_ID)).isEqualTo("from-env");
        assertThat(config.explicitValues()).doesNotContainKey("genesys.client.id");
        assertThat(config.get("kafka.bootstrap.servers", null)).isEqualTo("kafka:9092");
        config.rejectUnknownKeys(declared());
    }

    @Test
    void shouldMapWildcardKeysThroughTheNamesTheFileConfigures(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("a.properties");
        Files.writeString(file, "backend.intent-ai.url=http://ai/classify\ntask.classify-intent.backends=intent-ai\n");

        // when
        AsyncFlowConfig config = ConfigLoader.load(file, Map.of("ASYNCFLOW_BACKEND_INTENT_AI_HIT_POINTER", "/intent"),
                Map.of(), declared());

        // then
        assertThat(config.get("backend.intent-ai.hit-pointer", null)).isEqualTo("/intent");
        assertThat(ConfigLoader.validate(config, declared()).backend("intent-ai").hitPointer()).isEqualTo("/intent");
    }

    @Test
    void shouldLayerFileEnvironmentAndOverridesInThatOrder(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("a.properties");
        Files.writeString(file, "sink.rate-per-minute=100\ngenesys.client-id=file\ntopic.tasks=file-tasks\n");

        // when
        AsyncFlowConfig config = ConfigLoader.load(file,
                Map.of("ASYNCFLOW_GENESYS_CLIENT_ID", "env", "ASYNCFLOW_SINK_RATE_PER_MINUTE", "200"),
                Map.of("sink.rate-per-minute", "300"), declared());

        // then
        assertThat(config.get("topic.tasks", null)).isEqualTo("file-tasks");
        assertThat(config.get(CLIENT_ID)).as("env beats file").isEqualTo("env");
        assertThat(config.getInt(RATE)).as("-D beats env").isEqualTo(300);
    }

    @Test
    void shouldIgnoreTheLaunchersOwnVariables() {
        // when
        AsyncFlowConfig config = ConfigLoader.load(null,
                Map.of("ASYNCFLOW_OPTS", "-Xmx1g", "ASYNCFLOW_LOG_LEVEL", "DEBUG", "ASYNCFLOW_SKIP_BUILD", "1",
                        "ASYNCFLOW_CONFIG", "/etc/a.properties"),
                Map.of(), declared());

        // then
        assertThat(config.explicitValues()).isEmpty();
    }

    @Test
    void shouldValidateTheTaskCatalogAndNameTheBadKey() {
        // given
        AsyncFlowConfig config = AsyncFlowConfig.of(Map.of(
                "task.identify-caller.backends", "alpha",
                "task.identify-caller.deadline", "soon",
                "backend.alpha.url", "http://alpha/{{ani}}"));

        // then
        assertThatThrownBy(() -> ConfigLoader.validate(config, declared()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("task.identify-caller.deadline");
    }

    @Test
    void shouldRejectUnknownKeysAndBadTopicSettings() {
        assertThatThrownBy(() -> ConfigLoader.validate(AsyncFlowConfig.of(Map.of("topic.taks", "x")), declared()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("topic.taks");
        assertThatThrownBy(() -> ConfigLoader.validate(AsyncFlowConfig.of(Map.of("topic.partitions", "0")), declared()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("topic.partitions");
        assertThatThrownBy(() -> ConfigLoader.validate(AsyncFlowConfig.of(Map.of("topic.create", "maybe")), declared()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("topic.create");
    }

    @Test
    void shouldAcceptAValidConfigurationAndReturnItsCatalog() {
        // given
        AsyncFlowConfig config = AsyncFlowConfig.of(Map.of(
                "kafka.bootstrap.servers", "k:9092",
                "kafka.security.protocol", "PLAINTEXT",
                "task.identify-caller.backends", "alpha",
                "backend.alpha.url", "http://alpha/{{ani}}"));

        // when
        TaskCatalog catalog = ConfigLoader.validate(config, declared());

        // then
        assertThat(catalog.taskTypes()).containsOnlyKeys("identify-caller");
    }
}
