package io.asyncflow.processor.lookup;

import io.asyncflow.avro.LookupRequest;
import io.asyncflow.avro.LookupResult;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what happens to one lookup now, without Kafka: skip it (its task finished, or its
 * deadline passed), hold it (the worker or its backend is at its in-flight bound), or start the
 * backend call under an in-flight permit that the caller releases once the result is safely out.
 *
 * <p>A lookup whose deadline already passed is skipped without a result: the topology times the
 * task out on its own clock at that same deadline, so an ERROR result could change nothing, while
 * after an outage a backlog of stale lookups would flood the results topic with useless records.
 */
public final class LookupDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(LookupDispatcher.class);

    private final Map<String, BackendCaller> callers;
    private final InFlightLimits limits;
    private final FinishedTasks finished;
    private final Time time;

    public LookupDispatcher(Map<String, BackendCaller> callers, InFlightLimits limits, FinishedTasks finished, Time time) {
        this.callers = Map.copyOf(callers);
        this.limits = limits;
        this.finished = finished;
        this.time = time;
    }

    /** What became of one lookup. */
    public sealed interface Dispatch {
    }

    /** Not called; nothing is produced for it. */
    public record Skipped(SkipReason reason) implements Dispatch {
    }

    /** At a bound: hold the lookup and offer it again once a permit is released. */
    public record Held() implements Dispatch {
    }

    /** Started: {@code result} completes (never exceptionally); release {@code permit} when it is out. */
    public record Started(CompletableFuture<LookupResult> result, InFlightLimits.Permit permit) implements Dispatch {
    }

    /** Why a lookup was skipped. */
    public enum SkipReason {
        TASK_FINISHED, DEADLINE_PASSED
    }

    public Dispatch tryDispatch(LookupRequest request) {
        if (finished.contains(request.getTaskId())) {
            return new Skipped(SkipReason.TASK_FINISHED);
        }
        if (request.getDeadline() <= time.milliseconds()) {
            return new Skipped(SkipReason.DEADLINE_PASSED);
        }
        Optional<InFlightLimits.Permit> permit = limits.tryAcquire(request.getBackend());
        if (permit.isEmpty()) {
            return new Held();
        }
        BackendCaller caller = callers.get(request.getBackend());
        CompletableFuture<LookupResult> result = caller == null
                ? CompletableFuture.completedFuture(unknownBackend(request))
                : caller.call(request);
        return new Started(result, permit.get());
    }

    public InFlightLimits limits() {
        return limits;
    }

    private LookupResult unknownBackend(LookupRequest request) {
        LOG.warn("lookup {} names backend '{}', which is not configured on this worker; answering ERROR",
                request.getLookupId(), request.getBackend());
        long now = time.milliseconds();
        return BackendCaller.result(request, Classification.error(
                "backend '" + request.getBackend() + "' is not configured on this worker", false), 0, now, now);
    }
}
