package org.countersignal.signals.document;

import java.util.List;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.ContentException.Reason;
import org.countersignal.signals.text.PlainText;

/** Extracts text, links and images from PDF, DOCX, HTML and plain-text documents. Thread-safe. */
public final class DocumentExtractor {

  private final DocumentLimits limits;

  public DocumentExtractor(DocumentLimits limits) {
    this.limits = limits;
  }

  public DocumentLimits limits() {
    return limits;
  }

  public ExtractedDocument extract(byte[] bytes) throws ContentException {
    if (bytes.length > limits.maxBytes()) {
      throw new ContentException(Reason.TOO_LARGE,
          String.format("document is %,d bytes, over the limit of %,d", bytes.length, limits.maxBytes()));
    }
    DocumentFormat format = DocumentFormat.sniff(bytes).orElseThrow(() -> new ContentException(
        Reason.UNSUPPORTED_FORMAT, "not a recognised document (PDF, DOCX, HTML, plain text)"));
    Budget budget = new Budget(limits);
    return switch (format) {
      case PDF -> PdfExtractor.extract(bytes, budget);
      case DOCX -> DocxExtractor.extract(bytes, budget);
      case HTML -> HtmlExtractor.extract(bytes, budget);
      case PLAIN_TEXT -> new ExtractedDocument(format, PlainText.decode(bytes, limits.maxChars()), List.of(), List.of());
    };
  }
}
