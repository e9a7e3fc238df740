package org.countersignal.signals.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Computes text signals (chunks every {@link MinHashParameters#SIGNAL_STEP_BLOCKS} blocks, what a
 * bank stores) and query sketches (chunks every block, what a lookup probes with: a finer step
 * means some query chunk lines up within 8 words of any banked chunk). Thread-safe.
 */
public final class TextSketcher {

  /**
   * What a lookup needs: the exact fingerprint, the whole sketch and fine-step chunks, with the
   * normalised words each chunk covers (so a match can say which part of the query matched), and
   * where in the text each word was read from ({@link #wordOffsets}), null for a query made from a
   * stored signal, whose text is not at hand.
   */
  public record Query(byte[] normalizedSha256, int words, MinHashSketch whole, List<MinHashSketch> chunks,
      List<TextSpan> chunkWords, WordOffsets offsets) {

    public Query {
      Objects.requireNonNull(normalizedSha256, "normalizedSha256");
      chunks = List.copyOf(chunks);
      chunkWords = List.copyOf(chunkWords);
      if (chunks.size() != chunkWords.size()) {
        throw new IllegalArgumentException("one word span per chunk");
      }
    }
  }

  /**
   * The characters {@code [start(i), end(i))} each normalised word {@code i} of a text was read
   * from, as {@link #wordOffsets} lists them; found in the pass that sketches the text, so a hit
   * is described without normalising its query again.
   */
  public static final class WordOffsets {
    private final int[] starts;
    private final int[] ends;
    private final int count;

    private WordOffsets(int[] starts, int[] ends, int count) {
      this.starts = starts;
      this.ends = ends;
      this.count = count;
    }

    public int count() {
      return count;
    }

    public int start(int word) {
      return starts[Objects.checkIndex(word, count)];
    }

    public int end(int word) {
      return ends[Objects.checkIndex(word, count)];
    }
  }

  private TextSketcher() {}

  public static TextSignal signal(CharSequence text) {
    return signal(prepare(text));
  }

  public static Query query(CharSequence text) {
    return query(prepare(text));
  }

  /** A text's signal (what a bank stores) and its query (what a lookup probes with), from one pass. */
  public record Sketched(TextSignal signal, Query query) {}

  /** Both forms of a text at the cost of one: normalising and shingling is most of the work. */
  public static Sketched sketched(CharSequence text) {
    Prepared prepared = prepare(text);
    return new Sketched(signal(prepared), query(prepared));
  }

  private static TextSignal signal(Prepared prepared) {
    return new TextSignal(prepared.sha256, prepared.words, prepared.whole(),
        prepared.blocks.chunks(MinHashParameters.SIGNAL_STEP_BLOCKS));
  }

  private static Query query(Prepared prepared) {
    List<MinHashSketch> chunks = prepared.blocks.chunks(1);
    return new Query(prepared.sha256, prepared.words, prepared.whole(), chunks, spans(prepared.words, chunks.size(), 1),
        prepared.offsets);
  }

  /** A query from a stored signal, when the text itself is not at hand. */
  public static Query query(TextSignal signal) {
    return new Query(signal.normalizedSha256(), signal.words(), signal.whole(), signal.chunks(),
        spans(signal.words(), signal.chunks().size(), MinHashParameters.SIGNAL_STEP_BLOCKS), null);
  }

  /**
   * Normalised words {@code [from, to)} covered by chunk {@code chunk} (0-based, in the order of
   * {@link TextSignal#chunks()}) of the signal of a text of {@code words} normalised words.
   */
  public static TextSpan chunkWords(int words, int chunk) {
    return ChunkLayout.words(words, chunk, MinHashParameters.SIGNAL_STEP_BLOCKS);
  }

  /**
   * For each normalised word of {@code text}, in order, the characters {@code [from, to)} of
   * {@code text} it was read from (with any invisible characters inside it; several words share a
   * span when one character folds to several, e.g. a CJK ligature square).
   */
  public static List<TextSpan> wordOffsets(CharSequence text) {
    List<TextSpan> offsets = new ArrayList<>();
    TextNormalizer.forEachWord(text, (word, start, end) -> offsets.add(new TextSpan(start, end)));
    return offsets;
  }

  private static List<TextSpan> spans(int words, int chunks, int stepBlocks) {
    List<TextSpan> spans = new ArrayList<>(chunks);
    for (int c = 0; c < chunks; c++) {
      spans.add(ChunkLayout.words(words, c, stepBlocks));
    }
    return spans;
  }

  /** A text normalised and shingled, with its block minima, its whole sketch (null without words) and its words' offsets. */
  private record Prepared(byte[] sha256, int words, BlockSketches blocks, MinHashSketch whole, WordOffsets offsets) {}

  private static Prepared prepare(CharSequence text) {
    StringBuilder normalized = new StringBuilder(text.length());
    long[][] words = {new long[256]};
    int[][] bounds = {new int[256], new int[256]};
    int[] count = {0};
    TextNormalizer.forEachWord(text, (word, start, end) -> {
      int n = count[0];
      if (n > 0) {
        normalized.append(' ');
      }
      normalized.append(word);
      if (n == words[0].length) {
        words[0] = Arrays.copyOf(words[0], n * 2);
        bounds[0] = Arrays.copyOf(bounds[0], n * 2);
        bounds[1] = Arrays.copyOf(bounds[1], n * 2);
      }
      words[0][n] = Shingler.wordHash(word);
      bounds[0][n] = start;
      bounds[1][n] = end;
      count[0] = n + 1;
    });
    long[] shingles = Shingler.fromWordHashes(words[0], count[0]);
    byte[] sha = sha256().digest(normalized.toString().getBytes(StandardCharsets.UTF_8));
    BlockSketches blocks = new BlockSketches(shingles);
    return new Prepared(sha, count[0], blocks, blocks.blocks() == 0 ? null : blocks.whole(),
        new WordOffsets(bounds[0], bounds[1], count[0]));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }
}
