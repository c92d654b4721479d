package io.asyncflow.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What happened to each conversation in a test, in order, with times relative to the kit's start:
 * requests, backend calls and how their canned answers were classified, statuses, writes, orphans.
 * It makes a failed assertion readable ({@link AsyncFlowTestKit#timeline}).
 */
final class Timeline {
    private final long start;
    private final Map<String, List<String>> byConversation = new LinkedHashMap<>();

    Timeline(long start) {
        this.start = start;
    }

    void add(String conversationId, long at, String what) {
        byConversation.computeIfAbsent(conversationId, c -> new ArrayList<>())
                .add(String.format("  t+%5d ms  %s", at - start, what));
    }

    String of(String conversationId) {
        List<String> lines = byConversation.get(conversationId);
        if (lines == null) {
            return "conversation " + conversationId + ": nothing happened (known conversations: " + byConversation.keySet() + ")";
        }
        return "conversation " + conversationId + ":\n" + String.join("\n", lines);
    }
}
