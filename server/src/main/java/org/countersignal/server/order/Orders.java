package org.countersignal.server.order;

import java.net.URI;
import java.net.URISyntaxException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.countersignal.server.RequestException;
import org.countersignal.server.Sha256;
import org.countersignal.server.TextFields;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.store.Clock;
import org.countersignal.server.transparency.Ledger;
import org.countersignal.server.webhook.Outbox;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * EU TCO Regulation (2021/784) removal orders (tables {@code removal_orders},
 * {@code removal_order_documents}, {@code preservation_holds}). An order is taken in from an
 * authority on the operator's list with its one-hour clock starting at receipt (Art. 3(3)); the
 * content is removed or disabled against that clock, or the order is not complied with for one
 * of the reasons of Art. 3(7) and 3(8) with the reply to the authority. Removed content and its
 * data are held for six months (Art. 6(1)), longer on request (Art. 6(2)), whatever the normal
 * retention: the retention purge skips what a hold covers. Alerts go out as the clock runs down,
 * the content provider's notice (Art. 11) as a webhook event, and the Art. 5(4) exposure status is
 * counted from final orders. Every change is audited and every step is a webhook event; all times
 * come from the injected clock.
 */
public final class Orders {

  /** Art. 3(3): remove or disable within one hour of receipt. */
  public static final Duration DEADLINE = Duration.ofHours(1);
  /** Minutes left at which an alert goes out: the last one, at 0, says the order is overdue. */
  public static final List<Integer> ALERT_MINUTES = List.of(30, 10, 0);
  /** Art. 6(1): removed content and its data are preserved for six months. */
  public static final Period PRESERVATION = Period.ofMonths(6);
  /** Art. 5(4): two or more final removal orders within twelve months make a provider exposed. */
  public static final int EXPOSURE_THRESHOLD = 2;
  public static final Period EXPOSURE_WINDOW = Period.ofMonths(12);
  /** The largest order document taken: far above a signed PDF of an order and its annex. */
  public static final long MAX_DOCUMENT_BYTES = 20L * 1024 * 1024;

  private static final Duration MAX_AHEAD = Duration.ofMinutes(5);
  private static final int MAX_REFERENCE = 200;
  private static final int MAX_URL = 2000;
  private static final int MAX_CONTENT_ID = 200;
  private static final int MAX_TEXT = 4000;
  private static final int MAX_HOLD_REASON = 500;
  private static final int MAX_FILE_NAME = 200;
  private static final int MAX_MEDIA_TYPE = 100;

  private final Jdbi jdbi;

