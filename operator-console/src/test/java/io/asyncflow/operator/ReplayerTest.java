package io.asyncflow.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.avro.Activity;
import io.asyncflow.avro.ActivityKind;
import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.deadletter.DeadLetters;
import io.asyncflow.testing.SampleRecords;
import io.asyncflow.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class ReplayerTest {
    static {
        io.asyncflow.serde.AvroTrust.install(); // the records below are built without a serde, which installs it
    }

    private final Topics topics = Topics.defaults();
    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final DeadLetterBook book = new DeadLetterBook(100);
    private final ConversationStore conversations = new ConversationStore(1_800_000, 100, 100);
    private final Replayer replayer = new Replayer(producer, topics, book, conversations);

    @Test
    void shouldProduceTheOriginalRecordAgainToItsTopicAndAuditTheReplay() throws Exception {
        // given a status the sink could not write
        String conversationId = SampleRecords.conversationId();
        byte[] value = topics.status().serializeValue(SampleRecords.status(conversationId, "t1", TaskStatus.SUCCESS, 2));
        book.deadLetter(2, 17, DeadLetters.forUpdate("sink", "HTTP 400", conversationId, "corr-1", topics.status().name(), value));

        // when the operator replays it
        Replayer.Result result = replayer.replay("operator", List.of("2-17"), false);

        // then the same key and value go back to the status topic, named as a replay
        assertThat(result.replayed()).isEqualTo(1);
        assertThat(result.skipped()).isEmpty();
        assertThat(result.audited()).isTrue();
        ProducerRecord<byte[], byte[]> replayed = producer.history().get(0);
        assertThat(replayed.topic()).isEqualTo(topics.status().name());
        assertThat(replayed.key()).isEqualTo(conversationId.getBytes(StandardCharsets.UTF_8));
        assertThat(replayed.value()).isEqualTo(value);
        assertThat(new String(replayed.headers().lastHeader(Replayer.REPLAYED_BY_HEADER).value(), StandardCharsets.UTF_8))
                .isEqualTo("operator");
        assertThat(new String(replayed.headers().lastHeader(Replayer.REPLAY_OF_HEADER).value(), StandardCharsets.UTF_8))
                .isEqualTo("asyncflow.dlq/2-17");
        // and the audit record is on the activity topic
        ProducerRecord<byte[], byte[]> audit = producer.history().get(1);
        assertThat(audit.topic()).isEqualTo(topics.activity().name());
        Activity activity = topics.activity().deserializeValue(audit.value());
        assertThat(activity.getKind()).isEqualTo(ActivityKind.REPLAY);
        assertThat(activity.getActor()).isEqualTo("operator");
        assertThat(activity.getItems()).containsExactly("2-17");
        assertThat(activity.getConversationId()).isEqualTo(conversationId);

        // and once the console reads it back, the dead letter shows who replayed it
        book.activity(activity);
        assertThat(book.entries(replayer::replayableTopic)).singleElement()
                .satisfies(e -> assertThat(e.replayedBy()).isEqualTo("operator"));
        assertThat(book.audit()).singleElement().satisfies(a -> assertThat(a.ids()).containsExactly("2-17"));

        // and a second replay of it is skipped, unless forced
        assertThat(replayer.replay("operator", List.of("2-17"), false).skipped()).singleElement()
                .satisfies(s -> assertThat(s.reason()).contains("already replayed by operator"));
        assertThat(replayer.replay("operator", List.of("2-17"), true).replayed()).isEqualTo(1);
    }

    @Test
    void shouldNotReplayAStatusOlderThanOneTheConsoleHasSeen() throws Exception {
        // given version 1 of a task dead-lettered, and version 2 seen since
        String conversationId = SampleRecords.conversationId();
        byte[] v1 = topics.status().serializeValue(SampleRecords.status(conversationId, "t1", TaskStatus.ONGOING, 1));
        book.deadLetter(1, 3, DeadLetters.forUpdate("sink", "HTTP 400", conversationId, null, topics.status().name(), v1));
        conversations.status(SampleRecords.status(conversationId, "t1", TaskStatus.SUCCESS, 2), io.asyncflow.trace.Trace.empty());

        // when
        Replayer.Result result = replayer.replay("operator", List.of("1-3"), false);

        // then
        assertThat(result.replayed()).isZero();
        assertThat(result.skipped()).singleElement().satisfies(s -> assertThat(s.reason()).contains("newer status"));
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldSkipUnknownLettersAndThoseWithoutAWholeRecordOfAnInputTopic() throws Exception {
        // given a letter without a value and one from the orphans topic
        book.deadLetter(0, 1, DeadLetter.newBuilder(SampleRecords.deadLetter("bad")).setValue(null).build());
        book.deadLetter(0, 2, DeadLetter.newBuilder(SampleRecords.deadLetter("bad")).setTopic(topics.orphans().name()).build());

        // when
        Replayer.Result result = replayer.replay("operator", List.of("0-1", "0-2", "9-9"), false);

        // then nothing is produced, not even an audit record
        assertThat(result.replayed()).isZero();
        assertThat(result.skipped()).extracting(Replayer.Skipped::id).containsExactly("0-1", "0-2", "9-9");
        assertThat(producer.history()).isEmpty();
        assertThat(book.entries(replayer::replayableTopic)).noneMatch(DeadLetterBook.Entry::replayable);
    }

    @Test
    void shouldRefuseAnEmptyReplay() {
        assertThatThrownBy(() -> replayer.replay("operator", List.of(), false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldKeepOnlyTheNewestDeadLettersAndOrphans() {
        DeadLetterBook small = new DeadLetterBook(3);
        for (int i = 0; i < 5; i++) {
            small.deadLetter(0, i, SampleRecords.deadLetter("reason " + i));
            small.orphan(SampleRecords.status(SampleRecords.conversationId(), "t" + i, TaskStatus.SUCCESS, 2));
        }

        assertThat(small.entries(t -> true)).extracting(DeadLetterBook.Entry::id).containsExactly("0-4", "0-3", "0-2");
        assertThat(small.orphans()).extracting(DeadLetterBook.Orphan::taskId).containsExactly("t4", "t3", "t2");
        assertThat(small.letter("0-0")).isEmpty();
    }
}
