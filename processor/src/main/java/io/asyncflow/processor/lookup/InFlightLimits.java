package io.asyncflow.processor.lookup;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Bounds the lookups in flight in one worker: at most {@code instanceMax} in all, and at most each
 * backend's own bound for that backend. A slot is taken by {@link #tryAcquire} and given back by
 * {@link Permit#release()} (once, however often it is called). Thread-safe.
 */
public final class InFlightLimits {
    private final int instanceMax;
    private final Map<String, Integer> backendMax;
    private final Map<String, Integer> byBackend = new HashMap<>();
    private int total;

    /**
     * @param instanceMax bound of the whole worker
     * @param backendMax bound of each backend; a backend not named here has only the worker's bound
     */
    public InFlightLimits(int instanceMax, Map<String, Integer> backendMax) {
        this.instanceMax = instanceMax;
        this.backendMax = Map.copyOf(backendMax);
    }

    /** A slot for one lookup to {@code backend}, or empty when the worker or the backend is at its bound. */
    public synchronized Optional<Permit> tryAcquire(String backend) {
        int current = byBackend.getOrDefault(backend, 0);
        if (total >= instanceMax || current >= backendMax.getOrDefault(backend, Integer.MAX_VALUE)) {
            return Optional.empty();
        }
        byBackend.put(backend, current + 1);
        total++;
        return Optional.of(new Permit(backend));
    }

    /** Lookups in flight in the whole worker. */
    public synchronized int inFlight() {
        return total;
    }

    /** Lookups in flight to one backend. */
    public synchronized int inFlight(String backend) {
        return byBackend.getOrDefault(backend, 0);
    }

    /** True when the worker as a whole is at its bound. */
    public synchronized boolean full() {
        return total >= instanceMax;
    }

    private synchronized void release(String backend) {
        byBackend.merge(backend, -1, Integer::sum);
        total--;
    }

    /** One taken slot. */
    public final class Permit {
        private final String backend;
        private boolean released;

        private Permit(String backend) {
            this.backend = backend;
        }

        public String backend() {
            return backend;
        }

        /** Gives the slot back; later calls do nothing. */
        public void release() {
            synchronized (InFlightLimits.this) {
                if (!released) {
                    released = true;
                    InFlightLimits.this.release(backend);
                }
            }
        }
    }
}
