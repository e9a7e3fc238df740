package org.countersignal.server.stream;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A livestream showed banked content: a frame near a banked image ({@code image}, with its PDQ
 * {@code distance}), or its window of recent frames playing a banked video ({@code video}, with
 * the share of the window's frames that matched). {@code atSeconds} is the stream position of the
 * frame that raised it; {@code incidentId} names the incident whose bank matched, if any.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamAlert(
    long id,
    long streamId,
    String kind,
    long entryId,
    long bankId,
    String bankName,
    Long incidentId,
    double atSeconds,
    Integer distance,
    Double windowPercent,
    List<String> labels,
    String raisedAt) {}
