package io.asyncflow.app.demo;

import io.asyncflow.trace.Hop;
import io.asyncflow.trace.Trace;
import java.io.PrintWriter;
import java.util.OptionalLong;
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
        String format = "  %-2s %-16s %-26s %-26s %10s %12s %11s %9s  %s%n";
        out.printf(format, "#", "call", "outcome", "expected", "call flow", "participant", "sequential", "speed-up", "");
        for (CallResult r : results) {
            String outcome = r.outcome() + (r.backend() == null ? "" : " " + r.backend());
            String expected = r.call().expected().status() + (r.call().expected().backend() == null ? "" : " " + r.call().expected().backend());
            out.printf(format, r.call().number(), r.call().name(), outcome, expected, millis(r.flowMillis()), millis(r.resultMillis()),
                    millis(r.sequentialMillis()), speedUp(r), r.asExpected() ? "ok" : "FAILED");
        }
        out.println("  call flow = request sent -> the long poll's final answer (the wait Data Action; what the Architect flow waits for);");
        out.println("  participant = request sent -> final status in participant data (or the orphan record when the caller hung up);");
        out.println("  sequential = the same backend calls made one after another until one answers, as a flow's chained Data Actions");
        out.println("  would make them; speed-up = sequential / call flow.");
        out.flush();
    }

    /**
     * One write's path, hop by hop: "ingress-to-topology 1.2 ms, ..., genesys-write 2.0 ms = 140.1 ms
     * (AsyncFlow's own 17.5 ms)"; hops whose stamps are missing are left out.
     */
    public static String hops(Trace trace) {
        StringBuilder line = new StringBuilder();
        for (Hop hop : Hop.PATH) {
            OptionalLong micros = trace.micros(hop);
            if (micros.isPresent()) {
                line.append(line.length() == 0 ? "" : ", ").append(hop.id()).append(String.format(" %.1f ms", micros.getAsLong() / 1000.0));
            }
        }
        OptionalLong total = trace.micros(Hop.TOTAL);
        if (total.isPresent()) {
            line.append(String.format(" = %.1f ms (AsyncFlow's own %.1f ms)", total.getAsLong() / 1000.0, trace.ownMicros() / 1000.0));
        }
        return line.length() == 0 ? "no trace" : line.toString();
    }

    private static String millis(long value) {
        return value < 0 ? "-" : value + " ms";
    }

    private static String speedUp(CallResult r) {
        if (r.flowMillis() <= 0 || r.sequentialMillis() <= 0) {
            return "-";
        }
        return String.format("%.1fx", (double) r.sequentialMillis() / r.flowMillis());
    }
}
