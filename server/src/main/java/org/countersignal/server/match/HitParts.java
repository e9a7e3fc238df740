package org.countersignal.server.match;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.countersignal.server.bank.SignalCatalog;
import org.countersignal.signals.ContentHasher;

/**
 * Completes what hits say they cover ({@link MatchHit#part}) with what only the banked entry's
 * stored locations and the query's own text can tell: characters and pages of the banked text,
 * characters of the query and an excerpt of it, so a reviewer reads what matched.
 *
 * <p>An entry's locations are written with its values and never change, and entry numbers are
 * never reused, so those read are kept (up to {@link #KEPT_CHARS} characters of them): the entries
 * a service keeps hitting are then described without reading the database.
 */
public final class HitParts {

  private static final long KEPT_CHARS = 32L << 20;

  private final SignalCatalog catalog;
  private final BiFunction<Collection<Long>, String, Map<Long, String>> locations;
  private final Cache<Located, String> kept = Caffeine.newBuilder()
      .maximumWeight(KEPT_CHARS)
      .weigher((Located key, String value) -> value.length())
      .build();

  private record Located(String type, long entryId) {}

  /** @param locations entry ids and a type to the JSON locations kept with the entries' values, by entry id */
  public HitParts(SignalCatalog catalog, BiFunction<Collection<Long>, String, Map<Long, String>> locations) {
    this.catalog = catalog;
    this.locations = locations;
  }

  /** {@code hits}, each hit with a part described; {@code query} is the content the query was hashed from, or null. */
  public List<MatchHit> described(List<MatchHit> hits, ContentHasher.Result query) {
    // The entries' locations are read type by type, in one query each, not hit by hit.
    Map<String, Set<Long>> entriesByType = new HashMap<>();
    for (MatchHit hit : hits) {
      if (hit.part() != null) {
        entriesByType.computeIfAbsent(hit.signalType(), t -> new LinkedHashSet<>()).add(hit.entryId());
      }
    }
    Map<String, Map<Long, String>> banked = new HashMap<>();
    entriesByType.forEach((type, ids) -> banked.put(type, locations(type, ids)));
    List<MatchHit> out = new ArrayList<>(hits.size());
    for (MatchHit hit : hits) {
      if (hit.part() == null) {
        out.add(hit);
        continue;
      }
      String located = banked.get(hit.signalType()).get(hit.entryId());
      out.add(hit.withPart(catalog.type(hit.signalType(), "signalType").describe(hit.part(), located, query)));
    }
    return out;
  }

  private Map<Long, String> locations(String type, Set<Long> ids) {
    Map<Long, String> out = new HashMap<>();
    kept.getAll(ids.stream().map(id -> new Located(type, id)).toList(), missing -> {
      Map<Located, String> read = new HashMap<>();
      locations.apply(missing.stream().map(Located::entryId).toList(), type)
          .forEach((id, located) -> read.put(new Located(type, id), located));
      return read;
    }).forEach((key, located) -> out.put(key.entryId(), located));
    return out;
  }
}
