package io.asyncflow.kafka;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands finished work (an HTTP answer, a broker acknowledgement) from any thread back to the thread
 * that owns a consumer: {@link #execute} queues it, {@link #drain} and {@link #await} run it there.
 */
public final class LoopQueue implements Executor {
    private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();

    /** Queues {@code work} to run on the owning thread; callable from any thread. */
    @Override
    public void execute(Runnable work) {
        queue.add(work);
    }

    /** Runs everything queued so far. */
    public void drain() {
        Runnable work;
        while ((work = queue.poll()) != null) {
            work.run();
        }
    }

    /** Waits up to {@code timeout} for queued work and runs all there is; true if there was some. */
    public boolean await(Duration timeout) throws InterruptedException {
        Runnable work = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (work == null) {
            return false;
        }
        work.run();
        drain();
        return true;
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }
}
