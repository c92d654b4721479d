package io.asyncflow.processor.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.testing.DrivenTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FinishedTasksTest {
    private final DrivenTime now = DrivenTime.atMillis(1_000_000);

    @Test
    void shouldRememberAFinishedTaskUntilItsTimeToLivePasses() {
        // given
        FinishedTasks finished = new FinishedTasks(10, Duration.ofSeconds(60), now);
        finished.add("task-1");

        // when / then
        now.advance(Duration.ofMillis(59_999));
        assertThat(finished.contains("task-1")).isTrue();
        now.advance(Duration.ofMillis(1));
        assertThat(finished.contains("task-1")).isFalse();
        assertThat(finished.size()).isZero();
    }

    @Test
    void shouldForgetTheOldestTasksBeyondItsSize() {
        // given a memory of 3
        FinishedTasks finished = new FinishedTasks(3, Duration.ofMinutes(10), now);

        // when
        for (int i = 1; i <= 5; i++) {
            finished.add("task-" + i);
            now.advance(Duration.ofMillis(1));
        }

        // then
        assertThat(finished.size()).isEqualTo(3);
        assertThat(finished.contains("task-1")).isFalse();
        assertThat(finished.contains("task-2")).isFalse();
        assertThat(finished.contains("task-3")).isTrue();
        assertThat(finished.contains("task-5")).isTrue();
    }

    @Test
    void shouldRestartTheTimeToLiveOfATaskSeenAgain() {
        FinishedTasks finished = new FinishedTasks(10, Duration.ofSeconds(60), now);
        finished.add("task-1");
        finished.add("task-2");
        now.advance(Duration.ofMillis(30_000));
        finished.add("task-1");

        now.advance(Duration.ofMillis(40_000));

        assertThat(finished.contains("task-1")).isTrue();
        assertThat(finished.contains("task-2")).isFalse();
    }

    @Test
    void shouldNotKnowATaskNeverAdded() {
        assertThat(new FinishedTasks(10, Duration.ofSeconds(60), now).contains("task-x")).isFalse();
    }
}
