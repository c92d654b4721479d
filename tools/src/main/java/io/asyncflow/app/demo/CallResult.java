package io.asyncflow.app.demo;

import java.util.List;

/**
 * What one demo call did.
 *
 * @param call the scripted call
 * @param timeline what the call flow could see, in order
 * @param outcome the final status (or {@link DemoScenario#NO_RESULT_WRITTEN}, or "none")
 * @param backend the backend named in the final participant data, or null
 * @param resultMillis milliseconds from the request to the final participant-data write (or the orphan), or -1
 * @param flowMillis milliseconds from the request to the long poll's final answer, what the call flow waits for, or -1
 * @param sequentialMillis milliseconds the same lookups take one after another, or -1
 * @param problems why the call did not behave as expected; empty when it did
 */
public record CallResult(DemoScenario.DemoCall call, List<TimelineEntry> timeline, String outcome, String backend,
                         long resultMillis, long flowMillis, long sequentialMillis, List<String> problems) {

    /** One moment of a call, {@code atMillis} after the request was sent. */
    public record TimelineEntry(long atMillis, String what) {
    }

    public CallResult {
        timeline = List.copyOf(timeline);
        problems = List.copyOf(problems);
    }

    public boolean asExpected() {
        return problems.isEmpty();
    }
}
