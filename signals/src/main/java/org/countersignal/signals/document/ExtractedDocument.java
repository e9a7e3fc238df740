package org.countersignal.signals.document;

import java.util.List;

/**
 * What a document yields for hashing.
 *
 * @param format the recognised format
 * @param text the extracted text (paragraphs separated by blank lines where the format has them)
 * @param links link targets the format declares outside the text (PDF link annotations, HTML hrefs)
 * @param images embedded images as encoded bytes (JPEG, PNG, ...), at most the configured count
 */
public record ExtractedDocument(DocumentFormat format, String text, List<String> links, List<byte[]> images) {

  public ExtractedDocument {
    links = List.copyOf(links);
    images = List.copyOf(images);
  }
}
