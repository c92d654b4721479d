package io.asyncflow.app.demo;

import java.io.PrintWriter;
import java.util.List;

/** Prints a demo call's timeline and the summary table. */
public final class DemoReport {
    private DemoReport() {
    }

    public static void timeline(PrintWriter out, CallResult result) {
        for (CallResult.TimelineEntry entry : result.timeline()) {
            out.printf("      t+%5d ms  %s%n", entry.atMillis(), entry.what());
        }
        out.println("      => " + (result.asExpected() ? "as expected" : "NOT as expected: " + String.join("; ", result.problems())));
        out.flush();
    }

    public static void summary(PrintWriter out, List<CallResult> results) {
        out.println();
        out.println("Time to result: AsyncFlow (lookups in parallel, first match wins) vs. the same lookups one after another");
        String format = "  %-2s %-16s %-26s %-26s %10s %11s %9s  %s%n";
        out.printf(format, "#", "call", "outcome", "expected", "AsyncFlow", "sequential", "speed-up", "");
        for (CallResult r : results) {
            String outcome = r.outcome() + (r.backend() == null ? "" : " " + r.backend());
            String expected = r.call().expected().status() + (r.call().expected().backend() == null ? "" : " " + r.call().expected().backend());
            out.printf(format, r.call().number(), r.call().name(), outcome, expected, millis(r.resultMillis()),
                    millis(r.sequentialMillis()), speedUp(r), r.asExpected() ? "ok" : "FAILED");
        }
        out.println("  AsyncFlow = request sent -> final status in participant data (or the orphan record when the caller hung up);");
        out.println("  sequential = the same backend calls made one after another until one answers, without Kafka or Genesys writes.");
        out.flush();
    }

    private static String millis(long value) {
        return value < 0 ? "-" : value + " ms";
    }

    private static String speedUp(CallResult r) {
        if (r.resultMillis() <= 0 || r.sequentialMillis() <= 0) {
            return "-";
        }
        return String.format("%.1fx", (double) r.sequentialMillis() / r.resultMillis());
    }
}
