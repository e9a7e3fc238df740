package org.countersignal.server.discovery;

import java.util.List;
import java.util.Map;

/**
 * A possible new variant, for a curator to bank or reject, with its evidence.
 *
 * @param value the signal banked on acceptance: the upload's, or the cluster leader's (the most
 *     uploaded of its near-identical hashes)
 * @param signal what responses show of it (a text's or a video's identity)
 * @param bankId the bank of the nearest entry in the near-miss band, or null (a cluster far
 *     from every banked entry)
 * @param incidentId the incident whose bank that is, or null
 * @param distance to that entry; for a video, 100 minus {@code videoPercent}
 * @param videoPercent a video's: the share of the banked video's frames it plays
 * @param uploads uploads of this signal (of the cluster's signals) in the store
 * @param accounts distinct accounts among them, of those the platform named
 * @param part what of the banked content it covers: a text's banked words and the share of the
 *     upload near them, a video's stretch of the banked video ({@code banked_seconds}); else null
 * @param spread a cluster's: the largest distance of a member to its leader
 * @param latest the latest uploads, newest first
 */
public record Proposal(
    long id,
    String kind,
    String state,
    String signalType,
    String value,
    String signal,
    Long bankId,
    String bankName,
    Long incidentId,
    Long entryId,
    Integer distance,
    Double videoPercent,
    int uploads,
    int accounts,
    Map<String, Object> part,
    Integer spread,
    List<Upload> latest,
    String firstSeen,
    String lastSeen,
    String createdAt,
    String decidedAt,
    Long decidedBy,
    String reason,
    Long acceptedBankId,
    Long acceptedEntryId) {

  /**
   * One upload behind a proposal, as the platform named it.
   *
   * @param submissionId the submission the service recorded for it (its media, if kept, are there)
   * @param distance a cluster member's distance to the leader
   */
  public record Upload(String contentId, String account, Long submissionId, Integer distance, String receivedAt) {}
}
