package io.asyncflow.ingress.result;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.testing.DrivenTime;
import io.asyncflow.testing.SampleRecords;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The status view alone, with a driven clock: versions, acceptance, expiry, the bound, waiters. */
class StatusViewTest {
    private static final String CONVERSATION = "3f8a2c1e-6b7d-4e9f-a0b1-c2d3e4f5a6b7";
    private static final String TASK = "6abb93e8-261f-3c15-b22f-ddd000d5674c";
    private static final Duration RETENTION = Duration.ofMinutes(15);

    private final DrivenTime clock = DrivenTime.atMillis(1_800_000_000_000L);
    private final StatusView view = new StatusView(clock, RETENTION, 3);

    @Test
    void shouldAnswerTheNewestVersionAndNeverReplaceItWithAnOlderOne() {
        // given SUCCESS (version 2) seen before a replayed ONGOING (version 1)
        view.status(status(TASK, TaskStatus.SUCCESS, 2), clock.milliseconds());

        // when the older status arrives
        view.status(status(TASK, TaskStatus.ONGOING, 1), clock.milliseconds());

        // then the view still answers SUCCESS with its attributes, as flat strings
        TaskResult result = view.get(TASK).orElseThrow();
        assertThat(result.status()).isEqualTo("SUCCESS");
        assertThat(result.version()).isEqualTo("2");
        assertThat(result.terminal()).isEqualTo("true");
        assertThat(result.backend()).isEqualTo("gamma");
        assertThat(result.reason()).isEmpty();
        assertThat(result.attributes()).containsEntry("customerId", "C-1001");
    }

    @Test
    void shouldKnowAnAcceptedTaskBeforeItsFirstStatusAndNeverTurnAStatusBackIntoAccepted() {
        // given a task request seen, then its ONGOING status, then the request again (a redelivery)
        view.accepted(TASK, CONVERSATION, "identify-caller", clock.milliseconds());
        TaskResult accepted = view.get(TASK).orElseThrow();
        view.status(status(TASK, TaskStatus.ONGOING, 1), clock.milliseconds());

        // when the request is seen again
        view.accepted(TASK, CONVERSATION, "identify-caller", clock.milliseconds());

        // then the task was ACCEPTED (version 0, not final) before, and stays ONGOING after
        assertThat(accepted.status()).isEqualTo("ACCEPTED");
        assertThat(accepted.version()).isEqualTo("0");
        assertThat(accepted.isFinal()).isFalse();
        assertThat(view.get(TASK).orElseThrow().status()).isEqualTo("ONGOING");
    }

    @Test
    void shouldForgetATaskOnceItsLastRecordIsOlderThanTheRetention() {
        // given a task finished now and another one finished ten minutes later
        view.status(status(TASK, TaskStatus.SUCCESS, 2), clock.milliseconds());
        clock.advance(Duration.ofMinutes(10));
        String later = "0a1b2c3d-4e5f-3a6b-8c7d-9e0f1a2b3c4d";
        view.status(status(later, TaskStatus.NOT_FOUND, 2), clock.milliseconds());

        // when the first one's retention has passed (but not the second one's)
        clock.advance(Duration.ofMinutes(5).plusMillis(1));
        int dropped = view.expire();

        // then only the first is forgotten
        assertThat(dropped).isEqualTo(1);
        assertThat(view.get(TASK)).isEmpty();
        assertThat(view.get(later)).isPresent();
    }

    @Test
    void shouldIgnoreARecordAlreadyOlderThanTheRetention() {
        // given a status whose record is 16 minutes old (read back by a restarted ingress)
        long sixteenMinutesAgo = clock.milliseconds() - Duration.ofMinutes(16).toMillis();

        // when it is applied
        view.status(status(TASK, TaskStatus.SUCCESS, 2), sixteenMinutesAgo);

        // then it is not answerable
        assertThat(view.get(TASK)).isEmpty();
        assertThat(view.size()).isZero();
    }

    @Test
    void shouldDropTheLeastRecentlyChangedTaskBeyondTheBound() {
        // given a view bounded to three tasks, holding t1, t2, t3, where t1 changed last
        view.accepted("t1", CONVERSATION, "identify-caller", clock.milliseconds());
        view.accepted("t2", CONVERSATION, "identify-caller", clock.milliseconds());
        view.accepted("t3", CONVERSATION, "identify-caller", clock.milliseconds());
        view.status(status("t1", TaskStatus.ONGOING, 1), clock.milliseconds());

        // when a fourth task arrives
        view.accepted("t4", CONVERSATION, "identify-caller", clock.milliseconds());

        // then t2, the least recently changed, is dropped
        assertThat(view.size()).isEqualTo(3);
        assertThat(view.get("t2")).isEmpty();
        assertThat(view.get("t1")).isPresent();
    }

    @Test
    void shouldCompleteWaitersWithTheFinalStatusButNotWithOngoing() {
        // given two polls waiting for a task that is not decided yet
        CompletableFuture<TaskResult> first = view.waitForFinal(TASK);
        CompletableFuture<TaskResult> second = view.waitForFinal(TASK);

        // when ONGOING arrives, then TIMEOUT
        view.status(status(TASK, TaskStatus.ONGOING, 1), clock.milliseconds());
        boolean doneAfterOngoing = first.isDone();
        view.status(status(TASK, TaskStatus.TIMEOUT, 2), clock.milliseconds());

        // then both complete with TIMEOUT only, and no waiter is left
        assertThat(doneAfterOngoing).isFalse();
        assertThat(first.join().status()).isEqualTo("TIMEOUT");
        assertThat(second.join().version()).isEqualTo("2");
        assertThat(view.waiting()).isZero();
    }

    @Test
    void shouldAnswerAWaiterAtOnceForAFinalTaskAndForgetOneThatGaveUp() {
        // given a finished task and a waiter of another task
        view.status(status(TASK, TaskStatus.ERROR, 2), clock.milliseconds());
        CompletableFuture<TaskResult> other = view.waitForFinal("t-other");

        // when a poll waits for the finished task, and the other waiter gives up
        CompletableFuture<TaskResult> waiter = view.waitForFinal(TASK);
        view.stopWaiting("t-other", other);

        // then the first is answered at once and nothing is left waiting
        assertThat(waiter).isCompleted();
        assertThat(waiter.join().status()).isEqualTo("ERROR");
        assertThat(view.waiting()).isZero();
    }

    private static StatusUpdate status(String taskId, TaskStatus status, int version) {
        return SampleRecords.status(CONVERSATION, taskId, status, version);
    }
}
