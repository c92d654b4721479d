package io.asyncflow.console;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigKey;
import io.asyncflow.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Properties of the console-tool plug-ins: {@code --formatter-property key=value} for
 * {@link AsyncFlowFormatter}, {@code --reader-property key=value} for {@link AsyncFlowRecordReader}.
 * Unknown keys are rejected so a typo never silently changes what is printed or produced.
 */
public final class ConsoleSettings {
    public static final ConfigKey CONVERSATION_ID = ConfigKey.string("conversation.id", null,
            "Formatter: print only the records whose key is this conversation id (default: every record).");
    public static final ConfigKey REBASE_TIME = ConfigKey.bool("rebase.time", "true",
            "Reader: move every time of the replayed records (record timestamp, requestedAt, deadline, eventTime, "
                    + "emittedAt, completedAt, failedAt) by one offset so the first record happens now; false keeps the bytes as recorded.");
    public static final ConfigKey IGNORE_ERROR = ConfigKey.bool("ignore.error", "false",
            "Reader: skip a bad line with a warning instead of stopping at it.");

    static final ConfigKey TOOL_TOPIC = ConfigKey.string("topic", null, "Set by kafka-console-producer: the topic written to.");
    static final ConfigKey TOOL_KEY_DESERIALIZER = ConfigKey.string("key.deserializer", null,
            "Set by kafka-console-consumer when --key-deserializer is given; ignored (records are read as bytes).");
    static final ConfigKey TOOL_VALUE_DESERIALIZER = ConfigKey.string("value.deserializer", null,
            "Set by kafka-console-consumer when --value-deserializer is given; ignored (records are read as bytes).");

    /** Keys the formatter reads. */
    public static final List<ConfigKey> FORMATTER_KEYS = List.of(CONVERSATION_ID, TOOL_KEY_DESERIALIZER, TOOL_VALUE_DESERIALIZER);
    /** Keys the reader reads, topic names ({@code topic.tasks}, {@code topic.raw-events}, …) included. */
    public static final List<ConfigKey> READER_KEYS = concat(List.of(REBASE_TIME, IGNORE_ERROR, TOOL_TOPIC), Topics.KEYS);
    public static final List<ConfigKey> KEYS = List.of(CONVERSATION_ID, REBASE_TIME, IGNORE_ERROR);

    private ConsoleSettings() {
    }

    /** The tool's properties as configuration, unknown keys rejected. */
    static AsyncFlowConfig from(Map<String, ?> properties, List<ConfigKey> declared) {
        Map<String, String> values = new TreeMap<>();
        properties.forEach((k, v) -> values.put(k, v == null ? null : String.valueOf(v).trim()));
        values.values().removeIf(v -> v == null);
        AsyncFlowConfig config = AsyncFlowConfig.of(values);
        config.rejectUnknownKeys(declared);
        return config;
    }

    private static List<ConfigKey> concat(List<ConfigKey> a, List<ConfigKey> b) {
        List<ConfigKey> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
