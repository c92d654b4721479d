package io.asyncflow.processor.sink;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A fake Genesys that records every call and answers as told per conversation. */
final class RecordingGenesysApi implements GenesysApi {

    /** One PATCH as it was made. */
    record Patch(String conversationId, String participantId, Map<String, String> attributes) {
        String status(String key) {
            return attributes.get(key);
        }
    }

    /** What a conversation's next PATCH does. */
    @FunctionalInterface
    interface Answer {
        void apply(int attempt) throws GenesysCallException;
    }

    final List<Patch> patches = Collections.synchronizedList(new ArrayList<>());
    final List<String> lookups = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

    void answer(String conversationId, Answer answer) {
        answers.put(conversationId, answer);
    }

    @Override
    public void patchAttributes(String conversationId, String participantId, Map<String, String> attributes) throws GenesysCallException {
        int attempt = attempts.merge(conversationId, 1, Integer::sum);
        patches.add(new Patch(conversationId, participantId, Map.copyOf(attributes)));
        Answer answer = answers.get(conversationId);
        if (answer != null) {
            answer.apply(attempt);
        }
    }

    @Override
    public String customerParticipantId(String conversationId) {
        lookups.add(conversationId);
        return "customer-of-" + conversationId;
    }

    List<Patch> patchesOf(String conversationId) {
        synchronized (patches) {
            return patches.stream().filter(p -> p.conversationId().equals(conversationId)).toList();
        }
    }
}
