package io.asyncflow.ingress.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.avro.TaskStatus;
import io.asyncflow.ingress.http.RequestRejected;
import io.asyncflow.testing.SampleRecords;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;

/** The long poll over a view: answers at once, on the final status, at the end of the wait, or refuses. */
class LongPollTest {
    private static final String CONVERSATION = "3f8a2c1e-6b7d-4e9f-a0b1-c2d3e4f5a6b7";
    private static final String TASK = "6abb93e8-261f-3c15-b22f-ddd000d5674c";

    private final StatusView view = new StatusView(Time.SYSTEM, Duration.ofMinutes(15), 1000);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LongPoll poll = new LongPoll(view, new ResultSettings(Duration.ofMinutes(15), 1000, Duration.ofMillis(300), 2), registry);

    @Test
    void shouldAnswerAsSoonAsTheFinalStatusArrives() {
        // given a poll waiting up to 300 ms for an ONGOING task
        view.markCaughtUp();
        view.status(SampleRecords.status(CONVERSATION, TASK, TaskStatus.ONGOING, 1), System.currentTimeMillis());
        CompletableFuture<TaskResult> answer = poll.answer(TASK, Duration.ofSeconds(5));

        // when SUCCESS arrives
        view.status(SampleRecords.status(CONVERSATION, TASK, TaskStatus.SUCCESS, 2), System.currentTimeMillis());

        // then the poll answers SUCCESS and counts it as answered by a final status
        assertThat(answer.join().status()).isEqualTo("SUCCESS");
        assertThat(poll.waiting()).isZero();
        assertThat(registry.counter("asyncflow.ingress.result.waits", "outcome", "final").count()).isEqualTo(1.0);
    }

    @Test
    void shouldAnswerTheCurrentStateWhenTheWaitShortenedToMaxWaitEnds() {
        // given an ONGOING task and a poll asking for 5 s where ingress.max-wait is 300 ms
        view.markCaughtUp();
        view.status(SampleRecords.status(CONVERSATION, TASK, TaskStatus.ONGOING, 1), System.currentTimeMillis());
        long start = System.nanoTime();

        // when nothing more arrives
        TaskResult answer = poll.answer(TASK, Duration.ofSeconds(5)).join();

        // then it answers ONGOING after about 300 ms, not 5 s, and forgets its waiter
        assertThat(answer.status()).isEqualTo("ONGOING");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
        assertThat(view.waiting()).isZero();
        assertThat(registry.counter("asyncflow.ingress.result.waits", "outcome", "timed-out").count()).isEqualTo(1.0);
    }

    @Test
    void shouldAnswer404ForAnUnknownTaskOnlyOnceTheViewCaughtUp() {
        // given a view still reading what was on the topics at start
        // when an unknown task is asked for, before and after the view caught up
        // then it is 503 starting first, 404 after
        assertThatThrownBy(() -> poll.answer(TASK, Duration.ZERO))
                .isInstanceOfSatisfying(RequestRejected.class, r -> assertThat(r.code()).isEqualTo("starting"));
        view.markCaughtUp();
        assertThatThrownBy(() -> poll.answer(TASK, Duration.ZERO).join())
                .isInstanceOfSatisfying(RequestRejected.class, r -> assertThat(r.status()).isEqualTo(404));
    }

    @Test
    void shouldAnswerATaskThatAppearsDuringTheGraceOfAWaitingPoll() {
        // given a waiting poll of a task not seen yet (its request is on its way from another instance)
        view.markCaughtUp();
        CompletableFuture<TaskResult> answer = poll.answer(TASK, Duration.ofSeconds(5));

        // when its request and final status arrive
        view.accepted(TASK, CONVERSATION, "identify-caller", System.currentTimeMillis());
        view.status(SampleRecords.status(CONVERSATION, TASK, TaskStatus.NOT_FOUND, 2), System.currentTimeMillis());

        // then the poll answers the final status
        assertThat(answer.join().status()).isEqualTo("NOT_FOUND");
    }

    @Test
    void shouldAnswer404WhenAWaitedForTaskNeverAppears() {
        // given a waiting poll of a task nobody accepted
        view.markCaughtUp();

        // when the grace ends
        CompletableFuture<TaskResult> answer = poll.answer(TASK, Duration.ofSeconds(5));

        // then it is 404, counted as unknown
        assertThatThrownBy(answer::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(RequestRejected.class).hasMessageContaining("no task");
        assertThat(registry.counter("asyncflow.ingress.result.waits", "outcome", "unknown").count()).isEqualTo(1.0);
    }

    @Test
    void shouldRefuseAPollBeyondMaxWaitingWith503Overloaded() {
        // given two polls waiting (ingress.max-waiting = 2)
        view.markCaughtUp();
        view.accepted(TASK, CONVERSATION, "identify-caller", System.currentTimeMillis());
        poll.answer(TASK, Duration.ofSeconds(5));
        poll.answer(TASK, Duration.ofSeconds(5));

        // when a third one comes, then it is refused while a poll without wait is still answered
        assertThatThrownBy(() -> poll.answer(TASK, Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(RequestRejected.class, r -> assertThat(r.code()).isEqualTo("overloaded"));
        assertThat(poll.answer(TASK, Duration.ZERO).join().status()).isEqualTo("ACCEPTED");
        assertThat(poll.waiting()).isEqualTo(2);
    }
}
