package io.asyncflow.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.asyncflow.avro.Activity;
import io.asyncflow.avro.ActivityKind;
import io.asyncflow.serde.AvroTrust;
import io.asyncflow.topic.Topics;
import io.asyncflow.trace.Stage;
import io.asyncflow.trace.Trace;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class ActivityLogTest {
    static {
        AvroTrust.install();
    }

    private final Topics topics = Topics.defaults();

    @Test
    void shouldSendTheActivityKeyedByConversationWithItsTrace() {
        // given
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        ActivityLog log = new ActivityLog(producer, topics.activity());

        // when
        log.record(activity("c-1"), Trace.empty().with(Stage.GENESYS_WRITTEN, 42));
        log.close(Duration.ofSeconds(5));

        // then
        assertThat(producer.history()).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo("asyncflow.activity");
            assertThat(new String(r.key())).isEqualTo("c-1");
            assertThat(topics.activity().deserializeValue(r.value()).getOutcome()).isEqualTo("written");
            assertThat(Trace.from(r.headers()).at(Stage.GENESYS_WRITTEN)).hasValue(42);
        });
    }

    @Test
    void shouldNeverHoldUpItsCallerWhenTheProducerBlocksAndCountWhatItDrops() throws Exception {
        // given a producer stuck in send (as one waiting for the metadata of a topic that does not exist)
        CountDownLatch stuck = new CountDownLatch(1);
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
                try {
                    stuck.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.send(record, callback);
            }
        };
        ActivityLog log = new ActivityLog(producer, topics.activity());

        // when more activities come than the queue holds
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < ActivityLog.QUEUE + 10; i++) {
                log.record(activity("c-" + i), Trace.empty());
            }
        });

        // then the caller went on, and what did not fit is counted as lost
        assertThat(log.failures()).isGreaterThanOrEqualTo(9);
        stuck.countDown();
        log.close(Duration.ofSeconds(10));
        assertThat(producer.history().size() + log.failures()).isEqualTo(ActivityLog.QUEUE + 10);
    }

    private static Activity activity(String conversationId) {
        return ActivityLog.ofTask(ActivityKind.WRITE, conversationId, "t-1", "identify-caller").setOutcome("written").build();
    }
}
