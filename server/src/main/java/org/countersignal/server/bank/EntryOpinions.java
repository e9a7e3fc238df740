package org.countersignal.server.bank;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * What the platforms that follow this instance's feeds said back of an entry: each platform's
 * latest opinion of the entry's signals and how often it saw them ({@code feed_opinions}, which
 * the federation package keeps), whether a peer said it of itself or a hub passed it on. A
 * platform is an instance id and counts once, however many routes its words came by; a peer's
 * words that name no platform count once for each feed of the entry's bank the peer follows. When
 * a platform's words on one entry are several (several signals, several routes), its opinions are
 * taken together (a positive and a negative make a disputed) and its largest count stands.
 *
 * @param seenOn platforms that saw the entry at least once
 * @param seen the platforms' counts added up: each counts the submissions of its own that matched
 * @param positive platforms whose opinion is positive (their reviewers confirmed content it matched)
 * @param negative platforms whose opinion is negative (their reviewers found it a false positive)
 * @param disputed platforms whose opinion is negative or disputed (their reviewers did both): what
 *     a bank's {@code disable_when_disputed_by} counts
 */
public record EntryOpinions(long seenOn, long seen, long positive, long negative, long disputed) {

  public static final EntryOpinions NONE = new EntryOpinions(0, 0, 0, 0, 0);

  /** The words {@code feed_opinions.opinion} holds. */
  static final String POSITIVE = "positive";
  static final String NEGATIVE = "negative";
  static final String DISPUTED = "disputed";

  private static final int IDS_PER_READ = 1000;

  /** One platform's word on an entry, its signals and routes taken together. */
  private record PeerWord(String opinion, long seen) {

    PeerWord and(String otherOpinion, long otherSeen) {
      return new PeerWord(together(opinion, otherOpinion), Math.max(seen, otherSeen));
    }
  }

  /** Two opinions of one platform as one: the same stays, a positive and a negative are a dispute. */
  static String together(String a, String b) {
    if (a == null) {
      return b;
    }
    return b == null || a.equals(b) ? a : DISPUTED;
  }

  /** Whether the platform disputes the entry: what counts against it. */
  static boolean disputes(String opinion) {
    return NEGATIVE.equals(opinion) || DISPUTED.equals(opinion);
  }

  /**
   * Who a word of {@code feed_opinions} counts as: the platform it names, or, for a peer's words
   * that name none, that peer on that feed.
   */
  private static String platform(long feedId, String peer, String platform) {
    return platform == null || platform.isEmpty() ? "peer\n" + feedId + "\n" + peer : platform;
  }

  /** The opinions of entries {@code entryIds}, by id; entries no platform spoke of are left out. */
  static Map<Long, EntryOpinions> of(Handle h, Collection<Long> entryIds) {
    Map<Long, Map<String, PeerWord>> words = new HashMap<>();
    List<Long> ids = new ArrayList<>(entryIds);
    for (int from = 0; from < ids.size(); from += IDS_PER_READ) {
      h.createQuery("SELECT s.entry_id, o.feed_id, o.peer, o.opinion, o.seen, o.platform FROM entry_signals s "
              + "JOIN entries e ON e.id = s.entry_id "
              + "JOIN feed_opinions o ON o.signal_hash = s.signal_hash AND o.signal_type = s.signal_type AND o.signal_value = s.signal_value "
              + "JOIN feeds f ON f.id = o.feed_id AND f.bank_id = e.bank_id "
              + "WHERE s.entry_id IN (<ids>)")
          .bindList("ids", ids.subList(from, Math.min(ids.size(), from + IDS_PER_READ)))
          .map((rs, ctx) -> {
            String peer = platform(rs.getLong(2), rs.getString(3), rs.getString(6));
            words.computeIfAbsent(rs.getLong(1), id -> new HashMap<>())
                .merge(peer, new PeerWord(rs.getString(4), rs.getLong(5)), (old, now) -> old.and(now.opinion(), now.seen()));
            return null;
          })
          .forEach(ignored -> { });
    }
    Map<Long, EntryOpinions> out = new HashMap<>();
    words.forEach((entry, peers) -> out.put(entry, count(peers.values())));
    return out;
  }

  private static EntryOpinions count(Collection<PeerWord> peers) {
    long seenOn = 0;
    long seen = 0;
    long positive = 0;
    long negative = 0;
    long disputed = 0;
    for (PeerWord peer : peers) {
      if (peer.seen() > 0) {
        seenOn++;
        seen += peer.seen();
      }
      if (POSITIVE.equals(peer.opinion())) {
        positive++;
      }
      if (NEGATIVE.equals(peer.opinion())) {
        negative++;
      }
      if (disputes(peer.opinion())) {
        disputed++;
      }
    }
    return new EntryOpinions(seenOn, seen, positive, negative, disputed);
  }
}
