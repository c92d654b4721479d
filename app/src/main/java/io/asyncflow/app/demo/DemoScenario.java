package io.asyncflow.app.demo;

import io.asyncflow.app.sim.SimulatedGenesys;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scripted calls of {@code asyncflow demo} and what each must end with. The demo registers
 * each call's conversation with the simulated Genesys, posts its tasks to the ingress as an
 * Architect data action would, then reads the participant data the sink wrote and compares it
 * with the expectation.
 *
 * @param calls the calls, in the order they are placed
 */
public record DemoScenario(List<DemoCall> calls) {

    public DemoScenario {
        calls = List.copyOf(calls);
    }

    /**
     * One simulated inbound call.
     *
     * @param label what the call shows, for the console
     * @param conversationId Genesys conversation id
     * @param customerParticipantId the caller's participant id
     * @param ani the caller's number
     * @param transcript what the caller said, for intent recognition, or null
     * @param expected outcome of each task type asked for this call
     */
    public record DemoCall(String label, String conversationId, String customerParticipantId, String ani,
                           String transcript, Map<String, Expectation> expected) {
        public DemoCall {
            expected = Map.copyOf(expected);
        }

        public Optional<String> transcriptIfAny() {
            return Optional.ofNullable(transcript);
        }
    }

    /**
     * The final participant data a task must leave.
     *
     * @param status final status (SUCCESS, NOT_FOUND, TIMEOUT, ERROR)
     * @param backend the backend whose answer won, or null
     * @param attributes result attributes that must be present with these values
     */
    public record Expectation(String status, String backend, Map<String, String> attributes) {
        public Expectation {
            attributes = Map.copyOf(attributes);
        }
    }

    public static final String IDENTIFY_CALLER = "identify-caller";
    public static final String CLASSIFY_INTENT = "classify-intent";

    /** Four callers: one known by each database, one unknown; two also say why they call. */
    public static DemoScenario standard() {
        return new DemoScenario(List.of(
                new DemoCall("Alice, known by alpha, lost her card",
                        "5a1c0d43-0001-4a8e-9d1b-000000000001", "9c2e7f10-0001-4b6a-8f3e-000000000001",
                        "tel:+33611111101", "I lost my card yesterday",
                        Map.of(IDENTIFY_CALLER, hit("alpha", "A-1001", "Alice Martin", "gold"),
                                CLASSIFY_INTENT, new Expectation("SUCCESS", "intent-ai", Map.of("intent", "lost_card")))),
                new DemoCall("Bruno, known by beta",
                        "5a1c0d43-0002-4a8e-9d1b-000000000002", "9c2e7f10-0002-4b6a-8f3e-000000000002",
                        "tel:+33611111102", null,
                        Map.of(IDENTIFY_CALLER, hit("beta", "B-2002", "Bruno Petit", "silver"))),
                new DemoCall("Gaston, known by gamma only (the slowest)",
                        "5a1c0d43-0003-4a8e-9d1b-000000000003", "9c2e7f10-0003-4b6a-8f3e-000000000003",
                        "tel:+33611111103", "what is my balance",
                        Map.of(IDENTIFY_CALLER, hit("gamma", "G-3003", "Gaston Lagaffe", "standard"),
                                CLASSIFY_INTENT, new Expectation("SUCCESS", "intent-ai", Map.of("intent", "check_balance")))),
                new DemoCall("an unknown caller",
                        "5a1c0d43-0004-4a8e-9d1b-000000000004", "9c2e7f10-0004-4b6a-8f3e-000000000004",
                        "tel:+33699999999", null,
                        Map.of(IDENTIFY_CALLER, new Expectation("NOT_FOUND", null, Map.of())))));
    }

    /** Declares every call's conversation and caller to the simulated Genesys. */
    public void registerWith(SimulatedGenesys genesys) {
        calls.forEach(c -> genesys.registerConversation(c.conversationId(), c.customerParticipantId(), c.ani()));
    }

    private static Expectation hit(String backend, String id, String name, String segment) {
        return new Expectation("SUCCESS", backend, Map.of("customerId", id, "customerName", name, "segment", segment));
    }
}
