package io.asyncflow.app.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Open-loop load: conversations start at fixed times ({@code 1/rate} apart) whatever the system
 * answers, and each records the time it was due, so a slow answer delays no later start and is
 * charged in full (no coordinated omission). Sending is asynchronous; a late scheduler catches up
 * at once and the lateness is part of every latency measured from the due time.
 */
final class OpenLoop {
    /** Starts one conversation without waiting for its answer. */
    interface Starter {
        void start(Conversation conversation);
    }

    private final Callers callers;
    private final WriteTracker tracker;
    private long sequence;

    OpenLoop(Callers callers, WriteTracker tracker) {
        this.callers = callers;
        this.tracker = tracker;
    }

    /**
     * Starts {@code rate} conversations per second for {@code duration}, calling {@code everySecond}
     * with the conversations started so far about once a second.
     */
    List<Conversation> run(int rate, Duration duration, Starter starter, Consumer<List<Conversation>> everySecond) {
        long count = Math.max(1, rate * duration.toMillis() / 1000);
        long period = 1_000_000_000L / rate;
        List<Conversation> started = new ArrayList<>((int) count);
        long begin = System.nanoTime() + 5_000_000L;
        long nextReport = begin + 1_000_000_000L;
        for (long i = 0; i < count; i++) {
            long due = begin + i * period;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            Conversation c = new Conversation(callers.pick(sequence++), due);
            tracker.track(c);
            started.add(c);
            starter.start(c);
            if (System.nanoTime() >= nextReport) {
                everySecond.accept(started);
                nextReport += 1_000_000_000L;
            }
        }
        return started;
    }

    /** Waits (polling every 20 ms) until every accepted conversation finished, or {@code timeout} passed. */
    static void awaitFinished(List<Conversation> conversations, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (conversations.stream().allMatch(c -> c.finished() || (c.failure != null && !c.accepted()))) {
                return;
            }
            Thread.sleep(20);
        }
    }
}
