package org.countersignal.server.signal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.countersignal.server.RequestException;
import org.countersignal.signals.ContentHasher;
import org.countersignal.signals.ContentType;
import org.countersignal.signals.MalformedSignalException;
import org.countersignal.signals.SignalType;

/**
 * Everything the service knows of one signal type, in one class: its name, the canonical text
 * its values are stored, indexed and shown in, the thresholds and quality floor a bank may set for
 * it, the content it is hashed from, and its index. This is python-threatexchange's
 * {@code SignalType} with {@code get_index_cls()}, typed.
 *
 * <p>Matching, snapshots, the change follower, metrics, bulk import and export, the OpenAPI
 * document and rules iterate over the {@link org.countersignal.server.bank.SignalCatalog catalog}
 * of these; nothing outside a type's own class asks for a type by name. See
 * {@code docs/SIGNAL-TYPES.md} for how to add one.
 */
public interface ServerSignalType {

  /** Stable lowercase name: the key in request and response bodies, in storage and in file names. */
  String name();

  /**
   * The canonical text of {@code text}: a value is stored, indexed and shown exactly as this
   * returns it, so two spellings of one signal are one signal. A malformed value is a 422 naming
   * {@code field}.
   */
  String canonical(String text, String field);

  /**
   * What entries, submissions, hits and the change sequence keep of a canonical value: the value
   * itself, or, for a type whose values are long (a text's sketches run to kilobytes), a short
   * identity that names it. An entry's whole value is then kept beside it and its index reads it
   * through {@link StoredValues}; hits and submissions show the identity.
   */
  default String identity(String canonical) {
    return canonical;
  }

  /**
   * What the service searches with for a value it computed from content, beyond the value itself
   * (a text's query chunks, cut every few words where a banked text's are cut every few dozen),
   * or null. {@code content} is all the service computed from the content.
   */
  default Object probe(Object computed, ContentHasher.Result content) {
    return null;
  }

  /**
   * Where the parts of a value computed from content lie in it, as JSON kept with a banked entry
   * (a text's words as characters, and its pages), so a hit can say which part of the banked
   * content it covers; null when the type cannot say.
   */
  default String locations(Object computed, String text, List<Integer> pageStarts) {
    return null;
  }

  /**
   * A hit's {@link SignalIndex#explain part}, with what the banked value's {@link #locations} (or
   * null) and the content the query was hashed from (or null) add to it: characters, pages, an
   * excerpt.
   */
  default Map<String, Object> describe(Map<String, Object> part, String bankedLocations, ContentHasher.Result query) {
    return part;
  }

  /**
   * What the service can say of a value it computed from content, beyond its text: fact name to
   * value (a PDQ hash's {@code quality}). A response shows each fact beside the signals, keyed by
   * type ({@code "quality": {"pdq": 87}}), so {@code signals} itself holds only texts a request
   * takes back.
   */
  default Map<String, Object> facts(Object computed) {
    return Map.of();
  }

  /**
   * The canonical text of {@code text} for a type whose values the signals library parses and
   * formats: its own {@link #canonical}, with a malformed value a 422 naming {@code field}.
   */
  static <S> String libraryCanonical(SignalType<S> library, String text, String field) {
    try {
      return library.format(library.parse(text));
    } catch (MalformedSignalException e) {
      throw RequestException.invalid(field, e.getMessage());
    }
  }

  /**
   * Refuses a canonical value no bank should hold because it matches content that shares nothing
   * (a PDQ hash of all zeros is the hash of every flat image): a 422 naming {@code field}.
   */
  default void checkBankable(String canonical, String field) {}

  /** The largest distance a bank may set; 0 for a type that only matches exactly. */
  int maxThreshold();

  /** The distance a new bank gets unless it sets its own. */
  int defaultThreshold();

  /**
   * The far edge of the band variant discovery proposes near misses from, unless the operator
   * sets another: an upload past a bank's threshold but within this distance of one of its
   * entries may be an edited copy. 0 for a type that only matches exactly (a digest) or is matched
   * as a whole (a video, whose near misses are the share of a banked video's frames it plays).
   */
  default int nearMissDistance() {
    return 0;
  }

  /**
   * The bank's other settings for this type, beside its distance (stored with the thresholds);
   * the quality floor, when the type has one, among them.
   */
  default List<BankSetting> settings() {
    return List.of();
  }

  /** The setting that holds the type's quality floor, or null when its values have no quality. */
  default BankSetting qualityFloor() {
    return null;
  }

  /**
   * The quality of a value the service computed from content ({@code computed} is the signals
   * library's value), or -1 when the type has none.
   */
  default int quality(Object computed) {
    return -1;
  }

  /**
   * The quality of a value a caller gave as text (which carries none), or -1 when it cannot be
   * told: only values that are certainly worthless (the all-zero PDQ hash) get one.
   */
  default int textQuality(String canonical) {
    return -1;
  }

  /** The content the service hashes this type from; empty for a type only given as text. */
  Set<ContentType> hashedFrom();

  /**
   * What a submission of this type's values is when the caller did not say (e.g. {@code image}),
   * or null when it says nothing (a digest fits any file).
   */
  default String contentKind() {
    return null;
  }

  /**
   * Whether a query is looked up value by value in the {@link SignalIndex}; false for a type whose
   * values are matched as a whole (a video's frames, against whole banked videos).
   */
  default boolean matchedByValue() {
    return true;
  }

  /** An empty index. */
  SignalIndex newIndex();

  /** The index {@link SignalIndex#writeSnapshot} wrote to {@code file}; checked as it is read. */
  SignalIndex readIndex(Path file) throws IOException;

  /**
   * A per-bank setting of a type, kept in the bank's {@code thresholds}.
   *
   * @param max the largest value (the smallest is 0)
   * @param meaning what it means, for the API description
   */
  record BankSetting(String name, int defaultValue, int max, String meaning) {}
}
