package io.asyncflow.app.run;

import io.asyncflow.runtime.Component;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs components in one process: starts them in the given order (closing those already started
 * when one fails), closes them in the reverse order exactly once — on {@link #close()}, on JVM
 * shutdown (SIGTERM, Ctrl-C) through {@link #closeOnShutdown()}, or when one stops by itself.
 */
public final class ComponentRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ComponentRunner.class);

    private final List<Component> started = new ArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private boolean closing;
    private Thread shutdownHook;

    /** Starts {@code components} in order; on a failure closes the started ones and rethrows. */
    public synchronized void startAll(List<? extends Component> components) {
        for (Component component : components) {
            try {
                component.start();
            } catch (RuntimeException e) {
                LOG.debug("Component {} failed to start; closing the {} started before it", component.name(), started.size(), e);
                close();
                throw e;
            }
            started.add(component);
        }
    }

    /** Closes every started component when the JVM shuts down (SIGTERM, SIGINT, System.exit). */
    public synchronized void closeOnShutdown() {
        if (shutdownHook == null) {
            shutdownHook = new Thread(this::close, "asyncflow-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /**
     * Blocks until the runner is closed, or until a component stops by itself; then returns the
     * component that stopped (the runner is closed by then), or empty after a regular close.
     */
    public Optional<Component> awaitStop(Duration checkEvery) throws InterruptedException {
        while (!closed.await(checkEvery.toMillis(), TimeUnit.MILLISECONDS)) {
            Optional<Component> dead = firstStopped();
            if (dead.isPresent()) {
                LOG.error("Component {} stopped unexpectedly; stopping the others", dead.get().name());
                close();
                return dead;
            }
        }
        return Optional.empty();
    }

    /** Names of the running components, in start order. */
    public synchronized List<String> names() {
        return started.stream().map(Component::name).toList();
    }

    @Override
    public void close() {
        List<Component> toClose;
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            toClose = new ArrayList<>(started);
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            Component component = toClose.get(i);
            try {
                component.close();
            } catch (RuntimeException e) {
                LOG.warn("Component {} failed to close cleanly: {}", component.name(), e.toString());
            }
        }
        removeShutdownHook();
        closed.countDown();
    }

    private synchronized Optional<Component> firstStopped() {
        if (closing) {
            return Optional.empty();
        }
        return started.stream().filter(c -> !c.isRunning()).findFirst();
    }

    private synchronized void removeShutdownHook() {
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // already shutting down
            }
        }
        shutdownHook = null;
    }
}
