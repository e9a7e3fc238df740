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
import org.countersignal.server.bank.BankPurpose;
import org.countersignal.server.bank.SignalCatalog;
import org.countersignal.server.match.EntryRows.EntryRow;
import org.countersignal.server.signal.ServerSignalType;
import org.countersignal.server.signal.VpdqType;
import org.countersignal.server.store.JsonText;
import org.jdbi.v3.core.Jdbi;

/**
 * Looks query signals up in the indexes, then keeps the hits whose entry is enabled, whose bank
 * is enabled (and asked for) and whose distance is within that bank's threshold for the type.
 *
 * <p>The index answers "which entries are near"; the entries' rows answer "are they still live,
 * and what are they" ({@link EntryRows}: from memory while this process has applied every
 * committed change, else from the database). Hits are rare, and {@link HitLimits} keeps them few
 * when a wide threshold makes them not; and checking the rows means a change that has committed
 * but not yet reached this replica's index can never make a disabled entry match (it can at most
 * make a brand new entry miss for the poll interval).
 *
 * <p>Entries of enabled negative banks ({@link org.countersignal.server.bank.BankPurpose}) are
 * searched in every match, whichever banks it names, and are never hits: a query signal within
 * a negative bank's threshold of one of them has its hits cancelled, and they are answered apart,
 * each with the entry that cancelled it. A negative entry is found among a query signal's nearest
 * candidates, as hits are (twice {@link HitLimits#perQuery}).
 */
public final class Matcher {

  /**
   * A query signal after canonicalisation. {@code variant} names which transform of a banked
   * image the upload is when this hash matches (e.g. {@code rotate90}: the upload is the banked
   * image turned a quarter anticlockwise), or is null for a hash the caller gave.
   * {@code quality} is the quality the service computed for it, or -1 when it has none (given as
   * text, or a type without one); banks with a quality floor skip hashes below it. {@code probe}
   * is what the service computed from the content to search with, beyond the value (a text's
   * query chunks; see {@link org.countersignal.server.signal.SignalIndex#search(String, Object, int,
   * org.countersignal.index.hamming.MatchSink)}), or null.
   */
  public record Query(String type, String value, String variant, int quality, Object probe) {
    public Query(String type, String value) {
      this(type, value, null, -1, null);
    }

    public Query(String type, String value, int quality) {
      this(type, value, null, quality, null);
    }

    public Query(String type, String value, String variant, int quality) {
      this(type, value, variant, quality, null);
    }
  }

  /**
   * Hits, nearest first (ties by entry id), as many as the caps let through.
   *
   * @param truncated whether a cap left out at least one hit
   * @param incomplete the query signals (see {@link #signalOf}) whose hits may lack some: a cap on
   *     the signal left one out, or the cap on the whole match was reached before all of the
   *     signal's candidates were looked at
   */
  public record Found(List<MatchHit> hits, boolean truncated, Set<String> incomplete, List<CancelledHit> cancelled) {
    static final Found NONE = new Found(List.of(), false, Set.of(), List.of());

    /** Whether some hits of {@code query} may have been left out. */
    public boolean incomplete(Query query) {
      return incomplete.contains(signalOf(query));
    }
  }

  /**
   * Video hits, best first, as many as the cap lets through, and whether it left some out;
   * {@code cancelled}: the hits a negative bank's video cancelled (then {@code hits} is empty).
   */
  public record FoundVideos(List<VideoHit> hits, boolean truncated, List<CancelledVideoHit> cancelled) {
    static final FoundVideos NONE = new FoundVideos(List.of(), false, List.of());
  }

  /** Entry rows are read this many at a time, in the order the hits are taken. */
  private static final int ROWS_PER_READ = 500;

  private static final long BANKS_FRESH_NANOS = 1_000_000_000L;

  private final Jdbi jdbi;
  private final MatchIndexes indexes;
  private final ChangeFollower follower;
  private final HitLimits limits;
  private final SignalCatalog catalog;
  private final EntryRows entryRows;
  private volatile HitCounter counter = HitCounter.NONE;
  private final java.util.function.LongSupplier nanoTime;
  private volatile BankRows banks;

  public Matcher(Jdbi jdbi, MatchIndexes indexes, ChangeFollower follower) {
    this(jdbi, indexes, follower, HitLimits.DEFAULT);
  }

