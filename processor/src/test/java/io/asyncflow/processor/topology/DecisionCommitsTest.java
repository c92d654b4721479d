package io.asyncflow.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DecisionCommitsTest {
    private final FirstMatchAggregator.DecisionCommits commits =
            new FirstMatchAggregator.DecisionCommits(new AtomicLong(Long.MIN_VALUE / 2), 100);

    @Test
    void aDecisionInAQuietMomentAsksForACommitOfItsOwn() {
        assertThat(commits.isolated(1_000)).isTrue();
        assertThat(commits.isolated(1_100)).as("100 ms after the previous one").isTrue();
    }

    @Test
    void decisionsCloserThanTheCommitIntervalLeaveItToTheIntervalsCommit() {
        commits.isolated(1_000);

        assertThat(commits.isolated(1_050)).isFalse();
        assertThat(commits.isolated(1_120)).as("measured from the latest decision, not the first").isFalse();
        assertThat(commits.isolated(1_220)).isTrue();
    }
}
