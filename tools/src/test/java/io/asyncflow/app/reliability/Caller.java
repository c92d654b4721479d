package io.asyncflow.app.reliability;

import io.asyncflow.app.sim.CustomerRecord;
import io.asyncflow.app.sim.SimulatedBackends;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One simulated call: its conversation, customer participant, phone number, and the terminal
 * status identification must end with ({@code SUCCESS} from the one database that knows the number,
 * or {@code NOT_FOUND}).
 *
 * @param database the database that knows the caller, or null for an unknown caller
 */
record Caller(String conversationId, String participantId, String ani, String database, String expectedStatus) {

    /** The JSON body of its identify-caller request. */
    String taskRequest() {
        return "{\"conversationId\":\"" + conversationId + "\",\"participantId\":\"" + participantId
                + "\",\"taskType\":\"identify-caller\",\"inputs\":{\"ani\":\"" + ani + "\"}}";
    }

    /**
     * {@code count} callers with fresh numbers, spread over alpha, beta, gamma and no database, and
     * registered with {@code backends}; {@code series} keeps numbers of different batches apart.
     */
    static List<Caller> population(SimulatedBackends backends, int series, int count) {
        List<String> databases = SimulatedBackends.databases();
        List<Caller> callers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String ani = String.format("tel:+337%02d%06d", series % 100, i);
            String database = i % 4 < databases.size() ? databases.get(i % 4) : null;
            if (database != null) {
                backends.addCustomer(database, ani, new CustomerRecord(database + "-" + i, "Caller " + i, "standard"));
            }
            callers.add(new Caller(UUID.randomUUID().toString(), UUID.randomUUID().toString(), ani, database,
                    database == null ? "NOT_FOUND" : "SUCCESS"));
        }
        return callers;
    }
}
