package org.countersignal.bench.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;

/**
 * The evaluation texts, all from Debian packages and read in place (bench/text/make-corpus.sh
 * installs them): the books of the King James Bible ({@code bible-kjv}, dumped to one verse a
 * line), Vim's help files ({@code vim-runtime}), the Debian Administrator's Handbook in English,
 * Arabic and Persian ({@code debian-handbook}) and the Debian Reference ({@code debian-reference-en}).
 * A document is a list of paragraphs, each a list of whitespace separated tokens with their
 * punctuation, as a post or file would carry them.
 */
final class Corpus {

  record Document(String name, List<List<String>> paragraphs) {
    int tokens() {
      return paragraphs.stream().mapToInt(List::size).sum();
    }

    String text() {
      StringBuilder out = new StringBuilder();
      for (List<String> paragraph : paragraphs) {
        if (!out.isEmpty()) {
          out.append("\n\n");
        }
        out.append(String.join(" ", paragraph));
      }
      return out.toString();
    }
  }

  private static final Pattern VERSE = Pattern.compile("^(\\d?[A-Za-z]+)(\\d+):(\\d+) (.*)$");

  private Corpus() {}

  /** The books of kjv.txt (one verse a line, "Ge1:1 text"), four verses to a paragraph. */
  static List<Document> bible(Path kjv) throws IOException {
    Map<String, List<String>> books = new LinkedHashMap<>();
    for (String line : Files.readAllLines(kjv, StandardCharsets.UTF_8)) {
      Matcher m = VERSE.matcher(line);
      if (m.matches()) {
        books.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(m.group(4));
      }
    }
    List<Document> documents = new ArrayList<>();
    books.forEach((book, verses) -> {
      List<List<String>> paragraphs = new ArrayList<>();
      for (int i = 0; i < verses.size(); i += 4) {
        List<String> tokens = new ArrayList<>();
        for (String verse : verses.subList(i, Math.min(verses.size(), i + 4))) {
          tokens.addAll(List.of(verse.trim().split("\\s+")));
        }
        paragraphs.add(tokens);
      }
      documents.add(new Document("kjv/" + book, paragraphs));
    });
    return documents;
  }

  /** Text files of a folder, paragraphs split at blank lines; files under minTokens are skipped. */
  static List<Document> folder(Path dir, int minTokens) throws IOException {
    List<Document> documents = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".txt")).sorted().toList()) {
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        List<List<String>> paragraphs = new ArrayList<>();
        for (String block : text.split("\\n\\s*\\n")) {
          String trimmed = block.trim();
          if (!trimmed.isEmpty()) {
            paragraphs.add(List.of(trimmed.split("\\s+")));
          }
        }
        Document document = new Document(dir.getFileName() + "/" + file.getFileName(), paragraphs);
        if (document.tokens() >= minTokens) {
          documents.add(document);
        }
      }
    }
    return documents;
  }

  /** Block elements that hold running text in DocBook HTML; one paragraph each. */
  private static final String BLOCKS = "p, div.para, pre, li, dt, dd, td, th, h1, h2, h3, h4, h5";

  /**
   * HTML files of a folder ({@code *.html}, but not the table of contents {@code index*}), one paragraph per innermost text block, keeping only
   * paragraphs {@code keep} accepts; files with fewer than minTokens tokens kept are skipped.
   */
  static List<Document> html(Path dir, String prefix, Predicate<String> keep, int minTokens) throws IOException {
    List<Document> documents = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".html")
          && !f.getFileName().toString().startsWith("index")).sorted().toList()) {
        org.jsoup.nodes.Document page = Jsoup.parse(file.toFile(), "UTF-8");
        List<List<String>> paragraphs = new ArrayList<>();
        for (Element block : page.body().select(BLOCKS)) {
          if (block.select(BLOCKS).size() > 1) {
            continue; // its inner blocks are paragraphs of their own
          }
          String text = block.text().trim();
          if (!text.isEmpty() && keep.test(text)) {
            paragraphs.add(List.of(text.split("\\s+")));
          }
        }
        Document document = new Document(prefix + "/" + file.getFileName(), paragraphs);
        if (document.tokens() >= minTokens) {
          documents.add(document);
        }
      }
    }
    return documents;
  }

  /** Paragraphs mostly in Arabic script: the translated text of a partly translated page. */
  static boolean mostlyArabicScript(String text) {
    long arabic = text.codePoints().filter(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.ARABIC).count();
    long latin = text.codePoints().filter(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.LATIN).count();
    return arabic > latin;
  }
}
