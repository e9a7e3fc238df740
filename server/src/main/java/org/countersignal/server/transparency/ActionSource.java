package org.countersignal.server.transparency;

import org.countersignal.server.StoredWord;

/** How content came to be acted on: {@code transparency_events.source}, and a report's "source" breakdown. */
public enum ActionSource implements StoredWord {

  /** It matched a bank entry (the "specific measures" of TCO Art. 5, when a rule acted alone). */
  HASH_MATCH,
  /** A user reported it. */
  USER_REPORT,
  /** A trusted flagger reported it. */
  TRUSTED_FLAGGER,
  /** A competent authority's removal order named it. */
  REMOVAL_ORDER,
  /** Staff acted on their own initiative (an account takeover, say). */
  STAFF
}
