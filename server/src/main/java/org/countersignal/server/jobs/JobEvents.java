package org.countersignal.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.countersignal.server.webhook.Outbox;
import org.jdbi.v3.core.Handle;

/**
 * {@code job.finished}: a video job succeeded or failed, told in the transaction that records it,
 * so a platform need not poll. The event carries a summary and the job's link; the whole result
 * (every hit, the frame hashes) stays with the job, which only its own key and admins may read.
 */
final class JobEvents {

  static final String JOB_FINISHED = "job.finished";

  private JobEvents() {}

  /** @param result the job's result when it succeeded, else null; {@code error} the reason when it failed */
  static void finished(Handle h, long id, String status, JsonNode result, String error) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("job_id", id);
    h.createQuery("SELECT kind, key_id FROM jobs WHERE id = :id").bind("id", id)
        .map((rs, ctx) -> {
          payload.put("kind", rs.getString("kind"));
          payload.put("status", status);
          payload.put("key_id", rs.getLong("key_id"));
          return true;
        })
        .findOne();
    payload.put("url", "/api/v1/jobs/" + id);
    if (error != null) {
      payload.put("error", error);
    }
    if (result != null) {
      payload.put("summary", summary(result));
    }
    Outbox.enqueue(h, JOB_FINISHED, payload);
  }

  /** What a platform needs to decide whether to fetch the result: counts and ids, not the hits. */
  private static Map<String, Object> summary(JsonNode result) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("frames", result.at("/video/frames").isNumber() ? result.at("/video/frames").asInt() : null);
    if (result.has("matches")) {
      summary.put("matches", result.get("matches").size());
      summary.put("truncated", result.path("truncated").asBoolean(false));
      summary.put("submission_id", result.at("/submission/submission_id").isNumber()
          ? result.at("/submission/submission_id").asLong() : null);
    }
    if (result.has("entry")) {
      summary.put("entry_id", result.at("/entry/id").isNumber() ? result.at("/entry/id").asLong() : null);
    }
    return summary;
  }
}
