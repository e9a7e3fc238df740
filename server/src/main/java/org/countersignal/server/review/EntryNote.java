package org.countersignal.server.review;

/**
 * What the bank says of an entry a case matched, in the words of whoever banked it: its note and
 * where it came from. Either may be null; {@code kept} is false once the entry has been deleted.
 */
public record EntryNote(long entryId, boolean kept, String note, String provenance) {}
