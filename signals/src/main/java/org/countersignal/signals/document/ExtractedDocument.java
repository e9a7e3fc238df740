package org.countersignal.signals.document;

import java.util.List;

/**
 * What a document yields for hashing.
 *
 * @param format the recognised format
 * @param text the extracted text (paragraphs separated by blank lines where the format has them)
 * @param links link targets the format declares outside the text (PDF link annotations, HTML hrefs)
 * @param images embedded images as encoded bytes (JPEG, PNG, ...), at most the configured count
 * @param pageStarts where each page after the first starts in {@code text} (a char offset), for
 *     formats with pages (PDF); empty otherwise
 */
public record ExtractedDocument(DocumentFormat format, String text, List<String> links, List<byte[]> images,
    List<Integer> pageStarts) {

  public ExtractedDocument {
    links = List.copyOf(links);
    images = List.copyOf(images);
    pageStarts = List.copyOf(pageStarts);
  }

  public ExtractedDocument(DocumentFormat format, String text, List<String> links, List<byte[]> images) {
    this(format, text, links, images, List.of());
  }
}
