package org.countersignal.server.action;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A submission as reviewers and the platform see it: the content's metadata, its signals (gone
 * once purged), whether media was kept, the bank entries it matched, and the decisions about it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubmissionView(
    long id,
    String contentId,
    String account,
    String amplifies,
    String contentType,
    String context,
    List<String> accountAttributes,
    SubmissionStatus status,
    boolean hasMedia,
    String mediaType,
    String submittedAt,
    String removedAt,
    String retainUntil,
    String purgedAt,
    JsonNode signals,
    List<MatchView> matches,
    List<DecisionView> decisions) {

  /**
   * A bank entry the submission matched, as it was at the time.
   *
   * @param part what the hit covers (a text's matching part and the query's excerpt), or null
   */
  public record MatchView(
      long bankId, String bankName, long entryId, String signalType, String query, int distance, int threshold,
      List<String> labels, List<String> entities, JsonNode part) {}
}
