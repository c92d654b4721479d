package io.asyncflow.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.ingress.kafka.ProduceException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class AcceptedTasksTest {
    private final AcceptedTasks accepted = new AcceptedTasks(Duration.ofMinutes(10), 1000);
    private final AtomicInteger produced = new AtomicInteger();

    @Test
    void shouldProduceOnceAndReportLaterCallsAsDuplicates() {
        assertThat(accepted.produceOnce("t1", this::produceOk).join()).isTrue();
        assertThat(accepted.produceOnce("t1", this::produceOk).join()).isFalse();
        assertThat(produced).hasValue(1);
    }

    @Test
    void shouldMakeARepeatWaitForTheFirstAcknowledgement() {
        // given a first produce still waiting for the broker
        CompletableFuture<Void> ack = new CompletableFuture<>();
        CompletableFuture<Boolean> first = accepted.produceOnce("t2", () -> ack);

        // when the repeat arrives, then it waits; once acknowledged both answer
        CompletableFuture<Boolean> repeat = accepted.produceOnce("t2", this::produceOk);
        assertThat(repeat).isNotDone();
        ack.complete(null);
        assertThat(first.join()).isTrue();
        assertThat(repeat.join()).isFalse();
        assertThat(produced).hasValue(0);
    }

    @Test
    void shouldForgetAFailedProduceSoARetryProducesAgain() {
        // given a produce the broker never acknowledged
        CompletableFuture<Boolean> failed = accepted.produceOnce("t3",
                () -> CompletableFuture.failedFuture(new ProduceException(ProduceException.Reason.BROKER_UNAVAILABLE, "down", null)));
        Assertions.assertThatThrownBy(failed::join).isInstanceOf(CompletionException.class).hasCauseInstanceOf(ProduceException.class);

        // when the caller retries, then it is produced
        assertThat(accepted.produceOnce("t3", this::produceOk).join()).isTrue();
        assertThat(produced).hasValue(1);
    }

    @Test
    void shouldFailARepeatWhoseFirstRequestFailed() {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        accepted.produceOnce("t4", () -> ack);
        CompletableFuture<Boolean> repeat = accepted.produceOnce("t4", this::produceOk);
        ack.completeExceptionally(new ProduceException(ProduceException.Reason.BROKER_UNAVAILABLE, "down", null));
        Assertions.assertThatThrownBy(repeat::join).hasCauseInstanceOf(ProduceException.class);
    }

    @Test
    void shouldAnswerDuplicateForRememberedAutoStartedTasks() {
        accepted.remember("t5");
        assertThat(accepted.produceOnce("t5", this::produceOk).join()).isFalse();
        assertThat(produced).hasValue(0);
    }

    private CompletableFuture<Void> produceOk() {
        produced.incrementAndGet();
        return CompletableFuture.completedFuture(null);
    }
}
