package io.asyncflow.processor.sink;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Spreads Genesys requests over several access tokens, each with its own budget: Genesys counts
 * 300 requests per minute per client-credentials token, so N tokens carry N times the rate.
 * Every member has its own {@link RequestLimiter} (its rate, its burst, its 429 hold); a request
 * takes a permit from the next member, in turn, that has one now, and when none has, waits for the
 * one whose budget comes first. A 429 on one token therefore holds only that token, and the others
 * carry the writes. Thread-safe.
 *
 * @param <M> a member: a token and what sends requests with it
 */
final class TokenPool<M> {
    /** Sleeps on the calling thread; tests drive a clock instead. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    /**
     * What {@link #tryAcquire()} found: a member whose permit was taken, or none and how long to
     * wait before asking again.
     *
     * @param member the member to send with, or null
     * @param waitNanos 0 with a member, else the wait until the first member has budget
     */
    record Grant<M>(M member, long waitNanos) {
    }

    private final List<M> members;
    private final Function<M, RequestLimiter> limiterOf;
    private final Sleeper sleeper;
    private int next;

    TokenPool(List<M> members, Function<M, RequestLimiter> limiterOf, Sleeper sleeper) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a token pool needs at least one member");
        }
        this.members = List.copyOf(members);
        this.limiterOf = limiterOf;
        this.sleeper = sleeper;
    }

    TokenPool(List<M> members, Function<M, RequestLimiter> limiterOf) {
        this(members, limiterOf, TimeUnit.NANOSECONDS::sleep);
    }

    /** Blocks until a member may send now, takes its permit and returns it. */
    M acquire() throws InterruptedException {
        Grant<M> grant;
        while ((grant = tryAcquire()).member() == null) {
            sleeper.sleep(grant.waitNanos());
        }
        return grant.member();
    }

    /**
     * Takes a permit from the first member, starting after the one used last, that may send now;
     * without one, takes nothing and says how long until the earliest member may.
     */
    synchronized Grant<M> tryAcquire() {
        long shortestWait = Long.MAX_VALUE;
        for (int i = 0; i < members.size(); i++) {
            int index = (next + i) % members.size();
            M member = members.get(index);
            long wait = limiterOf.apply(member).tryAcquire();
            if (wait == 0) {
                next = (index + 1) % members.size();
                return new Grant<>(member, 0);
            }
            shortestWait = Math.min(shortestWait, wait);
        }
        return new Grant<>(null, shortestWait);
    }

    List<M> members() {
        return members;
    }

    int size() {
        return members.size();
    }
}
