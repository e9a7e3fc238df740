package org.countersignal.server.match;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.countersignal.server.bank.SignalCatalog;

/**
 * Completes what hits say they cover ({@link MatchHit#part}) with what only the banked entry's
 * stored locations and the query's own text can tell: characters and pages of the banked text,
 * characters of the query and an excerpt of it, so a reviewer reads what matched.
 */
public final class HitParts {

  private final SignalCatalog catalog;
  private final BiFunction<Long, String, Optional<String>> locations;

  /** @param locations entry id and type to the JSON locations kept with the entry's value */
  public HitParts(SignalCatalog catalog, BiFunction<Long, String, Optional<String>> locations) {
    this.catalog = catalog;
    this.locations = locations;
  }

  /** {@code hits}, each hit with a part described; {@code queryText} is the query content's text, or null. */
  public List<MatchHit> described(List<MatchHit> hits, String queryText) {
    List<MatchHit> out = new ArrayList<>(hits.size());
    for (MatchHit hit : hits) {
      if (hit.part() == null) {
        out.add(hit);
        continue;
      }
      String banked = locations.apply(hit.entryId(), hit.signalType()).orElse(null);
      out.add(hit.withPart(catalog.type(hit.signalType(), "signalType").describe(hit.part(), banked, queryText)));
    }
    return out;
  }
}
