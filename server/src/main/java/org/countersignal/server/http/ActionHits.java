package org.countersignal.server.http;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.countersignal.server.action.ActionPipeline;
import org.countersignal.server.action.ContentInfo;
import org.countersignal.server.action.Media;
import org.countersignal.server.action.Outcome;
import org.countersignal.server.bank.SignalCatalog;
import org.countersignal.server.discovery.Discovery;
import org.countersignal.server.match.MatchHit;
import org.countersignal.server.match.Matcher;
import org.countersignal.server.signal.ServerSignalType;

/** What the match routes hand to the action pipeline. */
final class ActionHits {

  private ActionHits() {}

  /**
   * Whether a lookup without content details is recorded: the request's {@code record} when it
   * says, else its key's default. A plain lookup (a latency probe, a client checking a hash)
   * must not open review cases about content nobody named.
   */
  static boolean record(Context ctx, Boolean asked) {
    return asked != null ? asked : Authenticator.recordsMatches(ctx);
  }

  /** {@code ?record=true|false} on an upload; null when absent. */
  static Boolean recordParam(Context ctx) {
    return RequestBodies.booleanParam(ctx, "record");
  }

  /**
   * Records the submission and acts on its hits. A lookup with content details is kept even
   * without hits, so the account's history is whole; one without them is kept only when it hits
   * and {@code record} asks for it, else it leaves no trace (it is only a lookup). Nothing is
   * worked out for a plain lookup: this runs on every match.
   *
   * @param record whether a lookup without content details is recorded ({@link #record})
   * @param queries the signals looked up (the submission keeps them, and they tell its type when
   *     the caller did not)
   * @param video whether a video was matched
   * @param discovery where an upload that matched nothing leaves its signals (when it is on), or
   *     null: an upload is one with content details or recorded ({@code record})
   * @return what became of it, or null when nothing was recorded
   */
  static Outcome submit(ActionPipeline actions, SignalCatalog catalog, Context ctx, ContentInfo content, boolean record,
      List<Matcher.Query> queries, boolean video, List<MatchHit> hits, Media media, Discovery discovery) {
    Outcome outcome = null;
    if (content != null || (record && !hits.isEmpty())) {
      ContentInfo checked = content != null ? content : new ContentInfo(null, null, null, null).checked(typeOf(catalog, queries, video));
      outcome = actions.submit(Authenticator.principal(ctx), checked, signals(catalog, queries), hits, media);
    }
    if (discovery != null && hits.isEmpty() && (content != null || record)) {
      discovery.remember(queries, content == null ? null : content.id(), content == null ? null : content.account(),
          outcome == null ? null : outcome.submissionId());
    }
    return outcome;
  }

  /** The query's own signals, type to values (identities: a text's sketches are not kept); the dihedral variants of an upload are left out. */
  private static Map<String, List<String>> signals(SignalCatalog catalog, List<Matcher.Query> queries) {
    Map<String, Set<String>> byType = new LinkedHashMap<>();
    for (Matcher.Query query : queries) {
      if (query.variant() == null || "original".equals(query.variant())) {
        byType.computeIfAbsent(query.type(), k -> new LinkedHashSet<>()).add(catalog.identity(query.type(), query.value()));
      }
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    byType.forEach((type, values) -> out.put(type, List.copyOf(values)));
    return out;
  }

  /**
   * The kind of content signals come from, when the caller did not say: the kind of the first
   * type of the catalogue among them that names one (pdq: image), else a file (digests fit any).
   */
  static String typeOf(SignalCatalog catalog, List<Matcher.Query> queries, boolean video) {
    if (video) {
      return catalog.video().contentKind();
    }
    Set<String> types = new LinkedHashSet<>();
    queries.forEach(q -> types.add(q.type()));
    for (ServerSignalType type : catalog.types()) {
      if (types.contains(type.name()) && type.contentKind() != null) {
        return type.contentKind();
      }
    }
    return types.isEmpty() ? "other" : "file";
  }

  /** The image format from its first bytes, so the console shows it as what it is, not as the client declared it. */
  static String imageType(byte[] bytes) {
    if (starts(bytes, 0xFF, 0xD8, 0xFF)) {
      return "image/jpeg";
    }
    if (starts(bytes, 0x89, 'P', 'N', 'G')) {
      return "image/png";
    }
    if (starts(bytes, 'G', 'I', 'F', '8')) {
      return "image/gif";
    }
    if (starts(bytes, 'R', 'I', 'F', 'F') && bytes.length > 12 && bytes[8] == 'W' && bytes[9] == 'E' && bytes[10] == 'B' && bytes[11] == 'P') {
      return "image/webp";
    }
    if (starts(bytes, 'B', 'M')) {
      return "image/bmp";
    }
    return "application/octet-stream";
  }

  private static boolean starts(byte[] bytes, int... prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((bytes[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
