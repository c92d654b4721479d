package io.asyncflow.app.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.app.sim.GenesysWrite;
import io.asyncflow.app.sim.SimulatedGenesys;
import io.asyncflow.processor.sink.SinkSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sink's token pool against the simulated Genesys holding every token to its own rate: a burst
 * of results goes out over three tokens at three times one token's rate, without a 429.
 */
class TokenPoolIT {
    private static final int PER_MINUTE = 60;
    private static final int TOKENS = 3;
    private static final int CONVERSATIONS = 30;
    private static final String STATUS_KEY = "asyncflow.identify-caller.status";
    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = new LocalStack(LocalStack.Options.defaults()
                .withGenesys(SimulatedGenesys.Options.defaults().withRateLimit(PER_MINUTE))
                .withOverrides(Map.of(SinkSettings.RATE_PER_MINUTE.name(), String.valueOf(PER_MINUTE),
                        SinkSettings.RATE_BURST.name(), "0",
                        SinkSettings.TOKEN_POOL_SIZE.name(), String.valueOf(TOKENS)))).start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void shouldWriteABurstOverEveryTokenOfThePoolWithinEachTokensLimit() throws Exception {
        // given a burst of Data Actions, each for its own conversation with its participant id
        HttpClient http = HttpClient.newHttpClient();
        List<String> conversations = new ArrayList<>();
        for (int i = 0; i < CONVERSATIONS; i++) {
            String cid = UUID.randomUUID().toString();
            conversations.add(cid);
            String body = "{\"conversationId\":\"" + cid + "\",\"participantId\":\"" + UUID.randomUUID()
                    + "\",\"taskType\":\"identify-caller\",\"inputs\":{\"ani\":\"tel:+33611111101\"}}";
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(stack.ingressUrl() + "/v1/tasks"))
                    .header("Authorization", "Bearer " + stack.ingressToken()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        }

        // when
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> conversations.stream()
                .allMatch(c -> stack.genesys().writesFor(c).stream().anyMatch(w -> "SUCCESS".equals(w.attributes().get(STATUS_KEY)))));

        // then one result each, no 429, one token per member, and the 30 writes took about a third of
        // the 29 s one token needs at 60 per minute
        List<GenesysWrite> writes = stack.genesys().writes();
        long spanMs = TimeUnit.NANOSECONDS.toMillis(writes.get(writes.size() - 1).arrivalNanos() - writes.get(0).arrivalNanos());
        System.out.printf("%d writes over %d tokens in %d ms, %d answered 429%n", writes.size(), TOKENS, spanMs,
                stack.genesys().tooManyRequests());
        assertThat(writes).hasSize(CONVERSATIONS);
        assertThat(stack.genesys().tooManyRequests()).isZero();
        assertThat(stack.genesys().tokensIssued()).isEqualTo(TOKENS);
        assertThat(spanMs).isLessThan(TimeUnit.SECONDS.toMillis(20));
    }
}
