package org.countersignal.cli.index;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.countersignal.index.hamming.Hash256;

/**
 * A file of PDQ hashes: one hash per line as 64 hex digits, optionally followed by
 * {@code ,id}. Lines are numbered from 0; an entry without an id gets its line number. Blank
 * lines are skipped but still counted.
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

  private HashFile() {}

  static Entries read(Path file) throws IOException {
    long[] words = new long[4096];
    long[] ids = new long[1024];
    long[] lines = new long[1024];
    int n = 0;
    long lineNumber = -1;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        String text = line.strip();
        if (text.isEmpty()) {
          continue;
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
        if (n == ids.length) {
          ids = Arrays.copyOf(ids, n * 2);
          lines = Arrays.copyOf(lines, n * 2);
          words = Arrays.copyOf(words, n * 8);
        }
        words[n * 4] = hash.w0();
        words[n * 4 + 1] = hash.w1();
        words[n * 4 + 2] = hash.w2();
        words[n * 4 + 3] = hash.w3();
        ids[n] = id;
        lines[n] = lineNumber;
        n++;
      }
    }
    return new Entries(Arrays.copyOf(words, n * 4), Arrays.copyOf(ids, n), Arrays.copyOf(lines, n), n);
  }

  private static String abbreviate(String line) {
    return line.length() <= 80 ? line : line.substring(0, 77) + "...";
  }
}
