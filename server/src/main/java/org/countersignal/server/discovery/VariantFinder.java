package org.countersignal.server.discovery;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.countersignal.index.cluster.NearDuplicateClusters;
import org.countersignal.index.hamming.Hash256;
import org.countersignal.server.bank.SignalCatalog;
import org.countersignal.server.match.Matcher;
import org.countersignal.server.match.VideoHit;
import org.countersignal.server.signal.PdqType;
import org.countersignal.server.store.Clock;
import org.countersignal.signals.vpdq.VpdqSignal;

/**
 * Finds what to propose in the recent signals: near misses of the signals stored since the last
 * scan, and clusters of near-identical PDQ hashes in the cluster window. Runs in the background on
 * one replica at a time ({@link Discovery#run}); the lookups it makes are wider than a match's,
 * which is why they are not made while matching.
 */
final class VariantFinder {

  /** Recent signals read at a time while scanning for near misses. */
  private static final int SCAN_PAGE = 500;
  /** Uploads a proposal shows as evidence. */
  static final int LATEST = 10;

  private final Matcher matcher;
  private final SignalCatalog catalog;
  private final RecentSignals recent;
  private final Proposals proposals;

  VariantFinder(Matcher matcher, RecentSignals recent, Proposals proposals) {
    this.matcher = matcher;
    this.catalog = matcher.catalog();
    this.recent = recent;
    this.proposals = proposals;
  }

  /** What one scan read and proposed; {@code scannedThrough} is the last recent signal it read. */
  record Scan(long scannedThrough, int read, int opened) {}

  /** Looks for near misses of the signals after {@code after}, page by page, until none are left or {@code maxRead} are read. */
  Scan nearMisses(DiscoverySettings settings, long after, int maxRead) {
    long through = after;
    int read = 0;
    int opened = 0;
    while (read < maxRead) {
      List<RecentSignals.Signal> page = recent.after(through, SCAN_PAGE);
      if (page.isEmpty()) {
        break;
      }
      // A value repeated within a page is looked up once; the page's values are looked up together.
      Map<String, RecentSignals.Signal> distinct = new LinkedHashMap<>();
      page.forEach(signal -> distinct.putIfAbsent(signal.type() + ":" + signal.identity(), signal));
      List<RecentSignals.Signal> byValue = new ArrayList<>();
      List<Matcher.Query> queries = new ArrayList<>();
      for (RecentSignals.Signal signal : distinct.values()) {
        if (signal.type().equals(catalog.video().name())) {
          opened += videoNearMiss(settings, signal) ? 1 : 0;
        } else {
          byValue.add(signal);
          queries.add(new Matcher.Query(signal.type(), signal.value()));
        }
      }
      List<Matcher.Nearby> near = matcher.nearby(queries, settings.nearMiss());
      for (int i = 0; i < byValue.size(); i++) {
        Matcher.NearMiss miss = near.get(i).miss();
        RecentSignals.Signal signal = byValue.get(i);
        if (miss != null && offer(ProposalKind.NEAR_MISS, signal, miss.bankId(), miss.bankName(), miss.entryId(), miss.distance(), null,
            miss.part())) {
          opened++;
        }
      }
      through = page.getLast().id();
      read += page.size();
    }
    return new Scan(through, read, opened);
  }

  private boolean videoNearMiss(DiscoverySettings settings, RecentSignals.Signal signal) {
    VpdqSignal video = catalog.parseVideo(signal.value(), "signal_value");
    List<VideoHit> partly = matcher.videoNearMisses(video, settings.videoNearPercent());
    if (partly.isEmpty()) {
      return false;
    }
    VideoHit best = partly.getFirst();
    int distance = (int) Math.round(100 - best.bankMatchedPercent());
    Map<String, Object> part = Map.of("banked_seconds", List.of(best.bankSegment().startSeconds(), best.bankSegment().endSeconds()));
    return offer(ProposalKind.NEAR_MISS, signal, best.bankId(), best.bankName(), best.entryId(), distance, best.bankMatchedPercent(),
        part);
  }

  private boolean offer(ProposalKind kind, RecentSignals.Signal signal, Long bankId, String bankName, Long entryId, Integer distance,
      Double videoPercent, Map<String, Object> part) {
    RecentSignals.Seen seen = recent.seen(signal.type(), signal.identity(), LATEST);
    List<Proposal.Upload> latest = seen.latest().stream()
        .map(s -> new Proposal.Upload(s.contentId(), s.account(), s.submissionId(), null, Clock.text(s.receivedAt()))).toList();
    return proposals.offer(new Proposals.Offer(kind, signal.type(), signal.value(), signal.identity(), bankId, bankName, entryId,
        distance, videoPercent, part, seen.uploads(), seen.accounts(), null, latest, seen.first(), seen.last()), null).isPresent();
  }

