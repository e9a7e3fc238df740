package org.countersignal.server.bank;

import java.util.List;
import java.util.Map;

/**
 * A bank entry: the signals of one known piece of content, with its labels and state, and what
 * the peers of this instance's feeds said back of it ({@link EntryOpinions}).
 *
 * @param origin the id of the instance the entry first came from, for an entry another instance
 *     shared; null for one made here or brought by another kind of exchange
 */
public record Entry(
    long id,
    long bankId,
    Map<String, String> signals,
    List<String> labels,
    List<String> entities,
    String note,
    String provenance,
    String origin,
    boolean enabled,
    String disabledReason,
    String disabledUntil,
    String createdAt,
    String updatedAt,
    Long createdBy,
    EntryOpinions opinions) {}
