package io.asyncflow.processor.topology;

import io.asyncflow.avro.DeadLetter;
import io.asyncflow.deadletter.DeadLetters;
import io.asyncflow.topic.Topic;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topology's deserialization, processing and production exception handler: the source record
 * that failed goes to the dead-letter topic as a {@link DeadLetter} (stage {@value #STAGE}) with the
 * reason, and processing resumes with the next record, so one bad record never stops a partition.
 * Retriable production errors are retried; production errors other than an unwritable record fail
 * the stream thread (the uncaught-exception handler of {@link TopologyService} decides what next).
 * <p>
 * Streams creates it by class name and passes it the application config, which must hold the
 * dead-letter {@link Topic} under {@link #TOPIC_CONFIG} ({@link StreamsProperties} puts it there).
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler, ProductionExceptionHandler {
    /** Config entry holding the {@code Topic<String, DeadLetter>} to write to. */
    public static final String TOPIC_CONFIG = "asyncflow.dead-letter.topic";
    /** The {@code stage} of every dead letter the processor writes. */
    public static final String STAGE = "processor";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

    private Topic<String, DeadLetter> topic;

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs) {
        Object value = configs.get(TOPIC_CONFIG);
        if (!(value instanceof Topic<?, ?>)) {
            throw new IllegalStateException(TOPIC_CONFIG + " must hold the dead-letter Topic (set by StreamsProperties), got " + value);
        }
        topic = (Topic<String, DeadLetter>) value;
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                                                Exception exception) {
        return DeserializationExceptionHandler.Response.resume(
                deadLetter(context, "cannot decode record: " + describe(exception), record.key(), record.value()));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        return ProcessingExceptionHandler.Response.resume(deadLetter(context,
                "processing failed in " + context.processorNodeId() + ": " + describe(exception),
                context.sourceRawKey(), context.sourceRawValue()));
    }

    @Override
    public ProductionExceptionHandler.Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                                           Exception exception) {
        if (exception instanceof RetriableException) {
            return ProductionExceptionHandler.Response.retry();
        }
        if (exception instanceof RecordTooLargeException || exception instanceof InvalidRecordException) {
            return ProductionExceptionHandler.Response.resume(deadLetter(context,
                    "cannot write to " + record.topic() + ": " + describe(exception), context.sourceRawKey(), context.sourceRawValue()));
        }
        LOG.error("cannot write to {} (source {}-{} offset {}); failing the stream thread",
                record.topic(), context.topic(), context.partition(), context.offset(), exception);
        return ProductionExceptionHandler.Response.fail();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ProductionExceptionHandler.Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record,
                                                                        Exception exception, SerializationExceptionOrigin origin) {
        return ProductionExceptionHandler.Response.resume(deadLetter(context,
                "cannot encode the " + origin.name().toLowerCase(java.util.Locale.ROOT) + " of a record for " + record.topic()
                        + ": " + describe(exception), context.sourceRawKey(), context.sourceRawValue()));
    }

    private List<ProducerRecord<byte[], byte[]>> deadLetter(ErrorHandlerContext context, String reason, byte[] key, byte[] value) {
        LOG.warn("dead letter from {}-{} offset {}: {}", context.topic(), context.partition(), context.offset(), reason);
        DeadLetter letter = DeadLetters.forRecord(STAGE, reason, context.topic(),
                context.topic() == null ? null : context.partition(), context.topic() == null ? null : context.offset(), key, value);
        return List.of(new ProducerRecord<>(topic.name(), key, topic.serializeValue(letter)));
    }

    static String describe(Throwable exception) {
        StringBuilder reason = new StringBuilder(exception.getClass().getSimpleName()).append(": ").append(exception.getMessage());
        Throwable cause = exception.getCause();
        if (cause != null && cause != exception) {
            reason.append(" (caused by ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage()).append(')');
        }
        return reason.toString();
    }
}
