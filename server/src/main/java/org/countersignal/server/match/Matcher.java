package org.countersignal.server.match;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.countersignal.index.hamming.Match;
import org.countersignal.index.video.VideoFrame;
import org.countersignal.index.video.VideoMatch;
import org.countersignal.index.video.VideoMatchRules;
import org.countersignal.signals.vpdq.VpdqSignal;
import org.countersignal.server.RequestException;
import org.countersignal.server.bank.SignalCatalog;
import org.countersignal.server.store.JsonText;
import org.jdbi.v3.core.Jdbi;

/**
 * Looks query signals up in the indexes, then keeps the hits whose entry is enabled, whose bank
 * is enabled (and asked for) and whose distance is within that bank's threshold for the type.
 *
 * <p>The index answers "which entries are near"; the database answers "are they still live, and
 * what are they". Hits are rare, so reading their rows costs little, and checking the rows means
 * a change that has committed but not yet reached this replica's index can never make a disabled
 * entry match (it can at most make a brand new entry miss for the poll interval).
 */
public final class Matcher {

  /**
   * A query signal after canonicalisation. {@code variant} names the dihedral variant of an
   * uploaded image this hash is (e.g. {@code rotate90}), or is null for a hash the caller gave.
   */
  public record Query(String type, String value, String variant) {
    public Query(String type, String value) {
      this(type, value, null);
    }
  }

  private final Jdbi jdbi;
  private final MatchIndexes indexes;
  private final ChangeFollower follower;

  public Matcher(Jdbi jdbi, MatchIndexes indexes, ChangeFollower follower) {
    this.jdbi = jdbi;
    this.indexes = indexes;
    this.follower = follower;
  }

  private record BankRow(
      long id, String name, boolean enabled, List<String> labels, List<String> entities, Map<String, Integer> thresholds) {}

  private record EntryRow(long id, long bankId, boolean enabled, List<String> labels, List<String> entities) {}

  private record Candidate(Query query, long entryId, int distance) {}

