package org.countersignal.server.discovery;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.countersignal.server.RequestException;
import org.countersignal.server.TextFields;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.bank.Entry;
import org.countersignal.server.bank.EntryService;
import org.countersignal.server.bank.NewEntry;
import org.countersignal.server.rules.IncidentBanks;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.JsonText;
import org.countersignal.server.webhook.Outbox;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The proposals of variant discovery ({@code variant_proposals}) and what curators decide of them.
 * A signal is proposed once per kind: a later upload of it brings its open proposal up to date,
 * and a decided one is not proposed again. Opening is audited as {@code proposal.opened} (by no
 * key) and sent as the webhook event {@code variant.proposed}; accepting banks the signal, with
 * the proposal marked in the same transaction, and is audited as {@code proposal.accepted}
 * beside the entry's own {@code entry.created}; rejecting as {@code proposal.rejected}.
 */
public final class Proposals {

  private static final int MAX_LIST = 500;
  private static final int MAX_REASON = 2000;

  /** What variant discovery found for one signal (or one cluster, by its leader). */
  record Offer(ProposalKind kind, String type, String value, String identity, Long bankId, String bankName, Long entryId,
      Integer distance, Double videoPercent, Map<String, Object> part, int uploads, int accounts, Integer spread,
      List<Proposal.Upload> latest, OffsetDateTime firstSeen, OffsetDateTime lastSeen) {}

  /** What a proposal keeps as evidence beyond its counts. */
  private record Evidence(Map<String, Object> part, Integer spread, List<Proposal.Upload> latest) {}

  /**
   * What a curator gives to accept: the bank (the nearest entry's when left out; a cluster near no
   * entry needs one), labels (that entry's when left out) and a note.
   */
  public record Acceptance(Long bankId, List<String> labels, String note) {}

  private final Jdbi jdbi;
  private final EntryService entries;
  private final IncidentBanks incidents;

  Proposals(Jdbi jdbi, EntryService entries, IncidentBanks incidents) {
    this.jdbi = jdbi;
    this.entries = entries;
    this.incidents = incidents;
  }

  /**
   * Opens a proposal for {@code offer}, or brings the open one of its signal (of {@code existing},
   * a cluster's, when given) up to date; returns the proposal when it is new.
   */
  Optional<Proposal> offer(Offer offer, Long existing) {
    return jdbi.inTransaction(h -> {
      Optional<Proposal> known = existing != null ? find(h, existing)
          : h.createQuery(SELECT + " WHERE kind = :kind AND signal_type = :type AND identity = :identity")
              .bind("kind", offer.kind().wireName()).bind("type", offer.type()).bind("identity", offer.identity())
              .map((rs, ctx) -> map(rs)).findOne();
      if (known.isPresent()) {
        if (ProposalState.OPEN.wireName().equals(known.get().state())) {
          update(h, known.get(), offer);
        }
        return Optional.<Proposal>empty();
      }
      OffsetDateTime now = Clock.now(h);
      long id = h.createUpdate("INSERT INTO variant_proposals (kind, state, signal_type, signal_value, identity, bank_id, bank_name, "
              + "entry_id, distance, video_percent, uploads, accounts, evidence, first_seen, last_seen, created_at) VALUES (:kind, :state, "
              + ":type, :value, :identity, :bank, :bankName, :entry, :distance, :video, :uploads, :accounts, :evidence, :first, :last, :now)")
          .bind("kind", offer.kind().wireName()).bind("state", ProposalState.OPEN.wireName()).bind("type", offer.type())
          .bind("value", offer.value()).bind("identity", offer.identity()).bind("bank", offer.bankId()).bind("bankName", offer.bankName())
          .bind("entry", offer.entryId()).bind("distance", offer.distance()).bind("video", offer.videoPercent())
          .bind("uploads", offer.uploads()).bind("accounts", offer.accounts())
          .bind("evidence", JsonText.write(new Evidence(offer.part(), offer.spread(), offer.latest())))
          .bind("first", offer.firstSeen()).bind("last", offer.lastSeen()).bind("now", now)
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      Proposal opened = find(h, id).orElseThrow();
      AuditLog.append(h, null, "proposal.opened", "proposal", id, null, summary(opened));
      Outbox.enqueue(h, "variant.proposed", summary(opened));
      return Optional.of(opened);
    });
  }

