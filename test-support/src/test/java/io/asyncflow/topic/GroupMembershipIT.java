package io.asyncflow.topic;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.testing.KafkaTestCluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Static membership on a real broker, as {@link GroupMembership} configures it: a deliberate close
 * leaves the group at once (the others take over without waiting for the session timeout), and with
 * {@code asyncflow.leave-group-on-close=false} a member that closes and comes back under its id takes
 * its partitions back without anyone else getting them. The session timeout here is 30 s, so
 * anything that happens within a few seconds did not wait for it.
 */
@Timeout(value = 2, unit = java.util.concurrent.TimeUnit.MINUTES)
class GroupMembershipIT {
    private static final Duration LONG_SESSION = Duration.ofSeconds(30);
    private static final Duration WELL_WITHIN_THE_SESSION = Duration.ofSeconds(10);

    private final KafkaTestCluster cluster = KafkaTestCluster.shared();
    private final AsyncFlowConfig topics = cluster.freshConfig();
    private final String topic = Topics.from(topics).status().name();
    private final String group = "membership-" + UUID.randomUUID();

    @Test
    void shouldHandTheClosingMembersPartitionsToTheOtherAtOnce() {
        // given two static members sharing three partitions
        try (KafkaConsumer<byte[], byte[]> staying = member("a", true);
             KafkaConsumer<byte[], byte[]> leaving = member("b", true);
             Admin admin = cluster.admin()) {
            awaitAssigned(admin, Set.of("a-sink", "b-sink"), staying, leaving);

            // when one closes deliberately
            leaving.close(GroupMembership.from(config("b", true)).closeOptions(Duration.ofSeconds(10)));

            // then the other owns every partition long before the 30 s session would expire
            Awaitility.await().atMost(WELL_WITHIN_THE_SESSION).pollInterval(Duration.ofMillis(100)).until(() -> {
                staying.poll(Duration.ofMillis(100));
                return staying.assignment().size() == 3;
            });
            assertThat(instances(describe(admin))).containsExactly("a-sink");
        }
    }

    @Test
    void shouldKeepAStaticMembersPartitionsForItsReturnWhenToldNotToLeave() {
        // given two static members that do not leave on close
        try (KafkaConsumer<byte[], byte[]> other = member("a", false);
             Admin admin = cluster.admin()) {
            KafkaConsumer<byte[], byte[]> returning = member("b", false);
            awaitAssigned(admin, Set.of("a-sink", "b-sink"), other, returning);
            Set<TopicPartition> before = Set.copyOf(returning.assignment());
            Set<TopicPartition> othersBefore = Set.copyOf(other.assignment());

            // when it closes and comes back under the same id
            returning.close(GroupMembership.from(config("b", false)).closeOptions(Duration.ofSeconds(10)));
            assertThat(instances(describe(admin))).as("still a member after closing").contains("b-sink");
            try (KafkaConsumer<byte[], byte[]> back = member("b", false)) {

                // then it gets the same partitions, and the other never got them
                Awaitility.await().atMost(WELL_WITHIN_THE_SESSION).pollInterval(Duration.ofMillis(100)).until(() -> {
                    back.poll(Duration.ofMillis(100));
                    other.poll(Duration.ofMillis(100));
                    return back.assignment().equals(before);
                });
                assertThat(other.assignment()).isEqualTo(othersBefore);
            }
        }
    }

    private KafkaConsumer<byte[], byte[]> member(String instanceId, boolean leaveOnClose) {
        Map<String, Object> props = new HashMap<>(new KafkaSettings(topics).forClient("consumer"));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        GroupMembership.from(config(instanceId, leaveOnClose)).applyTo(props, "sink");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static AsyncFlowConfig config(String instanceId, boolean leaveOnClose) {
        return AsyncFlowConfig.of(Map.of(InstanceId.INSTANCE_ID.name(), instanceId,
                GroupMembership.SESSION_TIMEOUT.name(), LONG_SESSION.toSeconds() + "s",
                GroupMembership.LEAVE_ON_CLOSE.name(), String.valueOf(leaveOnClose)));
    }

    /** Waits until the group is stable with exactly {@code instances}, each consumer holding some of the three partitions. */
    @SafeVarargs
    private void awaitAssigned(Admin admin, Set<String> instances, KafkaConsumer<byte[], byte[]>... consumers) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (KafkaConsumer<byte[], byte[]> consumer : consumers) {
                consumer.poll(Duration.ofMillis(50));
            }
            int assigned = 0;
            for (KafkaConsumer<byte[], byte[]> consumer : consumers) {
                if (consumer.assignment().isEmpty()) {
                    return false;
                }
                assigned += consumer.assignment().size();
            }
            ConsumerGroupDescription description = describe(admin);
            return assigned == 3 && description.groupState() == GroupState.STABLE && instances(description).equals(instances);
        });
    }

    private ConsumerGroupDescription describe(Admin admin) {
        try {
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> instances(ConsumerGroupDescription group) {
        return group.members().stream().map(MemberDescription::groupInstanceId).map(id -> id.orElse("dynamic"))
                .collect(Collectors.toSet());
    }
}
