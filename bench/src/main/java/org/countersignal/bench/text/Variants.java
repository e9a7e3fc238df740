package org.countersignal.bench.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.countersignal.bench.text.Corpus.Document;

/**
 * The ways a banked text is re-posted: excerpts, edits, shuffles and character tricks.
 * {@link #ARABIC_SPELLING} only changes Arabic-script text, so it is run on Arabic corpora only.
 */
enum Variants {
  EXCERPT_100, EXCERPT_300, EXCERPT_2000_CHARS, EXCERPT_1000, EXCERPT_5000,
  INSERT_5PCT, DELETE_5PCT, SUBSTITUTE_10PCT, EDIT_20PCT,
  PARAGRAPH_SHUFFLE, HOMOGLYPH_ZERO_WIDTH, WHITESPACE_PUNCTUATION_CASE, COMBINED, ARABIC_SPELLING;

  private static final String[] FILLER = {"indeed", "brothers", "remember", "today", "now", "truly",
      "they", "we", "must", "never", "forget", "this", "the", "and", "of", "war", "people", "time"};

  String apply(Document source, Random random) {
    return switch (this) {
      case EXCERPT_100 -> render(excerpt(source, 100, random));
      case EXCERPT_300 -> render(excerpt(source, 300, random));
      case EXCERPT_2000_CHARS -> render(excerptOfChars(source, 2000, random));
      case EXCERPT_1000 -> render(excerpt(source, 1000, random));
      case EXCERPT_5000 -> render(excerpt(source, 5000, random));
      case INSERT_5PCT -> render(edit(excerpt(source, 1000, random), 0.05, 0, 0, random));
      case DELETE_5PCT -> render(edit(excerpt(source, 1000, random), 0, 0.05, 0, random));
      case SUBSTITUTE_10PCT -> render(edit(excerpt(source, 1000, random), 0, 0, 0.10, random));
      case EDIT_20PCT -> render(edit(excerpt(source, 1000, random), 0.05, 0.05, 0.10, random));
      case PARAGRAPH_SHUFFLE -> {
        List<List<String>> paragraphs = excerpt(source, 1000, random);
        Collections.shuffle(paragraphs, random);
        yield render(paragraphs);
      }
      case HOMOGLYPH_ZERO_WIDTH -> disguise(render(excerpt(source, 500, random)), random);
      case WHITESPACE_PUNCTUATION_CASE -> respace(render(excerpt(source, 500, random)), random);
      case COMBINED -> respace(disguise(render(edit(excerpt(source, 500, random), 0.02, 0.02, 0.05, random)), random), random);
      case ARABIC_SPELLING -> ArabicSpelling.apply(render(excerpt(source, 500, random)), random);
    };
  }

  /** About {@code words} consecutive tokens from a random start, keeping paragraph breaks. */
  static List<List<String>> excerpt(Document source, int words, Random random) {
    int total = source.tokens();
    int start = total <= words ? 0 : random.nextInt(total - words);
    return excerpt(source, start, Math.min(total, start + words));
  }

  /**
   * The shortest run of consecutive tokens from a random start that renders to at least
   * {@code chars} characters (the whole document if it is shorter).
   */
  static List<List<String>> excerptOfChars(Document source, int chars, Random random) {
    List<String> flat = source.paragraphs().stream().flatMap(List::stream).toList();
    // Latest start that still leaves enough text after it.
    int latest = flat.size();
    for (int length = -1; latest > 0 && length < chars; ) {
      latest--;
      length += flat.get(latest).length() + 1;
    }
    int start = latest == 0 ? 0 : random.nextInt(latest + 1);
    int end = start;
    for (int length = -1; end < flat.size() && length < chars; end++) {
      length += flat.get(end).length() + 1;
    }
    return excerpt(source, start, end);
  }

  /** Tokens {@code [start, end)}, keeping paragraph breaks. */
  private static List<List<String>> excerpt(Document source, int start, int end) {
    List<String> flat = new ArrayList<>();
    List<Integer> breaks = new ArrayList<>();
    for (List<String> paragraph : source.paragraphs()) {
      flat.addAll(paragraph);
      breaks.add(flat.size());
    }
    List<List<String>> out = new ArrayList<>();
    List<String> current = new ArrayList<>();
    int nextBreak = 0;
    for (int i = 0; i < end; i++) {
      while (nextBreak < breaks.size() && breaks.get(nextBreak) <= i) {
        nextBreak++;
        if (!current.isEmpty() && i > start) {
          out.add(current);
          current = new ArrayList<>();
        }
      }
      if (i >= start) {
        current.add(flat.get(i));
      }
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  private static List<List<String>> edit(List<List<String>> paragraphs, double insert, double delete,
      double substitute, Random random) {
    List<List<String>> out = new ArrayList<>();
    for (List<String> paragraph : paragraphs) {
      List<String> edited = new ArrayList<>();
      for (String token : paragraph) {
        double r = random.nextDouble();
        if (r < delete) {
          continue;
        }
        edited.add(r < delete + substitute ? FILLER[random.nextInt(FILLER.length)] : token);
        if (random.nextDouble() < insert) {
          edited.add(FILLER[random.nextInt(FILLER.length)]);
        }
      }
      out.add(edited);
    }
    return out;
  }

  private static String render(List<List<String>> paragraphs) {
    return new Document("", paragraphs).text();
  }

  /** Cyrillic/Greek look-alikes, full-width letters and zero-width characters. */
  private static String disguise(String text, Random random) {
    StringBuilder out = new StringBuilder(text.length() * 2);
    for (char c : text.toCharArray()) {
      int r = random.nextInt(10);
      char d = c;
      if (r < 2) {
        d = switch (c) {
          case 'a' -> '\u0430'; case 'e' -> '\u0435'; case 'o' -> '\u043E'; case 'p' -> '\u0440';
          case 'c' -> '\u0441'; case 'x' -> '\u0445'; case 'y' -> '\u0443'; case 'i' -> '\u0456';
          case 'A' -> '\u0391'; case 'B' -> '\u0392'; case 'E' -> '\u0395'; case 'O' -> '\u039F';
          default -> c;
        };
      } else if (r == 2 && c >= 'a' && c <= 'z') {
        d = (char) (c - 'a' + '\uFF41');
      }
      out.append(d);
      if (random.nextInt(8) == 0) {
        out.append("\u200B\u200C\u200D\u2060\uFEFF\u00AD".charAt(random.nextInt(6)));
      }
    }
    return out.toString();
  }

  /** Random spacing, line breaks, punctuation and case. */
  private static String respace(String text, Random random) {
    StringBuilder out = new StringBuilder(text.length() * 2);
    for (char c : text.toCharArray()) {
      if (c == ' ') {
        switch (random.nextInt(6)) {
          case 0 -> out.append("  ");
          case 1 -> out.append("\n");
          case 2 -> out.append(" ... ");
          case 3 -> out.append(",\t");
          default -> out.append(' ');
        }
      } else if (",.;:".indexOf(c) >= 0 && random.nextBoolean()) {
        continue;
      } else {
        out.append(random.nextInt(5) == 0 ? Character.toUpperCase(c) : c);
      }
    }
    return out.toString();
  }
}
