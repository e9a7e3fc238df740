package org.countersignal.server.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A video job as its caller sees it. {@code result} is there once it has succeeded, {@code error}
 * once it has failed; {@code framesUrl} serves the frame hashes in the reference text format.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Job(
    long id,
    JobKind kind,
    JobStatus status,
    String source,
    String url,
    Long contentBytes,
    String createdAt,
    String startedAt,
    String finishedAt,
    Integer attempts,
    String error,
    JsonNode result,
    String framesUrl) {

  public boolean finished() {
    return status.finished();
  }
}