  /**
   * Clusters the PDQ hashes of the window and proposes each cluster with enough uploads and
   * accounts whose leader is not already banked (a hit or a negative bank's); a cluster near an
   * earlier cluster proposal's leader brings that one up to date instead. Returns how many it opened.
   */
  int clusters(DiscoverySettings settings, OffsetDateTime now) {
    List<RecentSignals.Signal> rows = new ArrayList<>();
    long[][] words = {new long[4096]};
    recent.since(PdqType.NAME, now.minus(settings.clusterWindow()), signal -> {
      Hash256 hash = Hash256.fromHex(signal.value());
      int at = rows.size() * 4;
      if (at + 4 > words[0].length) {
        words[0] = java.util.Arrays.copyOf(words[0], words[0].length * 2);
      }
      words[0][at] = hash.w0();
      words[0][at + 1] = hash.w1();
      words[0][at + 2] = hash.w2();
      words[0][at + 3] = hash.w3();
      // A million rows are held at once: the value is kept once, in the words.
      rows.add(new RecentSignals.Signal(signal.id(), signal.type(), null, null, signal.contentId(), signal.account(),
          signal.submissionId(), signal.receivedAt()));
    });
    Map<Long, Hash256> earlier = new LinkedHashMap<>();
    proposals.clusters(PdqType.NAME).forEach(p -> earlier.put(p.id(), Hash256.fromHex(p.value())));
    List<NearDuplicateClusters.Cluster> spreading = new ArrayList<>();
    List<Integer> accountCounts = new ArrayList<>();
    List<Matcher.Query> leaders = new ArrayList<>();
    for (NearDuplicateClusters.Cluster cluster : NearDuplicateClusters.find(words[0], rows.size(), settings.clusterRadius(),
        settings.clusterMinUploads())) {
      Set<String> accounts = new HashSet<>();
      boolean named = false;
      for (int member : cluster.members()) {
        String account = rows.get(member).account();
        if (account != null) {
          named = true;
          accounts.add(account);
        }
      }
      if (!named || accounts.size() >= settings.clusterMinAccounts()) {
        spreading.add(cluster);
        accountCounts.add(accounts.size());
        leaders.add(new Matcher.Query(PdqType.NAME, hashAt(words[0], cluster.leader()).toHex()));
      }
    }
    List<Matcher.Nearby> near = matcher.nearby(leaders, settings.nearMiss());
    int opened = 0;
    for (int i = 0; i < spreading.size(); i++) {
      if (near.get(i).known()) {
        continue;
      }
      Hash256 leaderHash = hashAt(words[0], spreading.get(i).leader());
      Long existing = earlier.entrySet().stream().filter(e -> distance(e.getValue(), leaderHash) <= settings.clusterRadius())
          .map(Map.Entry::getKey).findFirst().orElse(null);
      if (proposals.offer(clusterOffer(spreading.get(i), rows, words[0], near.get(i).miss(), accountCounts.get(i)), existing).isPresent()) {
        opened++;
      }
    }
    return opened;
  }

  private static Proposals.Offer clusterOffer(NearDuplicateClusters.Cluster cluster, List<RecentSignals.Signal> rows, long[] words,
      Matcher.NearMiss near, int accounts) {
    RecentSignals.Signal leader = rows.get(cluster.leader());
    Hash256 leaderHash = hashAt(words, cluster.leader());
    int spread = 0;
    OffsetDateTime first = leader.receivedAt();
    OffsetDateTime last = leader.receivedAt();
    Map<Integer, Integer> distances = new LinkedHashMap<>();
    for (int member : cluster.members()) {
      RecentSignals.Signal s = rows.get(member);
      int d = distance(leaderHash, hashAt(words, member));
      distances.put(member, d);
      spread = Math.max(spread, d);
      first = s.receivedAt().isBefore(first) ? s.receivedAt() : first;
      last = s.receivedAt().isAfter(last) ? s.receivedAt() : last;
    }
    // Members are in input order, which is the order they were stored in: the latest last.
    List<Proposal.Upload> latest = new ArrayList<>();
    int[] members = cluster.members();
    for (int i = members.length - 1; i >= 0 && latest.size() < LATEST; i--) {
      RecentSignals.Signal s = rows.get(members[i]);
      latest.add(new Proposal.Upload(s.contentId(), s.account(), s.submissionId(), distances.get(members[i]), Clock.text(s.receivedAt())));
    }
    String value = leaderHash.toHex();
    return new Proposals.Offer(ProposalKind.CLUSTER, PdqType.NAME, value, value,
        near == null ? null : near.bankId(), near == null ? null : near.bankName(), near == null ? null : near.entryId(),
        near == null ? null : near.distance(), null, null, cluster.size(), accounts, spread, latest, first, last);
  }

  private static Hash256 hashAt(long[] words, int row) {
    return new Hash256(words[row * 4], words[row * 4 + 1], words[row * 4 + 2], words[row * 4 + 3]);
  }

  private static int distance(Hash256 a, Hash256 b) {
    return Long.bitCount(a.w0() ^ b.w0()) + Long.bitCount(a.w1() ^ b.w1()) + Long.bitCount(a.w2() ^ b.w2())
        + Long.bitCount(a.w3() ^ b.w3());
  }
}
