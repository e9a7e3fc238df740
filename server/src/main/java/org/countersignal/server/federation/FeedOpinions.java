package org.countersignal.server.federation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.countersignal.server.RequestException;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.auth.Role;
import org.countersignal.server.bank.DisputedEntries;
import org.countersignal.server.bank.HeldSignals;
import org.countersignal.server.bank.SignalCatalog;
import org.countersignal.server.store.ChangeLog;
import org.countersignal.server.store.Clock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * What the peers of a feed say back of its signals: for each, an opinion (their reviewers
 * confirmed content it matched: positive; found it a false positive: negative; both: disputed)
 * and how many of their own submissions it matched. Each peer's latest word on a signal replaces
 * its earlier one, so a report sent twice changes nothing the second time. Only the signals the
 * feed's bank holds, or held, are kept; a word travels as a signal's type and value alone, never
 * naming the content, the account or the submission behind it.
 *
 * <p>A report that makes an entry disputed by as many peers as its bank's
 * {@code disable_when_disputed_by} switches the entry off ({@link DisputedEntries}), in the same
 * transaction as the words themselves, so the two are never apart. Each report that changes
 * anything is audited once ({@code feed.opinions_received}, with its counts): one row per word
 * would flood the log.
 *
 * <p>Each word is kept under the platform it is from: the peer's own words under the platform the
 * report names as its sender ({@code platform}, the sender's instance id), and the words a hub
 * passes on from the peers of its own feeds under the platform each names. Words without a named
 * platform (a sender that names none) are the peer's own, kept under the empty platform. Words that
 * name this instance as their platform came back around a loop and are not kept.
 */
public final class FeedOpinions {

  /** The most words one report holds. */
  public static final int MAX_ITEMS = 5_000;

  /** The words an opinion takes, on the wire and in {@code feed_opinions}. */
  public static final String POSITIVE = "positive";
  public static final String NEGATIVE = "negative";
  public static final String DISPUTED = "disputed";
  /** On the wire only: the peer withdraws its opinion (its count stays). */
  public static final String NONE = "none";

  private static final int MAX_SIGNAL_CHARS = 100_000;
  /** The longest identity the tables keep (entry_signals.signal_value). */
  private static final int MAX_IDENTITY_CHARS = 512;
  private static final long MAX_SEEN = 1_000_000_000_000L;
  private static final int HASHES_PER_READ = 1000;
  /** An instance id, as {@code GET /api/v1/federation/key} gives it. */
  private static final java.util.regex.Pattern PLATFORM = java.util.regex.Pattern.compile("cs-[0-9a-f]{24}");
  /** Where {@code feed_opinions} keeps the peer's own words when its report named no platform. */
  static final String UNNAMED = "";

  /**
   * A peer's word on one signal of the feed, in this instance's type names.
   *
   * @param signal the signal's value, in any spelling its type accepts, or its identity (a text's
   *     {@code t<version>:<sha256>:<words>}, as the feed names a deleted one)
   * @param opinion {@value #POSITIVE}, {@value #NEGATIVE}, {@value #DISPUTED} or {@value #NONE}
   *     (withdrawn); null leaves the peer's opinion as it was
   * @param seen how many of the platform's submissions matched it; null leaves the count as it was
   * @param platform the instance id of the platform the word is from, when a hub passes on another
   *     platform's word; null: the sender's own
   */
  public record Item(String signalType, String signal, String opinion, Long seen, String platform) {

    /** The sender's own word. */
    public Item(String signalType, String signal, String opinion, Long seen) {
      this(signalType, signal, opinion, seen, null);
    }
  }

  /**
   * A peer's report: its words, at most {@value #MAX_ITEMS}.
   *
   * @param platform the sender's instance id, which its own words are kept under; null: none named
   */
  public record Report(String platform, List<Item> opinions) {

    public Report(List<Item> opinions) {
      this(null, opinions);
    }
  }

  /**
   * What became of a report.
   *
   * @param received words in the report
   * @param changed words that changed what the peer had said
   * @param unchanged words the same as what the peer had said (a report sent again)
   * @param notHeld the positions of words of signals the feed's bank never held, which are not kept
   * @param ignored words that name this instance as their platform, which are not kept
   * @param platform this instance's id: a hub passes no word of this platform back to it
   */
  public record Received(int received, int changed, int unchanged, List<Integer> notHeld, int ignored, String platform) {}

  /** A word checked: its platform ({@link #UNNAMED} for none), its signal as the tables name it, and what it sets. */
  private record Checked(int index, String platform, String type, String identity, String opinion, Long seen,
      RequestException unreadable) {

    String key() {
      return HeldSignals.key(type, identity);
    }

    /** The signal and whose word it is: one word of each a report. */
    String wordKey() {
      return platform + "\n" + key();
    }
  }

  /** What a peer has said of a signal before. */
  private record Said(String opinion, long seen) {}

  /** The feed a peer sends to, when it is that feed's peer. */
  private record Membership(long feedId, long bankId, String peer) {}

  private final Jdbi jdbi;
  private final SignalCatalog signals;
  private final Runnable changesCommitted;
  private final java.util.function.Supplier<String> instanceId;
  private volatile SeenListener seenListener = SeenListener.NONE;

  /** Told, in the report's transaction, how many more matches a peer reported of a feed's signals. */
  public interface SeenListener {
    SeenListener NONE = (h, feedId, peer, added, at) -> {};

    void seen(org.jdbi.v3.core.Handle h, long feedId, String peer, long added, java.time.OffsetDateTime at);
  }

  /** Where the growth of peers' "seen" counts goes (an incident's spread figures). */
  public void reportSeenTo(SeenListener listener) {
    this.seenListener = Objects.requireNonNull(listener);
  }

  /**
   * @param changesCommitted called after a report that disabled entries commits, so the indexes drop them
   * @param instanceId this instance's id: words that name it are not kept
   */
  public FeedOpinions(Jdbi jdbi, SignalCatalog signals, Runnable changesCommitted, java.util.function.Supplier<String> instanceId) {
    this.jdbi = Objects.requireNonNull(jdbi);
    this.signals = Objects.requireNonNull(signals);
    this.changesCommitted = Objects.requireNonNull(changesCommitted);
    this.instanceId = Objects.requireNonNull(instanceId);
  }

  /**
   * Keeps {@code report}, the words of {@code caller} (a peer's key) on signals of feed
   * {@code feedName}. To a peer, feeds it is not a peer of do not exist (404).
   */
  public Received receive(Principal caller, String feedName, Report report) {
    if (caller.role() != Role.PEER) {
      throw new RequestException(RequestException.Kind.FORBIDDEN, "only a feed's peers send opinions of its signals");
    }
    List<Item> items = report.opinions();
    if (items == null || items.isEmpty() || items.size() > MAX_ITEMS) {
      throw RequestException.invalid("opinions", "1 to " + MAX_ITEMS
          + " opinions, each {\"signal_type\": ..., \"signal\": ..., \"opinion\": ..., \"seen\": ...}");
    }
    String sender = report.platform() == null ? UNNAMED : checkPlatform(report.platform(), "platform");
    String self = instanceId.get();
    List<Checked> checked = new ArrayList<>(items.size());
    Map<String, Integer> positions = new HashMap<>();
    int ignored = 0;
    for (int i = 0; i < items.size(); i++) {
      Checked item = check(items.get(i), i, sender);
      Integer earlier = positions.putIfAbsent(item.wordKey(), i);
      if (earlier != null) {
        throw RequestException.invalid("opinions[" + i + "].signal", "the same signal and platform as opinions[" + earlier
            + "]; send one word a signal and platform");
      }
      // This instance's own word, come back around a loop of hubs: it says nothing of anyone else.
      if (item.platform().equals(self)) {
        ignored++;
      } else {
        checked.add(item);
      }
    }
    int ignoredWords = ignored;
    List<Long> disabled = new ArrayList<>();
    Received received = jdbi.inTransaction(h -> {
      ChangeLog.lockForWriting(h); // first: see ChangeLog (a report may disable disputed entries)
      Membership feed = membership(h, feedName, caller)
          .orElseThrow(() -> RequestException.notFound("feed", "'" + feedName + "'"));
      if (!sender.equals(UNNAMED) && !sender.equals(self)) {
        named(h, feed, sender);
      }
      List<String> keys = checked.stream().map(Checked::key).distinct().toList();
      Map<String, Long> entries = keys.isEmpty() ? Map.of() : HeldSignals.entries(h, feed.bankId(), keys);
      List<String> notNow = keys.stream().filter(key -> !entries.containsKey(key)).toList();
      Set<String> before = notNow.isEmpty() ? Set.of() : HeldSignals.everHeld(h, feed.bankId(), notNow);
      List<Checked> held = new ArrayList<>();
      List<Integer> notHeld = new ArrayList<>();
      for (Checked item : checked) {
        if (entries.containsKey(item.key()) || before.contains(item.key())) {
          held.add(item);
        } else if (item.unreadable() != null) {
          // Neither a value of its type nor the identity of a signal the bank held.
          throw item.unreadable();
        } else {
          notHeld.add(item.index());
        }
      }
      Map<String, Said> said = said(h, feed, held);
      PreparedBatch inserts = h.prepareBatch("INSERT INTO feed_opinions (feed_id, peer, platform, signal_hash, signal_type, signal_value, "
          + "opinion, seen, updated_at) VALUES (:feed, :peer, :platform, :hash, :type, :value, :opinion, :seen, :now)");
      PreparedBatch updates = h.prepareBatch("UPDATE feed_opinions SET opinion = :opinion, seen = :seen, updated_at = :now "
          + "WHERE signal_hash = :hash AND feed_id = :feed AND peer = :peer AND platform = :platform AND signal_type = :type "
          + "AND signal_value = :value");
      PreparedBatch deletes = h.prepareBatch("DELETE FROM feed_opinions "
          + "WHERE signal_hash = :hash AND feed_id = :feed AND peer = :peer AND platform = :platform AND signal_type = :type "
          + "AND signal_value = :value");
      var now = Clock.now(h);
      Map<String, Integer> counts = new LinkedHashMap<>();
      List<Long> disputedEntries = new ArrayList<>();
      int changed = 0;
      long seenAdded = 0;
      for (Checked item : held) {
        Said old = said.get(item.wordKey());
        String opinion = item.opinion() == null ? (old == null ? null : old.opinion()) : NONE.equals(item.opinion()) ? null : item.opinion();
        long seen = item.seen() == null ? (old == null ? 0 : old.seen()) : item.seen();
        seenAdded += Math.max(0, seen - (old == null ? 0 : old.seen()));
        boolean empty = opinion == null && seen == 0;
        if (new Said(opinion, seen).equals(old) || (old == null && empty)) {
          continue;
        }
        changed++;
        counts.merge(opinion == null ? "no_opinion" : opinion, 1, Integer::sum);
        PreparedBatch batch = empty ? deletes : old == null ? inserts : updates;
        batch.bind("feed", feed.feedId()).bind("peer", feed.peer()).bind("platform", item.platform())
            .bind("hash", HeldSignals.hash(item.type(), item.identity()))
            .bind("type", item.type()).bind("value", item.identity());
        if (!empty) {
          batch.bind("opinion", opinion).bind("seen", seen).bind("now", now);
        }
        batch.add();
        Long entry = entries.get(item.key());
        if (entry != null && (NEGATIVE.equals(opinion) || DISPUTED.equals(opinion))) {
          disputedEntries.add(entry);
        }
      }
      if (seenAdded > 0) {
        seenListener.seen(h, feed.feedId(), feed.peer(), seenAdded, now);
      }
      for (PreparedBatch batch : List.of(inserts, updates, deletes)) {
        if (batch.size() > 0) {
          batch.execute();
        }
      }
      disabled.addAll(DisputedEntries.disable(h, feed.bankId(), disputedEntries, caller.keyId()));
      if (changed > 0) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("peer", feed.peer());
        summary.put("received", items.size());
        summary.put("changed", changed);
        summary.put("unchanged", held.size() - changed);
        summary.put("not_held", notHeld.size());
        summary.put("ignored", ignoredWords);
        summary.put("platforms", held.stream().map(Checked::platform).distinct().count());
        summary.put("changed_to", counts);
        summary.put("entries_disabled", disabled);
        AuditLog.append(h, caller.keyId(), "feed.opinions_received", "feed", feed.feedId(), null, summary);
      }
      return new Received(items.size(), changed, held.size() - changed, notHeld, ignoredWords, self);
    });
    if (!disabled.isEmpty()) {
      changesCommitted.run();
    }
    return received;
  }

  /** Checks one word's fields; its signal as the tables name it (a value that is no value of its type may still be an identity). */
  private Checked check(Item item, int index, String sender) {
    String at = "opinions[" + index + "]";
    if (item == null) {
      throw RequestException.invalid(at, "an object {\"signal_type\": ..., \"signal\": ..., \"opinion\": ..., \"seen\": ...}");
    }
    String platform = item.platform() == null ? sender : checkPlatform(item.platform(), at + ".platform");
    if (item.signalType() == null || !signals.knows(item.signalType().strip())) {
      throw RequestException.invalid(at + ".signal_type", "one of " + String.join(", ", signals.names()));
    }
    String type = item.signalType().strip();
    if (item.signal() == null || item.signal().isBlank() || item.signal().length() > MAX_SIGNAL_CHARS) {
      throw RequestException.invalid(at + ".signal", "a " + type + " signal of 1 to " + MAX_SIGNAL_CHARS + " characters");
    }
    String opinion = item.opinion() == null ? null : item.opinion().strip();
    if (opinion != null && !List.of(POSITIVE, NEGATIVE, DISPUTED, NONE).contains(opinion)) {
      throw RequestException.invalid(at + ".opinion", "positive, negative, disputed or none (leave it out to keep the last one)");
    }
    if (item.seen() != null && (item.seen() < 0 || item.seen() > MAX_SEEN)) {
      throw RequestException.invalid(at + ".seen", "how many of your submissions it matched: 0 or more");
    }
    if (opinion == null && item.seen() == null) {
      throw RequestException.invalid(at, "give an opinion, a seen count or both");
    }
    String field = at + ".signal";
    try {
      String identity = signals.identity(type, signals.canonical(type, item.signal(), field));
      return new Checked(index, platform, type, identity, opinion, item.seen(), null);
    } catch (RequestException e) {
      String value = item.signal().strip();
      if (value.length() > MAX_IDENTITY_CHARS || value.chars().anyMatch(c -> c < 0x20)) {
        throw e;
      }
      return new Checked(index, platform, type, value, opinion, item.seen(), e);
    }
  }

  private static String checkPlatform(String platform, String field) {
    if (!PLATFORM.matcher(platform.strip()).matches()) {
      throw RequestException.invalid(field, "an instance id, cs- and 24 hexadecimal digits, as GET /api/v1/federation/key gives it");
    }
    return platform.strip();
  }

  /**
   * Moves the peer's words kept under no platform (from reports before it named itself) to the
   * platform it now names, so one platform is not counted twice; a word it has since given under
   * its name replaces the unnamed one.
   */
  private static void named(Handle h, Membership feed, String platform) {
    boolean unnamed = h.createQuery("SELECT 1 FROM feed_opinions WHERE feed_id = :feed AND peer = :peer AND platform = :unnamed")
        .bind("feed", feed.feedId()).bind("peer", feed.peer()).bind("unnamed", UNNAMED)
        .setMaxRows(1).mapTo(Integer.class).findFirst().isPresent();
    if (!unnamed) {
      return;
    }
    h.createUpdate("UPDATE feed_opinions SET platform = :platform WHERE feed_id = :feed AND peer = :peer AND platform = :unnamed "
            + "AND NOT EXISTS (SELECT 1 FROM feed_opinions n WHERE n.signal_hash = feed_opinions.signal_hash "
            + "AND n.feed_id = feed_opinions.feed_id AND n.peer = feed_opinions.peer AND n.platform = :platform "
            + "AND n.signal_type = feed_opinions.signal_type AND n.signal_value = feed_opinions.signal_value)")
        .bind("feed", feed.feedId()).bind("peer", feed.peer()).bind("unnamed", UNNAMED).bind("platform", platform).execute();
    h.createUpdate("DELETE FROM feed_opinions WHERE feed_id = :feed AND peer = :peer AND platform = :unnamed")
        .bind("feed", feed.feedId()).bind("peer", feed.peer()).bind("unnamed", UNNAMED).execute();
  }

  /** What the peer said before of the signals of {@code items}, by platform and signal. */
  private static Map<String, Said> said(Handle h, Membership feed, List<Checked> items) {
    Map<String, Said> out = new HashMap<>();
    List<Long> hashes = items.stream().map(item -> HeldSignals.hash(item.type(), item.identity())).distinct().toList();
    for (int from = 0; from < hashes.size(); from += HASHES_PER_READ) {
      h.createQuery("SELECT platform, signal_type, signal_value, opinion, seen FROM feed_opinions "
              + "WHERE signal_hash IN (<hashes>) AND feed_id = :feed AND peer = :peer")
          .bindList("hashes", hashes.subList(from, Math.min(hashes.size(), from + HASHES_PER_READ)))
          .bind("feed", feed.feedId())
          .bind("peer", feed.peer())
          .map((rs, ctx) -> Map.entry(rs.getString(1) + "\n" + HeldSignals.key(rs.getString(2), rs.getString(3)),
              new Said(rs.getString(4), rs.getLong(5))))
          .forEach(row -> out.put(row.getKey(), row.getValue()));
    }
    return out;
  }

  private static Optional<Membership> membership(Handle h, String feedName, Principal caller) {
    return h.createQuery("SELECT f.id, f.bank_id, p.name FROM feeds f JOIN feed_peers p ON p.feed_id = f.id "
            + "WHERE f.name = :name AND p.key_id = :key")
        .bind("name", feedName)
        .bind("key", caller.keyId())
        .map((rs, ctx) -> new Membership(rs.getLong(1), rs.getLong(2), rs.getString(3)))
        .findOne();
  }
}
