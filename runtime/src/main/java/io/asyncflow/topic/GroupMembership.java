package io.asyncflow.topic;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.GroupProtocol;

/**
 * How AsyncFlow's consumer groups (and the Streams application's) treat a member that stops: the
 * one place that sets {@code group.instance.id}, {@code session.timeout.ms} and
 * {@code heartbeat.interval.ms} and chooses whether a closing member leaves its group.
 * <ul>
 *   <li>With an instance id ({@link InstanceId}; {@code asyncflow run} always has one) every group
 *       member is static: {@code <instance id>-<member>}. A process killed and restarted takes its
 *       partitions back as soon as it rejoins, without waiting for its old member to expire.</li>
 *   <li>{@code asyncflow.session-timeout} (6 s, the broker's default minimum) bounds how long the
 *       partitions of a process that does not come back wait before the survivors take them over;
 *       heartbeats go every sixth of it, so survivors also learn of a rebalance within a second.</li>
 *   <li>{@code asyncflow.leave-group-on-close} (true): a deliberate stop (SIGTERM) leaves the group
 *       at once, so the survivors take over without waiting for the session timeout. Set false where
 *       a stopped process comes back with the same id within the session timeout (systemd restart,
 *       StatefulSet roll): its partitions then stay assigned to it and no rebalance happens.</li>
 * </ul>
 * Explicit {@code consumer.*} / {@code streams.*} settings win. With {@code group.protocol=consumer}
 * the session timeout is the broker's ({@code group.consumer.session.timeout.ms}) and none is set here.
 */
public final class GroupMembership {
    public static final ConfigKey SESSION_TIMEOUT = ConfigKey.duration("asyncflow.session-timeout", "6s",
            "session.timeout.ms of every consumer group and of the topology (heartbeat every sixth of it), and the topology's "
                    + "transaction timeout: how long a crashed process's partitions wait before the survivors take them over. "
                    + "Brokers accept 6s to 30m by default.");
    public static final ConfigKey LEAVE_ON_CLOSE = ConfigKey.bool("asyncflow.leave-group-on-close", "true",
            "A stopping process (SIGTERM) leaves its groups at once, so others take over its partitions; false keeps them "
                    + "for its return with the same instance id within the session timeout (no rebalance).");
    public static final List<ConfigKey> KEYS = List.of(InstanceId.INSTANCE_ID, InstanceId.DATA_DIR, SESSION_TIMEOUT, LEAVE_ON_CLOSE);

    private static final int HEARTBEATS_PER_SESSION = 6;

    private final String instanceId;
    private final Duration sessionTimeout;
    private final boolean leaveOnClose;

    private GroupMembership(String instanceId, Duration sessionTimeout, boolean leaveOnClose) {
        this.instanceId = instanceId;
        this.sessionTimeout = sessionTimeout;
        this.leaveOnClose = leaveOnClose;
    }

    /** Reads and validates the settings; a bad value is a {@link io.asyncflow.config.ConfigException} naming the key. */
    public static GroupMembership from(AsyncFlowConfig config) {
        String id = config.get(InstanceId.INSTANCE_ID);
        return new GroupMembership(id == null || id.isBlank() ? null : InstanceId.validate(id.trim()),
                config.getPositiveDuration(SESSION_TIMEOUT), config.getBoolean(LEAVE_ON_CLOSE));
    }

    /**
     * Adds the membership settings of one group member to a client's settings (settings already
     * there win) and returns them.
     *
     * @param props consumer or Streams settings, e.g. {@code KafkaSettings.forClient("consumer")}
     * @param member the component, e.g. {@code sink}: the {@code group.instance.id} is {@code <instance id>-sink}
     */
    public Map<String, Object> applyTo(Map<String, Object> props, String member) {
        if (instanceId != null) {
            props.putIfAbsent(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId + "-" + member);
        }
        Object protocol = props.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
        boolean classic = protocol == null
                || GroupProtocol.CLASSIC.name().equalsIgnoreCase(protocol.toString().trim());
        if (classic) {
            props.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
            props.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                    (int) Math.max(100, sessionTimeout.toMillis() / HEARTBEATS_PER_SESSION));
        }
        return props;
    }

    /** True when a closing member leaves its group at once (static members too). */
    public boolean leavesOnClose() {
        return leaveOnClose;
    }

    /** How a consumer of a group closes: leaving the group when {@link #leavesOnClose()}, within {@code timeout}. */
    public CloseOptions closeOptions(Duration timeout) {
        return CloseOptions.groupMembershipOperation(leaveOnClose
                        ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                        : CloseOptions.GroupMembershipOperation.DEFAULT)
                .withTimeout(timeout);
    }

    /**
     * The session timeout; the topology also uses it as its exactly-once transaction timeout, so the
     * open transaction of a process that died is aborted about when its members expire, and the
     * survivors taking its partitions over are not held back by it.
     */
    public Duration sessionTimeout() {
        return sessionTimeout;
    }

    /** The instance id, or null when members are dynamic (no id configured). */
    public String instanceId() {
        return instanceId;
    }
}
