package org.countersignal.server.signal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.countersignal.server.store.JsonText;
import org.countersignal.signals.ContentHasher;
import org.countersignal.signals.text.TextIndex;
import org.countersignal.signals.text.TextSketcher;
import org.countersignal.signals.text.TextSpan;

/**
 * What a text hit covers, in the words a reviewer reads: the banked text's words, characters and
 * pages, the query's words and characters, the share of the query that matched and an excerpt of
 * it.
 *
 * <p>A banked text's locations keep the character offset of every {@value #EVERY}th word (and
 * where its pages start), not of every word: a match is found chunk by chunk, so a span needs no
 * finer grain, and a bank of a million posts keeps a few numbers per post.
 */
final class TextParts {

  static final int EVERY = 16;
  private static final int EXCERPT_CHARS = 280;

  private TextParts() {}

  /** The part of a hit the index can tell: word spans and the query's matched share. */
  static Map<String, Object> of(TextIndex.Match match) {
    Map<String, Object> banked = new LinkedHashMap<>();
    banked.put("words", List.of(match.bankedFromWord(), match.bankedToWord()));
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("words", List.of(match.queryFromWord(), match.queryToWord()));
    query.put("share", Math.round(match.queryShare() * 1000) / 1000.0);
    Map<String, Object> part = new LinkedHashMap<>();
    part.put("banked", banked);
    part.put("query", query);
    return part;
  }

  /** Locations of a text: the character offset of every {@value #EVERY}th word, where its words end, and its pages. */
  static String locations(String text, List<Integer> pageStarts) {
    List<TextSpan> words = TextSketcher.wordOffsets(text);
    List<Integer> starts = new ArrayList<>();
    for (int i = 0; i < words.size(); i += EVERY) {
      starts.add(words.get(i).from());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("every", EVERY);
    out.put("starts", starts);
    out.put("end", words.isEmpty() ? 0 : words.getLast().to());
    out.put("page_starts", pageStarts);
    return JsonText.write(out);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> describe(Map<String, Object> part, String bankedLocations, ContentHasher.Result query) {
    Map<String, Object> out = new LinkedHashMap<>(part);
    if (bankedLocations != null && out.get("banked") instanceof Map<?, ?> banked) {
      Map<String, Object> more = new LinkedHashMap<>((Map<String, Object>) banked);
      JsonNode locations = JsonText.tree(bankedLocations);
      List<Integer> words = (List<Integer>) more.get("words");
      int from = charOf(locations, words.get(0), false);
      int to = charOf(locations, words.get(1), true);
      more.put("chars", List.of(from, to));
      JsonNode pageStarts = locations.get("page_starts");
      if (pageStarts != null && !pageStarts.isEmpty()) {
        more.put("pages", List.of(pageOf(pageStarts, from), pageOf(pageStarts, Math.max(from, to - 1))));
      }
      out.put("banked", more);
    }
    TextSketcher.WordOffsets offsets = query == null || query.textQuery() == null ? null : query.textQuery().offsets();
    if (offsets != null && out.get("query") instanceof Map<?, ?> queried) {
      Map<String, Object> more = new LinkedHashMap<>((Map<String, Object>) queried);
      List<Integer> words = (List<Integer>) more.get("words");
      if (offsets.count() > 0 && words.get(1) > words.get(0)) {
        int from = offsets.start(Math.min(words.get(0), offsets.count() - 1));
        int to = offsets.end(Math.min(words.get(1), offsets.count()) - 1);
        more.put("chars", List.of(from, to));
        more.put("excerpt", excerpt(query.text(), from, to));
      }
      out.put("query", more);
    }
    return out;
  }

  /**
   * The character where word {@code word} starts (or, with {@code end}, where the words before it
   * end), to the grain of the kept offsets: widened, never narrowed.
   */
  private static int charOf(JsonNode locations, int word, boolean end) {
    int every = locations.get("every").asInt();
    JsonNode starts = locations.get("starts");
    int textEnd = locations.get("end").asInt();
    if (starts.isEmpty()) {
      return 0;
    }
    int sample = end ? (word + every - 1) / every : word / every;
    return sample >= starts.size() ? textEnd : starts.get(sample).asInt();
  }

  /** The page (from 1) holding character {@code at}. */
  private static int pageOf(JsonNode pageStarts, int at) {
    int page = 1;
    for (JsonNode start : pageStarts) {
      if (start.asInt() <= at) {
        page++;
      }
    }
    return page;
  }

  /**
   * The span stripped, its runs of white space each one space, cut at {@value #EXCERPT_CHARS}
   * characters. Written in one pass that stops at the cut: a hit on a long text may span all of
   * it, and a query is described hit after hit.
   */
  static String excerpt(String text, int from, int to) {
    int start = from;
    int end = to;
    while (start < end && Character.isWhitespace(text.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    StringBuilder out = new StringBuilder(EXCERPT_CHARS + 1);
    boolean inRun = false;
    for (int i = start; i < end && out.length() <= EXCERPT_CHARS; i++) {
      char c = text.charAt(i);
      // ASCII white space (a regular expression's \s); a wider space such as U+2003 is kept as written.
      boolean white = c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
      if (!white) {
        out.append(c);
      } else if (!inRun) {
        out.append(' ');
      }
      inRun = white;
    }
    return out.length() <= EXCERPT_CHARS ? out.toString() : out.substring(0, EXCERPT_CHARS).strip() + " …";
  }
}
