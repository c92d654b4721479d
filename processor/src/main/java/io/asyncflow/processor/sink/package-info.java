/**
 * The participant-data sink: writes task statuses to the conversation's customer participant in
 * Genesys Cloud ({@code PATCH /api/v2/conversations/{cid}/participants/{pid}/attributes} through
 * the Genesys Java SDK) within Genesys' limit of 300 requests per minute per token.
 *
 * <ul>
 *   <li>{@link io.asyncflow.processor.sink.ParticipantDataSink}: the component; a consumer loop on
 *       the status topic that commits an offset only once its update was written, dropped or
 *       dead-lettered.</li>
 *   <li>{@link io.asyncflow.processor.sink.GenesysApi}: the two Genesys calls the sink makes;
 *       {@link io.asyncflow.processor.sink.SdkGenesysApi} is the SDK implementation (OAuth client
 *       credentials with refresh, rate limiter, 429 pause, error classification).</li>
 *   <li>{@code WritePipeline}, {@code PendingWrites}, {@code StatusWriter}, {@code io.asyncflow.kafka.ConsumerEngine}:
 *       coalescing (newest status per task), terminal statuses first, one write in flight per
 *       conversation, never an older version after a newer one, retries with backoff, dead
 *       letters, contiguous per-partition commits.</li>
 *   <li>{@link io.asyncflow.processor.sink.SinkSettings}: the {@code genesys.*} and {@code sink.*}
 *       configuration keys.</li>
 * </ul>
 */
package io.asyncflow.processor.sink;
