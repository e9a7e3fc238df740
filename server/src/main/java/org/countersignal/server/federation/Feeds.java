package org.countersignal.server.federation;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.countersignal.server.RequestException;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.ApiKeys;
import org.countersignal.server.auth.CreatedKey;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.auth.Role;
import org.countersignal.server.bank.Bank;
import org.countersignal.server.bank.BankHistory;
import org.countersignal.server.bank.BankService;
import org.countersignal.server.bank.LabelTaxonomy;
import org.countersignal.server.bank.Sharing;
import org.countersignal.server.store.ChangeLog;
import org.countersignal.server.store.ChangeSignal;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.JsonText;
import org.countersignal.server.webhook.SecretBox;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The feeds this instance publishes: a bank's change sequence, read by named peers page by page,
 * each page signed with the {@link InstanceKey}. A peer is another instance holding an API key of
 * the role {@code peer}, made when the peer is added and revoked when it is removed; such a key
 * reads the pages of its own feeds and nothing else. A bank's {@link Sharing} level bounds it: a
 * red bank is never published, and a bank that follows an exchange, someone else's list, only
 * when its source shared it green or clear; each page carries the level, checked again at every
 * read, so narrowing it stops the feed at once. A feed may publish only the entries that carry
 * some labels (its view). Subscribers learn of a change the moment it is applied here by keeping a
 * wait for updates open ({@link #awaitUpdates}), and then read the pages.
 */
public final class Feeds {

  /** The most records one page holds. */
  public static final int MAX_PAGE = 5_000;
  /** Records per page when the peer does not say. */
  public static final int DEFAULT_PAGE = 1_000;

  /** The longest a request for updates may wait. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(60);
  private static final int MAX_WAITS_PER_CALLER = 4;

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

  /** What a request to make a feed sets. */
  public record FeedRequest(String name, Long bankId, List<String> labels) {}

  /** A peer of a feed; its key is shown only when the peer is added. */
  public record Peer(String name, long keyId, String addedAt) {}

  /**
   * A feed as the API shows it.
   *
   * @param labels the labels an entry must carry one of to be published; null: every entry of the bank
   */
  public record Feed(long id, String name, long bankId, String bankName, List<String> labels, List<Peer> peers, String createdAt) {}

  /** A peer just added, with the key to give it (shown this once). */
  public record AddedPeer(String feed, String name, long keyId, String key) {}

  private final Jdbi jdbi;
  private final ApiKeys keys;
  private final SecretBox secrets;
  private final ChangeSignal changes;
  private final LabelTaxonomy taxonomy;
  /** The waits open now, by the caller's key and the feed's name. */
  private final Map<String, AtomicInteger> waiting = new ConcurrentHashMap<>();
  // Guarded by this.
  private InstanceKey instanceKey;
  private long newestKnown;

  /** @param changes signals the changes this process's indexes apply, which wake the requests waiting for updates */
  public Feeds(Jdbi jdbi, ApiKeys keys, SecretBox secrets, ChangeSignal changes, LabelTaxonomy taxonomy) {
    this.jdbi = Objects.requireNonNull(jdbi);
    this.keys = Objects.requireNonNull(keys);
    this.secrets = Objects.requireNonNull(secrets);
    this.changes = Objects.requireNonNull(changes);
    this.taxonomy = Objects.requireNonNull(taxonomy);
  }

  /** The key peers pin: pages are signed with it. */
  public String publicKey() {
    return instanceKey().publicKeyText();
  }

  /** This instance's id, which the records it publishes name as their origin: stays the same through key rotations. */
  public String instanceId() {
    return instanceKey().instanceId();
  }

  /**
   * Replaces the signing key with a new one, announced by the old: subscribers follow the
   * announcement to the new key at their next page. Returns the new key.
   */
  public String rotateKey(Principal actor) {
    synchronized (this) {
      instanceKey = InstanceKey.rotate(jdbi, secrets, actor);
      return instanceKey.publicKeyText();
    }
  }

  // Read (or made) when first needed, not at start: a replica whose secret key file differs from
  // the one that sealed it still serves everything but feeds, whose requests then say why. Read
  // again when a newer key is stored, so a rotation on one replica reaches the others.
  private InstanceKey instanceKey() {
    long newest = InstanceKey.newestId(jdbi);
    synchronized (this) {
      if (instanceKey == null || newest > newestKnown) {
        instanceKey = InstanceKey.loadOrCreate(jdbi, secrets);
        newestKnown = Math.max(newest, instanceKey.id());
      }
      return instanceKey;
    }
  }

  public Feed create(Principal actor, FeedRequest request) {
    String name = checkName(request.name(), "name");
    List<String> labels = request.labels() == null || request.labels().isEmpty() ? null : taxonomy.checkLabels(request.labels(), "labels");
    if (request.bankId() == null) {
      throw RequestException.invalid("bank_id", "give the id of the bank to publish");
    }
    return jdbi.inTransaction(h -> {
      Bank bank = BankService.find(h, request.bankId())
          .orElseThrow(() -> RequestException.invalid("bank_id", "bank " + request.bankId() + " does not exist"));
      String refusal = whyNotPublished(bank);
      if (refusal != null) {
        throw new RequestException(RequestException.Kind.CONFLICT, "bank_id", refusal);
      }
      if (findByName(h, name).isPresent()) {
        throw new RequestException(RequestException.Kind.CONFLICT, "name", "a feed named '" + name + "' exists");
      }
      long id = h.createUpdate("INSERT INTO feeds (name, bank_id, labels, created_at, created_by) VALUES (:name, :bank, :labels, :now, :by)")
          .bind("name", name).bind("bank", bank.id()).bind("labels", labels == null ? null : JsonText.write(labels))
          .bind("now", Clock.now(h)).bind("by", actor.keyId())
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      Feed feed = find(h, id).orElseThrow();
      AuditLog.append(h, actor.keyId(), "feed.created", "feed", id, null, feed);
      return feed;
    });
  }

  public List<Feed> list() {
    return jdbi.withHandle(h -> h.createQuery("SELECT id FROM feeds ORDER BY id").mapTo(Long.class).list().stream()
        .map(id -> find(h, id).orElseThrow()).toList());
  }

  public Feed get(long id) {
    return jdbi.withHandle(h -> find(h, id)).orElseThrow(() -> RequestException.notFound("feed", id));
  }

  /** Deletes a feed and revokes its peers' keys: nothing of it can be read any more. */
  public void delete(Principal actor, long id) {
    Feed before = jdbi.inTransaction(h -> {
      Feed feed = lock(h, id);
      if (h.createQuery("SELECT incident_id FROM feeds WHERE id = :id").bind("id", id).mapTo(Long.class).findOne().isPresent()) {
        // Its peers' keys are those of their own feeds: revoking them here would cut those too.
        throw new RequestException(RequestException.Kind.CONFLICT, "id", "feed " + id + " shares an incident; it goes with the incident's bank");
      }
      h.createUpdate("DELETE FROM feed_peers WHERE feed_id = :id").bind("id", id).execute();
      h.createUpdate("DELETE FROM feeds WHERE id = :id").bind("id", id).execute();
      AuditLog.append(h, actor.keyId(), "feed.deleted", "feed", id, feed, null);
      return feed;
    });
    before.peers().forEach(peer -> keys.revoke(actor, peer.keyId()));
  }

  /** Adds a peer to feed {@code id} with a new key of its own, shown in the answer and never again. */
  public AddedPeer addPeer(Principal actor, long id, String peerName) {
    String name = checkName(peerName, "name");
    return jdbi.inTransaction(h -> {
      Feed feed = lock(h, id);
      if (feed.peers().stream().anyMatch(peer -> peer.name().equals(name))) {
        throw new RequestException(RequestException.Kind.CONFLICT, "name", "feed '" + feed.name() + "' has a peer named '" + name + "'");
      }
      CreatedKey key = keys.create(h, actor, Role.PEER, "peer " + name + " of feed " + feed.name());
      OffsetDateTime now = Clock.now(h);
      h.createUpdate("INSERT INTO feed_peers (feed_id, name, key_id, added_at) VALUES (:feed, :name, :key, :now)")
          .bind("feed", id).bind("name", name).bind("key", key.id()).bind("now", now).execute();
      // A new peer is one of this instance's peers: the incidents shared now reach it too.
      for (long incidentFeed : h.createQuery("SELECT id FROM feeds WHERE incident_id IS NOT NULL").mapTo(Long.class).list()) {
        addIncidentPeer(h, incidentFeed, name, key.id(), now);
      }
      AuditLog.append(h, actor.keyId(), "feed.peer_added", "feed", id, null, Map.of("peer", name, "key_id", key.id()));
      return new AddedPeer(feed.name(), name, key.id(), key.key());
    });
  }

  /** Removes a peer: it can read the feed no more, and its key is revoked. */
  public void removePeer(Principal actor, long id, String peerName) {
    long keyId = jdbi.inTransaction(h -> {
      Feed feed = lock(h, id);
      Peer peer = feed.peers().stream().filter(p -> p.name().equals(peerName)).findFirst()
          .orElseThrow(() -> RequestException.notFound("peer", "'" + peerName + "' of feed " + id));
      h.createUpdate("DELETE FROM feed_peers WHERE feed_id = :feed AND name = :name").bind("feed", id).bind("name", peer.name()).execute();
      h.createUpdate("DELETE FROM feed_peers WHERE key_id = :key AND feed_id IN (SELECT id FROM feeds WHERE incident_id IS NOT NULL)")
          .bind("key", peer.keyId()).execute();
      AuditLog.append(h, actor.keyId(), "feed.peer_removed", "feed", id, Map.of("peer", peer.name(), "key_id", peer.keyId()), null);
      return peer.keyId();
    });
    // After the membership is gone, so that a failure here leaves a key that reads nothing.
    keys.revoke(actor, keyId);
  }

  /**
   * The page of feed {@code name} after {@code after}, signed. A peer reads only the feeds it is a
   * peer of; to it, other feeds do not exist.
   */
  public FeedPages.Signed page(Principal caller, String name, long after, int size) {
    return jdbi.withHandle(h -> {
      ReadableFeed readable = readable(h, caller, name);
      Feed feed = readable.feed();
      Bank bank = readable.bank();
      InstanceKey key = instanceKey();
      List<FeedPages.Record> records = new ArrayList<>();
      List<BankHistory.Change> changes = BankHistory.after(h, feed.bankId(), after, size);
      for (BankHistory.Change change : changes) {
        if (!change.gone() && !inView(feed, change.labels())) {
          if (change.restated()) {
            // Its labels changed and took it out of the view: if it was published, it goes.
            records.add(new FeedPages.Record(change.seq(), "remove", change.signalType(), change.signal(), null, null, null,
                change.changedAt()));
          }
          continue;
        }
        // An entry received from another instance goes on naming that one as its origin.
        String origin = change.origin() != null ? change.origin() : key.instanceId();
        records.add(change.added()
            ? new FeedPages.Record(change.seq(), "add", change.signalType(), change.signal(), change.labels(), change.provenance(), origin,
                change.changedAt())
            : new FeedPages.Record(change.seq(), "remove", change.signalType(), change.signal(), null, null, null, change.changedAt()));
      }
      // The last change read, published or not: the next page starts after it.
      long last = changes.isEmpty() ? after : changes.getLast().seq();
      Instant now = Clock.now(h).toInstant();
      // The bank's level travels with its records: the subscriber passes them on no wider.
      // Read after the page: a compaction that committed in between shows here.
      long compacted = ChangeLog.compactedThrough(h);
      return key.sign(new FeedPages.Payload(FeedPages.FORMAT, feed.name(), after, last, bank.level().wireName(), records, now,
          compacted == 0 ? null : compacted));
    });
  }

  /**
   * Whether feed {@code name} has changes after {@code after}: at once when it has, else as soon
   * as one is applied here, else when {@code wait} runs out. A subscriber keeps one such request
   * open (a long poll) and fetches the pages when it answers, so an entry added here reaches it
   * within moments rather than at its next scheduled fetch. The answer is only a hint, and
   * unsigned: the pages it leads to are signed and checked as ever.
   */
  public FeedPages.Updates awaitUpdates(Principal caller, String name, long after, Duration wait) {
    return awaitUpdates(caller, name, after, wait, null);
  }

  /**
   * {@link #awaitUpdates(Principal, String, long, Duration)} that also answers when the incidents
   * shared with the caller change past version {@code incidentsAfter} ({@link #incidentVersion});
   * null: only the feed's changes count.
   */
  public FeedPages.Updates awaitUpdates(Principal caller, String name, long after, Duration wait, Long incidentsAfter) {
    long bankId = jdbi.withHandle(h -> readable(h, caller, name).bank().id());
    long scanned = after;
    long upto = Long.MAX_VALUE;
    long deadline = System.nanoTime() + wait.toNanos();
    AtomicInteger open = waiting.computeIfAbsent(caller.keyId() + "/" + name, k -> new AtomicInteger());
    // A caller may hold a few waits open on each feed (one per replica of it, say); beyond that it
    // is told at once. Each feed apart: a peer follows every incident shared with it as a feed of its own.
    boolean mayWait = open.incrementAndGet() <= MAX_WAITS_PER_CALLER;
    try {
      while (true) {
        long position = changes.position();
        long nudges = changes.nudges();
        long from = scanned;
        long to = upto;
        long first = jdbi.withHandle(h -> BankHistory.firstBetween(h, bankId, from, to));
        Long incidents = incidentsAfter == null ? null : jdbi.withHandle(h -> incidentVersion(h, caller));
        if (first >= 0 || (incidents != null && incidents > incidentsAfter)) {
          return new FeedPages.Updates(name, after, first >= 0 ? first : null, incidents);
        }
        long left = deadline - System.nanoTime();
        if (!mayWait || left <= 0) {
          return new FeedPages.Updates(name, after, null, incidents);
        }
        // Every change up to the position read before the look is committed and was looked at.
        scanned = Math.max(scanned, position);
        try {
          upto = changes.awaitAfter(position, nudges, Duration.ofNanos(left));
          if (changes.isClosed()) {
            return new FeedPages.Updates(name, after, null);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return new FeedPages.Updates(name, after, null);
        }
      }
    } finally {
      open.decrementAndGet();
    }
  }

  /**
   * Publishes the bank of incident {@code incidentId} as a feed named {@code name} to every peer of
   * this instance's feeds (each with the key it has), in the caller's transaction. A peer added to
   * a feed later gets it too ({@link #addPeer}).
   */
  public static void publishIncident(Handle h, Principal actor, long incidentId, long bankId, String name) {
    OffsetDateTime now = Clock.now(h);
    long id = h.createUpdate("INSERT INTO feeds (name, bank_id, incident_id, announced_at, created_at, created_by) "
            + "VALUES (:name, :bank, :incident, :now, :now, :by)")
        .bind("name", name).bind("bank", bankId).bind("incident", incidentId).bind("now", now).bind("by", actor.keyId())
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    List<Peer> peers = h.createQuery("SELECT p.name, p.key_id, p.added_at FROM feed_peers p JOIN feeds f ON f.id = p.feed_id "
            + "WHERE f.incident_id IS NULL ORDER BY p.added_at, p.name")
        .map((rs, ctx) -> new Peer(rs.getString(1), rs.getLong(2), null)).list();
    for (Peer peer : peers) {
      addIncidentPeer(h, id, peer.name(), peer.keyId(), now);
    }
    AuditLog.append(h, actor.keyId(), "feed.created", "feed", id, null, find(h, id).orElseThrow());
  }

  /** Tells the peers of incident {@code incidentId}'s feed that the incident changed, in the caller's transaction. */
  public static void announceIncident(Handle h, long incidentId) {
    h.createUpdate("UPDATE feeds SET announced_at = :now WHERE incident_id = :incident")
        .bind("now", Clock.now(h)).bind("incident", incidentId).execute();
  }

  /** Wakes this process's waits for updates to look at the incidents again: call after {@link #announceIncident} committed. */
  public void incidentsChanged() {
    changes.nudge();
  }

  /**
   * The version of the incidents shared with {@code caller}: the time (ms) of the latest change of
   * any of them it may read, 0 when none. A wait for updates answers when it grows.
   */
  public static long incidentVersion(Handle h, Principal caller) {
    var query = h.createQuery("SELECT MAX(f.announced_at) FROM feeds f WHERE f.incident_id IS NOT NULL"
        + (caller.role() == Role.PEER ? " AND EXISTS (SELECT 1 FROM feed_peers p WHERE p.feed_id = f.id AND p.key_id = :key)" : ""));
    if (caller.role() == Role.PEER) {
      query.bind("key", caller.keyId());
    }
    OffsetDateTime latest = query.mapTo(OffsetDateTime.class).one();
    return latest == null ? 0 : latest.toInstant().toEpochMilli();
  }

  /** Adds a peer to an incident's feed under its own name, or under that name and its key's id when the name is taken. */
  private static void addIncidentPeer(Handle h, long feedId, String name, long keyId, OffsetDateTime now) {
    boolean hasKey = h.createQuery("SELECT COUNT(*) FROM feed_peers WHERE feed_id = :feed AND key_id = :key")
        .bind("feed", feedId).bind("key", keyId).mapTo(Long.class).one() > 0;
    if (hasKey) {
      return;
    }
    boolean nameTaken = h.createQuery("SELECT COUNT(*) FROM feed_peers WHERE feed_id = :feed AND name = :name")
        .bind("feed", feedId).bind("name", name).mapTo(Long.class).one() > 0;
    h.createUpdate("INSERT INTO feed_peers (feed_id, name, key_id, added_at) VALUES (:feed, :name, :key, :now)")
        .bind("feed", feedId).bind("name", nameTaken ? name + "-" + keyId : name).bind("key", keyId).bind("now", now).execute();
  }

  /** The feed {@code name} if {@code caller} may read it (a peer only its own feeds), and its bank may still be published. */
  private static ReadableFeed readable(Handle h, Principal caller, String name) {
    Feed feed = findByName(h, name).filter(f -> caller.role() != Role.PEER
            || f.peers().stream().anyMatch(peer -> peer.keyId() == caller.keyId()))
        .orElseThrow(() -> RequestException.notFound("feed", "'" + name + "'"));
    Bank bank = BankService.find(h, feed.bankId()).orElseThrow();
    String refusal = whyNotPublished(bank);
    if (refusal != null) {
      // The bank's level was narrowed since the feed was made: nothing more of it goes out.
      throw new RequestException(RequestException.Kind.FORBIDDEN, refusal);
    }
    return new ReadableFeed(feed, bank);
  }

  /** A feed its caller may read, with its bank as read then. */
  private record ReadableFeed(Feed feed, Bank bank) {}

  /** Whether an entry with {@code labels} is in {@code feed}'s view: every entry without a label filter. */
  private static boolean inView(Feed feed, List<String> labels) {
    return feed.labels() == null || labels.stream().anyMatch(feed.labels()::contains);
  }

  /**
   * Why {@code bank}'s entries may not go to peers, or null when they may: a red bank never leaves
   * this instance, and a bank that follows an exchange is passed on only when its source shared it
   * green or clear.
   */
  private static String whyNotPublished(Bank bank) {
    if (bank.level() == Sharing.RED) {
      return "bank " + bank.id() + " is shared red: its entries never leave this instance"
          + (bank.follows() == null ? " (set its sharing to amber or wider to publish it)" : "");
    }
    if (bank.follows() != null && !bank.level().mayBeReshared()) {
      return "bank " + bank.id() + " follows the exchange '" + bank.follows() + "' and is shared " + bank.level().wireName()
          + ": a followed bank is passed on only when its source shared it green or clear and no narrower level is set here";
    }
    return null;
  }

  private static Feed lock(Handle h, long id) {
    h.createQuery("SELECT id FROM feeds WHERE id = :id FOR UPDATE").bind("id", id).mapTo(Long.class).findOne()
        .orElseThrow(() -> RequestException.notFound("feed", id));
    return find(h, id).orElseThrow();
  }

  private static Optional<Feed> findByName(Handle h, String name) {
    return h.createQuery("SELECT id FROM feeds WHERE name = :name").bind("name", name).mapTo(Long.class).findOne()
        .flatMap(id -> find(h, id));
  }

  private static Optional<Feed> find(Handle h, long id) {
    List<Peer> peers = h.createQuery("SELECT name, key_id, added_at FROM feed_peers WHERE feed_id = :id ORDER BY name")
        .bind("id", id)
        .map((rs, ctx) -> new Peer(rs.getString(1), rs.getLong(2),
            Clock.text(rs.getObject(3, java.time.OffsetDateTime.class))))
        .list();
    return h.createQuery("SELECT f.id, f.name, f.bank_id, b.name AS bank_name, f.created_at, f.labels FROM feeds f "
            + "JOIN banks b ON b.id = f.bank_id WHERE f.id = :id")
        .bind("id", id)
        .map((rs, ctx) -> new Feed(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
            rs.getString(6) == null ? null : JsonText.stringList(rs.getString(6)), peers,
            Clock.text(rs.getObject(5, java.time.OffsetDateTime.class))))
        .findOne();
  }

  private static String checkName(String name, String field) {
    String stripped = name == null ? "" : name.strip();
    if (!NAME.matcher(stripped).matches()) {
      throw RequestException.invalid(field, "1 to 64 characters: lower-case letters, digits, '_', '.' and '-', starting with a letter or digit");
    }
    return stripped;
  }
}