  public Matcher(Jdbi jdbi, MatchIndexes indexes, ChangeFollower follower, HitLimits limits) {
    this(jdbi, indexes, follower, limits, System::nanoTime);
  }

  /** @param nanoTime a monotonic clock in nanoseconds, for how long the banks' rows are kept */
  public Matcher(Jdbi jdbi, MatchIndexes indexes, ChangeFollower follower, HitLimits limits, java.util.function.LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.jdbi = jdbi;
    this.indexes = indexes;
    this.follower = follower;
    this.limits = limits;
    this.catalog = indexes.catalog();
    this.entryRows = new EntryRows(jdbi, follower);
  }

  public SignalCatalog catalog() {
    return catalog;
  }

  /** How many values of {@code type} the index holds now. */
  public long indexed(String type) {
    return indexes.size(type);
  }

  public HitLimits limits() {
    return limits;
  }

  /** Tells {@code counter} of the entries each match hits from now on. */
  public void countHitsWith(HitCounter counter) {
    this.counter = counter;
  }

  private void count(java.util.stream.Stream<Long> entryIds) {
    Set<Long> ids = entryIds.collect(java.util.stream.Collectors.toSet());
    if (!ids.isEmpty()) {
      counter.hit(ids);
    }
  }

  /** The banks as read at {@code readAt} (nanoTime), and their ids. */
  private record BankRows(List<BankRow> rows, Set<Long> ids, long readAt) {
    BankRows(List<BankRow> rows, long readAt) {
      this(List.copyOf(rows), rows.stream().map(BankRow::id).collect(java.util.stream.Collectors.toUnmodifiableSet()), readAt);
    }
  }

  private record BankRow(long id, String name, boolean enabled, List<String> labels, List<String> entities,
      Map<String, Integer> thresholds, boolean negative) {}

  /**
   * {@code index} is the query's position in the request; {@code signal} its {@link #signalOf};
   * {@code identity} its value's identity, which hits report.
   */
  private record Candidate(int index, Query query, String signal, String identity, long entryId, int distance) {}

  /**
   * The query signal a query hash belongs to, which the per-signal cap counts by: the dihedral
   * variants of one uploaded image are one signal (they find the same entries), any other hash
   * is its own.
   */
  static String signalOf(Query query) {
    return query.type() + "/" + (query.variant() != null ? "variants" : query.value());
  }

  /**
   * The hits of a single match, at most {@link HitLimits#perResponse} of them.
   *
   * @param bankIds banks to match against; null or empty for every enabled bank
   */
  public Found match(List<Query> queries, List<Long> bankIds) {
    return match(queries, bankIds, limits.perResponse());
  }

  /**
   * At most {@link HitLimits#perQuery} hits per query signal and {@code maxHits} in all, the
   * nearest ones.
   *
   * <p>The caps bound the work, not only the answer: each query hash keeps only its nearest few
   * candidates while the index reports them (twice the per-signal cap, so the caps can tell
   * whether they left a hit out), and entry rows are read in the order hits are taken, stopping
   * when the caps are full. Only when candidates that turn out not to be hits (disabled entries,
   * banks not asked for, beyond their bank's threshold) crowd out the kept ones does the lookup
   * run again with room for more, so a disabled near-duplicate never hides a live match.
   *
   * @param bankIds banks to match against; null or empty for every enabled bank
   */
  public Found match(List<Query> queries, List<Long> bankIds, int maxHits) {
    Found found = find(queries, bankIds, maxHits);
    count(found.hits().stream().map(MatchHit::entryId));
    return found;
  }

  /**
   * The hits {@link #match(List, List)} would give, found the same way, but told to no
   * {@link HitCounter}: a trial lookup (the console's match tester) must not look like traffic to
   * the flood guard. It reads the indexes and the entries and writes nothing.
   */
  public Found dryRun(List<Query> queries, List<Long> bankIds) {
    return find(queries, bankIds, limits.perResponse());
  }

