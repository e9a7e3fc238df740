package org.countersignal.signals.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * Computes text signals (chunks every {@link MinHashParameters#SIGNAL_STEP_BLOCKS} blocks, what a
 * bank stores) and query sketches (chunks every block, what a lookup probes with: a finer step
 * means some query chunk lines up within 8 words of any banked chunk). Thread-safe.
 */
public final class TextSketcher {

  /** What a lookup needs: the exact fingerprint, the whole sketch and fine-step chunks. */
  public record Query(byte[] normalizedSha256, MinHashSketch whole, List<MinHashSketch> chunks) {}

  private TextSketcher() {}

  public static TextSignal signal(CharSequence text) {
    Prepared prepared = prepare(text);
    BlockSketches blocks = prepared.blocks;
    MinHashSketch whole = blocks.blocks() == 0 ? null : blocks.whole();
    return new TextSignal(prepared.sha256, prepared.words, whole,
        blocks.chunks(MinHashParameters.SIGNAL_STEP_BLOCKS));
  }

  public static Query query(CharSequence text) {
    Prepared prepared = prepare(text);
    BlockSketches blocks = prepared.blocks;
    MinHashSketch whole = blocks.blocks() == 0 ? null : blocks.whole();
    return new Query(prepared.sha256, whole, blocks.chunks(1));
  }

  /** A query from a stored signal, when the text itself is not at hand. */
  public static Query query(TextSignal signal) {
    return new Query(signal.normalizedSha256(), signal.whole(), signal.chunks());
  }

  private record Prepared(byte[] sha256, int words, BlockSketches blocks) {}

  private static Prepared prepare(CharSequence text) {
    StringBuilder normalized = new StringBuilder(text.length());
    long[][] words = {new long[256]};
    int[] count = {0};
    TextNormalizer.forEachWord(text, word -> {
      if (count[0] > 0) {
        normalized.append(' ');
      }
      normalized.append(word);
      if (count[0] == words[0].length) {
        words[0] = Arrays.copyOf(words[0], words[0].length * 2);
      }
      words[0][count[0]++] = Shingler.wordHash(word);
    });
    long[] shingles = Shingler.fromWordHashes(words[0], count[0]);
    byte[] sha = sha256().digest(normalized.toString().getBytes(StandardCharsets.UTF_8));
    return new Prepared(sha, count[0], new BlockSketches(shingles));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }
}
