package org.countersignal.server.rules;

import java.util.List;
import org.countersignal.server.match.MatchHit;

/**
 * What rules see: the hits, the content type ({@code image | video | text | url | file | other},
 * may be null), how many confirmed violations the posting account has (0 if no account), and the
 * {@link Protected} context and account attributes the platform stated (null, none).
 */
public record RuleInput(List<MatchHit> hits, String contentType, int accountViolations, String context, List<String> accountAttributes) {

  public RuleInput {
    hits = hits == null ? List.of() : List.copyOf(hits);
    accountAttributes = accountAttributes == null ? List.of() : List.copyOf(accountAttributes);
  }

  /** Input with no protected context and no account attributes. */
  public RuleInput(List<MatchHit> hits, String contentType, int accountViolations) {
    this(hits, contentType, accountViolations, null, null);
  }
}