  private Found find(List<Query> queries, List<Long> bankIds, int maxHits) {
    requireLoaded();
    Map<Long, BankRow> banks = enabledBanks(bankIds);
    if (banks.isEmpty() || queries.isEmpty()) {
      return Found.NONE;
    }
    Map<String, Integer> radius = new HashMap<>();
    for (BankRow bank : banks.values()) {
      bank.thresholds().forEach((type, t) -> radius.merge(type, t, Math::max));
    }
    Map<Long, EntryRow> rows = new HashMap<>();
    int kept = saturated(2L * limits.perQuery());
    // Once per query: a text's value runs to kilobytes, and every candidate and hit is keyed by it.
    String[] signals = new String[queries.size()];
    String[] identities = new String[queries.size()];
    for (int i = 0; i < queries.size(); i++) {
      signals[i] = signalOf(queries.get(i));
    }
    while (true) {
      List<Candidate> candidates = new ArrayList<>();
      boolean[] more = new boolean[queries.size()];
      for (int i = 0; i < queries.size(); i++) {
        Query query = queries.get(i);
        Integer r = radius.get(query.type());
        ServerSignalType type = catalog.find(query.type()).orElse(null);
        if (r == null || type == null || !type.matchedByValue()) {
          continue;
        }
        Nearest nearest = indexes.search(query.type(), query.value(), query.probe(), r, kept);
        more[i] = nearest.more();
        if (identities[i] == null && !nearest.matches().isEmpty()) {
          // Only for a query with candidates: a video's identity is a digest of all its frames.
          identities[i] = catalog.identity(query.type(), query.value());
        }
        for (Match m : nearest.matches()) {
          candidates.add(new Candidate(i, query, signals[i], identities[i], m.id(), m.distance()));
        }
      }
      if (candidates.isEmpty()) {
        return Found.NONE;
      }
      candidates.sort(Comparator.comparingInt(Candidate::distance).thenComparingLong(Candidate::entryId)
          .thenComparingInt(Candidate::index));
      Walk walk = walk(candidates, banks, rows, maxHits);
      if (!walk.leftOutTooMuch(candidates, more)) {
        return walk.found(candidates, cancellers(candidates, walk, banks, rows));
      }
      kept = saturated(4L * kept);
    }
  }

  private static int saturated(long n) {
    return (int) Math.min(n, Integer.MAX_VALUE - 8);
  }

  /** One pass over the candidates, nearest first. {@code stop} is where the cap on the whole match stopped it. */
  private record Walk(List<MatchHit> hits, List<String> signals, Set<String> cut, int stop, boolean capped) {

    /**
     * Whether a query hash dropped candidates that this pass would have reached: its kept ones
     * all came before the stop and its signal still had room.
     */
    boolean leftOutTooMuch(List<Candidate> candidates, boolean[] more) {
      int[] last = new int[more.length];
      java.util.Arrays.fill(last, -1);
      for (int i = 0; i < candidates.size(); i++) {
        last[candidates.get(i).index()] = i;
      }
      for (int i = 0; i < candidates.size(); i++) {
        Candidate c = candidates.get(i);
        if (more[c.index()] && last[c.index()] < stop && !cut.contains(c.signal())) {
          return true;
        }
      }
      return false;
    }

    /** @param cancellers the query signals near a negative bank's entry, each to the nearest such entry */
    Found found(List<Candidate> candidates, Map<String, CancelledHit.By> cancellers) {
      Set<String> incomplete = new HashSet<>(cut);
      if (capped) {
        for (int i = stop; i < candidates.size(); i++) {
          incomplete.add(candidates.get(i).signal());
        }
      }
      List<MatchHit> live = new ArrayList<>();
      List<CancelledHit> cancelled = new ArrayList<>();
      for (int i = 0; i < hits.size(); i++) {
        CancelledHit.By by = cancellers.get(signals.get(i));
        if (by == null) {
          live.add(hits.get(i));
        } else {
          cancelled.add(new CancelledHit(hits.get(i), by));
        }
      }
      return new Found(List.copyOf(live), capped || !cut.isEmpty(), Set.copyOf(incomplete), List.copyOf(cancelled));
    }
  }

  /** An entry found for a query signal; the signal is the candidates' shared string, so its hash is computed once. */
  private record Seen(long entryId, String signal) {}

