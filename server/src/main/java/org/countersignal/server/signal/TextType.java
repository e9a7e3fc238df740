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
import org.countersignal.signals.text.MinHashParameters;
import org.countersignal.signals.text.TextSignal;
import org.countersignal.signals.text.TextSignalType;

/**
 * Text posts and documents (plain text, PDF, DOCX, HTML), matched by their text: a value is the
 * signals library's text form ({@code t<version>:<sha256>:<words>:<sketches>}: the normalised
 * text's SHA-256 and MinHash sketches of its overlapping chunks), found in a
 * {@link TextSignalIndex}. The distance is the number of differing sketch slots (of
 * {@link MinHashParameters#SLOTS}) of the closest pair of chunks, 0 for the same normalised text.
 *
 * <p>The sketches of a long document run to kilobytes, so entries, hits and submissions keep its
 * identity, the form up to the word count ({@code t<version>:<sha256>:<words>}), and the whole
 * value is kept beside the entry.
 */
public final class TextType implements ServerSignalType {

  public static final String NAME = "text";

  private final StoredValues values;

  public TextType(StoredValues values) {
    this.values = values;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String canonical(String text, String field) {
    return ServerSignalType.libraryCanonical(TextSignalType.INSTANCE, text, field);
  }

  /** The value read back; {@code canonical} came from {@link #canonical}, so it parses. */
  static TextSignal parse(String canonical) {
    try {
      return TextSignalType.INSTANCE.parse(canonical);
    } catch (MalformedSignalException e) {
      throw new IllegalStateException("a stored text signal no longer parses: " + e.getMessage(), e);
    }
  }

  @Override
  public String identity(String canonical) {
    int sketches = canonical.lastIndexOf(':');
    return canonical.substring(0, sketches);
  }

  /**
   * The query chunks of the content's text, cut every block rather than every few blocks, so an
   * excerpt lines up with a banked chunk; computed with the signal, in the same pass.
   */
  @Override
  public Object probe(Object computed, ContentHasher.Result content) {
    return content.textQuery();
  }

  @Override
  public String locations(Object computed, String text, List<Integer> pageStarts) {
    return text == null ? null : TextParts.locations(text, pageStarts);
  }

  @Override
  public Map<String, Object> describe(Map<String, Object> part, String bankedLocations, ContentHasher.Result query) {
    return TextParts.describe(part, bankedLocations, query);
  }

  @Override
  public Map<String, Object> facts(Object computed) {
    return computed instanceof TextSignal signal ? Map.of("words", signal.words()) : Map.of();
  }

  @Override
  public void checkBankable(String canonical, String field) {
    if (parse(canonical).words() == 0) {
      throw RequestException.invalid(field, "this text has no words; it would match every other text without words");
    }
  }

  @Override
  public int maxThreshold() {
    return MinHashParameters.SLOTS;
  }

  @Override
  public int defaultThreshold() {
    return TextSignalType.DEFAULT_THRESHOLD;
  }

  /**
   * 48: a quarter of the sketch slots the same, past the default 40's three eighths; unrelated texts
   * share almost none, so an edited manifesto lands here and chance does not.
   */
  @Override
  public int nearMissDistance() {
    return 48;
  }

  @Override
  public Set<ContentType> hashedFrom() {
    return Set.of(ContentType.TEXT, ContentType.DOCUMENT);
  }

  @Override
  public String contentKind() {
    return "text";
  }

  @Override
  public SignalIndex newIndex() {
    return new TextSignalIndex(values, NAME);
  }

  @Override
  public SignalIndex readIndex(Path file) throws IOException {
    return TextSignalIndex.read(file, values, NAME);
  }
}
