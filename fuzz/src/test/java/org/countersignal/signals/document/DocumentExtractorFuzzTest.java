package org.countersignal.signals.document;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import org.countersignal.signals.ContentException;

/**
 * Document bytes (PDF, DOCX, HTML, plain text: the format is sniffed from the bytes, as for an
 * upload) through the extractor under its limits. Only a {@link ContentException} is accepted.
 */
class DocumentExtractorFuzzTest {

  // Smaller than the service's defaults so that each input is quick, with the same kinds of limit.
  private static final DocumentLimits LIMITS =
      new DocumentLimits(1 << 20, 50, 1_000_000, 16L << 20, 10, 4_000_000L, Duration.ofSeconds(10));
  private static final DocumentExtractor EXTRACTOR = new DocumentExtractor(LIMITS);

  @FuzzTest(maxDuration = "5m")
  void extract(byte[] data) {
    try {
      ExtractedDocument document = EXTRACTOR.extract(data);
      assertThat(document.images()).hasSizeLessThanOrEqualTo(LIMITS.maxImages());
    } catch (ContentException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