  private Walk walk(List<Candidate> candidates, Map<Long, BankRow> banks, Map<Long, EntryRow> rows, int maxHits) {
    List<MatchHit> hits = new ArrayList<>();
    List<String> hitSignals = new ArrayList<>();
    Map<String, Integer> perSignal = new HashMap<>();
    Set<String> cut = new HashSet<>();
    Set<Seen> seen = new HashSet<>();
    for (int i = 0; i < candidates.size(); i++) {
      Candidate c = candidates.get(i);
      if (cut.contains(c.signal())) {
        continue; // full, and already known to be cut: its row need not be read
      }
      EntryRow entry = row(candidates, i, rows);
      if (!entry.enabled()) {
        continue;
      }
      BankRow bank = banks.get(entry.bankId());
      if (bank == null || bank.negative()) {
        continue; // a negative bank's entries are never hits: cancellers finds them
      }
      int threshold = bank.thresholds().getOrDefault(c.query().type(), 0);
      if (c.distance() > threshold || belowFloor(c.query(), bank)) {
        continue;
      }
      // One hit per entry and query hash; for the variants of one image, only the nearest.
      Seen key = new Seen(c.entryId(), c.signal());
      if (seen.contains(key)) {
        continue;
      }
      if (perSignal.getOrDefault(c.signal(), 0) >= limits.perQuery()) {
        cut.add(c.signal());
        continue;
      }
      if (hits.size() >= maxHits) {
        return new Walk(hits, hitSignals, cut, i, true);
      }
      seen.add(key);
      perSignal.merge(c.signal(), 1, Integer::sum);
      hitSignals.add(c.signal());
      hits.add(new MatchHit(bank.id(), bank.name(), entry.id(), c.query().type(), c.identity(),
          c.distance(), threshold, c.query().variant(), joined(entry.labels(), bank.labels()),
          joined(entry.entities(), bank.entities()),
          indexes.explain(c.query().type(), entry.id(), c.query().value(), c.query().probe(), threshold)));
    }
    return new Walk(hits, hitSignals, cut, candidates.size(), false);
  }

  /**
   * For each query signal with hits, the nearest enabled entry of a negative bank among its
   * candidates, within that bank's threshold. The walk stops reading rows at the caps, so the
   * candidates it did not reach are read here, and only while a negative bank is enabled: a
   * service without one pays nothing.
   */
  private Map<String, CancelledHit.By> cancellers(List<Candidate> candidates, Walk walk, Map<Long, BankRow> banks,
      Map<Long, EntryRow> rows) {
    if (walk.hits().isEmpty() || banks.values().stream().noneMatch(BankRow::negative)) {
      return Map.of();
    }
    Set<String> withHits = new HashSet<>(walk.signals());
    Map<String, CancelledHit.By> out = new HashMap<>();
    for (int i = 0; i < candidates.size(); i++) {
      Candidate c = candidates.get(i);
      if (!withHits.contains(c.signal()) || out.containsKey(c.signal())) {
        continue;
      }
      EntryRow entry = row(candidates, i, rows);
      BankRow bank = entry.enabled() ? banks.get(entry.bankId()) : null;
      if (bank != null && bank.negative() && c.distance() <= bank.thresholds().getOrDefault(c.query().type(), 0)) {
        out.put(c.signal(), new CancelledHit.By(bank.id(), bank.name(), entry.id(), c.distance()));
      }
    }
    return out;
  }

  /**
   * Whether the query hash's quality is under the bank's floor for its type. A hash given as
   * text has no quality and passes, unless its type can tell it is worthless (see
   * {@link ServerSignalType#textQuality}).
   */
  private boolean belowFloor(Query query, BankRow bank) {
    ServerSignalType type = catalog.find(query.type()).orElseThrow();
    ServerSignalType.BankSetting floor = type.qualityFloor();
    if (floor == null) {
      return false;
    }
    int quality = query.quality() >= 0 ? query.quality() : type.textQuality(query.value());
    return quality >= 0 && quality < SignalCatalog.setting(bank.thresholds(), floor);
  }