  public Orders(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Takes an order in: checks its authority against the list, starts its clock, tells the webhooks. */
  public RemovalOrder receive(Principal actor, OrderIntake request) {
    if (request.authorityId() == null) {
      throw RequestException.invalid("authority_id", "the issuing authority's id on the list (GET /api/v1/order-authorities)");
    }
    String reference = required(request.reference(), "reference", MAX_REFERENCE, false);
    String contentUrl = contentUrl(request.contentUrl());
    String contentId = optional(request.contentId(), "content_id", MAX_CONTENT_ID);
    if (contentUrl == null && contentId == null) {
      throw RequestException.invalid("content_url", "an order names its content: give content_url, content_id or both");
    }
    String reasons = required(request.reasons(), "reasons", MAX_TEXT, true);
    boolean threatToLife = Boolean.TRUE.equals(request.threatToLife());
    boolean notifyProvider = request.notifyProvider() == null || request.notifyProvider();
    return jdbi.inTransaction(h -> {
      Authority authority = OrderAuthorities.find(h, request.authorityId())
          .filter(Authority::active)
          .orElseThrow(() -> RequestException.invalid("authority_id",
              "authority " + request.authorityId() + " is not an active competent authority on this operator's list"));
      OffsetDateTime now = Clock.now(h);
      OffsetDateTime received = request.receivedAt() == null ? now : time(request.receivedAt(), "received_at");
      if (received.isAfter(now.plus(MAX_AHEAD))) {
        throw RequestException.invalid("received_at", "is in the future");
      }
      boolean taken = h.createQuery("SELECT COUNT(*) FROM removal_orders WHERE authority_id = :a AND reference = :r")
          .bind("a", authority.id()).bind("r", reference).mapTo(Long.class).one() > 0;
      if (taken) {
        throw new RequestException(RequestException.Kind.CONFLICT, "reference",
            "an order of " + authority.name() + " with reference '" + reference + "' was taken in already");
      }
      long id = h.createUpdate("""
              INSERT INTO removal_orders (authority_id, reference, content_url, content_id, reasons, threat_to_life, notify_provider,
                state, received_at, clock_started_at, due_at, created_by, updated_at)
              VALUES (:authority, :reference, :url, :content, :reasons, :threat, :notify, :state, :received, :received, :due, :actor, :now)""")
          .bind("authority", authority.id()).bind("reference", reference).bind("url", contentUrl).bind("content", contentId)
          .bind("reasons", reasons).bind("threat", threatToLife).bind("notify", notifyProvider)
          .bind("state", OrderState.RECEIVED.wireName()).bind("received", received).bind("due", received.plus(DEADLINE))
          .bind("actor", actor.keyId()).bind("now", now)
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      RemovalOrder order = find(h, id).orElseThrow();
      AuditLog.append(h, actor.keyId(), "order.received", "removal_order", id, null, order);
      Ledger.orderReceived(h, id, authority.memberState(), threatToLife);
      Outbox.enqueue(h, "order.received", event(order));
      if (threatToLife) {
        // Art. 14(5): content that involves an imminent threat to life goes to the people on call at once.
        Outbox.enqueue(h, "order.threat_to_life", event(order));
      }
      return order;
    });
  }

  /** Attaches the order's document, once; its bytes are kept as they came, with their SHA-256. */
  public RemovalOrder attachDocument(Principal actor, long id, String mediaType, String fileName, byte[] bytes) {
    if (bytes.length == 0) {
      throw RequestException.invalid("document", "the body is empty: send the order document's bytes");
    }
    if (bytes.length > MAX_DOCUMENT_BYTES) {
      throw new RequestException(RequestException.Kind.TOO_LARGE, "an order document may have at most " + MAX_DOCUMENT_BYTES + " bytes");
    }
    String type = mediaType == null || mediaType.isBlank() ? "application/octet-stream" : mediaType.strip().toLowerCase(Locale.ROOT);
    if (type.length() > MAX_MEDIA_TYPE) {
      throw RequestException.invalid("content_type", "at most " + MAX_MEDIA_TYPE + " characters");
    }
    String name = fileName == null || fileName.isBlank() ? null : fileName.strip();
    if (name != null && (name.length() > MAX_FILE_NAME || name.contains("/") || name.contains("\\") || name.contains("\""))) {
      throw RequestException.invalid("file_name", "a file name of at most " + MAX_FILE_NAME + " characters, without / \\ or \"");
    }
    String checkedName = TextFields.line(name, "file_name");
    String sha256 = Sha256.hex(bytes);
    return jdbi.inTransaction(h -> {
      lock(h, id);
      boolean present = h.createQuery("SELECT COUNT(*) FROM removal_order_documents WHERE order_id = :id").bind("id", id)
          .mapTo(Long.class).one() > 0;
      if (present) {
        throw new RequestException(RequestException.Kind.CONFLICT, "document",
            "order " + id + " has its document; it is kept as received and not replaced");
      }
      OffsetDateTime now = Clock.now(h);
      h.createUpdate("INSERT INTO removal_order_documents (order_id, media_type, file_name, sha256, size_bytes, bytes, attached_at, attached_by) "
              + "VALUES (:id, :type, :name, :sha, :size, :bytes, :now, :actor)")
          .bind("id", id).bind("type", type).bind("name", checkedName).bind("sha", sha256).bind("size", (long) bytes.length)
          .bind("bytes", bytes).bind("now", now).bind("actor", actor.keyId()).execute();
      touch(h, id, now);
      RemovalOrder order = find(h, id).orElseThrow();
      AuditLog.append(h, actor.keyId(), "order.document_attached", "removal_order", id, null, order.document());
      return order;
    });
  }

  /** The order's document: its media type, file name and bytes. */
  public record DocumentBytes(String mediaType, String fileName, String sha256, byte[] bytes) {}

  public DocumentBytes document(long id) {
    return jdbi.withHandle(h -> {
      find(h, id).orElseThrow(() -> RequestException.notFound("order", id));
      return h.createQuery("SELECT media_type, file_name, sha256, bytes FROM removal_order_documents WHERE order_id = :id").bind("id", id)
          .map((rs, ctx) -> new DocumentBytes(rs.getString("media_type"), rs.getString("file_name"), rs.getString("sha256"), rs.getBytes("bytes")))
          .findOne()
          .orElseThrow(() -> new RequestException(RequestException.Kind.NOT_FOUND, "order " + id + " has no document attached"));
    });
  }

  /**
   * Records the content removed or disabled, stamped now against the clock. The submission is the
   * one given, or else the latest with the order's content id; the content and its data are held
   * for six months from now (Art. 6). The content provider's notice (Art. 11) goes out as a
   * webhook event unless the authority asked for none.
   */
  public RemovalOrder act(Principal actor, long id, RemovalRequest request) {
    OrderAction action = OrderAction.fromWire(request.action());
    if (action == null) {
      throw RequestException.invalid("action", "one of removed, disabled");
    }
    String note = optionalText(request.note(), "note", MAX_TEXT);
    return jdbi.inTransaction(h -> {
      RemovalOrder before = lock(h, id);
      OrderState state = OrderState.fromWire(before.state());
      if (!state.mayBecome(OrderState.ACTED)) {
        throw new RequestException(RequestException.Kind.CONFLICT, "state", "order " + id + " is " + state.wireName() + " already");
      }
      Long submission = submission(h, before, request.submissionId());
      OffsetDateTime now = Clock.now(h);
      h.createUpdate("UPDATE removal_orders SET state = :state, action = :action, acted_at = :now, submission_id = :submission, "
              + "action_note = :note, updated_at = :now WHERE id = :id")
          .bind("state", OrderState.ACTED.wireName()).bind("action", action.wireName()).bind("now", now).bind("submission", submission)
          .bind("note", note).bind("id", id).execute();
      String contentId = before.contentId() != null ? before.contentId() : submissionContentId(h, submission);
      hold(h, id, contentId, submission, now, now.plus(PRESERVATION), "Art. 6(1): six months from the removal");
      RemovalOrder after = find(h, id).orElseThrow();
      AuditLog.append(h, actor.keyId(), "order.acted", "removal_order", id, before, after);
      Ledger.orderActed(h, id, submission, before.authority().memberState(), action.wireName(), Boolean.TRUE.equals(after.actedInTime()),
          OffsetDateTime.parse(before.clockStartedAt()));
      Map<String, Object> acted = event(after);
      acted.put("action", action.wireName());
      acted.put("acted_at", after.actedAt());
      acted.put("acted_in_time", after.actedInTime());
      acted.put("submission_id", submission);
      Outbox.enqueue(h, "order.acted", acted);
      if (after.notifyProvider()) {
        Outbox.enqueue(h, "order.provider_notice", providerNotice(after, contentId));
      }
      return after;
    });
  }

  /** Records that the order is not complied with, the reason and the reply sent to the authority; the clock stops. */
  public RemovalOrder notComplied(Principal actor, long id, NotCompliedRequest request) {
    NotCompliedReason reason = NotCompliedReason.fromWire(request.reason());
    if (reason == null) {
      throw RequestException.invalid("reason", "one of force_majeure, technical_impossibility, manifest_errors, missing_information");
    }
    String reply = required(request.reply(), "reply", MAX_TEXT, true);
    return jdbi.inTransaction(h -> {
      RemovalOrder before = lock(h, id);
      OrderState state = OrderState.fromWire(before.state());
      if (!state.mayBecome(OrderState.NOT_COMPLIED)) {
        throw new RequestException(RequestException.Kind.CONFLICT, "state", "order " + id + " is " + state.wireName()
            + "; only a received order can be not complied with");
      }
      OffsetDateTime now = Clock.now(h);
      h.createUpdate("UPDATE removal_orders SET state = :state, not_complied_reason = :reason, reply = :reply, not_complied_at = :now, "
              + "updated_at = :now WHERE id = :id")
          .bind("state", OrderState.NOT_COMPLIED.wireName()).bind("reason", reason.wireName()).bind("reply", reply).bind("now", now)
          .bind("id", id).execute();
      RemovalOrder after = find(h, id).orElseThrow();
      AuditLog.append(h, actor.keyId(), "order.not_complied", "removal_order", id, before, after);
      Ledger.orderNotComplied(h, id, reason.wireName(), OffsetDateTime.parse(before.clockStartedAt()));
      Map<String, Object> event = event(after);
      event.put("reason", reason.wireName());
      event.put("article", reason.article());
      event.put("reply", reply);
      Outbox.enqueue(h, "order.not_complied", event);
      return after;
    });
  }

  /**
   * Starts the hour again for an order not complied with, from when its reason ceased (Art. 3(7):
   * the force majeure or technical impossibility is over) or the authority's clarification arrived
   * (Art. 3(8)); {@code from} unset, now. The order is received again, with its alerts to come;
   * the earlier reason and reply stay on it.
   */
  public RemovalOrder restartClock(Principal actor, long id, ClockRestart request) {
    String note = optionalText(request.note(), "note", MAX_TEXT);
    return jdbi.inTransaction(h -> {
      RemovalOrder before = lock(h, id);
      OrderState state = OrderState.fromWire(before.state());
      if (state != OrderState.NOT_COMPLIED) {
        throw new RequestException(RequestException.Kind.CONFLICT, "state", "order " + id + " is " + state.wireName()
            + "; only the clock of an order not complied with is started again");
      }
      OffsetDateTime now = Clock.now(h);
      OffsetDateTime from = request.from() == null ? now : time(request.from(), "from");
      if (from.isAfter(now.plus(MAX_AHEAD))) {
        throw RequestException.invalid("from", "is in the future");
      }
      if (from.isBefore(OffsetDateTime.parse(before.notCompliedAt()))) {
        throw RequestException.invalid("from", "is before the order was not complied with (" + before.notCompliedAt() + ")");
      }
      h.createUpdate("UPDATE removal_orders SET state = :state, clock_started_at = :from, due_at = :due, alerted_minutes = NULL, "
              + "updated_at = :now WHERE id = :id")
          .bind("state", OrderState.RECEIVED.wireName()).bind("from", from).bind("due", from.plus(DEADLINE)).bind("now", now)
          .bind("id", id).execute();
      RemovalOrder after = find(h, id).orElseThrow();
      AuditLog.append(h, actor.keyId(), "order.clock_restarted", "removal_order", id, before, after);
      Map<String, Object> event = event(after);
      event.put("after_reason", before.notCompliedReason());
      event.put("note", note);
      Outbox.enqueue(h, "order.clock_restarted", event);
      return after;
    });
  }

  /**
   * Records a content provider's complaint about content removed under order {@code id}
   * (Art. 10), as the platform passes it on; it is to be decided without undue delay.
   */
  public Complaint fileComplaint(Principal actor, long id, ComplaintRequest request) {
    String complainant = optional(request.complainant(), "complainant", MAX_CONTENT_ID);
    String text = required(request.text(), "text", MAX_TEXT, true);
    return jdbi.inTransaction(h -> {
      RemovalOrder order = lock(h, id);
      if (!OrderState.ACTED.wireName().equals(order.state())) {
        throw new RequestException(RequestException.Kind.CONFLICT, "state", "order " + id + " is " + order.state()
            + ": a complaint is about content removed or disabled under it");
      }
      OffsetDateTime now = Clock.now(h);
      long complaintId = h.createUpdate("INSERT INTO order_complaints (order_id, complainant, text, status, filed_at, filed_by) "
              + "VALUES (:order, :complainant, :text, :status, :now, :actor)")
          .bind("order", id).bind("complainant", complainant).bind("text", text).bind("status", ComplaintStatus.OPEN.wireName())
          .bind("now", now).bind("actor", actor.keyId())
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      touch(h, id, now);
      Complaint complaint = complaint(h, id, complaintId);
      AuditLog.append(h, actor.keyId(), "order.complaint_filed", "removal_order", id, null, complaint);
      Ledger.complaintFiled(h, complaintId, order.submissionId());
      Map<String, Object> event = event(order);
      event.put("complaint_id", complaintId);
      event.put("complainant", complainant);
      Outbox.enqueue(h, "order.complaint_filed", event);
      return complaint;
    });
  }

  /**
   * Decides a complaint. Upheld, the content is to be reinstated: the order becomes
   * {@code reinstated} and the event asks the platform to put it back and tell the complainant
   * and the authority (Art. 10(2)); rejected, the removal stands and the complainant is told why.
   * The content stays held either way: a court may still review the order.
   */
  public Complaint decideComplaint(Principal actor, long id, long complaintId, ComplaintDecision request) {
    ComplaintStatus outcome = ComplaintStatus.fromWire(request.outcome());
    if (outcome == null || outcome == ComplaintStatus.OPEN) {
      throw RequestException.invalid("outcome", "one of upheld, rejected");
    }
    String reason = required(request.reason(), "reason", MAX_TEXT, true);
    return jdbi.inTransaction(h -> {
      RemovalOrder before = lock(h, id);
      Complaint complaint = complaint(h, id, complaintId);
      if (!ComplaintStatus.OPEN.wireName().equals(complaint.status())) {
        throw new RequestException(RequestException.Kind.CONFLICT, "status", "complaint " + complaintId + " is " + complaint.status());
      }
      OffsetDateTime now = Clock.now(h);
      h.createUpdate("UPDATE order_complaints SET status = :status, decided_at = :now, decided_by = :actor, decision_reason = :reason "
              + "WHERE id = :id")
          .bind("status", outcome.wireName()).bind("now", now).bind("actor", actor.keyId()).bind("reason", reason).bind("id", complaintId)
          .execute();
      boolean reinstate = outcome == ComplaintStatus.UPHELD && OrderState.ACTED.wireName().equals(before.state());
      if (reinstate) {
        h.createUpdate("UPDATE removal_orders SET state = :state, reinstated_at = :now, updated_at = :now WHERE id = :id")
            .bind("state", OrderState.REINSTATED.wireName()).bind("now", now).bind("id", id).execute();
      } else {
        touch(h, id, now);
      }
      Complaint decided = complaint(h, id, complaintId);
      AuditLog.append(h, actor.keyId(), "order.complaint_decided", "removal_order", id, complaint, decided);
      Ledger.complaintDecided(h, complaintId, before.submissionId(), outcome.wireName(), OffsetDateTime.parse(complaint.filedAt()));
      Map<String, Object> event = event(find(h, id).orElseThrow());
      event.put("complaint_id", complaintId);
      event.put("complainant", decided.complainant());
      event.put("outcome", outcome.wireName());
      event.put("reason", reason);
      event.put("reinstate", reinstate);
      Outbox.enqueue(h, "order.complaint_decided", event);
      return decided;
    });
  }

  private static Complaint complaint(Handle h, long orderId, long complaintId) {
    return h.createQuery("SELECT * FROM order_complaints WHERE id = :id AND order_id = :order").bind("id", complaintId).bind("order", orderId)
        .map((rs, ctx) -> complaint(rs)).findOne()
        .orElseThrow(() -> RequestException.notFound("complaint", complaintId));
  }

  /** Marks the order final: no longer open to review or challenge. Final orders count towards exposure (Art. 5(4)). */
  public RemovalOrder markFinal(Principal actor, long id) {
    return jdbi.inTransaction(h -> {
      RemovalOrder before = lock(h, id);
      if (before.finalAt() != null) {
        throw new RequestException(RequestException.Kind.CONFLICT, "final_at", "order " + id + " is final since " + before.finalAt());
      }
      OffsetDateTime now = Clock.now(h);
      h.createUpdate("UPDATE removal_orders SET final_at = :now, updated_at = :now WHERE id = :id").bind("now", now).bind("id", id).execute();
      RemovalOrder after = find(h, id).orElseThrow();
      AuditLog.append(h, actor.keyId(), "order.final", "removal_order", id, before, after);
      Outbox.enqueue(h, "order.final", event(after));
      return after;
    });
  }

  /** Holds an acted order's content longer, on an authority's or court's request (Art. 6(2)). */
  public RemovalOrder extendHold(Principal actor, long id, HoldRequest request) {
    String reason = required(request.reason(), "reason", MAX_HOLD_REASON, false);
    if (request.until() == null) {
      throw RequestException.invalid("until", "the time to hold the content until, such as 2027-12-31T00:00:00Z");
    }
    OffsetDateTime until = time(request.until(), "until");
    return jdbi.inTransaction(h -> {
      RemovalOrder before = lock(h, id);
      if (!OrderState.ACTED.wireName().equals(before.state()) && !OrderState.REINSTATED.wireName().equals(before.state())) {
        throw new RequestException(RequestException.Kind.CONFLICT, "state", "order " + id + " is " + before.state()
            + ": only content removed or disabled under it is held");
      }
      OffsetDateTime now = Clock.now(h);
      if (!until.isAfter(now)) {
        throw RequestException.invalid("until", "is not in the future");
      }
      String contentId = before.contentId() != null ? before.contentId() : submissionContentId(h, before.submissionId());
      long hold = hold(h, id, contentId, before.submissionId(), now, until, reason);
      touch(h, id, now);
      RemovalOrder after = find(h, id).orElseThrow();
      AuditLog.append(h, actor.keyId(), "order.hold_extended", "removal_order", id, null,
          after.holds().stream().filter(held -> held.id() == hold).findFirst().orElseThrow());
      return after;
    });
  }

  /** Orders, newest first; those in {@code state}, or only the overdue ones (received, past their hour). */
  public List<RemovalOrder> list(String state, boolean overdue, int limit) {
    OrderState wanted = state == null ? null : OrderState.fromWire(state);
    if (state != null && wanted == null) {
      throw RequestException.invalid("state", "one of received, acted, not_complied, reinstated");
    }
    return jdbi.withHandle(h -> {
      List<String> where = new ArrayList<>();
      if (wanted != null) {
        where.add("o.state = :state");
      }
      if (overdue) {
        where.add("o.state = :received AND o.due_at < :now");
      }
      var query = h.createQuery(SELECT + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
          + (overdue ? " ORDER BY o.due_at, o.id" : " ORDER BY o.id DESC") + " FETCH FIRST :limit ROWS ONLY");
      if (wanted != null) {
        query.bind("state", wanted.wireName());
      }
      if (overdue) {
        query.bind("received", OrderState.RECEIVED.wireName()).bind("now", Clock.now(h));
      }
      List<Row> rows = query.bind("limit", limit).map((rs, ctx) -> row(rs)).list();
      OffsetDateTime now = Clock.now(h);
      return rows.stream().map(row -> view(h, row, now)).toList();
    });
  }

  public RemovalOrder get(long id) {
    return jdbi.withHandle(h -> find(h, id)).orElseThrow(() -> RequestException.notFound("order", id));
  }

  /** Art. 5(4): final orders received in the last twelve months, and whether they make the provider exposed. */
  public Exposure exposure() {
    return jdbi.withHandle(h -> {
      OffsetDateTime now = Clock.now(h);
      OffsetDateTime since = now.minus(EXPOSURE_WINDOW);
      List<Exposure.Counted> counted = h.createQuery("SELECT o.id, o.reference, a.name, o.received_at, o.final_at FROM removal_orders o "
              + "JOIN order_authorities a ON a.id = o.authority_id "
              + "WHERE o.final_at IS NOT NULL AND o.received_at >= :since ORDER BY o.received_at, o.id")
          .bind("since", since)
          .map((rs, ctx) -> new Exposure.Counted(rs.getLong("id"), rs.getString("reference"), rs.getString("name"),
              Clock.text(rs.getObject("received_at", OffsetDateTime.class)), Clock.text(rs.getObject("final_at", OffsetDateTime.class))))
          .list();
      return new Exposure(counted.size() >= EXPOSURE_THRESHOLD, counted.size(), EXPOSURE_THRESHOLD, Clock.text(since), Clock.text(now), counted);
    });
  }

  /**
   * Sends the alerts the clock has reached: for each received order, the most urgent of 30, 10
   * and 0 minutes left that has passed and was not sent yet (an alert missed while the service was
   * down is not sent late beside a more urgent one). Returns how many went out. Safe on several
   * replicas: an alert is claimed by a conditional update before its event is written.
   */
  public int sendDueAlerts() {
    return jdbi.inTransaction(h -> {
      OffsetDateTime now = Clock.now(h);
      OffsetDateTime horizon = now.plusMinutes(ALERT_MINUTES.get(0));
      List<Row> due = h.createQuery(SELECT + " WHERE o.state = :state AND o.due_at <= :horizon AND (o.alerted_minutes IS NULL OR o.alerted_minutes > 0)"
              + " ORDER BY o.due_at, o.id")
          .bind("state", OrderState.RECEIVED.wireName()).bind("horizon", horizon)
          .map((rs, ctx) -> row(rs)).list();
      int sent = 0;
      for (Row row : due) {
        long left = Duration.between(now, row.dueAt()).toSeconds();
        Integer reached = null;
        for (int minutes : ALERT_MINUTES) {
          if (left <= minutes * 60L) {
            reached = minutes;
          }
        }
        if (reached == null || (row.alertedMinutes() != null && row.alertedMinutes() <= reached)) {
          continue;
        }
        int claimed = h.createUpdate("UPDATE removal_orders SET alerted_minutes = :m WHERE id = :id "
                + "AND state = :state AND (alerted_minutes IS NULL OR alerted_minutes > :m)")
            .bind("m", reached).bind("id", row.id()).bind("state", OrderState.RECEIVED.wireName()).execute();
        if (claimed == 0) {
          continue;
        }
        RemovalOrder order = view(h, row, now);
        Map<String, Object> event = event(order);
        event.put("minutes_left", reached);
        event.put("seconds_left", left);
        String type = reached == 0 ? "order.overdue" : "order.deadline_approaching";
        Outbox.enqueue(h, type, event);
        AuditLog.append(h, null, type, "removal_order", row.id(), null, event);
        sent++;
      }
      return sent;
    });
  }

  // ---- storage

  private static final String SELECT = "SELECT o.*, a.name AS authority_name, a.member_state AS authority_state FROM removal_orders o "
      + "JOIN order_authorities a ON a.id = o.authority_id";

  private record Row(long id, long authorityId, String authorityName, String authorityState, String reference, String contentUrl,
      String contentId, String reasons, boolean threatToLife, boolean notifyProvider, String state, OffsetDateTime receivedAt,
      OffsetDateTime clockStartedAt, OffsetDateTime dueAt, Integer alertedMinutes, String action, OffsetDateTime actedAt, Long submissionId, String actionNote,
      String notCompliedReason, String reply, OffsetDateTime notCompliedAt, OffsetDateTime finalAt, OffsetDateTime reinstatedAt,
      OffsetDateTime updatedAt) {}

  private static Row row(ResultSet rs) throws SQLException {
    Object alerted = rs.getObject("alerted_minutes");
    Object submission = rs.getObject("submission_id");
    return new Row(rs.getLong("id"), rs.getLong("authority_id"), rs.getString("authority_name"), rs.getString("authority_state"),
        rs.getString("reference"), rs.getString("content_url"), rs.getString("content_id"), rs.getString("reasons"),
        rs.getBoolean("threat_to_life"), rs.getBoolean("notify_provider"), rs.getString("state"),
        rs.getObject("received_at", OffsetDateTime.class), rs.getObject("clock_started_at", OffsetDateTime.class),
        rs.getObject("due_at", OffsetDateTime.class),
        alerted == null ? null : ((Number) alerted).intValue(), rs.getString("action"), rs.getObject("acted_at", OffsetDateTime.class),
        submission == null ? null : ((Number) submission).longValue(), rs.getString("action_note"), rs.getString("not_complied_reason"),
        rs.getString("reply"), rs.getObject("not_complied_at", OffsetDateTime.class), rs.getObject("final_at", OffsetDateTime.class),
        rs.getObject("reinstated_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class));
  }

  private static RemovalOrder view(Handle h, Row row, OffsetDateTime now) {
    boolean running = OrderState.RECEIVED.wireName().equals(row.state());
    Long secondsLeft = running ? Duration.between(now, row.dueAt()).toSeconds() : null;
    OrderDocument document = h.createQuery("SELECT media_type, file_name, sha256, size_bytes, attached_at FROM removal_order_documents "
            + "WHERE order_id = :id").bind("id", row.id())
        .map((rs, ctx) -> new OrderDocument(rs.getString("media_type"), rs.getString("file_name"), rs.getString("sha256"),
            rs.getLong("size_bytes"), Clock.text(rs.getObject("attached_at", OffsetDateTime.class))))
        .findOne().orElse(null);
    List<Hold> holds = h.createQuery("SELECT * FROM preservation_holds WHERE order_id = :id ORDER BY id").bind("id", row.id())
        .map((rs, ctx) -> {
          Object submission = rs.getObject("submission_id");
          OffsetDateTime until = rs.getObject("held_until", OffsetDateTime.class);
          return new Hold(rs.getLong("id"), rs.getString("content_id"), submission == null ? null : ((Number) submission).longValue(),
              Clock.text(rs.getObject("held_from", OffsetDateTime.class)), Clock.text(until), rs.getString("reason"), until.isAfter(now));
        })
        .list();
    return new RemovalOrder(row.id(), new RemovalOrder.AuthorityName(row.authorityId(), row.authorityName(), row.authorityState()),
        row.reference(), row.contentUrl(), row.contentId(), row.reasons(), row.threatToLife(), row.notifyProvider(), row.state(),
        Clock.text(row.receivedAt()), Clock.text(row.clockStartedAt()), Clock.text(row.dueAt()), secondsLeft, running && now.isAfter(row.dueAt()), row.action(),
        Clock.text(row.actedAt()), row.actedAt() == null ? null : !row.actedAt().isAfter(row.dueAt()), row.submissionId(),
        row.actionNote(), row.notCompliedReason(), row.reply(), Clock.text(row.notCompliedAt()), Clock.text(row.finalAt()),
        Clock.text(row.reinstatedAt()), document, holds, complaints(h, row.id()), Clock.text(row.updatedAt()));
  }

  private static List<Complaint> complaints(Handle h, long orderId) {
    return h.createQuery("SELECT * FROM order_complaints WHERE order_id = :id ORDER BY id").bind("id", orderId)
        .map((rs, ctx) -> complaint(rs)).list();
  }

  private static Complaint complaint(ResultSet rs) throws SQLException {
    return new Complaint(rs.getLong("id"), rs.getLong("order_id"), rs.getString("complainant"), rs.getString("text"), rs.getString("status"),
        Clock.text(rs.getObject("filed_at", OffsetDateTime.class)), Clock.text(rs.getObject("decided_at", OffsetDateTime.class)),
        rs.getString("decision_reason"));
  }

  static Optional<RemovalOrder> find(Handle h, long id) {
    OffsetDateTime now = Clock.now(h);
    return h.createQuery(SELECT + " WHERE o.id = :id").bind("id", id).map((rs, ctx) -> row(rs)).findOne().map(row -> view(h, row, now));
  }

  private static RemovalOrder lock(Handle h, long id) {
    h.createQuery("SELECT id FROM removal_orders WHERE id = :id FOR UPDATE").bind("id", id).mapTo(Long.class).findOne()
        .orElseThrow(() -> RequestException.notFound("order", id));
    return find(h, id).orElseThrow();
  }

  private static void touch(Handle h, long id, OffsetDateTime now) {
    h.createUpdate("UPDATE removal_orders SET updated_at = :now WHERE id = :id").bind("now", now).bind("id", id).execute();
  }

  private static long hold(Handle h, long orderId, String contentId, Long submissionId, OffsetDateTime from, OffsetDateTime until,
      String reason) {
    return h.createUpdate("INSERT INTO preservation_holds (order_id, content_id, submission_id, held_from, held_until, reason) "
            + "VALUES (:order, :content, :submission, :from, :until, :reason)")
        .bind("order", orderId).bind("content", contentId).bind("submission", submissionId).bind("from", from).bind("until", until)
        .bind("reason", reason)
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
  }

  /** The submission an action is recorded against: the one given (of the order's content), or the latest of its content id. */
  private static Long submission(Handle h, RemovalOrder order, Long given) {
    if (given != null) {
      String contentId = submissionContentId(h, given);
      if (contentId == null) {
        throw RequestException.invalid("submission_id", "submission " + given + " does not exist");
      }
      if (order.contentId() != null && !order.contentId().equals(contentId)) {
        throw RequestException.invalid("submission_id", "submission " + given + " is of content '" + contentId
            + "', not the order's '" + order.contentId() + "'");
      }
      return given;
    }
    if (order.contentId() == null) {
      return null;
    }
    return h.createQuery("SELECT id FROM submissions WHERE content_id = :content ORDER BY submitted_at DESC, id DESC FETCH FIRST 1 ROWS ONLY")
        .bind("content", order.contentId()).mapTo(Long.class).findOne().orElse(null);
  }

  private static String submissionContentId(Handle h, Long submissionId) {
    if (submissionId == null) {
      return null;
    }
    return h.createQuery("SELECT content_id FROM submissions WHERE id = :id").bind("id", submissionId).mapTo(String.class).findOne()
        .orElse(null);
  }

  // ---- events

  /** What every order event says of the order. */
  private static Map<String, Object> event(RemovalOrder order) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("order_id", order.id());
    event.put("reference", order.reference());
    event.put("authority", order.authority().name());
    event.put("member_state", order.authority().memberState());
    event.put("content_url", order.contentUrl());
    event.put("content_id", order.contentId());
    event.put("state", order.state());
    event.put("threat_to_life", order.threatToLife());
    event.put("received_at", order.receivedAt());
    event.put("clock_started_at", order.clockStartedAt());
    event.put("due_at", order.dueAt());
    return event;
  }

  /** Art. 11: what the platform tells the content provider, and how they may complain or challenge the order. */
  private static Map<String, Object> providerNotice(RemovalOrder order, String contentId) {
    Map<String, Object> notice = new LinkedHashMap<>();
    notice.put("order_id", order.id());
    notice.put("content_id", contentId);
    notice.put("content_url", order.contentUrl());
    notice.put("submission_id", order.submissionId());
    notice.put("action", order.action());
    notice.put("acted_at", order.actedAt());
    notice.put("authority", order.authority().name());
    notice.put("member_state", order.authority().memberState());
    notice.put("reference", order.reference());
    notice.put("reasons", order.reasons());
    notice.put("complaint", "You may complain to the platform about the removal (Art. 10 of Regulation (EU) 2021/784).");
    notice.put("challenge", "You may challenge the removal order before the courts of " + order.authority().memberState()
        + " (Art. 9 of Regulation (EU) 2021/784); ask the platform for a copy of the order.");
    return notice;
  }

  // ---- input

  private static String required(String text, String field, int max, boolean paragraphs) {
    String stripped = text == null ? "" : text.strip();
    if (stripped.isEmpty() || stripped.length() > max) {
      throw RequestException.invalid(field, "1 to " + max + " characters");
    }
    return paragraphs ? TextFields.paragraphs(stripped, field) : TextFields.line(stripped, field);
  }

  private static String optional(String text, String field, int max) {
    if (text == null || text.isBlank()) {
      return null;
    }
    return required(text, field, max, false);
  }

  private static String optionalText(String text, String field, int max) {
    if (text == null || text.isBlank()) {
      return null;
    }
    return required(text, field, max, true);
  }

  private static String contentUrl(String text) {
    String url = optional(text, "content_url", MAX_URL);
    if (url == null) {
      return null;
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw RequestException.invalid("content_url", "an http or https URL with a host");
      }
    } catch (URISyntaxException e) {
      throw RequestException.invalid("content_url", "not a URL: " + e.getReason());
    }
    return url;
  }

  private static OffsetDateTime time(String text, String field) {
    try {
      return Clock.utc(OffsetDateTime.parse(text.strip()).toInstant());
    } catch (DateTimeParseException e) {
      throw RequestException.invalid(field, "an ISO-8601 time with its offset, such as 2026-03-15T01:40:00Z");
    }
  }

}
