package io.asyncflow.app.bench;

import static io.asyncflow.app.bench.BenchReport.fmt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes a report: {@code results.csv} (one row per step), {@code latency.png} and
 * {@code BENCHMARKS.md} in the results folder, and optionally the project's {@code BENCHMARKS.md}
 * (keeping its hand-written analysis, from {@link MarkdownReport#ANALYSIS_MARKER} on).
 */
final class ResultsWriter {
    private ResultsWriter() {
    }

    static void write(BenchReport report, Path dir, Path projectMarkdown, String command, String machine) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.csv"), csv(report), StandardCharsets.UTF_8);
        plot(report).write(dir.resolve("latency.png"), "AsyncFlow: 202 -> terminal PATCH at Genesys (sequential: request -> PATCH)");
        String markdown = MarkdownReport.render(report, command, machine);
        Files.writeString(dir.resolve("BENCHMARKS.md"), markdown, StandardCharsets.UTF_8);
        if (projectMarkdown != null) {
            String analysis = "";
            if (Files.exists(projectMarkdown)) {
                String old = Files.readString(projectMarkdown, StandardCharsets.UTF_8);
                int at = old.indexOf(MarkdownReport.ANALYSIS_MARKER);
                analysis = at < 0 ? "" : old.substring(at);
            }
            Files.writeString(projectMarkdown, markdown + (analysis.isEmpty() ? MarkdownReport.ANALYSIS_MARKER + "\n" : analysis),
                    StandardCharsets.UTF_8);
        }
    }

    private static LatencyPlot plot(BenchReport report) {
        LatencyPlot plot = new LatencyPlot();
        report.latency().forEach((guarantee, steps) -> steps.forEach(s -> plot.add(guarantee + " " + s.rate() + "/s", s.endToEndSorted())));
        if (report.sequential() != null) {
            plot.add("sequential " + report.sequential().rate() + "/s", report.sequential().endToEndSorted());
        }
        report.passThrough().forEach((g, p) -> plot.add("Streams pass-through " + g, p.sorted()));
        return plot;
    }

    private static String csv(BenchReport report) {
        StringBuilder csv = new StringBuilder("part,label,rate,seconds,sent,accepted,finished,success,e2e_p50_ms,e2e_p95_ms,e2e_p99_ms,e2e_max_ms,"
                + "overhead_p50_ms,overhead_p95_ms,overhead_p99_ms,accept_p99_ms,total_p50_ms,total_p99_ms,api_calls_per_conv,"
                + "outstanding_at_end,machine_cpu_pct,load_avg\n");
        report.latency().forEach((g, steps) -> steps.forEach(s -> row(csv, "latency", s)));
        if (report.sequential() != null) {
            row(csv, "baseline-sequential", report.sequential());
        }
        report.throughput().forEach(s -> row(csv, "throughput", s));
        if (report.rateLimited() != null) {
            row(csv, "rate-limited", report.rateLimited());
        }
        for (Map.Entry<String, PassThroughBaseline.StepResultLite> e : report.passThrough().entrySet()) {
            Samples.Summary l = e.getValue().latency();
            csv.append(fmt("baseline-passthrough,%s,%d,,%d,%d,%d,%d,%.2f,%.2f,%.2f,%.2f,,,,,,,,,,%n", e.getKey(), e.getValue().rate(), l.count(),
                    l.count(), l.count(), l.count(), l.p50(), l.p95(), l.p99(), l.max()));
        }
        if (report.backlog() != null) {
            BenchReport.Backlog b = report.backlog();
            csv.append(fmt("backlog,sink-stopped,,%.1f,%d,%d,%d,,,,,,,,,,,,%.3f,,,%n", b.drainSeconds(), b.conversations(), b.conversations(),
                    b.finished(), b.callsPerConversation()));
        }
        for (GenesysBoundary.BurstResult b : report.bursts()) {
            // seconds = until the last participant-data write; finished = written; success = long polls answered final;
            // e2e = decision -> long-poll answer; total = due -> long-poll answer
            csv.append(fmt("boundary,tokens=%d,%d,%.1f,%d,%d,%d,%d,%.2f,%.2f,%.2f,%.2f,,,,,%.2f,%.2f,%.3f,,,%n", b.burst().tokens(),
                    b.burst().rate(), b.writtenSeconds(), b.burst().conversations(), b.accepted(), b.written(), b.polled(),
                    b.decisionToPoll().p50(), b.decisionToPoll().p95(), b.decisionToPoll().p99(), b.decisionToPoll().max(),
                    b.dueToPoll().p50(), b.dueToPoll().p99(), b.callsPerConversation()));
        }
        if (report.waiting() != null) {
            GenesysBoundary.Waiting w = report.waiting();
            csv.append(fmt("long-poll-cost,waiting=%d heap_mb=%.1f idle_heap_mb=%.1f,,,%d,%d,%d,%d,%.2f,%.2f,%.2f,%.2f,,,,,,,,,,%n",
                    w.waitingAtPeak(), w.heapMb(), w.idleHeapMb(), w.requests(), w.requests(), w.answered(), w.answered(),
                    w.decisionToPoll().p50(), w.decisionToPoll().p95(), w.decisionToPoll().p99(), w.decisionToPoll().max()));
        }
        if (report.footprint() != null) {
            BenchReport.Footprint f = report.footprint();
            csv.append(fmt("footprint,in_flight=%d heap_mb=%.1f rss_mb=%.0f idle_heap_mb=%.1f idle_rss_mb=%.0f,,,,,,,,,,,,,,,,,,,,%n",
                    f.inFlight(), f.heapMb(), f.rssMb(), f.idleHeapMb(), f.idleRssMb()));
        }
        return csv.toString();
    }

    private static void row(StringBuilder csv, String part, StepResult s) {
        List<Object> v = List.of(part, s.label(), s.rate(), fmt("%.1f", s.seconds()), s.sent(), s.accepted(), s.finished(), s.success(),
                fmt("%.2f", s.endToEnd().p50()), fmt("%.2f", s.endToEnd().p95()), fmt("%.2f", s.endToEnd().p99()),
                fmt("%.2f", s.endToEnd().max()), fmt("%.2f", s.overhead().p50()), fmt("%.2f", s.overhead().p95()),
                fmt("%.2f", s.overhead().p99()), fmt("%.2f", s.accept().p99()), fmt("%.2f", s.total().p50()), fmt("%.2f", s.total().p99()),
                fmt("%.3f", s.apiCallsPerConversation()), s.outstandingAtEnd(),
                fmt("%.0f", s.cpu() == null ? -1 : s.cpu().machineBusy()), fmt("%.2f", s.cpu() == null ? -1 : s.cpu().loadAverage()));
        csv.append(String.join(",", v.stream().map(String::valueOf).toList())).append('\n');
    }
}
