package org.countersignal.server.bank;

import java.util.List;
import java.util.Map;

/** What a request gives to add an entry: signal type to text form, and the entry's details. */
public record NewEntry(
    Map<String, String> signals, List<String> labels, List<String> entities, String note, String provenance) {}
