package org.countersignal.signals.text;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.countersignal.signals.Content;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.ContentType;
import org.countersignal.signals.MalformedSignalException;
import org.countersignal.signals.SignalType;
import org.countersignal.signals.document.DocumentExtractor;
import org.countersignal.signals.document.DocumentLimits;

/**
 * The {@code text} signal type. Text form: {@code t2:<sha256 hex>:<words>:<base64url sketches>}
 * ({@code t} and {@link MinHashParameters#VERSION}; {@code t1} signals used 4-word shingles and an
 * older normalisation, so they must be recomputed from the text, not compared),
 * where the sketches are the whole-text sketch followed by the chunk sketches, each
 * {@link MinHashParameters#SLOTS} big-endian 16-bit values. Distance: 0 when the normalised texts
 * are identical, otherwise the number of differing MinHash slots of the closest pair of sketches
 * (whole or chunk), 0..64.
 */
public final class TextSignalType implements SignalType<TextSignal> {

  /**
   * Matches at an estimated Jaccard similarity of at least 0.375 (24 of 64 slots equal) between
   * some pair of chunks: what a 1,000-word copy with 20 % of its words edited keeps of 3-word
   * shingles, while unrelated text stays far below; see docs/TEXT.md and docs/BENCHMARKS.md.
   */
  public static final int DEFAULT_THRESHOLD = 40;

  /** Text content is refused above this many characters, before any work. */
  public static final int DEFAULT_MAX_CHARS = 32 * 1024 * 1024;

  /** Sketches in one text form, which bounds what parse() allocates for hostile input. */
  private static final int MAX_SKETCHES = 1 << 20;

  public static final TextSignalType INSTANCE = new TextSignalType();

  private static final String PREFIX = "t" + MinHashParameters.VERSION + ":";
  private static final int SKETCH_BYTES = MinHashParameters.SLOTS * 2;

  @Override
  public String name() {
    return "text";
  }

  @Override
  public Set<ContentType> contentTypes() {
    return EnumSet.of(ContentType.TEXT, ContentType.DOCUMENT);
  }

  /**
   * Text content is decoded as plain text; a document's text is extracted first, with the
   * default document limits.
   */
  @Override
  public TextSignal hash(Content content) throws ContentException {
    if (content.type() == ContentType.DOCUMENT) {
      return hash(new DocumentExtractor(DocumentLimits.DEFAULT).extract(content.bytes()).text());
    }
    return hash(PlainText.decode(content.bytes(), DEFAULT_MAX_CHARS));
  }

  public TextSignal hash(CharSequence text) throws ContentException {
    checkLength(text);
    return TextSketcher.signal(text);
  }

  /** The text's signal and its query at once, for content that is banked or matched as it arrives. */
  public TextSketcher.Sketched sketch(CharSequence text) throws ContentException {
    checkLength(text);
    return TextSketcher.sketched(text);
  }

  private static void checkLength(CharSequence text) throws ContentException {
    if (text.length() > DEFAULT_MAX_CHARS) {
      throw new ContentException(ContentException.Reason.TOO_LARGE, String.format(
          "text has %,d characters, over the limit of %,d", text.length(), DEFAULT_MAX_CHARS));
    }
  }

  @Override
  public TextSignal parse(String text) {
    if (text == null) {
      throw new MalformedSignalException(name(), "signal is missing");
    }
    String s = text.strip();
    if (!s.startsWith(PREFIX)) {
      throw new MalformedSignalException(name(), "expected the prefix " + PREFIX);
    }
    String[] parts = s.substring(PREFIX.length()).split(":", -1);
    if (parts.length != 3) {
      throw new MalformedSignalException(name(), "expected 4 ':'-separated fields");
    }
    if (parts[0].length() != 64 || !parts[0].chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new MalformedSignalException(name(), "exact hash must be 64 hex digits");
    }
    int words;
    try {
      words = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new MalformedSignalException(name(), "word count is not a number");
    }
    if (words < 0) {
      throw new MalformedSignalException(name(), "word count is negative");
    }
    if (parts[2].length() > (long) MAX_SKETCHES * SKETCH_BYTES * 4 / 3 + 4) {
      throw new MalformedSignalException(name(), "too many sketches");
    }
    byte[] packed;
    try {
      packed = Base64.getUrlDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new MalformedSignalException(name(), "sketches are not base64url");
    }
    if (packed.length % SKETCH_BYTES != 0) {
      throw new MalformedSignalException(name(), "sketch bytes not a multiple of " + SKETCH_BYTES);
    }
    int count = packed.length / SKETCH_BYTES;
    if ((words == 0) != (count == 0) || count == 1) {
      throw new MalformedSignalException(name(), "need a whole sketch and at least one chunk, or neither for empty text");
    }
    ByteBuffer buffer = ByteBuffer.wrap(packed);
    List<MinHashSketch> sketches = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      char[] slots = new char[MinHashParameters.SLOTS];
      for (int i = 0; i < slots.length; i++) {
        slots[i] = buffer.getChar();
      }
      sketches.add(new MinHashSketch(slots));
    }
    byte[] sha = HexFormat.of().parseHex(parts[0]);
    return count == 0
        ? new TextSignal(sha, words, null, List.of())
        : new TextSignal(sha, words, sketches.getFirst(), sketches.subList(1, count));
  }

  @Override
  public String format(TextSignal signal) {
    int count = signal.whole() == null ? 0 : 1 + signal.chunks().size();
    ByteBuffer buffer = ByteBuffer.allocate(count * SKETCH_BYTES);
    if (signal.whole() != null) {
      put(buffer, signal.whole());
      signal.chunks().forEach(chunk -> put(buffer, chunk));
    }
    return PREFIX + signal.exactHex() + ":" + signal.words() + ":"
        + Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
  }

  private static void put(ByteBuffer buffer, MinHashSketch sketch) {
    for (char c : sketch.slots()) {
      buffer.putChar(c);
    }
  }

  @Override
  public int distance(TextSignal a, TextSignal b) {
    if (a.sameNormalizedText(b)) {
      return 0;
    }
    if (a.whole() == null || b.whole() == null) {
      return MinHashParameters.SLOTS;
    }
    int best = a.whole().distance(b.whole());
    for (MinHashSketch x : a.chunks()) {
      for (MinHashSketch y : b.chunks()) {
        best = Math.min(best, x.distance(y));
        if (best == 0) {
          return 0;
        }
      }
    }
    return best;
  }

  @Override
  public int defaultThreshold() {
    return DEFAULT_THRESHOLD;
  }
}
