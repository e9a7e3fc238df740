package org.countersignal.server.store;

import java.time.Duration;

/**
 * Says when the change sequence has moved on, to whoever waits for it in this process: the
 * follower that applies changes to the indexes reports each position it reaches, and a waiter
 * (a peer's long poll on a feed) sleeps until the position passes the one it last saw, or its
 * time is up. Changes written by another replica arrive here when this process's follower
 * applies them.
 */
public final class ChangeSignal {

  private long reached;
  private long nudges;
  private boolean closed;

  /** Records that the sequence has been applied up to {@code seq}, and wakes every waiter. */
  public synchronized void reached(long seq) {
    if (seq > reached) {
      reached = seq;
      notifyAll();
    }
  }

  /**
   * Wakes every waiter though the sequence has not moved: something else they watch changed (an
   * incident shared with peers). Each waiter looks again and decides whether it was news to it.
   */
  public synchronized void nudge() {
    nudges++;
    notifyAll();
  }

  /** How many times {@link #nudge} was called: read it with the position, before looking. */
  public synchronized long nudges() {
    return nudges;
  }

  /** Ends every wait, now and to come: the process is stopping, and waiters must answer before its database closes. */
  public synchronized void close() {
    closed = true;
    notifyAll();
  }

  /** Whether {@link #close} was called. */
  public synchronized boolean isClosed() {
    return closed;
  }

  /** The position last reached. */
  public synchronized long position() {
    return reached;
  }

  /**
   * Waits until the position passes {@code seen} or {@code timeout} runs out, and returns the
   * position then. Read {@link #position()} before looking for changes, then wait from it: a change
   * applied between the look and the wait still wakes the waiter.
   */
  public synchronized long awaitAfter(long seen, Duration timeout) throws InterruptedException {
    return awaitAfter(seen, nudges, timeout);
  }

  /** {@link #awaitAfter(long, Duration)} that also ends once {@link #nudge} was called more than {@code nudgesSeen} times. */
  public synchronized long awaitAfter(long seen, long nudgesSeen, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (reached <= seen && nudges <= nudgesSeen && !closed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return reached;
  }
}
