package org.countersignal.signals.document;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/** Document formats recognised from their bytes (never from a file name). */
public enum DocumentFormat {
  PDF, DOCX, HTML, PLAIN_TEXT;

  private static final int HEAD = 1024;

  /** The format of {@code bytes}, or empty if they are not a document this module reads. */
  public static Optional<DocumentFormat> sniff(byte[] bytes) {
    if (indexOf(bytes, "%PDF-".getBytes(StandardCharsets.US_ASCII), 0, Math.min(bytes.length, HEAD)) >= 0) {
      return Optional.of(PDF);
    }
    if (bytes.length >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4) {
      // A DOCX is a ZIP whose central directory names word/document.xml.
      byte[] name = "word/document.xml".getBytes(StandardCharsets.US_ASCII);
      return indexOf(bytes, name, 0, bytes.length) >= 0 ? Optional.of(DOCX) : Optional.empty();
    }
    if (!looksLikeText(bytes)) {
      return Optional.empty();
    }
    String head = new String(bytes, 0, Math.min(bytes.length, HEAD), StandardCharsets.ISO_8859_1)
        .toLowerCase(Locale.ROOT).stripLeading();
    if (head.startsWith("\u00ef\u00bb\u00bf")) {
      head = head.substring(3).stripLeading();
    }
    if (head.startsWith("<!doctype html") || head.startsWith("<html") || head.startsWith("<head")
        || head.startsWith("<body") || (head.startsWith("<") && (head.contains("<html") || head.contains("<body")))) {
      return Optional.of(HTML);
    }
    return Optional.of(PLAIN_TEXT);
  }

  /**
   * Text if there is a UTF-16 byte-order mark, or no NUL byte and few control characters in the
   * first 64 KB (binary formats are dense with both).
   */
  static boolean looksLikeText(byte[] bytes) {
    if (bytes.length >= 2 && ((bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE
        || (bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF)) {
      return true;
    }
    int n = Math.min(bytes.length, 64 * 1024);
    int control = 0;
    for (int i = 0; i < n; i++) {
      int b = bytes[i] & 0xFF;
      if (b == 0) {
        return false;
      }
      if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f') {
        control++;
      }
    }
    return n > 0 && control * 100 <= n;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from, int to) {
    outer:
    for (int i = from; i + needle.length <= to; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
