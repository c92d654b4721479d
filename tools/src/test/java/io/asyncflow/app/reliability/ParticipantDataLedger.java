package io.asyncflow.app.reliability;

import io.asyncflow.app.sim.GenesysWrite;
import io.asyncflow.app.sim.SimulatedGenesys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;

/**
 * Watches the participant-data writes the simulated Genesys receives and judges them per task:
 * every accepted task must end with exactly one terminal status (the expected one, where known),
 * carry its own task id, never see an {@code ONGOING} after its terminal status, and keep the
 * terminal status as the participant's final state. Identical repeated writes are counted, not
 * failed: at-least-once delivery after a crash may repeat a write.
 */
final class ParticipantDataLedger {
    static final String STATUS = "asyncflow.identify-caller.status";
    static final String TASK_ID = "asyncflow.identify-caller.taskId";
    static final Set<String> TERMINAL = Set.of("SUCCESS", "NOT_FOUND", "TIMEOUT", "ERROR");

    private final SimulatedGenesys genesys;
    private final Set<String> finished = ConcurrentHashMap.newKeySet();

    ParticipantDataLedger(SimulatedGenesys genesys) {
        this.genesys = genesys;
        genesys.onWrite(w -> {
            if (TERMINAL.contains(w.attributes().get(STATUS))) {
                finished.add(w.conversationId());
            }
        });
    }

    /** Conversations that received a terminal status so far. */
    int finishedCount() {
        return finished.size();
    }

    boolean finished(String conversationId) {
        return finished.contains(conversationId);
    }

    /** Waits until every conversation of {@code tasks} received a terminal status, then until writes stop for a moment. */
    void awaitTerminal(Map<Caller, String> tasks, Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200))
                .until(() -> tasks.keySet().stream().allMatch(c -> finished.contains(c.conversationId())));
        awaitQuiet(Duration.ofSeconds(2), Duration.ofSeconds(30));
    }

    /** Waits until no write arrived for {@code quiet} (late repeats and stale statuses show up meanwhile). */
    void awaitQuiet(Duration quiet, Duration timeout) {
        int[] seen = {genesys.writes().size()};
        long[] since = {System.nanoTime()};
        BooleanSupplier quietNow = () -> {
            int now = genesys.writes().size();
            if (now != seen[0]) {
                seen[0] = now;
                since[0] = System.nanoTime();
                return false;
            }
            return System.nanoTime() - since[0] >= quiet.toNanos();
        };
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(quietNow::getAsBoolean);
    }

    /** Judges the writes of {@code tasks} (caller to task id); {@code checkExpected}: also compare with the caller's expected status. */
    Verdict judge(Map<Caller, String> tasks, boolean checkExpected) {
        Map<String, List<GenesysWrite>> byConversation = new LinkedHashMap<>();
        for (GenesysWrite w : genesys.writes()) {
            byConversation.computeIfAbsent(w.conversationId(), k -> new ArrayList<>()).add(w);
        }
        Verdict v = new Verdict();
        Map<String, Integer> statusCounts = new java.util.TreeMap<>();
        tasks.forEach((caller, taskId) -> {
            List<GenesysWrite> writes = byConversation.getOrDefault(caller.conversationId(), List.of());
            List<GenesysWrite> terminal = writes.stream().filter(w -> TERMINAL.contains(w.attributes().get(STATUS))).toList();
            v.tasks++;
            if (terminal.isEmpty()) {
                v.problems.add("lost: no terminal status for task " + taskId + " of " + caller);
                return;
            }
            statusCounts.merge(terminal.get(0).attributes().get(STATUS), 1, Integer::sum);
            if (terminal.stream().map(GenesysWrite::attributes).distinct().count() > 1) {
                v.problems.add("conflicting terminal writes for " + caller.conversationId() + ": " + terminal);
            }
            v.repeatedTerminalWrites += terminal.size() - 1;
            int firstTerminal = writes.indexOf(terminal.get(0));
            writes.subList(firstTerminal, writes.size()).stream()
                    .filter(w -> "ONGOING".equals(w.attributes().get(STATUS)))
                    .forEach(w -> v.problems.add("ONGOING written after the terminal status: " + w));
            v.ongoingWrites += (int) writes.stream().filter(w -> "ONGOING".equals(w.attributes().get(STATUS))).count();
            writes.stream().filter(w -> !taskId.equals(w.attributes().get(TASK_ID)))
                    .forEach(w -> v.problems.add("write of another task id (expected " + taskId + "): " + w));
            String finalStatus = genesys.attributes(caller.conversationId(), caller.participantId()).get(STATUS);
            if (!TERMINAL.contains(finalStatus)) {
                v.problems.add("final participant data of " + caller.conversationId() + " is " + finalStatus);
            }
            if (checkExpected && !caller.expectedStatus().equals(terminal.get(0).attributes().get(STATUS))) {
                v.problems.add("expected " + caller.expectedStatus() + " but got " + terminal.get(0));
            }
            if (checkExpected && caller.database() != null
                    && !caller.database().equals(terminal.get(0).attributes().get("asyncflow.identify-caller.backend"))) {
                v.problems.add("expected the hit of " + caller.database() + " but got " + terminal.get(0));
            }
        });
        v.statusCounts = statusCounts;
        return v;
    }

    /** The judgement of one run; {@link #problems} empty means nothing was lost, doubled or reordered. */
    static final class Verdict {
        int tasks;
        int repeatedTerminalWrites;
        int ongoingWrites;
        Map<String, Integer> statusCounts = Map.of();
        final List<String> problems = new ArrayList<>();

        List<String> firstProblems() {
            return problems.subList(0, Math.min(20, problems.size()));
        }

        @Override
        public String toString() {
            return tasks + " tasks, terminal statuses " + statusCounts + ", " + ongoingWrites + " ONGOING writes, "
                    + repeatedTerminalWrites + " repeated identical terminal writes, " + problems.size() + " problem(s)";
        }
    }
}
