package io.asyncflow.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.LookupResult;
import io.asyncflow.avro.TaskEvent;
import io.asyncflow.topic.Topic;
import io.asyncflow.topic.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Time;

/**
 * The console reader's parsing for callers outside the console tools (the test kit): turns a line
 * recorded with {@link AsyncFlowFormatter}, or a plain Genesys event, into the record
 * {@link AsyncFlowRecordReader} would produce, with times rebased as its default
 * {@code rebase.time=true} does (one {@link TimeRebase} for all lines, anchored on the first).
 * Unlike the reader, which writes every line to the one {@code --topic} it is given, each record
 * goes to the topic it belongs on: a Genesys event to the raw events topic, an Avro record to the
 * topic of its type ({@code TaskEvent} to the tasks topic; a {@code StatusUpdate} to the topic the
 * line names when that is the orphans topic, else the status topic); {@code text} and
 * {@code bytes} lines to the topic they name.
 */
public final class RecordLines {
    private final Topics topics;
    private final TimeRebase rebase;
    private final WriterSchemas schemas = WriterSchemas.shipped();
    private final Map<String, LineParser> parsers = new HashMap<>();

    /**
     * @param topics the topic names of the configuration under test
     * @param time "now": the first line's time is moved there
     */
    public RecordLines(Topics topics, Time time) {
        this.topics = topics;
        this.rebase = new TimeRebase(true, time);
    }

    /**
     * The record {@code line} stands for, on the topic it belongs on.
     *
     * @throws BadLineException naming {@code lineNumber} when the line is neither a record line nor a Genesys event
     */
    public ProducerRecord<byte[], byte[]> parse(long lineNumber, String line) {
        return parsers.computeIfAbsent(topicOf(line), topic -> new LineParser(topic, topics, schemas, rebase))
                .parse(lineNumber, line);
    }

    private String topicOf(String line) {
        JsonNode json;
        try {
            json = RecordLine.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            return topics.tasks().name();
        }
        if (json == null || !json.isObject() || !RecordLine.isRecordLine(json)) {
            return topics.rawEvents().name();
        }
        String named = json.path(RecordLine.TOPIC).asText(topics.tasks().name());
        return switch (json.path(RecordLine.TYPE).asText("")) {
            case "", RecordLine.TEXT, RecordLine.BYTES -> named;
            default -> avroTopic(json.path(RecordLine.TYPE).asText(), named).name();
        };
    }

    private Topic<String, ?> avroTopic(String type, String named) {
        if (type.equals(TaskEvent.getClassSchema().getFullName())) {
            return topics.tasks();
        }
        if (type.equals(LookupRequest.getClassSchema().getFullName())) {
            return topics.lookups();
        }
        if (type.equals(LookupResult.getClassSchema().getFullName())) {
            return topics.lookupResults();
        }
        if (type.equals(DeadLetter.getClassSchema().getFullName())) {
            return topics.deadLetters();
        }
        return named.equals(topics.orphans().name()) ? topics.orphans() : topics.status();
    }
}
