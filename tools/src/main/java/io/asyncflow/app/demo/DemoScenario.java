package io.asyncflow.app.demo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The scripted calls of {@code asyncflow demo} and what each must end with. The conversation,
 * task and participant ids are those of the recordings in {@code replay/}, so a demo call and its
 * replay can be compared.
 *
 * @param calls the calls, in the order they are placed
 */
public record DemoScenario(List<DemoCall> calls) {
    public static final String IDENTIFY_CALLER = "identify-caller";
    public static final String CLASSIFY_INTENT = "classify-intent";
    /**
     * Outcome of a call whose caller hung up: no final status is written. A lookup result that still
     * arrives goes to the orphans topic; lookups not yet sent when the end arrived are skipped.
     */
    public static final String NO_RESULT_WRITTEN = "no result written";

    public DemoScenario {
        calls = List.copyOf(calls);
    }

    /** What the simulators do differently while a call is placed. */
    public enum Setup {
        NONE, BETA_DOWN, SLOW_AI
    }

    /**
     * One simulated inbound call.
     *
     * @param number 1-based position, also the n of the replay ids
     * @param name short name, the replay file's name
     * @param label what the call shows
     * @param taskType the task the call flow starts
     * @param inputs the task's inputs
     * @param setup simulator conditions during the call
     * @param hangUpAfter when the caller hangs up after the request, or null
     * @param repeat the call flow sends the same request twice (same idempotency key)
     * @param expected the outcome it must have
     * @param sequentialBackends the backends a sequential workflow asks, in order, until one answers
     */
    public record DemoCall(int number, String name, String label, String taskType, Map<String, String> inputs, Setup setup,
                           Duration hangUpAfter, boolean repeat, Expectation expected, List<String> sequentialBackends) {
        public DemoCall {
            inputs = Map.copyOf(inputs);
            sequentialBackends = List.copyOf(sequentialBackends);
        }

        public String conversationId() {
            return "5c3a0d1e-000" + number + "-4b7f-9a2e-6d8c1f0b3a5e";
        }

        public String participantId() {
            return "e2b9c4a7-000" + number + "-4d3f-8e1a-9c6b0d2f4e6a";
        }
    }

    /**
     * The final participant data a call must leave.
     *
     * @param status SUCCESS, NOT_FOUND, TIMEOUT, ERROR, or {@link #NO_RESULT_WRITTEN}
     * @param backend the backend whose answer won, or null
     * @param attributes result attributes that must be present with these values
     */
    public record Expectation(String status, String backend, Map<String, String> attributes) {
        public Expectation {
            attributes = Map.copyOf(attributes);
        }
    }

    private static final List<String> DATABASES = List.of("alpha", "beta", "gamma");
    private static final Map<String, String> GASTON = Map.of("customerId", "G-3003", "customerName", "Gaston Lagaffe");

    /** The six calls of the demo. */
    public static DemoScenario standard() {
        return new DemoScenario(List.of(
                new DemoCall(1, "match-in-gamma", "Gaston, known only by gamma, the slowest database", IDENTIFY_CALLER,
                        Map.of("ani", "tel:+33611111103"), Setup.NONE, null, false,
                        new Expectation("SUCCESS", "gamma", GASTON), DATABASES),
                new DemoCall(2, "no-match", "an unknown caller", IDENTIFY_CALLER,
                        Map.of("ani", "tel:+33611111199"), Setup.NONE, null, false,
                        new Expectation("NOT_FOUND", null, Map.of()), DATABASES),
                new DemoCall(3, "database-down", "Gaston again while database beta is down", IDENTIFY_CALLER,
                        Map.of("ani", "tel:+33611111103"), Setup.BETA_DOWN, null, false,
                        new Expectation("SUCCESS", "gamma", GASTON), DATABASES),
                new DemoCall(4, "caller-hangs-up", "Gaston hangs up 50 ms after the lookup started", IDENTIFY_CALLER,
                        Map.of("ani", "tel:+33611111103"), Setup.NONE, Duration.ofMillis(50), false,
                        new Expectation(NO_RESULT_WRITTEN, null, Map.of()), DATABASES),
                new DemoCall(5, "slow-ai", "intent AI slower (3 s) than the task's 1.5 s deadline", CLASSIFY_INTENT,
                        Map.of("transcript", "I lost my credit card"), Setup.SLOW_AI, null, false,
                        new Expectation("TIMEOUT", null, Map.of()), List.of("intent-ai")),
                new DemoCall(6, "repeat-request", "Gaston again; the call flow sends its request twice", IDENTIFY_CALLER,
                        Map.of("ani", "tel:+33611111103"), Setup.NONE, null, true,
                        new Expectation("SUCCESS", "gamma", GASTON), DATABASES)));
    }
}
