package io.asyncflow.testkit;

import io.asyncflow.avro.DeadLetter;
import io.asyncflow.avro.StatusUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything the kit's run produced, kept in order and told to the {@link Timeline}: the statuses
 * (with what the sink writes for each), the orphans, and the dead letters of the topology and of
 * the bridge.
 */
final class TopologyOutputs {
    private final SinkView sink;
    private final Timeline timeline;
    private final List<StatusUpdate> statuses = new ArrayList<>();
    private final List<StatusUpdate> orphans = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();

    TopologyOutputs(SinkView sink, Timeline timeline) {
        this.sink = sink;
        this.timeline = timeline;
    }

    /** Takes what the topology emitted since the last call. */
    void collect(DrivenTopology topology) {
        long now = topology.now();
        for (StatusUpdate status : topology.takeStatuses()) {
            statuses.add(status);
            String reason = status.getReason() == null ? "" : " (" + status.getReason() + ")";
            timeline.add(status.getConversationId(), now, "status " + status.getStatus() + reason + " -> "
                    + sink.writeFor(status).map(w -> "participant data " + w.attributes()).orElse("nothing written"));
        }
        for (StatusUpdate orphan : topology.takeOrphans()) {
            orphans.add(orphan);
            timeline.add(orphan.getConversationId(), now, "orphan: late " + orphan.getStatus() + " from " + orphan.getBackend()
                    + " " + orphan.getAttributes());
        }
        topology.takeDeadLetters().forEach(letter -> deadLetter(letter, now));
    }

    void deadLetter(DeadLetter letter, long now) {
        deadLetters.add(letter);
        timeline.add(String.valueOf(letter.getConversationId()), now, "dead letter (" + letter.getStage() + "): " + letter.getReason());
    }

    List<StatusUpdate> statuses(String conversationId) {
        return statuses.stream().filter(s -> s.getConversationId().equals(conversationId)).toList();
    }

    List<ParticipantDataWrite> writes(String conversationId) {
        return statuses(conversationId).stream().map(sink::writeFor).flatMap(Optional::stream).toList();
    }

    List<StatusUpdate> orphans() {
        return List.copyOf(orphans);
    }

    List<DeadLetter> deadLetters() {
        return List.copyOf(deadLetters);
    }
}