  /**
   * The row of candidate {@code i}'s entry; when it has not been read, it is read with the rows of
   * the next candidates, so a match reads only the rows of the hits it takes (and their near
   * misses), a few hundred at a time. An entry deleted since the index saw it reads as disabled.
   */
  private EntryRow row(List<Candidate> candidates, int i, Map<Long, EntryRow> rows) {
    EntryRow row = rows.get(candidates.get(i).entryId());
    if (row != null) {
      return row;
    }
    Set<Long> next = new LinkedHashSet<>();
    for (int j = i; j < candidates.size() && next.size() < ROWS_PER_READ; j++) {
      long id = candidates.get(j).entryId();
      if (!rows.containsKey(id)) {
        next.add(id);
      }
    }
    rows.putAll(entryRows.read(next));
    for (long id : next) {
      rows.putIfAbsent(id, new EntryRow(id, -1, false, List.of(), List.of()));
    }
    return rows.get(candidates.get(i).entryId());
  }

  /**
   * Video entries the query video matches, bank by bank under each bank's rules: the share of
   * the bank video's distinct good frames that may stay unmatched ({@code vpdq}, default 20: the
   * reference's 80 % matched), the frame distance ({@code vpdq_frame}, 31) and the share of the
   * query's frames that must match ({@code vpdq_query_percent}, 0). Banks sharing rules share one
   * lookup. At most {@code maxHits}, the best matched first.
   */
  public FoundVideos matchVideo(VpdqSignal query, List<Long> bankIds, int maxHits) {
    return matchVideo(VpdqType.frames(query), bankIds, maxHits, this::videoRules, true);
  }

  /**
   * A banked entry past its bank's threshold of a query signal, within {@code edge}: a possible
   * edited copy of banked content (variant discovery).
   *
   * @param threshold the bank's threshold for the type, which the distance is past
   * @param part what of the banked content it covers, for types that say more than a distance (a
   *     text's banked words and the share of the query), or null
   */
  public record NearMiss(long entryId, long bankId, String bankName, int distance, int threshold, Map<String, Object> part) {}

  /** Candidates a near-miss lookup looks at: the nearest few are enough to find the nearest live one. */
  private static final int NEAR_MISS_CANDIDATES = 64;

  /**
   * What lies near a query signal, for variant discovery: whether it is within a bank's threshold
   * of one of its entries ({@code known}: a hit, banked since, or harmless, for a negative bank),
   * and else the nearest enabled entry of a matching bank past that bank's threshold and at most
   * its type's edge away, or null.
   */
  public record Nearby(boolean known, NearMiss miss) {}

  /**
   * What lies near each of {@code queries}, each within its type's edge in {@code edges} (a type
   * without one: nothing near), reading the banks once and the candidates' entries together. Not
   * counted as hits, and not for the match path: a wide radius costs far more than a match's.
   */
  public List<Nearby> nearby(List<Query> queries, Map<String, Integer> edges) {
    requireLoaded();
    Map<Long, BankRow> banks = enabledBanks(null);
    List<List<Match>> candidates = new ArrayList<>();
    Set<Long> ids = new HashSet<>();
    for (Query query : queries) {
      ServerSignalType type = catalog.find(query.type()).orElse(null);
      int edge = edges.getOrDefault(query.type(), 0);
      List<Match> near = type == null || !type.matchedByValue() || edge <= 0 || banks.isEmpty() ? List.of()
          : indexes.search(query.type(), query.value(), query.probe(), Math.min(edge, type.maxThreshold()), NEAR_MISS_CANDIDATES).matches();
      candidates.add(near);
      near.forEach(m -> ids.add(m.id()));
    }
    Map<Long, EntryRow> rows = new HashMap<>();
    List<Long> all = new ArrayList<>(ids);
    for (int from = 0; from < all.size(); from += ROWS_PER_READ) {
      rows.putAll(entryRows.read(all.subList(from, Math.min(all.size(), from + ROWS_PER_READ))));
    }
    List<Nearby> out = new ArrayList<>();
    for (int i = 0; i < queries.size(); i++) {
      out.add(nearby(queries.get(i), candidates.get(i), banks, rows));
    }
    return out;
  }

  private Nearby nearby(Query query, List<Match> candidates, Map<Long, BankRow> banks, Map<Long, EntryRow> rows) {
    NearMiss best = null;
    for (Match m : candidates) {
      EntryRow entry = rows.get(m.id());
      BankRow bank = entry == null || !entry.enabled() ? null : banks.get(entry.bankId());
      Integer threshold = bank == null ? null : bank.thresholds().get(query.type());
      if (threshold == null) {
        continue;
      }
      if (m.distance() <= threshold && !belowFloor(query, bank)) {
        return new Nearby(true, null);
      }
      if (best == null && !bank.negative() && m.distance() > threshold) {
        best = new NearMiss(entry.id(), bank.id(), bank.name(), m.distance(), threshold,
            indexes.explain(query.type(), entry.id(), query.value(), query.probe(), m.distance()));
      }
    }
    return new Nearby(false, best);
  }

