package io.asyncflow.app.bench;

import io.asyncflow.trace.Hop;
import io.asyncflow.trace.Trace;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.OptionalLong;
import java.util.List;
import java.util.Map;

/**
 * What one load step measured. Latencies: {@code accept} = due time → the ingress's 202;
 * {@code endToEnd} = 202 → the terminal status PATCH reaching Genesys; {@code overhead} = endToEnd
 * minus the matching backend's own latency; {@code ongoing} = 202 → the ONGOING PATCH (the path without backends); {@code total} = due time → terminal PATCH (what the
 * caller's flow waits for, coordinated-omission free). {@code hops}: each hop of the traced path
 * ({@link Hop#PATH} and {@link Hop#TOTAL}) over the finished conversations whose trace reached the
 * bench (empty when the sink runs in another JVM); {@code tracedOverhead}: the sum of AsyncFlow's
 * own hops ({@link Hop#ours()}) per conversation.
 *
 * @param apiCallsPerConversation Genesys API calls (PATCH + GET) per finished conversation
 * @param outstandingAtEnd conversations accepted but not finished when the last one was started
 */
record StepResult(String label, int rate, double seconds, int sent, int accepted, int finished, int success,
                  Samples.Summary accept, Samples.Summary ongoing, Samples.Summary endToEnd, Samples.Summary overhead, Samples.Summary total,
                  double apiCallsPerConversation, int outstandingAtEnd, CpuSampler.Usage cpu, long[] endToEndSorted,
                  Map<Hop, Samples.Summary> hops, Samples.Summary tracedOverhead) {

    /** The name of AsyncFlow's own JVM among the watched processes of a throughput step. */
    static final String ASYNCFLOW_JVM = "AsyncFlow JVM";

    /** CPU of AsyncFlow's own JVM per started conversation in ms, or -1 when it did not run alone. */
    double asyncFlowCpuMs() {
        Double ms = cpuMsPerConversation().get(ASYNCFLOW_JVM);
        return ms == null ? -1 : ms;
    }

    static StepResult of(String label, int rate, double seconds, List<Conversation> conversations, long apiCalls,
                         int outstandingAtEnd, CpuSampler.Usage cpu) {
        Samples accept = new Samples();
        Samples ongoing = new Samples();
        Samples endToEnd = new Samples();
        Samples overhead = new Samples();
        Samples total = new Samples();
        Map<Hop, Samples> hops = new EnumMap<>(Hop.class);
        Samples tracedOverhead = new Samples();
        int accepted = 0;
        int finished = 0;
        int success = 0;
        for (Conversation c : conversations) {
            if (!c.accepted()) {
                continue;
            }
            accepted++;
            accept.add(c.acceptedNanos - c.scheduledNanos);
            if (c.ongoingNanos != 0) {
                ongoing.add(c.ongoingNanos - c.acceptedNanos);
            }
            if (!c.finished()) {
                continue;
            }
            finished++;
            if ("SUCCESS".equals(c.status)) {
                success++;
            }
            long e2e = c.terminalNanos - c.acceptedNanos;
            endToEnd.add(e2e);
            overhead.add(e2e - c.caller.latency().toNanos());
            total.add(c.terminalNanos - c.scheduledNanos);
            Trace trace = c.trace;
            if (trace != null && trace.micros(Hop.TOTAL).isPresent()) {
                for (Hop hop : Hop.PATH) {
                    OptionalLong micros = trace.micros(hop);
                    if (micros.isPresent()) {
                        hops.computeIfAbsent(hop, h -> new Samples()).add(micros.getAsLong() * 1000);
                    }
                }
                hops.computeIfAbsent(Hop.TOTAL, h -> new Samples()).add(trace.micros(Hop.TOTAL).getAsLong() * 1000);
                tracedOverhead.add(trace.ownMicros() * 1000);
            }
        }
        Map<Hop, Samples.Summary> hopSummaries = new EnumMap<>(Hop.class);
        hops.forEach((hop, samples) -> hopSummaries.put(hop, samples.summary()));
        return new StepResult(label, rate, seconds, conversations.size(), accepted, finished, success, accept.summary(), ongoing.summary(),
                endToEnd.summary(), overhead.summary(), total.summary(), finished == 0 ? 0 : (double) apiCalls / finished,
                outstandingAtEnd, cpu, endToEnd.sorted(), hopSummaries, tracedOverhead.summary());
    }

    /**
     * CPU time per started conversation, in ms: the whole machine first ("machine"), then each
     * watched process. Shares of all cores over the step, times the cores and the step's length.
     */
    Map<String, Double> cpuMsPerConversation() {
        Map<String, Double> cost = new LinkedHashMap<>();
        if (cpu == null || cpu.machineBusy() < 0 || sent == 0) {
            return cost;
        }
        double allCoresMs = Runtime.getRuntime().availableProcessors() * seconds * 1000;
        cost.put("machine", cpu.machineBusy() / 100 * allCoresMs / sent);
        cpu.processes().forEach((name, share) -> {
            if (share >= 0) {
                cost.put(name, share / 100 * allCoresMs / sent);
            }
        });
        return cost;
    }

    /** Conversations per second the machine's cores could carry at this step's CPU cost per conversation (0 if unknown). */
    double cpuCeiling() {
        Double machine = cpuMsPerConversation().get("machine");
        return machine == null || machine <= 0 ? 0 : Runtime.getRuntime().availableProcessors() * 1000 / machine;
    }

    /** Every started conversation accepted, finished with SUCCESS. */
    boolean allSucceeded() {
        return sent > 0 && success == sent;
    }

    /** "ingress-to-topology 1.2/4.0, ...": p50/p99 in ms of each traced hop; empty without traces. */
    String hopLine() {
        StringBuilder line = new StringBuilder();
        hops.forEach((hop, s) -> line.append(line.length() == 0 ? "" : ", ").append(hop.id())
                .append(String.format(" %.1f/%.1f", s.p50(), s.p99())));
        return line.toString();
    }

    String oneLine() {
        return String.format("%s %d/s: %d sent, %d ok; 202->ONGOING p50 %.1f p99 %.1f ms; 202->PATCH p50 %.1f p99 %.1f max %.1f ms; overhead p50 %.1f p99 %.1f ms; "
                        + "due->PATCH p99 %.1f ms; %.2f API calls/conv; %s",
                label, rate, sent, success, ongoing.p50(), ongoing.p99(), endToEnd.p50(), endToEnd.p99(), endToEnd.max(), overhead.p50(), overhead.p99(),
                total.p99(), apiCallsPerConversation, cpu == null ? "" : cpu.describe());
    }
}
