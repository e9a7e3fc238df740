package org.countersignal.server.exchange;

import java.util.List;
import org.countersignal.server.bank.Sharing;

/**
 * What a source says of one signal: its tags (mapped onto our labels, or kept as entity tags), its
 * opinion, and where it came from.
 *
 * @param tags the source's categories and tags, as it names them
 * @param opinion the source's opinion; signals it holds negative or disputed are not banked
 * @param note a human-readable line kept on the entry (the source's own id, say); may be null
 * @param problem why no signal can be made of the record, else null
 * @param sharing how far the source lets the record travel on from here; null when the source
 *     does not say, and then it stays on this instance
 * @param origin the id of the instance the record first came from, when the source is another
 *     instance that says so; kept on the entry, and passed on with it
 */
public record SourceRecord(List<String> tags, Opinion opinion, String note, String problem, Sharing sharing, String origin) {

  public SourceRecord(List<String> tags, Opinion opinion, String note, String problem) {
    this(tags, opinion, note, problem, null, null);
  }

  public SourceRecord {
    tags = tags == null ? List.of() : List.copyOf(tags);
    opinion = opinion == null ? Opinion.POSITIVE_CLASS : opinion;
  }

  public static SourceRecord positive(List<String> tags, String note) {
    return new SourceRecord(tags, Opinion.POSITIVE_CLASS, note, null);
  }

  /** This record, shared at {@code level}. */
  public SourceRecord sharedAt(Sharing level) {
    return new SourceRecord(tags, opinion, note, problem, level, origin);
  }

  /** This record, first come from the instance {@code instanceId}. */
  public SourceRecord from(String instanceId) {
    return new SourceRecord(tags, opinion, note, problem, sharing, instanceId);
  }

  static SourceRecord malformed(String problem) {
    return new SourceRecord(List.of(), Opinion.POSITIVE_CLASS, null, problem);
  }
}
