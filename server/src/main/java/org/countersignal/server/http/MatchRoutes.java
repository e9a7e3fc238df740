package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.MATCHER;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.countersignal.server.bank.SignalCatalog;
import org.countersignal.server.match.MatchHit;
import org.countersignal.server.match.Matcher;
import org.countersignal.server.metrics.ServiceMetrics;
import org.countersignal.server.match.QueryParser;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.ContentHasher;
import org.countersignal.signals.ContentType;
import org.countersignal.signals.pdq.Dihedral;
import org.countersignal.signals.pdq.PdqHash;
import org.countersignal.signals.pdq.PdqSignal;

/**
 * Matching: by precomputed signals ({@code POST /api/v1/match}) or by an uploaded image, which
 * is hashed here ({@code POST /api/v1/hash} only hashes, {@code POST /api/v1/match/upload}
 * hashes and matches). For matchers and admins.
 */
final class MatchRoutes {

  /** Body of POST /match. */
  record MatchRequest(Map<String, JsonNode> signals, List<Long> banks) {}

  private final Matcher matcher;
  private final QueryParser queries;
  private final ContentHasher hasher;
  private final RequestBodies bodies;
  private final long maxUploadBytes;
  private final ServiceMetrics metrics;

  MatchRoutes(Matcher matcher, QueryParser queries, ContentHasher hasher, RequestBodies bodies, long maxUploadBytes,
      ServiceMetrics metrics) {
    this.metrics = metrics;
    this.matcher = matcher;
    this.queries = queries;
    this.hasher = hasher;
    this.bodies = bodies;
    this.maxUploadBytes = maxUploadBytes;
  }

  void register(RoutesConfig routes) {
    routes.post("/api/v1/match", this::match, ADMIN, MATCHER);
    routes.post("/api/v1/hash", ctx -> ctx.json(Map.of("signals", signalsOf(hashUpload(ctx, false)))), ADMIN, MATCHER);
    routes.post("/api/v1/match/upload", this::matchUpload, ADMIN, MATCHER);
  }

  private void match(Context ctx) {
    MatchRequest request = bodies.json(ctx, MatchRequest.class);
    List<Matcher.Query> list = queries.parse(request.signals());
    List<MatchHit> hits = matcher.match(list, request.banks());
    metrics.matched(list, hits);
    ctx.json(Map.of("matches", hits));
  }

  /**
   * Hashes the uploaded image and matches its signals. With {@code ?dihedral=true} the PDQ hashes
   * of all eight rotations and mirrors are matched too (computed from one decode), and each PDQ
   * hit says which variant matched, so a flipped or rotated re-upload is found.
   */
  private void matchUpload(Context ctx) {
    boolean dihedral = "true".equalsIgnoreCase(ctx.queryParam("dihedral"));
    List<Long> banks = bankParam(ctx);
    ContentHasher.Result result = hashUpload(ctx, dihedral);
    List<Matcher.Query> list = new ArrayList<>();
    for (ContentHasher.Computed<?> computed : result.signals()) {
      String type = computed.type().name();
      if (SignalCatalog.PDQ.equals(type) && result.pdqVariants() != null) {
        continue;
      }
      if (SignalCatalog.PDQ.equals(type) || SignalCatalog.MD5.equals(type) || SignalCatalog.SHA256.equals(type)) {
        list.add(new Matcher.Query(type, computed.text()));
      }
    }
    if (result.pdqVariants() != null) {
      for (Map.Entry<Dihedral, PdqHash> variant : result.pdqVariants().entrySet()) {
        list.add(new Matcher.Query(SignalCatalog.PDQ, variant.getValue().toHex(), variant.getKey().wireName()));
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("signals", signalsOf(result));
    List<MatchHit> hits = matcher.match(list, banks);
    metrics.matched(list, hits);
    out.put("matches", hits);
    ctx.json(out);
  }

  /** {@code ?banks=1,2} on upload calls, whose body is the image. */
  private static List<Long> bankParam(Context ctx) {
    String text = ctx.queryParam("banks");
    if (text == null || text.isBlank()) {
      return null;
    }
    List<Long> ids = new ArrayList<>();
    for (String part : text.split(",")) {
      try {
        ids.add(Long.parseLong(part.strip()));
      } catch (NumberFormatException e) {
        throw new RequestException(Kind.MALFORMED, "banks", "query parameter 'banks' is a comma-separated list of bank ids");
      }
    }
    return ids;
  }

  /** The uploaded image's signals as the API shows them: {@code pdq} (hash and quality), {@code md5}, {@code sha256}. */
  private static Map<String, Object> signalsOf(ContentHasher.Result result) {
    Map<String, Object> signals = new LinkedHashMap<>();
    for (ContentHasher.Computed<?> computed : result.signals()) {
      if (computed.value() instanceof PdqSignal pdq) {
        signals.put(SignalCatalog.PDQ, Map.of("hash", computed.text(), "quality", pdq.quality()));
      } else {
        signals.put(computed.type().name(), computed.text());
      }
    }
    return signals;
  }

  /** Checks and hashes the uploaded image. */
  private ContentHasher.Result hashUpload(Context ctx, boolean withVariants) {
    String contentType = ctx.contentType();
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("image/")) {
      throw new RequestException(Kind.UNSUPPORTED_MEDIA_TYPE, "send the image bytes with an image/* content type (got " + contentType + ")");
    }
    if (ctx.contentLength() > maxUploadBytes) {
      throw new RequestException(Kind.TOO_LARGE, "an upload may have at most " + maxUploadBytes + " bytes");
    }
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length > maxUploadBytes) {
      throw new RequestException(Kind.TOO_LARGE, "an upload may have at most " + maxUploadBytes + " bytes");
    }
    try {
      if (ContentHasher.detect(bytes) != ContentType.PHOTO) {
        throw new RequestException(Kind.UNSUPPORTED_MEDIA_TYPE, "the body is not an image this service can read");
      }
      return hasher.hash(bytes, withVariants);
    } catch (ContentException e) {
      if (e.reason() == ContentException.Reason.UNSUPPORTED_FORMAT) {
        throw new RequestException(Kind.UNSUPPORTED_MEDIA_TYPE, "the body is not an image this service can read: " + e.getMessage());
      }
      throw new RequestException(Kind.INVALID, "body", "the image could not be hashed (" + e.reason() + "): " + e.getMessage());
    }
  }
}
