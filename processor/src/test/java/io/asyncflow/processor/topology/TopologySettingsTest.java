package io.asyncflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigException;
import io.asyncflow.topic.KafkaSettings;
import io.asyncflow.topic.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class TopologySettingsTest {

    @Test
    void shouldDefaultToExactlyOnceWithLowLatencyStreamsSettings() {
        // given
        AsyncFlowConfig config = AsyncFlowConfig.of(Map.of());

        // when
        TopologySettings settings = TopologySettings.from(config);
        Properties props = properties(config);

        // then
        assertThat(settings.processingGuarantee()).isEqualTo("exactly_once_v2");
        assertThat(settings.finishedRetention()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.stateDir()).isNull();
        assertThat(props)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "asyncflow-processor")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "exactly_once_v2")
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 20L)
                .containsEntry(StreamsConfig.POLL_MS_CONFIG, 20L)
                .containsEntry(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0)
                .containsEntry(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L)
                .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L)
                .containsEntry(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true)
                .containsEntry(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class)
                .containsEntry(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class)
                .containsEntry(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class)
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092")
                .doesNotContainKey(StreamsConfig.STATE_DIR_CONFIG);
        assertThat(new StreamsConfig(props).getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
    }

    @Test
    void shouldTakeProcessorKeysAndLetStreamsKeysWin() {
        // given
        AsyncFlowConfig config = AsyncFlowConfig.of(Map.of(
                "processor.application-id", "flows-eu",
                "processor.processing-guarantee", "AT_LEAST_ONCE",
                "processor.commit-interval", "50ms",
                "processor.state-dir", "/var/lib/asyncflow",
                "processor.threads", "3",
                "kafka.bootstrap.servers", "broker:9092",
                "streams.linger.ms", "5",
                "streams.commit.interval.ms", "30"));

        // when
        Properties props = properties(config);

        // then
        assertThat(props)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "flows-eu")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "at_least_once")
                .containsEntry(StreamsConfig.STATE_DIR_CONFIG, "/var/lib/asyncflow")
                .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 3)
                .containsEntry(StreamsConfig.POLL_MS_CONFIG, 50L)
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092")
                .containsEntry("linger.ms", "5")
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "30");
    }

    @Test
    void shouldPollNoLongerThanTheCommitIntervalNorThanStreamsDefault() {
        assertThat(properties(AsyncFlowConfig.of(Map.of("processor.commit-interval", "500ms"))))
                .containsEntry(StreamsConfig.POLL_MS_CONFIG, 100L);
        assertThat(properties(AsyncFlowConfig.of(Map.of("processor.commit-interval", "0ms"))))
                .containsEntry(StreamsConfig.POLL_MS_CONFIG, 1L);
        assertThat(properties(AsyncFlowConfig.of(Map.of("streams.poll.ms", "7"))))
                .containsEntry(StreamsConfig.POLL_MS_CONFIG, "7");
    }

    @Test
    void shouldRejectInvalidValuesNamingTheKey() {
        assertThatThrownBy(() -> TopologySettings.from(AsyncFlowConfig.of(Map.of("processor.processing-guarantee", "exactly_once"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("processor.processing-guarantee");
        assertThatThrownBy(() -> TopologySettings.from(AsyncFlowConfig.of(Map.of("processor.finished-retention", "0s"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("processor.finished-retention");
        assertThatThrownBy(() -> TopologySettings.from(AsyncFlowConfig.of(Map.of("processor.punctuate-interval", "soon"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("processor.punctuate-interval");
        assertThatThrownBy(() -> TopologySettings.from(AsyncFlowConfig.of(Map.of("processor.threads", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("processor.threads");
    }

    @Test
    void shouldDeclareEveryKeyItReads() {
        AsyncFlowConfig config = AsyncFlowConfig.of(Map.of("processor.application-id", "a", "processor.processing-guarantee", "at_least_once",
                "processor.commit-interval", "1ms", "processor.punctuate-interval", "1s", "processor.finished-retention", "1h",
                "processor.state-dir", "/tmp/x", "processor.threads", "2"));

        config.rejectUnknownKeys(TopologySettings.KEYS);

        assertThat(TopologySettings.KEYS).allSatisfy(key -> assertThat(key.doc()).isNotBlank());
    }

    private static Properties properties(AsyncFlowConfig config) {
        return StreamsProperties.of(TopologySettings.from(config), new KafkaSettings(config).forClient("streams"),
                Topics.from(config).deadLetters());
    }
}
