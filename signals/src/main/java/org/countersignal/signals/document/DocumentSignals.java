package org.countersignal.signals.document;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.image.ImageDecoder;
import org.countersignal.signals.pdq.PdqHasher;
import org.countersignal.signals.pdq.PdqSignal;
import org.countersignal.signals.text.TextSignal;
import org.countersignal.signals.text.TextSignalType;
import org.countersignal.signals.text.TextSketcher;
import org.countersignal.signals.url.CanonicalUrl;
import org.countersignal.signals.url.UrlCanonicalizer;
import org.countersignal.signals.url.UrlExtractor;

/**
 * The signals of a document or text post besides its file digests: the text signal, the URLs in
 * its text and links, and the PDQ hashes of its embedded images (a manifesto often embeds
 * pictures that are banked on their own). Thread-safe.
 */
public final class DocumentSignals {

  /**
   * @param format document format, or {@code null} for literal text
   * @param text text signal of the extracted text
   * @param urls canonical URLs found in the text and declared links, deduplicated, in order
   * @param imagePdq PDQ of each embedded image that decoded; undecodable ones are skipped
   * @param extracted the text the text signal was computed from
   * @param pageStarts where each page after the first starts in {@code extracted}; empty without pages
   * @param query the text's query sketches, for matching it
   */
  public record Result(DocumentFormat format, TextSignal text, List<CanonicalUrl> urls, List<PdqSignal> imagePdq,
      String extracted, List<Integer> pageStarts, TextSketcher.Query query) {}

  private final DocumentExtractor extractor;
  private final ImageDecoder decoder;
  private final PdqHasher pdq = new PdqHasher();

  public DocumentSignals(DocumentExtractor extractor, ImageDecoder decoder) {
    this.extractor = extractor;
    this.decoder = decoder;
  }

  public DocumentLimits limits() {
    return extractor.limits();
  }

  public Result ofDocument(byte[] bytes) throws ContentException {
    ExtractedDocument document = extractor.extract(bytes);
    Set<CanonicalUrl> urls = new LinkedHashSet<>(UrlExtractor.extract(document.text()));
    for (String link : document.links()) {
      try {
        urls.add(UrlCanonicalizer.canonicalize(link));
      } catch (ContentException e) {
        // mailto:, relative and broken links are not URL signals
      }
    }
    List<PdqSignal> images = new ArrayList<>();
    for (byte[] image : document.images()) {
      try {
        images.add(pdq.hash(decoder.decode(image)).signal());
      } catch (ContentException e) {
        // An embedded image in a format the decoder lacks (e.g. JPEG 2000) does not fail the document.
      }
    }
    TextSketcher.Sketched sketched = TextSignalType.INSTANCE.sketch(document.text());
    return new Result(document.format(), sketched.signal(), List.copyOf(urls), images, document.text(), document.pageStarts(),
        sketched.query());
  }

  public static Result ofText(String text) throws ContentException {
    TextSketcher.Sketched sketched = TextSignalType.INSTANCE.sketch(text);
    return new Result(null, sketched.signal(), List.copyOf(UrlExtractor.extract(text)), List.of(), text, List.of(),
        sketched.query());
  }
}
