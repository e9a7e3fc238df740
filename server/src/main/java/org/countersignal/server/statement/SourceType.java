package org.countersignal.server.statement;

/** How the content came to the platform's attention ({@code source_type}), in the Transparency Database's words. */
public enum SourceType {
  /** A notice under Art. 16 DSA: here, a user's report. */
  SOURCE_ARTICLE_16,
  /** A notice from a trusted flagger (Art. 22 DSA). */
  SOURCE_TRUSTED_FLAGGER,
  /** Any other notification: here, a removal order under the TCO Regulation. */
  SOURCE_TYPE_OTHER_NOTIFICATION,
  /** The platform's own initiative: a match against its banks, or its response to a hijacked account. */
  SOURCE_VOLUNTARY
}
