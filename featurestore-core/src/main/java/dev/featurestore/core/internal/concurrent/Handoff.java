package dev.featurestore.core.internal.concurrent;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/**
 * A producer on a thread of its own, a few items ahead of the thread that takes them: what the
 * producer puts is taken in the same order, then {@link #END}; what it throws is thrown by
 * {@link #take()} in the taking thread, as it was thrown. Closing before the end stops the
 * producer at its next {@code put} (it is interrupted too) and drops what it made.
 *
 * <p>Used where reading and writing can overlap: an ingest's source runs ahead of the upserts, a
 * build computes the next secid while it stores the one before. Depends on the JDK only.
 */
public final class Handoff implements AutoCloseable {
    /** Taken after the producer's last item. */
    public static final Object END = new Object();

    /** Where the producer puts its items. */
    @FunctionalInterface
    public interface Sink {
        /**
         * Hands one item over, waiting while the taker is {@code capacity} items behind.
         *
         * @param item not null
         * @throws CancellationException when the handoff was closed (the producer should stop)
         */
        void put(Object item);
    }

    /** The work of the producer thread. */
    @FunctionalInterface
    public interface Producer {
        /**
         * Makes the items.
         *
         * @param sink where they go, in order
         */
        void run(Sink sink);
    }

    /** What the producer threw. */
    private record Failure(Throwable error) {
    }

    private final String name;
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Starts the producer on a new daemon thread.
     *
     * @param name the thread's name
     * @param capacity how many items the producer may be ahead, at least 1
     * @param producer the work
     */
    public Handoff(String name, int capacity, Producer producer) {
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(() -> {
            try {
                producer.run(this::put);
                put(END);
            } catch (CancellationException e) {
                // closed: nobody takes any more
            } catch (Throwable e) { // handed to the taker, which throws it
                if (!closed) {
                    try {
                        put(new Failure(e));
                    } catch (CancellationException c) {
                        // closed meanwhile
                    }
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void put(Object item) {
        try {
            while (!queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
                if (closed) {
                    throw new CancellationException(name + " was closed");
                }
            }
        } catch (InterruptedException e) {
            throw new CancellationException(name + " was interrupted");
        }
        if (closed) {
            queue.clear();
            throw new CancellationException(name + " was closed");
        }
    }

    /**
     * The next item, waiting for it; {@link #END} after the last.
     *
     * @return the item the producer put next, or {@link #END}
     * @throws RuntimeException what the producer threw (an {@link Error} too), as it was thrown
     * @throws CancellationException when this thread is interrupted while waiting
     */
    public Object take() {
        Object item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for " + name);
        }
        if (item instanceof Failure f) {
            if (f.error() instanceof RuntimeException re) {
                throw re;
            }
            if (f.error() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(name + " failed: " + f.error(), f.error());
        }
        return item;
    }

    /** Stops the producer if it is still running and waits a little for it to end. */
    @Override
    public void close() {
        closed = true;
        queue.clear();
        if (thread.isAlive()) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        queue.clear();
    }

    @Override
    public String toString() {
        return "Handoff[" + name + "]";
    }
}
