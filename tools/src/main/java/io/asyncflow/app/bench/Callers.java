package io.asyncflow.app.bench;

import io.asyncflow.app.sim.CustomerRecord;
import io.asyncflow.app.sim.SimulatedBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Callers known to exactly one of the three customer databases, spread evenly, so the first match
 * comes from alpha (40 ms), beta (80 ms) or gamma (120 ms) in turn.
 */
final class Callers {
    /** A caller's phone number, the database that knows it and that database's latency. */
    record Caller(String ani, String backend, Duration latency) {
    }

    private final List<Caller> callers;

    private Callers(List<Caller> callers) {
        this.callers = List.copyOf(callers);
    }

    /** Registers {@code perDatabase} callers in each database of {@code backends}. */
    static Callers register(SimulatedBackends backends, int perDatabase) {
        List<Caller> all = new ArrayList<>();
        List<String> databases = SimulatedBackends.databases();
        for (int i = 0; i < perDatabase; i++) {
            for (int d = 0; d < databases.size(); d++) {
                String db = databases.get(d);
                String ani = "tel:+3370" + d + String.format("%07d", i);
                backends.addCustomer(db, ani, new CustomerRecord(db.charAt(0) + "-" + i, "Caller " + i, "standard"));
                all.add(new Caller(ani, db, backends.latency(db)));
            }
        }
        return new Callers(all);
    }

    Caller pick(long sequence) {
        return callers.get((int) (sequence % callers.size()));
    }
}
