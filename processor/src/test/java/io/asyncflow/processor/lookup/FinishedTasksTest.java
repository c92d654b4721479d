package io.asyncflow.processor.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FinishedTasksTest {
    private final AtomicLong now = new AtomicLong(1_000_000);

    @Test
    void shouldRememberAFinishedTaskUntilItsTimeToLivePasses() {
        // given
        FinishedTasks finished = new FinishedTasks(10, Duration.ofSeconds(60), now::get);
        finished.add("task-1");

        // when / then
        now.addAndGet(59_999);
        assertThat(finished.contains("task-1")).isTrue();
        now.addAndGet(1);
        assertThat(finished.contains("task-1")).isFalse();
        assertThat(finished.size()).isZero();
    }

    @Test
    void shouldForgetTheOldestTasksBeyondItsSize() {
        // given a memory of 3
        FinishedTasks finished = new FinishedTasks(3, Duration.ofMinutes(10), now::get);

        // when
        for (int i = 1; i <= 5; i++) {
            finished.add("task-" + i);
            now.incrementAndGet();
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
        FinishedTasks finished = new FinishedTasks(10, Duration.ofSeconds(60), now::get);
        finished.add("task-1");
        finished.add("task-2");
        now.addAndGet(30_000);
        finished.add("task-1");

        now.addAndGet(40_000);

        assertThat(finished.contains("task-1")).isTrue();
        assertThat(finished.contains("task-2")).isFalse();
    }

    @Test
    void shouldNotKnowATaskNeverAdded() {
        assertThat(new FinishedTasks(10, Duration.ofSeconds(60), now::get).contains("task-x")).isFalse();
    }
}
