package org.countersignal.server.bank;

import java.util.List;

/** One page of entries; {@code nextAfter} is the cursor for the next page, null at the end. */
public record EntryPage(List<Entry> items, Long nextAfter) {}