  private static void update(Handle h, Proposal known, Offer offer) {
    // The nearest entry is kept unless the new one is nearer.
    boolean nearer = offer.entryId() != null && (known.distance() == null || offer.distance() < known.distance());
    h.createUpdate("UPDATE variant_proposals SET uploads = :uploads, accounts = :accounts, evidence = :evidence, last_seen = :last"
            + (nearer ? ", bank_id = :bank, bank_name = :bankName, entry_id = :entry, distance = :distance, video_percent = :video" : "")
            + " WHERE id = :id")
        .bind("uploads", offer.uploads()).bind("accounts", offer.accounts())
        .bind("evidence", JsonText.write(new Evidence(offer.part(), offer.spread(), offer.latest()))).bind("last", offer.lastSeen())
        .bind("bank", offer.bankId()).bind("bankName", offer.bankName()).bind("entry", offer.entryId())
        .bind("distance", offer.distance()).bind("video", offer.videoPercent()).bind("id", known.id())
        .execute();
  }

  /** The cluster proposals of {@code type}, any state: a new cluster near one of them is that one. */
  List<Proposal> clusters(String type) {
    return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE kind = :kind AND signal_type = :type")
        .bind("kind", ProposalKind.CLUSTER.wireName()).bind("type", type).map((rs, ctx) -> map(rs)).list());
  }

  /** Proposals newest first, filtered by state and kind when given; after {@code before} (an id) for the next page. */
  public List<Proposal> list(String state, String kind, Long before, int limit) {
    ProposalState wantedState = state == null || state.isBlank() ? null : ProposalState.fromWire(state);
    if (state != null && !state.isBlank() && wantedState == null) {
      throw RequestException.invalid("state", "open, accepted or rejected");
    }
    ProposalKind wantedKind = kind == null || kind.isBlank() ? null : ProposalKind.fromWire(kind);
    if (kind != null && !kind.isBlank() && wantedKind == null) {
      throw RequestException.invalid("kind", "near_miss or cluster");
    }
    if (limit < 1 || limit > MAX_LIST) {
      throw RequestException.invalid("limit", "1 to " + MAX_LIST);
    }
    String filter = (wantedState == null ? "" : " AND state = :state") + (wantedKind == null ? "" : " AND kind = :kind")
        + (before == null ? "" : " AND id < :before");
    return jdbi.withHandle(h -> {
      var query = h.createQuery(SELECT + " WHERE 1 = 1" + filter + " ORDER BY id DESC LIMIT :limit").bind("limit", limit);
      if (wantedState != null) {
        query.bind("state", wantedState.wireName());
      }
      if (wantedKind != null) {
        query.bind("kind", wantedKind.wireName());
      }
      if (before != null) {
        query.bind("before", before);
      }
      return query.map((rs, ctx) -> map(rs)).list();
    });
  }

  public Proposal get(long id) {
    return jdbi.withHandle(h -> find(h, id)).orElseThrow(() -> RequestException.notFound("proposal", id));
  }

  /**
   * Banks the proposal's signal as a new entry (shared as every entry of its bank is: to the
   * bank's exchanges, and to an incident's members for an incident's bank).
   */
  public Proposal accept(Principal actor, long id, Acceptance acceptance) {
    Proposal proposal = get(id);
    requireOpen(proposal);
    Acceptance given = acceptance == null ? new Acceptance(null, null, null) : acceptance;
    Long bankId = given.bankId() != null ? given.bankId() : proposal.bankId();
    if (bankId == null) {
      throw RequestException.invalid("bank_id", "name the bank to add this variant to: it lies near no banked entry");
    }
    List<String> labels = given.labels() != null ? given.labels()
        : proposal.entryId() == null ? List.of() : entries.find(proposal.entryId()).map(Entry::labels).orElse(List.of());
    String note = given.note() != null ? given.note() : "Proposed by variant discovery: " + describe(proposal);
    Proposal[] accepted = new Proposal[1];
    entries.create(actor, bankId, new NewEntry(Map.of(proposal.signalType(), proposal.value()), labels, null, note,
        "variant discovery, proposal " + id), (h, entry) -> accepted[0] = decide(h, actor, id, ProposalState.ACCEPTED, null, bankId,
        entry.id(), "proposal.accepted"));
    return accepted[0];
  }

  /** Not what the banks are for: closed, and the signal is not proposed again. */
  public Proposal reject(Principal actor, long id, String reason) {
    String why = TextFields.reason(reason, MAX_REASON, "the proposal");
    return jdbi.inTransaction(h -> decide(h, actor, id, ProposalState.REJECTED, why, null, null, "proposal.rejected"));
  }

  private Proposal decide(Handle h, Principal actor, long id, ProposalState to, String reason, Long bankId, Long entryId,
      String action) {
    Proposal before = find(h, id).orElseThrow(() -> RequestException.notFound("proposal", id));
    int changed = h.createUpdate("UPDATE variant_proposals SET state = :to, decided_at = :now, decided_by = :key, reason = :reason, "
            + "accepted_bank_id = :bank, accepted_entry_id = :entry WHERE id = :id AND state = :open")
        .bind("to", to.wireName()).bind("now", Clock.now(h)).bind("key", actor.keyId()).bind("reason", reason).bind("bank", bankId)
        .bind("entry", entryId).bind("id", id).bind("open", ProposalState.OPEN.wireName()).execute();
    if (changed == 0) {
      requireOpen(before);
    }
    Proposal after = find(h, id).orElseThrow();
    AuditLog.append(h, actor.keyId(), action, "proposal", id, summary(before), summary(after));
    return after;
  }

  private static void requireOpen(Proposal proposal) {
    if (!ProposalState.OPEN.wireName().equals(proposal.state())) {
      throw new RequestException(RequestException.Kind.CONFLICT, "proposal " + proposal.id() + " is " + proposal.state() + ", not open");
    }
  }

  /** One line for a note: what the proposal is and what it lies near. */
  private static String describe(Proposal p) {
    String what = ProposalKind.CLUSTER.wireName().equals(p.kind())
        ? "a cluster of " + p.uploads() + " uploads from " + p.accounts() + " accounts"
        : p.uploads() + " upload" + (p.uploads() == 1 ? "" : "s");
    String near = p.entryId() == null ? "" : p.videoPercent() != null
        ? ", playing " + p.videoPercent() + " % of entry " + p.entryId()
        : ", at distance " + p.distance() + " from entry " + p.entryId();
    return "proposal " + p.id() + ", " + what + near;
  }

  /** What the audit log and webhooks keep of a proposal: not its latest uploads' accounts. */
  private static Map<String, Object> summary(Proposal p) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("id", p.id());
    out.put("kind", p.kind());
    out.put("state", p.state());
    out.put("signal_type", p.signalType());
    out.put("signal", p.signal());
    out.put("bank_id", p.bankId());
    out.put("incident_id", p.incidentId());
    out.put("entry_id", p.entryId());
    out.put("distance", p.distance());
    out.put("video_percent", p.videoPercent());
    out.put("uploads", p.uploads());
    out.put("accounts", p.accounts());
    out.put("accepted_entry_id", p.acceptedEntryId());
    return out;
  }

  private static final String SELECT = "SELECT * FROM variant_proposals";

  private Long incidentOf(Long bankId) {
    IncidentBanks.IncidentOf incident = bankId == null ? null : incidents.incidentOf(bankId);
    return incident == null ? null : incident.id();
  }

  private Optional<Proposal> find(Handle h, long id) {
    return h.createQuery(SELECT + " WHERE id = :id").bind("id", id).map((rs, ctx) -> map(rs)).findOne();
  }

  /** The incident of a proposal's bank is looked up as it is read: an incident's bank stays its bank. */
  private Proposal map(java.sql.ResultSet rs) throws java.sql.SQLException {
    Evidence evidence = JsonText.read(rs.getString("evidence"), Evidence.class);
    OffsetDateTime decided = rs.getObject("decided_at", OffsetDateTime.class);
    double video = rs.getDouble("video_percent");
    Double videoPercent = rs.wasNull() ? null : video;
    Long bankId = rs.getObject("bank_id", Long.class);
    return new Proposal(rs.getLong("id"), rs.getString("kind"), rs.getString("state"), rs.getString("signal_type"),
        rs.getString("signal_value"), rs.getString("identity"), bankId, rs.getString("bank_name"), incidentOf(bankId),
        rs.getObject("entry_id", Long.class), rs.getObject("distance", Integer.class), videoPercent, rs.getInt("uploads"),
        rs.getInt("accounts"), evidence.part(), evidence.spread(), evidence.latest() == null ? List.of() : evidence.latest(),
        Clock.text(rs.getObject("first_seen", OffsetDateTime.class)), Clock.text(rs.getObject("last_seen", OffsetDateTime.class)),
        Clock.text(rs.getObject("created_at", OffsetDateTime.class)), decided == null ? null : Clock.text(decided),
        rs.getObject("decided_by", Long.class), rs.getString("reason"), rs.getObject("accepted_bank_id", Long.class),
        rs.getObject("accepted_entry_id", Long.class));
  }
}
