package org.countersignal.server.rules;

import java.util.List;
import org.countersignal.server.match.MatchHit;

/**
 * What rules see: the hits, the content type ({@code image | video | text | url | file | other},
 * may be null) and how many confirmed violations the posting account has (0 if no account).
 */
public record RuleInput(List<MatchHit> hits, String contentType, int accountViolations) {

  public RuleInput {
    hits = hits == null ? List.of() : List.copyOf(hits);
  }
}