  /**
   * Video entries the query video partly plays: at least {@code minBankPercent} of a banked video's
   * frames are within its bank's frame distance of the query's, but too few for the bank's rules
   * to make it a hit. Empty when the video is a hit or a negative bank's video cancels it. Not
   * counted as hits (variant discovery).
   */
  public List<VideoHit> videoNearMisses(VpdqSignal query, double minBankPercent) {
    List<VideoFrame> frames = VpdqType.frames(query);
    FoundVideos hits = matchVideo(frames, null, Integer.MAX_VALUE, this::videoRules, false);
    if (!hits.hits().isEmpty() || !hits.cancelled().isEmpty()) {
      return List.of();
    }
    FoundVideos partly = matchVideo(frames, null, Integer.MAX_VALUE, bank -> {
      VideoMatchRules rules = videoRules(bank);
      return new VideoMatchRules(rules.minQuality(), rules.maxDistance(), Math.min(minBankPercent, rules.minBankPercent()), 0);
    }, false);
    return partly.cancelled().isEmpty() ? partly.hits() : List.of();
  }

  /**
   * The banked videos that the last frames of a livestream play: at least {@code minWindowPercent}
   * of the window's frames are within each bank's frame distance ({@code vpdq_frame}) of one
   * banked video's frames, however little of that video the window covers (a stream shows a
   * minute of an hour-long video). At most {@code maxHits}, the best matched first.
   */
  public FoundVideos matchVideoWindow(List<VideoFrame> window, List<Long> bankIds, double minWindowPercent, int maxHits) {
    return matchVideo(window, bankIds, maxHits, bank -> {
      VideoMatchRules rules = videoRules(bank);
      return new VideoMatchRules(rules.minQuality(), rules.maxDistance(), 0, minWindowPercent);
    }, true);
  }

