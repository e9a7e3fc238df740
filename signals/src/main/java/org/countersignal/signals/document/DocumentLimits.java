package org.countersignal.signals.document;

import java.time.Duration;

/**
 * Safety limits for reading documents, so a hostile file (page or zip bomb, endless content
 * stream) ends in a clear refusal instead of exhausting memory or time.
 *
 * @param maxBytes largest document accepted
 * @param maxPages most PDF pages read
 * @param maxChars most characters of text extracted
 * @param maxUnpackedBytes most bytes decompressed from a DOCX (zip bomb guard)
 * @param maxImages most embedded images hashed with PDQ; further ones are skipped
 * @param maxImagePixels largest embedded image decoded
 * @param timeout wall-clock budget for extraction, checked between pages and parts
 */
public record DocumentLimits(long maxBytes, int maxPages, int maxChars, long maxUnpackedBytes,
    int maxImages, long maxImagePixels, Duration timeout) {

  public static final DocumentLimits DEFAULT = new DocumentLimits(
      128L * 1024 * 1024, 5_000, 10_000_000, 512L * 1024 * 1024, 100, 50_000_000L, Duration.ofSeconds(60));
}
