package io.asyncflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.avro.LookupOutcome;
import io.asyncflow.avro.LookupRequest;
import io.asyncflow.testing.SampleRecords;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * Measures the bytes the topology's stores hold per in-flight conversation (serialized keys and
 * values of both stores, as written to RocksDB and the changelogs) and prints the figures; the
 * bound only guards against unbounded growth (e.g. inputs or attributes creeping into the state).
 */
class StateFootprintTest {
    private static final int CONVERSATIONS = 500;
    private static final Serde<ConversationState> STATE = new StateSerde();

    @Test
    void shouldKeepAnInFlightConversationUnderOneKilobyte() {
        try (TopologyFixture fixture = new TopologyFixture()) {
            // given conversations waiting on identify-caller with one backend answered
            for (int i = 0; i < CONVERSATIONS; i++) {
                String conversation = SampleRecords.conversationId();
                fixture.send(fixture.identify(conversation));
            }
            List<LookupRequest> lookups = fixture.lookups.readValuesToList();
            lookups.stream().filter(l -> l.getBackend().equals("alpha")).forEach(l -> fixture.answer(l, LookupOutcome.MISS));

            // when
            long identify = bytes(fixture.conversations(), true) + bytes(fixture.timers(), false);

            // and the same conversations also classifying intent
            lookups.stream().map(LookupRequest::getConversationId).distinct()
                    .forEach(c -> fixture.send(fixture.classify(c)));
            long both = bytes(fixture.conversations(), true) + bytes(fixture.timers(), false);

            // then
            System.out.printf("state footprint: identify-caller in flight %d B/conversation; with classify-intent too %d B/conversation%n",
                    identify / CONVERSATIONS, both / CONVERSATIONS);
            try (KeyValueIterator<String, ConversationState> it = fixture.conversations().all()) {
                KeyValue<String, ConversationState> sample = it.next();
                System.out.printf("state sample: %s = %d B: %s%n", sample.key,
                        STATE.serializer().serialize("", sample.value).length, sample.value);
            }
            assertThat(TopologyFixture.count(fixture.conversations())).isEqualTo(CONVERSATIONS);
            assertThat(TopologyFixture.count(fixture.timers())).isEqualTo(CONVERSATIONS);
            assertThat(identify / CONVERSATIONS).isLessThan(1024);
        }
    }

    @Test
    void shouldKeepACustomerStartWithoutTaskInAFewHundredBytes() {
        try (TopologyFixture fixture = new TopologyFixture()) {
            // given conversations whose customer.start arrived, no task yet
            for (int i = 0; i < CONVERSATIONS; i++) {
                fixture.start(SampleRecords.conversationId());
            }

            // when
            long started = bytes(fixture.conversations(), true) + bytes(fixture.timers(), false);

            // then
            System.out.printf("state footprint: customer.start without a task %d B/conversation for processor.finished-retention%n",
                    started / CONVERSATIONS);
            assertThat(TopologyFixture.count(fixture.conversations())).isEqualTo(CONVERSATIONS);
            assertThat(started / CONVERSATIONS).isLessThan(300);
        }
    }

    @Test
    void shouldKeepNoInputsOrAttributesInTheState() {
        try (TopologyFixture fixture = new TopologyFixture()) {
            // given
            String conversation = SampleRecords.conversationId();
            fixture.send(fixture.identify(conversation));
            LookupRequest alpha = fixture.lookups.readValuesToList().get(0);

            // when
            fixture.answer(alpha, LookupOutcome.HIT, Map.of("customerName", "Ada Martin"));

            // then
            String stored = new String(STATE.serializer().serialize("", fixture.conversations().get(conversation)), StandardCharsets.ISO_8859_1);
            assertThat(stored).doesNotContain(SampleRecords.ANI).doesNotContain("Ada Martin");
        }
    }

    private static long bytes(KeyValueStore<String, ?> store, boolean conversations) {
        long total = 0;
        try (KeyValueIterator<String, ?> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, ?> entry = it.next();
                total += entry.key.getBytes(StandardCharsets.UTF_8).length;
                total += conversations ? STATE.serializer().serialize("", (ConversationState) entry.value).length
                        : ((String) entry.value).getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return total;
    }
}
