package io.asyncflow.console;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.topic.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.tools.api.RecordReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code kafka-console-producer --line-reader} that reads the JSON lines of
 * {@link AsyncFlowFormatter} back into records with the same key, value and header bytes (the value
 * re-encoded with the single-object encoding of the record type and schema the line names), and that
 * also accepts plain Genesys events (an EventBridge envelope or a Notifications message per line) for
 * the raw events topic: key = the event's conversation id, value = the line as it is.
 *
 * <p>Properties ({@code --reader-property}): {@code rebase.time} (default {@code true}: the first
 * record happens now, the others keep their distance to it, so a replayed request is not timed out
 * at once; {@code false} writes the recorded bytes and timestamps unchanged), {@code ignore.error}
 * (default {@code false}: stop at the first bad line, whose number the error names),
 * {@code topic.*} (topic names, as in the AsyncFlow configuration, to recognise the raw events topic).
 *
 * <pre>
 * bin/kafka-console-producer.sh --bootstrap-server localhost:9092 --topic asyncflow.tasks \
 *   --line-reader io.asyncflow.console.AsyncFlowRecordReader &lt; replay/match-in-gamma.jsonl
 * </pre>
 */
public final class AsyncFlowRecordReader implements RecordReader {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncFlowRecordReader.class);

    private final Time time;
    private LineParser parser;
    private boolean ignoreError;

    public AsyncFlowRecordReader() {
        this(Time.SYSTEM);
    }

    AsyncFlowRecordReader(Time time) {
        this.time = time;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        AsyncFlowConfig config = ConsoleSettings.from(configs, ConsoleSettings.READER_KEYS);
        String topic = config.get(ConsoleSettings.TOOL_TOPIC);
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("the reader needs the topic it writes to (kafka-console-producer sets it from --topic)");
        }
        ignoreError = config.getBoolean(ConsoleSettings.IGNORE_ERROR);
        TimeRebase rebase = new TimeRebase(config.getBoolean(ConsoleSettings.REBASE_TIME), time);
        parser = new LineParser(topic, Topics.from(config), WriterSchemas.shipped(), rebase);
    }

    @Override
    public Iterator<ProducerRecord<byte[], byte[]>> readRecords(InputStream inputStream) {
        if (parser == null) {
            throw new IllegalStateException("configure the reader first: it needs the topic it writes to");
        }
        return new Lines(new BufferedReader(new InputStreamReader(inputStream, StandardCharsets.UTF_8)));
    }

    private final class Lines implements Iterator<ProducerRecord<byte[], byte[]>> {
        private final BufferedReader in;
        private long lineNumber;
        private ProducerRecord<byte[], byte[]> next;
        private boolean done;

        Lines(BufferedReader in) {
            this.in = in;
        }

        @Override
        public boolean hasNext() {
            while (next == null && !done) {
                String line = readLine();
                if (line == null) {
                    done = true;
                } else if (!line.isBlank()) {
                    next = parse(line);
                }
            }
            return next != null;
        }

        @Override
        public ProducerRecord<byte[], byte[]> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ProducerRecord<byte[], byte[]> record = next;
            next = null;
            return record;
        }

        private ProducerRecord<byte[], byte[]> parse(String line) {
            try {
                return parser.parse(lineNumber, line);
            } catch (BadLineException e) {
                if (!ignoreError) {
                    throw e;
                }
                LOG.warn("skipping {}", e.getMessage());
                return null;
            }
        }

        private String readLine() {
            try {
                String line = in.readLine();
                lineNumber++;
                return line;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read line " + (lineNumber + 1), e);
            }
        }
    }
}