  private FoundVideos matchVideo(List<VideoFrame> frames, List<Long> bankIds, int maxHits,
      java.util.function.Function<BankRow, VideoMatchRules> rulesFor, boolean counted) {
    requireLoaded();
    Map<Long, BankRow> banks = enabledBanks(bankIds);
    if (banks.isEmpty() || frames.isEmpty() || indexes.size(catalog.video().name()) == 0) {
      return FoundVideos.NONE;
    }
    Map<VideoMatchRules, List<BankRow>> byRules = new LinkedHashMap<>();
    for (BankRow bank : banks.values()) {
      byRules.computeIfAbsent(rulesFor.apply(bank), r -> new ArrayList<>()).add(bank);
    }
    Map<Long, VideoMatch> found = new HashMap<>();
    Map<Long, VideoMatchRules> rulesOf = new HashMap<>();
    for (Map.Entry<VideoMatchRules, List<BankRow>> group : byRules.entrySet()) {
      for (VideoMatch match : indexes.searchVideo(frames, group.getKey())) {
        found.put(match.videoId(), match);
        rulesOf.put(match.videoId(), group.getKey());
      }
    }
    if (found.isEmpty()) {
      return FoundVideos.NONE;
    }
    Map<Long, EntryRow> entries = entryRows.read(found.keySet());
    List<VideoHit> hits = new ArrayList<>();
    CancelledHit.By cancelledBy = null;
    for (VideoMatch match : found.values()) {
      EntryRow entry = entries.get(match.videoId());
      if (entry == null || !entry.enabled()) {
        continue;
      }
      BankRow bank = banks.get(entry.bankId());
      // The entry's bank must be one whose rules produced this match.
      if (bank == null || !rulesFor.apply(bank).equals(rulesOf.get(match.videoId()))) {
        continue;
      }
      VideoMatchRules rules = rulesOf.get(match.videoId());
      if (bank.negative()) {
        // The best-matched harmless video cancels the query video's hits.
        int distance = (int) Math.round(100 - match.bankMatchedPercent());
        if (cancelledBy == null || distance < cancelledBy.distance()
            || distance == cancelledBy.distance() && entry.id() < cancelledBy.entryId()) {
          cancelledBy = new CancelledHit.By(bank.id(), bank.name(), entry.id(), distance);
        }
        continue;
      }
      hits.add(new VideoHit(bank.id(), bank.name(), entry.id(), catalog.video().name(), round(match.queryMatchedPercent()),
          round(match.bankMatchedPercent()), rules.maxDistance(), (int) rules.minBankPercent(), (int) rules.minQueryPercent(),
          new VideoHit.Segment(millis(match.bankFromSeconds()), millis(match.bankToSeconds())),
          joined(entry.labels(), bank.labels()), joined(entry.entities(), bank.entities())));
    }
    hits.sort(Comparator.comparingDouble(VideoHit::bankMatchedPercent).reversed().thenComparingLong(VideoHit::entryId));
    // Video entries are few next to images, so they are all read and only the answer is cut.
    boolean truncated = hits.size() > maxHits;
    List<VideoHit> kept = truncated ? List.copyOf(hits.subList(0, maxHits)) : List.copyOf(hits);
    if (cancelledBy == null && counted) {
      count(kept.stream().map(VideoHit::entryId));
    }
    if (cancelledBy != null) {
      CancelledHit.By by = cancelledBy;
      return new FoundVideos(List.of(), truncated, kept.stream().map(hit -> new CancelledVideoHit(hit, by)).toList());
    }
    return new FoundVideos(kept, truncated, List.of());
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
        SignalCatalog.setting(t, VpdqType.FRAME),
        100 - t.getOrDefault(catalog.video().name(), catalog.video().defaultThreshold()),
        SignalCatalog.setting(t, VpdqType.QUERY_PERCENT));
  }

  /**
   * Reads the banks again at the next match: for this server's own bank changes
   * ({@link org.countersignal.server.bank.BankService#onChanged}).
   */
  public void banksChanged() {
    banks = null;
  }

  /**
   * Every bank's row, as read at most {@link #BANKS_FRESH_NANOS} ago: each match needs their
   * thresholds and states, and reading and parsing them took about a tenth of a lookup's time in
   * the service. This server's own changes clear them at once; another replica's reach it within
   * that time, as its changes of entries reach it within the change follower's poll.
   */
  private BankRows bankRows(boolean fresh) {
    BankRows kept = banks;
    long now = nanoTime.getAsLong();
    if (!fresh && kept != null && now - kept.readAt() < BANKS_FRESH_NANOS) {
      return kept;
    }
    List<BankRow> rows = jdbi.withHandle(h -> h.createQuery(
            "SELECT id, name, enabled, labels, entities, thresholds, purpose FROM banks ORDER BY id")
        .map((rs, ctx) -> new BankRow(rs.getLong("id"), rs.getString("name"), rs.getBoolean("enabled"),
            JsonText.stringList(rs.getString("labels")), JsonText.stringList(rs.getString("entities")),
            JsonText.intMap(rs.getString("thresholds")), BankPurpose.NEGATIVE.wireName().equals(rs.getString("purpose"))))
        .list());
    BankRows read = new BankRows(rows, now);
    banks = read;
    return read;
  }

  /**
   * The enabled banks a match looks in: those asked for (every enabled bank when none is named),
   * and every enabled negative bank, named or not.
   */
  private Map<Long, BankRow> enabledBanks(List<Long> bankIds) {
    BankRows known = bankRows(false);
    if (bankIds != null && !known.ids().containsAll(bankIds)) {
      // A bank made moments ago, perhaps on another replica: asked for by id, it must be found.
      known = bankRows(true);
    }
    if (bankIds != null) {
      for (int i = 0; i < bankIds.size(); i++) {
        if (!known.ids().contains(bankIds.get(i))) {
          throw RequestException.invalid("banks[" + i + "]", "bank " + bankIds.get(i) + " does not exist");
        }
      }
    }
    Map<Long, BankRow> out = new HashMap<>();
    for (BankRow row : known.rows()) {
      if (row.enabled() && (row.negative() || bankIds == null || bankIds.isEmpty() || bankIds.contains(row.id()))) {
        out.put(row.id(), row);
      }
    }
    return out;
  }

}
