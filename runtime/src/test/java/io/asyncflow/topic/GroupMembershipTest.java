package io.asyncflow.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class GroupMembershipTest {

    @Test
    void shouldMakeEachGroupMemberStaticWithTheInstanceIdAndAShortSession() {
        // given
        GroupMembership membership = GroupMembership.from(AsyncFlowConfig.of(Map.of("asyncflow.instance-id", "host-0")));

        // when
        Map<String, Object> sink = membership.applyTo(new HashMap<>(), "sink");
        Map<String, Object> bridge = membership.applyTo(new HashMap<>(), "bridge");

        // then
        assertThat(sink).containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "host-0-sink")
                .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000)
                .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1000);
        assertThat(bridge).containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "host-0-bridge");
        assertThat(membership.sessionTimeout()).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void shouldLeaveExplicitClientSettingsAsTheyAre() {
        GroupMembership membership = GroupMembership.from(AsyncFlowConfig.of(Map.of("asyncflow.instance-id", "host-0",
                "asyncflow.session-timeout", "8s")));
        Map<String, Object> props = new HashMap<>(Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "20000",
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "chosen"));

        membership.applyTo(props, "sink");

        assertThat(props).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "20000")
                .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "chosen")
                .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1333);
    }

    @Test
    void shouldStayDynamicWithoutAnInstanceIdButKeepTheShortSession() {
        Map<String, Object> props = GroupMembership.from(AsyncFlowConfig.of(Map.of())).applyTo(new HashMap<>(), "sink");

        assertThat(props).doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)
                .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000);
    }

    @Test
    void shouldSetNoSessionTimeoutUnderTheConsumerGroupProtocolWhereTheBrokerOwnsIt() {
        Map<String, Object> props = new HashMap<>(Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"));

        GroupMembership.from(AsyncFlowConfig.of(Map.of("asyncflow.instance-id", "h-1"))).applyTo(props, "sink");

        assertThat(props).containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "h-1-sink")
                .doesNotContainKeys(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);
    }

    @Test
    void shouldLeaveTheGroupOnCloseUnlessToldToWaitForTheReturn() {
        CloseOptions leaving = GroupMembership.from(AsyncFlowConfig.of(Map.of())).closeOptions(Duration.ofSeconds(3));
        CloseOptions staying = GroupMembership.from(AsyncFlowConfig.of(Map.of("asyncflow.leave-group-on-close", "false")))
                .closeOptions(Duration.ofSeconds(3));

        assertThat(leaving.groupMembershipOperation()).isEqualTo(CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
        assertThat(leaving.timeout()).contains(Duration.ofSeconds(3));
        assertThat(staying.groupMembershipOperation()).isEqualTo(CloseOptions.GroupMembershipOperation.DEFAULT);
    }

    @Test
    void shouldRejectBadValuesNamingTheKey() {
        assertThatThrownBy(() -> GroupMembership.from(AsyncFlowConfig.of(Map.of("asyncflow.session-timeout", "0s"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("asyncflow.session-timeout");
        assertThatThrownBy(() -> GroupMembership.from(AsyncFlowConfig.of(Map.of("asyncflow.instance-id", "a b"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("asyncflow.instance-id");
    }
}
