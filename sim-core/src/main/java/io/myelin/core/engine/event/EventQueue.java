package io.myelin.core.engine.event;

/**
 * A priority queue of timed events for the event-driven engine. Events are ordered by time and, among equal
 * times, by the sequence number the queue gave them when they were pushed (first scheduled, first served). That
 * makes the order of simultaneous events a total, deterministic order that every implementation reproduces
 * exactly, so the engine gives bit-identical results whichever queue it uses.
 *
 * <p>An event is a time (ms, or a step number in discrete mode) and a 64-bit payload the engine interprets.
 * Usage: {@code push}; then while not empty, {@code pop()} and read {@link #poppedTime()},
 * {@link #poppedPayload()}, {@link #poppedSeq()}.
 */
public interface EventQueue {

    /**
     * Schedules an event.
     *
     * @param time    when it happens; never earlier than the last popped time
     * @param payload engine-defined content
     * @return the event's sequence number (unique, increasing with every push)
     */
    long push(double time, long payload);

    boolean isEmpty();

    int size();

    /** Time of the earliest event; only valid when not empty. */
    double minTime();

    /** Removes the earliest event (smallest time, then smallest sequence number); only valid when not empty. */
    void pop();

    double poppedTime();

    long poppedPayload();

    long poppedSeq();

    /** Drops every event and restarts sequence numbers and time at 0. */
    void clear();

    /** Short name for logs and benchmark tables ("heap", "calendar"). */
    String name();
}
