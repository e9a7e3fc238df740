package org.countersignal.cli.bank;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.countersignal.server.bank.NewEntry;

/**
 * The entries of an entry file: a row is an entry, except that consecutive rows with the same
 * {@code entry} value are one entry with all their signals (a video's frames and its digests, an
 * image's PDQ and digests), which is how export writes an entry with several signals. The
 * details (labels, note, provenance, entities) are the first row's.
 */
final class EntryGroups implements Iterator<EntryGroups.Group>, AutoCloseable {

  /**
   * One entry of the file, from {@code line} on; {@code error} set (and {@code line} the bad row's)
   * when it cannot be read as an entry.
   */
  record Group(long line, List<FileRow> rows, String error) {

    /** The entry these rows add, with every row's signal. */
    NewEntry toEntry() {
      FileRow first = rows.getFirst();
      Map<String, String> signals = new LinkedHashMap<>();
      rows.forEach(row -> signals.put(row.signalType(), row.signal()));
      return new NewEntry(signals, first.labels(), first.entities(), first.note(), first.provenance());
    }

    long approximateJsonBytes() {
      return rows.stream().mapToLong(FileRow::approximateJsonBytes).sum();
    }
  }

  private final RowReader rows;
  private RowReader.Row next;

  private EntryGroups(RowReader rows) {
    this.rows = rows;
    this.next = rows.hasNext() ? rows.next() : null;
  }

  static EntryGroups open(Path file, EntryFormat format) {
    return new EntryGroups(RowReader.open(file, format));
  }

  @Override
  public boolean hasNext() {
    return next != null;
  }

  @Override
  public Group next() {
    if (next == null) {
      throw new NoSuchElementException();
    }
    RowReader.Row first = next;
    next = rows.hasNext() ? rows.next() : null;
    String key = first.row() == null ? null : first.row().entry();
    List<RowReader.Row> members = new ArrayList<>(List.of(first));
    while (key != null && next != null && next.row() != null && key.equals(next.row().entry())) {
      members.add(next);
      next = rows.hasNext() ? rows.next() : null;
    }
    List<FileRow> signals = new ArrayList<>();
    Map<String, Long> typeLine = new LinkedHashMap<>();
    for (RowReader.Row member : members) {
      if (member.error() != null) {
        return new Group(member.line(), null, member.error());
      }
      Long earlier = typeLine.putIfAbsent(member.row().signalType(), member.line());
      if (earlier != null) {
        return new Group(member.line(), null, "signal_type: entry '" + key + "' has a " + member.row().signalType()
            + " signal already (line " + earlier + ")");
      }
      signals.add(member.row());
    }
    return new Group(first.line(), signals, null);
  }

  /** Rows read so far that the file says are not harmful; see {@link RowReader#leftOut}. */
  long leftOut() {
    return rows.leftOut();
  }

  @Override
  public void close() {
    rows.close();
  }
}
