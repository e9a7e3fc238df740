package org.countersignal.bench.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The banked documents of the text service benchmark, each a pure function of its number, so the
 * loader and the query driver agree on them without storing a bank of gigabytes: posts of 2–5 KB
 * and pages of 50 KB, both made of King James Bible verses drawn at random (as in
 * {@code TextLookupBenchmark}). Real sentences, but no banked document holds a passage of
 * consecutive verses, so a query of consecutive Bible text shares single verses with many banked
 * documents (candidates the index must verify) and passages with none, unless one is planted.
 */
final class TextBankDocs {

  static final int POST_MIN_CHARS = 2 * 1024;
  static final int POST_MAX_CHARS = 5 * 1024;
  static final int PAGE_CHARS = 50 * 1024;

  private final List<String> verses;

  TextBankDocs(Path kjv) throws IOException {
    verses = verses(kjv);
  }

  /** The verses of {@code bench/work/text/kjv.txt} (one a line after its reference), in order. */
  static List<String> verses(Path kjv) throws IOException {
    List<String> verses = new ArrayList<>();
    for (String line : Files.readAllLines(kjv, StandardCharsets.UTF_8)) {
      int space = line.indexOf(' ');
      if (space > 0) {
        verses.add(line.substring(space + 1));
      }
    }
    return verses;
  }

  List<String> verses() {
    return verses;
  }

  /** Post {@code n}: 2–5 KB (ASCII, so characters are bytes). */
  String post(long n) {
    SplittableRandom random = new SplittableRandom(0x7e57_0000_0000L + n);
    return randomVerses(random, POST_MIN_CHARS + random.nextInt(POST_MAX_CHARS - POST_MIN_CHARS + 1));
  }

  /** Page {@code n}: 50 KB. Its numbers do not overlap the posts' seeds below 2^40 posts. */
  String page(long n) {
    return randomVerses(new SplittableRandom(0x9a9e_0000_0000_0000L + n), PAGE_CHARS);
  }

  /** Random verses, a blank line after every fourth, cut to {@code chars} at a word break. */
  private String randomVerses(SplittableRandom random, int chars) {
    StringBuilder text = new StringBuilder(chars + 600);
    for (int v = 1; text.length() < chars; v++) {
      text.append(verses.get(random.nextInt(verses.size()))).append(v % 4 == 0 ? "\n\n" : " ");
    }
    return cut(text, chars);
  }

  /** {@code text} up to {@code chars}, ending before the word the cut would split. */
  static String cut(CharSequence text, int chars) {
    if (text.length() <= chars) {
      return text.toString().strip();
    }
    int end = chars;
    while (end > 0 && !Character.isWhitespace(text.charAt(end))) {
      end--;
    }
    return text.subSequence(0, end).toString().strip();
  }
}
