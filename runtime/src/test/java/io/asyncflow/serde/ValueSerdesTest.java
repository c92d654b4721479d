package io.asyncflow.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigException;
import io.asyncflow.testing.SampleRecords;
import io.asyncflow.topic.Topics;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueSerdesTest {

    @Test
    void shouldUseSingleObjectAvroByDefault() {
        Topics topics = Topics.defaults();

        assertThat(topics.status().valueSerde()).isInstanceOf(AvroSerde.class);
        assertThat(topics.status().name()).isEqualTo("asyncflow.status");
    }

    @Test
    void shouldPlugInARegistrySerdeByClassNameAndPassItsSettings() {
        AsyncFlowConfig config = AsyncFlowConfig.of(Map.of(
                "serde.value.class", FakeRegistrySerde.class.getName(),
                "serde.config.schema.registry.url", "mock://registry-a"));
        StatusUpdate status = SampleRecords.status("c-9", "t-9", TaskStatus.ONGOING, 1);

        Topics topics = Topics.from(config);
        byte[] bytes = topics.status().serializeValue(status);

        assertThat(topics.status().valueSerde()).isInstanceOf(FakeRegistrySerde.class);
        assertThat(FakeRegistrySerde.lastConfiguredUrl).isEqualTo("mock://registry-a");
        assertThat(bytes[0]).as("Confluent wire format magic byte").isZero();
        assertThat(topics.status().deserializeValue(bytes)).isEqualTo(status);
    }

    @Test
    void shouldNameTheKeyWhenTheSerdeClassIsMissing() {
        AsyncFlowConfig config = AsyncFlowConfig.of(Map.of("serde.value.class", "com.example.NoSuchSerde"));

        assertThatThrownBy(() -> Topics.from(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("serde.value.class")
                .hasMessageContaining("not on the class path");
    }

    @Test
    void shouldRejectAClassThatIsNotASerde() {
        AsyncFlowConfig config = AsyncFlowConfig.of(Map.of("serde.value.class", String.class.getName()));

        assertThatThrownBy(() -> Topics.from(config)).hasMessageContaining("is not an org.apache.kafka.common.serialization.Serde");
    }
}
