package org.countersignal.signals.text;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.countersignal.signals.ContentException;

/**
 * Decodes plain-text bytes: a byte-order mark decides (UTF-8, UTF-16 LE/BE); otherwise strict
 * UTF-8, and bytes that are not valid UTF-8 are read as Windows-1252, the usual legacy encoding
 * of pasted Western text.
 */
public final class PlainText {

  private PlainText() {}

  public static String decode(byte[] bytes, int maxChars) throws ContentException {
    String text = decode(bytes);
    if (text.length() > maxChars) {
      throw new ContentException(ContentException.Reason.TOO_LARGE, String.format(
          "text has %,d characters, over the limit of %,d", text.length(), maxChars));
    }
    return text;
  }

  static String decode(byte[] bytes) {
    if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
      return new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
    }
    if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE) {
      return new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16LE);
    }
    if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF) {
      return new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16BE);
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return new String(bytes, Charset.forName("windows-1252"));
    }
  }
}
