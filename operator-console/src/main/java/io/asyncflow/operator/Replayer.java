package io.asyncflow.operator;

import io.asyncflow.activity.ActivityLog;
import io.asyncflow.avro.Activity;
import io.asyncflow.avro.DeadLetter;
import io.asyncflow.topic.Topic;
import io.asyncflow.topic.Topics;
import io.asyncflow.util.Mask;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays dead letters: produces each one's original key and value again to the topic it came from
 * (only AsyncFlow's input topics: tasks, raw events, lookups, lookup results, status), with headers
 * naming the dead letter and the user, waits for the broker's acknowledgement (all of them within
 * {@link #ACK_WAIT}; the producer gives up on a record sooner, so none is delivered after it was
 * reported as not replayed), then writes the replay to the audit log: an {@link Activity} of kind
 * REPLAY on the activity topic (acknowledged too, so every console instance shows it; the answer
 * says when it was not) and a line of the {@code asyncflow.audit} logger. A dead letter already
 * replayed is skipped unless the request insists ({@code force}), and so is a status of which the
 * console knows a newer version: replaying it would write an older status over a newer one.
 */
public final class Replayer {
    private static final Logger AUDIT = LoggerFactory.getLogger("asyncflow.audit");
    static final String REPLAY_OF_HEADER = "asyncflow-replay-of";
    static final String REPLAYED_BY_HEADER = "asyncflow-replayed-by";
    static final int MAX_PER_REQUEST = 500;
    /** Longest wait for the broker's acknowledgements of one replay; the producer's delivery timeout is shorter. */
    static final Duration ACK_WAIT = Duration.ofSeconds(15);
    /** The producer's {@code delivery.timeout.ms}: a record not acknowledged by then is failed, never sent later. */
    public static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(10);

    private final Producer<byte[], byte[]> producer;
    private final Topics topics;
    private final DeadLetterBook book;
    private final Set<String> replayable;
    private final ConversationStore conversations;

    public Replayer(Producer<byte[], byte[]> producer, Topics topics, DeadLetterBook book, ConversationStore conversations) {
        this.producer = producer;
        this.topics = topics;
        this.book = book;
        this.conversations = conversations;
        this.replayable = Set.of(topics.tasks().name(), topics.rawEvents().name(), topics.lookups().name(),
                topics.lookupResults().name(), topics.status().name());
    }

    /** True for a topic a dead letter may be replayed to. */
    public boolean replayableTopic(String topic) {
        return replayable.contains(topic);
    }

    /** A dead letter not replayed, and why. */
    public record Skipped(String id, String reason) {
    }

    /** What a replay did; {@code audited} false when its audit record could not be written to Kafka (the log has it). */
    public record Result(int replayed, List<Skipped> skipped, boolean audited) {
    }

    /**
     * Replays the dead letters with these ids for {@code user}.
     *
     * @throws IllegalArgumentException when there are no ids or too many
     */
    public Result replay(String user, List<String> ids, boolean force) throws InterruptedException {
        Set<String> unique = new LinkedHashSet<>(ids);
        if (unique.isEmpty() || unique.size() > MAX_PER_REQUEST) {
            throw new IllegalArgumentException("give between 1 and " + MAX_PER_REQUEST + " dead-letter ids");
        }
        List<Skipped> skipped = new ArrayList<>();
        Map<String, Future<RecordMetadata>> sent = new LinkedHashMap<>();
        Map<String, DeadLetter> letters = new LinkedHashMap<>();
        for (String id : unique) {
            DeadLetter letter = book.letter(id).orElse(null);
            if (letter == null) {
                skipped.add(new Skipped(id, "no such dead letter in the console's window"));
            } else if (!DeadLetterBook.replayable(letter, this::replayableTopic)) {
                skipped.add(new Skipped(id, "it holds no whole record of an AsyncFlow input topic"));
            } else if (!force && book.replayedBy(id).isPresent()) {
                skipped.add(new Skipped(id, "already replayed by " + book.replayedBy(id).get()));
            } else if (newerStatusKnown(letter)) {
                skipped.add(new Skipped(id, "a newer status of its task is known: replaying would write an older one over it"));
            } else {
                letters.put(id, letter);
                sent.put(id, producer.send(record(id, user, letter)));
            }
        }
        List<String> done = new ArrayList<>();
        long deadline = System.nanoTime() + ACK_WAIT.toNanos();
        for (Map.Entry<String, Future<RecordMetadata>> e : sent.entrySet()) {
            try {
                e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                done.add(e.getKey());
            } catch (ExecutionException error) {
                skipped.add(new Skipped(e.getKey(), "the broker did not take it: " + error.getCause().getMessage()));
            } catch (TimeoutException error) {
                skipped.add(new Skipped(e.getKey(), "no answer from the broker within " + ACK_WAIT.toSeconds() + " s"));
            }
        }
        boolean audited = done.isEmpty() || audit(user, done, letters);
        return new Result(done.size(), skipped, audited);
    }

    /** True for a status of which the console has seen a newer version of the same task. */
    private boolean newerStatusKnown(DeadLetter letter) {
        if (!letter.getTopic().equals(topics.status().name())) {
            return false;
        }
        try {
            io.asyncflow.avro.StatusUpdate status = topics.status().deserializeValue(bytes(letter.getValue()));
            return conversations.newestVersion(status.getConversationId(), status.getTaskId()) > status.getVersion();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private ProducerRecord<byte[], byte[]> record(String id, String user, DeadLetter letter) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REPLAY_OF_HEADER, (topics.deadLetters().name() + "/" + id).getBytes(StandardCharsets.UTF_8));
        headers.add(REPLAYED_BY_HEADER, user.getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(letter.getTopic(), null, bytes(letter.getKey()), bytes(letter.getValue()), headers);
    }

    private boolean audit(String user, List<String> done, Map<String, DeadLetter> letters) throws InterruptedException {
        Set<String> targets = new LinkedHashSet<>();
        Set<String> conversations = new LinkedHashSet<>();
        done.forEach(id -> {
            targets.add(letters.get(id).getTopic());
            if (letters.get(id).getConversationId() != null) {
                conversations.add(letters.get(id).getConversationId());
            }
        });
        String detail = done.size() + " dead letter(s) of " + topics.deadLetters().name() + " to " + String.join(", ", targets);
        Activity activity = ActivityLog.replay(user, done, detail, conversations.size() == 1 ? conversations.iterator().next() : null);
        AUDIT.info("user={} action=replay count={} ids={} to={} conversations={}", user, done.size(), done, targets,
                conversations.stream().map(Mask::id).toList());
        Topic<String, Activity> topic = topics.activity();
        try {
            byte[] key = activity.getConversationId() == null ? null : topic.serializeKey(activity.getConversationId());
            producer.send(new ProducerRecord<>(topic.name(), key, topic.serializeValue(activity)))
                    .get(ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            AUDIT.error("the replay by {} of {} is not on {} ({}); this log line is its only record", user, done, topic.name(),
                    e.toString());
            return false;
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
