package org.countersignal.cli.index;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.countersignal.index.hamming.Hash256;

/**
 * A file of PDQ hashes: one hash per line as 64 hex digits, optionally followed by
 * {@code ,id}. Lines are numbered from 0; an entry without an id gets its line number. Blank
 * lines are skipped but still counted; a line ends at {@code \n}, {@code \r\n} or {@code \r}.
 *
 * <p>Lines are parsed from the bytes, without a string per line: at ten million hashes, decoding
 * and splitting strings took about a third of {@code index build}. A line the byte parser does
 * not take as it is (anything but ASCII, a signed or very long id) is decoded as UTF-8 and parsed
 * as text, which accepts and refuses exactly what it always did.
 */
final class HashFile {

  /** The entries of a hash file as the index's flat arrays, plus each entry's line number. */
  record Entries(long[] words, long[] ids, long[] lines, int count) {}

  /** A line that is not a hash; the message names the file and line. */
  static final class BadLineException extends IOException {
    private static final long serialVersionUID = 1L;

    BadLineException(String message) {
      super(message);
    }
  }

  private static final int CHUNK_BYTES = 1 << 20;

  /** Value of each hex digit byte, or -1. */
  private static final byte[] HEX = new byte[256];

  static {
    Arrays.fill(HEX, (byte) -1);
    for (int c = '0'; c <= '9'; c++) {
      HEX[c] = (byte) (c - '0');
    }
    for (int c = 'a'; c <= 'f'; c++) {
      HEX[c] = (byte) (c - 'a' + 10);
      HEX[c - 'a' + 'A'] = (byte) (c - 'a' + 10);
    }
  }

  private final Path file;
  private long[] words = new long[4096];
  private long[] ids = new long[1024];
  private long[] lines = new long[1024];
  private int count;
  private final long[] hash = new long[4];

  private HashFile(Path file) {
    this.file = file;
  }

  static Entries read(Path file) throws IOException {
    HashFile parsed = new HashFile(file);
    parsed.readLines();
    int n = parsed.count;
    return new Entries(Arrays.copyOf(parsed.words, n * 4), Arrays.copyOf(parsed.ids, n),
        Arrays.copyOf(parsed.lines, n), n);
  }

  private void readLines() throws IOException {
    byte[] buffer = new byte[CHUNK_BYTES];
    int filled = 0;
    long lineNumber = 0;
    // The last byte seen was a \r, which ended a line: a \n right after it ends nothing more.
    boolean afterCr = false;
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer, filled, buffer.length - filled)) >= 0) {
        int from = filled;
        filled += n;
        int start = 0;
        for (int i = from; i < filled; i++) {
          byte b = buffer[i];
          if (b == '\n' && afterCr) {
            start = i + 1;
          } else if (b == '\n' || b == '\r') {
            line(buffer, start, i, lineNumber++);
            start = i + 1;
          }
          afterCr = b == '\r';
        }
        // Keep the unfinished line for the next read; a line longer than the buffer grows it.
        filled -= start;
        System.arraycopy(buffer, start, buffer, 0, filled);
        if (filled == buffer.length) {
          buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
      }
    }
    if (filled > 0) {
      line(buffer, 0, filled, lineNumber);
    }
  }

  /** Parses the line {@code [from, to)} of {@code bytes}. */
  private void line(byte[] bytes, int from, int to, long lineNumber) throws IOException {
    int start = from;
    int end = to;
    while (start < end && isBlank(bytes[start])) {
      start++;
    }
    while (end > start && isBlank(bytes[end - 1])) {
      end--;
    }
    if (start == end) {
      return;
    }
    if (end - start >= Hash256.HEX_LENGTH && parseAscii(bytes, start, end, lineNumber)) {
      return;
    }
    parseText(bytes, from, to, lineNumber);
  }

  /** The fast path: hex digits, then nothing or a comma and digits. False if not that simple. */
  private boolean parseAscii(byte[] bytes, int start, int end, long lineNumber) {
    long[] hash = this.hash;
    int p = start;
    for (int w = 0; w < 4; w++) {
      long value = 0;
      for (int k = 0; k < 16; k++) {
        int digit = HEX[bytes[p++] & 0xff];
        if (digit < 0) {
          return false;
        }
        value = (value << 4) | digit;
      }
      hash[w] = value;
    }
    long id = lineNumber;
    if (p < end) {
      while (p < end && isBlank(bytes[p])) {
        p++;
      }
      if (p == end || bytes[p] != ',') {
        return false;
      }
      p++;
      while (p < end && isBlank(bytes[p])) {
        p++;
      }
      // Up to 18 digits cannot overflow a long; anything else goes the slow way.
      if (p == end || end - p > 18) {
        return false;
      }
      id = 0;
      for (; p < end; p++) {
        int digit = bytes[p] - '0';
        if (digit < 0 || digit > 9) {
          return false;
        }
        id = id * 10 + digit;
      }
    }
    add(hash[0], hash[1], hash[2], hash[3], id, lineNumber);
    return true;
  }

  /** The line as text: what the byte parser passed on, accepted or refused with a message. */
  private void parseText(byte[] bytes, int from, int to, long lineNumber) throws IOException {
    String line = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
    String text = line.strip();
    if (text.isEmpty()) {
      return;
    }
    int comma = text.indexOf(',');
    String hex = (comma < 0 ? text : text.substring(0, comma)).strip();
    long id = lineNumber;
    Hash256 hash;
    try {
      hash = Hash256.fromHex(hex);
      if (comma >= 0) {
        id = Long.parseLong(text.substring(comma + 1).strip());
      }
    } catch (IllegalArgumentException e) {
      throw new BadLineException(file + ":" + lineNumber + ": expected HEX64 or HEX64,ID but got \""
          + abbreviate(line) + "\"");
    }
    add(hash.w0(), hash.w1(), hash.w2(), hash.w3(), id, lineNumber);
  }

  private void add(long w0, long w1, long w2, long w3, long id, long lineNumber) {
    int n = count;
    if (n == ids.length) {
      ids = Arrays.copyOf(ids, n * 2);
      lines = Arrays.copyOf(lines, n * 2);
      words = Arrays.copyOf(words, n * 8);
    }
    words[n * 4] = w0;
    words[n * 4 + 1] = w1;
    words[n * 4 + 2] = w2;
    words[n * 4 + 3] = w3;
    ids[n] = id;
    lines[n] = lineNumber;
    count = n + 1;
  }

  /** The ASCII characters {@link String#strip} removes (the others send a line the slow way). */
  private static boolean isBlank(byte b) {
    return b == ' ' || (b >= 0x09 && b <= 0x0d) || (b >= 0x1c && b <= 0x1f);
  }

  private static String abbreviate(String line) {
    return line.length() <= 80 ? line : line.substring(0, 77) + "...";
  }
}
