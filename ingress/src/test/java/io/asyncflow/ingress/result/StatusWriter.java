package io.asyncflow.ingress.result;

import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.testing.KafkaTestCluster;
import io.asyncflow.testing.SampleRecords;
import io.asyncflow.topic.Topic;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Decides statuses as the exactly-once topology does: in transactions of its own producer, so
 * readers see them only once committed. Stands for the processor, a client apart from the ingress.
 */
final class StatusWriter implements AutoCloseable {
    private final Topic<String, StatusUpdate> status;
    private final KafkaProducer<byte[], byte[]> producer;

    StatusWriter(KafkaTestCluster cluster, Topic<String, StatusUpdate> status) {
        this.status = status;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-topology-" + UUID.randomUUID()),
                new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
    }

    /** Writes one status in a committed transaction. */
    void commit(String conversationId, String taskId, TaskStatus value, int version) {
        write(conversationId, taskId, value, version, true);
    }

    /** Writes one status in a transaction that is then aborted: no read_committed reader may see it. */
    void abort(String conversationId, String taskId, TaskStatus value, int version) {
        write(conversationId, taskId, value, version, false);
    }

    private void write(String conversationId, String taskId, TaskStatus value, int version, boolean commit) {
        StatusUpdate update = SampleRecords.status(conversationId, taskId, value, version);
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(status.name(), status.serializeKey(conversationId), status.serializeValue(update)));
        producer.flush();
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