  /**
   * @param bankIds banks to match against; null or empty for every enabled bank
   */
  public List<MatchHit> match(List<Query> queries, List<Long> bankIds) {
    requireLoaded();
    Map<Long, BankRow> banks = enabledBanks(bankIds);
    if (banks.isEmpty() || queries.isEmpty()) {
      return List.of();
    }
    Map<String, Integer> radius = new HashMap<>();
    for (BankRow bank : banks.values()) {
      bank.thresholds().forEach((type, t) -> radius.merge(type, t, Math::max));
    }
    List<Candidate> candidates = new ArrayList<>();
    for (Query query : queries) {
      Integer r = radius.get(query.type());
      if (r == null) {
        continue;
      }
      if (SignalCatalog.PDQ.equals(query.type())) {
        for (Match m : indexes.searchPdq(query.value(), r)) {
          candidates.add(new Candidate(query, m.id(), m.distance()));
        }
      } else {
        for (long id : indexes.lookupExact(query.type(), query.value())) {
          candidates.add(new Candidate(query, id, 0));
        }
      }
    }
    if (candidates.isEmpty()) {
      return List.of();
    }
    candidates.sort(Comparator.comparingInt(Candidate::distance));
    Map<Long, EntryRow> entries = entries(candidates);
    List<MatchHit> hits = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Candidate c : candidates) {
      EntryRow entry = entries.get(c.entryId());
      if (entry == null || !entry.enabled()) {
        continue;
      }
      BankRow bank = banks.get(entry.bankId());
      if (bank == null) {
        continue;
      }
      int threshold = bank.thresholds().getOrDefault(c.query().type(), 0);
      if (c.distance() > threshold) {
        continue;
      }
      // One hit per entry and query hash; for the variants of one image, only the nearest.
      String key = c.entryId() + "/" + c.query().type() + "/" + (c.query().variant() != null ? "variants" : c.query().value());
      if (!seen.add(key)) {
        continue;
      }
      hits.add(new MatchHit(bank.id(), bank.name(), entry.id(), c.query().type(), c.query().value(),
          c.distance(), threshold, c.query().variant(), joined(entry.labels(), bank.labels()),
          joined(entry.entities(), bank.entities())));
    }
    hits.sort(Comparator.comparingInt(MatchHit::distance).thenComparingLong(MatchHit::entryId));
    return hits;
  }

  /**
   * Video entries the query video matches, bank by bank under each bank's rules: the share of
   * the bank video's distinct good frames that may stay unmatched ({@code vpdq}, default 20: the
   * reference's 80 % matched), the frame distance ({@code vpdq_frame}, 31) and the share of the
   * query's frames that must match ({@code vpdq_query_percent}, 0). Banks sharing rules share one
   * lookup.
   */
  public List<VideoHit> matchVideo(VpdqSignal query, List<Long> bankIds) {
    requireLoaded();
    Map<Long, BankRow> banks = enabledBanks(bankIds);
    if (banks.isEmpty() || query.frames().isEmpty() || indexes.size(SignalCatalog.VPDQ) == 0) {
      return List.of();
    }
    Map<VideoMatchRules, List<BankRow>> byRules = new LinkedHashMap<>();
    for (BankRow bank : banks.values()) {
      byRules.computeIfAbsent(videoRules(bank), r -> new ArrayList<>()).add(bank);
    }
    List<VideoFrame> frames = MatchIndexes.frames(query);
    Map<Long, VideoMatch> found = new HashMap<>();
    Map<Long, VideoMatchRules> rulesOf = new HashMap<>();
    for (Map.Entry<VideoMatchRules, List<BankRow>> group : byRules.entrySet()) {
      for (VideoMatch match : indexes.searchVideo(frames, group.getKey())) {
        found.put(match.videoId(), match);
        rulesOf.put(match.videoId(), group.getKey());
      }
    }
    if (found.isEmpty()) {
      return List.of();
    }
    Map<Long, EntryRow> entries = entryRows(found.keySet());
    List<VideoHit> hits = new ArrayList<>();
    for (VideoMatch match : found.values()) {
      EntryRow entry = entries.get(match.videoId());
      if (entry == null || !entry.enabled()) {
        continue;
      }
      BankRow bank = banks.get(entry.bankId());
      // The entry's bank must be one whose rules produced this match.
      if (bank == null || !videoRules(bank).equals(rulesOf.get(match.videoId()))) {
        continue;
      }
      VideoMatchRules rules = rulesOf.get(match.videoId());
      hits.add(new VideoHit(bank.id(), bank.name(), entry.id(), SignalCatalog.VPDQ, round(match.queryMatchedPercent()),
          round(match.bankMatchedPercent()), rules.maxDistance(), (int) rules.minBankPercent(), (int) rules.minQueryPercent(),
          new VideoHit.Segment(millis(match.bankFromSeconds()), millis(match.bankToSeconds())),
          joined(entry.labels(), bank.labels()), joined(entry.entities(), bank.entities())));
    }
    hits.sort(Comparator.comparingDouble(VideoHit::bankMatchedPercent).reversed().thenComparingLong(VideoHit::entryId));
    return hits;
  }

  /** Frame times are kept as floats in the index; the API gives them to the millisecond, as the reference files do. */
  private static double millis(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }

  /** Matching before the indexes have loaded would answer "no match" for banked content. */
  private void requireLoaded() {
    if (!follower.isCaughtUp()) {
      throw new RequestException(RequestException.Kind.NOT_READY, "the indexes are still loading; retry shortly");
    }
  }

  /** A hit's labels (or entities): the entry's own, then its bank's, without repeats. */
  private static List<String> joined(List<String> entry, List<String> bank) {
    Set<String> all = new LinkedHashSet<>(entry);
    all.addAll(bank);
    return List.copyOf(all);
  }

  private static double round(double percent) {
    return Math.round(percent * 100) / 100.0;
  }

  private VideoMatchRules videoRules(BankRow bank) {
    Map<String, Integer> t = bank.thresholds();
    return new VideoMatchRules(VideoMatchRules.DEFAULT.minQuality(),
        // Banks made before video rules existed have none stored: they get the defaults.
        t.getOrDefault(SignalCatalog.VPDQ_FRAME, VideoMatchRules.DEFAULT.maxDistance()),
        100 - t.getOrDefault(SignalCatalog.VPDQ, 100 - (int) VideoMatchRules.DEFAULT.minBankPercent()),
        t.getOrDefault(SignalCatalog.VPDQ_QUERY_PERCENT, (int) VideoMatchRules.DEFAULT.minQueryPercent()));
  }

  private Map<Long, BankRow> enabledBanks(List<Long> bankIds) {
    List<BankRow> rows = jdbi.withHandle(h -> h.createQuery(
            "SELECT id, name, enabled, labels, entities, thresholds FROM banks ORDER BY id")
        .map((rs, ctx) -> new BankRow(rs.getLong("id"), rs.getString("name"), rs.getBoolean("enabled"),
            JsonText.stringList(rs.getString("labels")), JsonText.stringList(rs.getString("entities")),
            JsonText.intMap(rs.getString("thresholds"))))
        .list());
    Set<Long> known = new HashSet<>();
    for (BankRow row : rows) {
      known.add(row.id());
    }
    if (bankIds != null) {
      for (int i = 0; i < bankIds.size(); i++) {
        if (!known.contains(bankIds.get(i))) {
          throw RequestException.invalid("banks[" + i + "]", "bank " + bankIds.get(i) + " does not exist");
        }
      }
    }
    Map<Long, BankRow> out = new HashMap<>();
    for (BankRow row : rows) {
      if (row.enabled() && (bankIds == null || bankIds.isEmpty() || bankIds.contains(row.id()))) {
        out.put(row.id(), row);
      }
    }
    return out;
  }

  private Map<Long, EntryRow> entries(List<Candidate> candidates) {
    Set<Long> ids = new LinkedHashSet<>();
    for (Candidate c : candidates) {
      ids.add(c.entryId());
    }
    return entryRows(ids);
  }

  private Map<Long, EntryRow> entryRows(java.util.Collection<Long> ids) {
    List<EntryRow> rows = jdbi.withHandle(h -> h.createQuery(
            "SELECT id, bank_id, enabled, labels, entities FROM entries WHERE id IN (<ids>)")
        .bindList("ids", new ArrayList<>(ids))
        .map((rs, ctx) -> new EntryRow(rs.getLong("id"), rs.getLong("bank_id"), rs.getBoolean("enabled"),
            JsonText.stringList(rs.getString("labels")), JsonText.stringList(rs.getString("entities"))))
        .list());
    Map<Long, EntryRow> out = new HashMap<>();
    for (EntryRow row : rows) {
      out.put(row.id(), row);
    }
    return out;
  }
}
