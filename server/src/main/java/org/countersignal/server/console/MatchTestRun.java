package org.countersignal.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.countersignal.server.fetch.UrlFetcher;
import org.countersignal.server.hashing.HashingPool;
import org.countersignal.server.match.HitParts;
import org.countersignal.server.match.MatchHit;
import org.countersignal.server.match.Matcher;
import org.countersignal.server.match.QueryParser;
import org.countersignal.server.signal.ServerSignalType;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.ContentHasher;
import org.countersignal.signals.ContentType;

/**
 * A trial match: content or a hash looked up in the banks as the match API looks it up, with
 * nothing done about what it finds. It hashes on the server's hashing pool and asks
 * {@link Matcher#dryRun}, the lookup itself: no submission is recorded, no rule or webhook runs,
 * no case is opened (all of that is the API's action pipeline, which is never called here) and
 * the flood guard counts nothing (the lookup is not told to its hit counter). Videos are left to
 * the API, whose background jobs hash them.
 */
public final class MatchTestRun {

  /** What was looked up and what was found. {@code signals}: each looked-up signal as "type value", shortened. */
  record Found(List<String> signals, List<MatchHit> hits, List<org.countersignal.server.match.CancelledHit> cancelled,
      boolean truncated) {}

  private static final int HEAD_BYTES = 4096;
  private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(30);

  private final Matcher matcher;
  private final QueryParser parser;
  private final ContentHasher hasher;
  private final HashingPool hashing;
  private final UrlFetcher fetcher;
  private final HitParts parts;
  private final long maxBytes;

  /** @param maxBytes the largest image, text or document the API hashes at once, which the tester takes too */
  public MatchTestRun(Matcher matcher, QueryParser parser, ContentHasher hasher, HashingPool hashing, UrlFetcher fetcher, HitParts parts,
      long maxBytes) {
    this.matcher = matcher;
    this.parser = parser;
    this.hasher = hasher;
    this.hashing = hashing;
    this.fetcher = fetcher;
    this.parts = parts;
    this.maxBytes = maxBytes;
  }

  long maxBytes() {
    return maxBytes;
  }

  /** The types a hash may be given as: those looked up by value, which a pasted hash can be. */
  List<String> hashTypes() {
    return matcher.catalog().names().stream()
        .filter(name -> matcher.catalog().find(name).map(ServerSignalType::matchedByValue).orElse(false))
        .sorted().toList();
  }

  Found text(String text, List<Long> banks) {
    return content(hash(() -> hasher.hashText(text)), banks);
  }

  Found bytes(byte[] bytes, List<Long> banks) {
    if (bytes.length > maxBytes) {
      throw new RequestException(Kind.TOO_LARGE, "the file has more than " + maxBytes + " bytes, the most the tester takes");
    }
    refuseVideo(bytes);
    return content(hash(() -> hasher.hash(bytes, false)), banks);
  }

  /** Fetched through the same guard as the API's URL routes: only public addresses, within the size limit. */
  Found url(String url, List<Long> banks) throws IOException {
    try (UrlFetcher.Download download = fetcher.open(url, maxBytes, FETCH_TIMEOUT)) {
      refuseVideo(download.peek(HEAD_BYTES));
      byte[] bytes = download.readAll(maxBytes);
      return content(hash(() -> hasher.hash(bytes, false)), banks);
    }
  }

  /** A hash in any spelling its type accepts, checked as the match API checks it. */
  Found hash(String type, String value, List<Long> banks) {
    QueryParser.Parsed parsed = parser.parse(Map.<String, JsonNode>of(type, TextNode.valueOf(value)));
    if (parsed.video() != null) {
      throw RequestException.invalid("hash", "a video's frame hashes are matched through the API (POST /api/v1/match)");
    }
    Matcher.Found found = matcher.dryRun(parsed.queries(), banks);
    List<String> signals = parsed.queries().stream().map(q -> q.type() + " " + shortened(q.value())).toList();
    return new Found(signals, parts.described(found.hits(), null), found.cancelled(), found.truncated());
  }

  private Found content(ContentHasher.Result result, List<Long> banks) {
    List<Matcher.Query> queries = queries(result);
    Matcher.Found found = matcher.dryRun(queries, banks);
    List<String> signals = result.signals().stream().map(c -> c.type().name() + " " + shortened(c.text())).toList();
    return new Found(signals, parts.described(found.hits(), result), found.cancelled(), found.truncated());
  }

  /** The content's signals to look up, as the API's content routes build them (without an image's variants). */
  private List<Matcher.Query> queries(ContentHasher.Result result) {
    List<Matcher.Query> list = new ArrayList<>();
    for (ContentHasher.Computed<?> computed : result.signals()) {
      ServerSignalType type = matcher.catalog().find(computed.type().name()).filter(ServerSignalType::matchedByValue).orElse(null);
      if (type != null) {
        list.add(new Matcher.Query(type.name(), computed.text(), null, type.quality(computed.value()), type.probe(computed.value(), result)));
      }
    }
    return list;
  }

  private static void refuseVideo(byte[] head) {
    ContentType type;
    try {
      type = ContentHasher.detect(head, true);
    } catch (ContentException e) {
      throw unreadable();
    }
    if (type == ContentType.VIDEO) {
      throw new RequestException(Kind.UNSUPPORTED_MEDIA_TYPE,
          "this is a video: videos take minutes to hash and are matched through the API (POST /api/v1/match/upload), not here");
    }
  }

  private static RequestException unreadable() {
    return new RequestException(Kind.UNSUPPORTED_MEDIA_TYPE, "the content is not something this service can read (images: JPEG, PNG,"
        + " GIF, BMP, WebP, TIFF; documents: PDF, DOCX, HTML; plain text in UTF-8 or UTF-16)");
  }

  private ContentHasher.Result hash(Callable<ContentHasher.Result> task) {
    try {
      return hashing.run(task);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RequestException(Kind.BUSY, "the server is stopping");
    } catch (ContentException e) {
      if (e.reason() == ContentException.Reason.UNSUPPORTED_FORMAT) {
        throw unreadable();
      }
      throw RequestException.invalid("content", "the content could not be hashed (" + e.reason() + "): " + e.getMessage());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("hashing content failed", e);
    }
  }

  /** A text's value runs to kilobytes: its start is enough to tell which signal it is. */
  static String shortened(String value) {
    return value.length() <= 80 ? value : value.substring(0, 40) + "…";
  }
}
