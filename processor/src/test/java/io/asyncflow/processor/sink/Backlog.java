package io.asyncflow.processor.sink;

import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.testing.SampleRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A backlog as the sink finds it after an outage: ONGOING (version 1) for every task, then
 * SUCCESS (version 2) for every task, over several conversations.
 *
 * @param conversations the conversation ids
 * @param ongoing the ONGOING statuses, one per task
 * @param successes the SUCCESS statuses, one per task, in the same order
 */
record Backlog(List<String> conversations, List<StatusUpdate> ongoing, List<StatusUpdate> successes) {

    static Backlog of(int conversationCount, int tasksPerConversation) {
        List<String> conversations = new ArrayList<>();
        List<StatusUpdate> ongoing = new ArrayList<>();
        List<StatusUpdate> successes = new ArrayList<>();
        for (int c = 0; c < conversationCount; c++) {
            String conversationId = UUID.randomUUID().toString();
            conversations.add(conversationId);
            for (int t = 0; t < tasksPerConversation; t++) {
                String taskId = UUID.randomUUID().toString();
                ongoing.add(SampleRecords.status(conversationId, taskId, TaskStatus.ONGOING, 1));
                successes.add(SampleRecords.status(conversationId, taskId, TaskStatus.SUCCESS, 2));
            }
        }
        return new Backlog(List.copyOf(conversations), List.copyOf(ongoing), List.copyOf(successes));
    }

    /** Every ONGOING, then every SUCCESS. */
    List<StatusUpdate> inArrivalOrder() {
        List<StatusUpdate> all = new ArrayList<>(ongoing);
        all.addAll(successes);
        return all;
    }
}
