package io.asyncflow.app.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BrokerPropertiesTest {

    @Test
    void shouldDescribeASingleNodeKraftBrokerOnLoopbackOnly() {
        // when
        Properties p = BrokerProperties.of(19092, 19093, Path.of("/tmp/k/data"), Map.of());

        // then
        assertThat(p.getProperty("process.roles")).isEqualTo("broker,controller");
        assertThat(p.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:19093");
        assertThat(p.getProperty("listeners")).isEqualTo("PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093");
        assertThat(p.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:19092");
        assertThat(p.getProperty("log.dirs")).isEqualTo(Path.of("/tmp/k/data").toAbsolutePath().toString());
        assertThat(p.getProperty("offsets.topic.replication.factor")).isEqualTo("1");
        assertThat(p.getProperty("transaction.state.log.replication.factor")).isEqualTo("1");
        assertThat(p.getProperty("transaction.state.log.min.isr")).isEqualTo("1");
        assertThat(p.getProperty("group.initial.rebalance.delay.ms")).isEqualTo("0");
        assertThat(p.getProperty("transaction.abort.timed.out.transaction.cleanup.interval.ms")).isEqualTo("1000");
        assertThat(p.getProperty("auto.create.topics.enable")).isEqualTo("false");
        assertThat(Long.parseLong(p.getProperty("log.cleaner.dedupe.buffer.size"))).isLessThanOrEqualTo(4L * 1024 * 1024);
        assertThat(Long.parseLong(p.getProperty("broker.session.timeout.ms"))).isLessThan(9000);
    }

    @Test
    void shouldLetOverridesWin() {
        Properties p = BrokerProperties.of(1, 2, Path.of("d"), Map.of("num.partitions", "3", "auto.create.topics.enable", "true"));

        assertThat(p.getProperty("num.partitions")).isEqualTo("3");
        assertThat(p.getProperty("auto.create.topics.enable")).isEqualTo("true");
    }
}
