package org.countersignal.server.review;

import org.countersignal.server.StoredWord;

/**
 * Which open cases a listing of the queue shows. Every part narrows the list; the defaults (no
 * kind, {@link Status#ANY}, no label, {@link Claim#ANYONE}, no text) leave the whole queue.
 *
 * @param kind only cases of this kind, or null for every kind
 * @param label only cases whose content matched an entry carrying this label, or null
 * @param claimant the key that {@link Claim#MINE} means
 * @param text only cases whose content id or account contains this (ignoring case), or null
 */
public record QueueFilter(CaseKind kind, Status status, String label, Claim claim, long claimant, String text) {

  /** The most of {@code text} a search takes: content ids and accounts are at most 200 characters. */
  public static final int MAX_TEXT = 200;

  public QueueFilter {
    status = status == null ? Status.ANY : status;
    claim = claim == null ? Claim.ANYONE : claim;
  }

  /** The whole queue, as {@code claimant} sees it. */
  public static QueueFilter everything(long claimant) {
    return new QueueFilter(null, Status.ANY, null, Claim.ANYONE, claimant, null);
  }

  /** Where an open case stands: any, open and never escalated, escalated, or an appeal past its deadline. */
  public enum Status implements StoredWord {
    ANY,
    OPEN,
    ESCALATED,
    OVERDUE;

    public static Status fromWire(String text) {
      return StoredWord.fromWire(Status.class, text);
    }
  }

  /** Whose live claim a case is under: anyone's or none, the caller's, or nobody's. */
  public enum Claim implements StoredWord {
    ANYONE,
    MINE,
    UNCLAIMED;

    public static Claim fromWire(String text) {
      return StoredWord.fromWire(Claim.class, text);
    }
  }
}
