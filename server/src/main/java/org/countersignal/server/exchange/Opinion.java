package org.countersignal.server.exchange;

/**
 * What an organisation holds of a shared signal: python-threatexchange's {@code SignalOpinion}
 * categories, and ThreatExchange's "saw this too".
 */
public enum Opinion {
  /** The signal is of the harmful content the list is about. */
  POSITIVE_CLASS,
  /** The signal is not of such content (a false positive). */
  NEGATIVE_CLASS,
  /** Worth a look, not confirmed. */
  INVESTIGATION_SEED,
  /** Members disagree (only in aggregated records). */
  DISPUTED,
  /** We saw this content on our platform too. */
  SAW_THIS_TOO;

  /** Whether a record with this opinion is banked: negative and disputed signals are not. */
  public boolean banks() {
    return this == POSITIVE_CLASS || this == INVESTIGATION_SEED;
  }
}
