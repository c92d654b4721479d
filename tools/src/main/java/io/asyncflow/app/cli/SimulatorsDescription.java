package io.asyncflow.app.cli;

import io.asyncflow.app.sim.SimulatedBackends;
import io.asyncflow.app.sim.SimulatedGenesys;
import java.io.PrintWriter;

/** Prints where the simulators listen and how they behave. */
final class SimulatorsDescription {
    private SimulatorsDescription() {
    }

    static void print(PrintWriter out, SimulatedGenesys genesys, SimulatedBackends backends) {
        SimulatedGenesys.Options g = genesys.options();
        out.printf("Simulated Genesys Cloud  %s  (OAuth client %s, %s)%n", genesys.baseUrl(), g.clientId(),
                g.rateLimitPerMinute() == 0 ? "no rate limit" : g.rateLimitPerMinute() + " requests/min per token");
        out.println("    POST /oauth/token, GET /api/v2/conversations/{id}, PATCH /api/v2/conversations/{id}/participants/{pid}/attributes");
        String label = "Customer databases";
        for (String db : SimulatedBackends.databases()) {
            out.printf("%-24s %s/%s/customers?phone={{ani}}  (%d ms%s)%n", label, backends.baseUrl(), db,
                    backends.latency(db).toMillis(), backends.isDown(db) ? ", DOWN: answers 503" : "");
            label = "";
        }
        out.printf("%-24s %s/intent/classify  (%d ms%s)%n", "Intent AI", backends.baseUrl(),
                backends.latency(SimulatedBackends.INTENT_AI).toMillis(),
                backends.isDown(SimulatedBackends.INTENT_AI) ? ", DOWN: answers 503" : "");
        out.println("Known callers: " + backends.knownPhones().entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(phone -> phone + " (" + e.getKey() + ")"))
                .collect(java.util.stream.Collectors.joining(", ")));
    }
}
