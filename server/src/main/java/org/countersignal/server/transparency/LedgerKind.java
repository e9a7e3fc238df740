package org.countersignal.server.transparency;

import org.countersignal.server.StoredWord;

/** What a row of the transparency ledger records: {@code transparency_events.kind}. */
public enum LedgerKind implements StoredWord {

  /** An action told to the platform (a removal, a suspension, a label...), or content a reviewer found violating. */
  DECISION,
  APPEAL_FILED,
  APPEAL_DECIDED,
  /** Content restored, after an appeal or an upheld complaint against a removal order. */
  CONTENT_REINSTATED,
  ORDER_RECEIVED,
  ORDER_ACTED,
  ORDER_NOT_COMPLIED,
  /** A complaint against a removal under a removal order (TCO Art. 10). */
  COMPLAINT_FILED,
  COMPLAINT_DECIDED,
  REPORT_RECEIVED,
  REPORT_DECIDED
}
