package org.countersignal.server.stream;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.countersignal.index.hamming.Hash256;
import org.countersignal.index.video.VideoFrame;
import org.countersignal.server.RequestException;
import org.countersignal.server.TextFields;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.auth.Role;
import org.countersignal.server.bank.BankService;
import org.countersignal.server.match.MatchHit;
import org.countersignal.server.match.Matcher;
import org.countersignal.server.match.VideoHit;
import org.countersignal.server.rules.IncidentBanks;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.JsonText;
import org.countersignal.server.webhook.Outbox;
import org.countersignal.signals.pdq.PdqHash;
import org.countersignal.signals.pdq.PdqSignal;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Livestreams matched as they play. The platform opens a stream, sends the PDQ hashes of frames
 * as it samples them (or the frames themselves, which the HTTP layer hashes), and closes it. Each
 * request's frames are matched against the image banks at once, and the stream's last
 * {@code window_seconds} of frames against the banked videos; whatever a stream shows for the
 * first time raises an alert, answered to the request that sent the frame and sent as the webhook
 * event {@code stream.alert} in the same commit, alerts from incidents' banks first.
 *
 * <p>A stream's frames are kept in the database only as far back as its window, so any replica
 * can take the next request of any stream; requests of one stream are applied one at a time (the
 * stream's row is locked), so two replicas never raise the same alert twice.
 */
public final class Streams {

  public static final int DEFAULT_WINDOW_SECONDS = 30;
  static final int MIN_WINDOW_SECONDS = 5;
  static final int MAX_WINDOW_SECONDS = 600;
  /** Frames of one request: a second of a 60 fps stream fits, and a request stays small. */
  public static final int MAX_FRAMES_PER_REQUEST = 120;
  /**
   * The share of the window's frames that must match one banked video: half of the last 30 s,
   * so a few frames that happen to resemble a banked video's do not raise an alert, and a
   * restream of it does within seconds.
   */
  public static final double WINDOW_PERCENT = 50;
  private static final int MAX_TEXT = 200;
  private static final int MAX_ALERTS_A_REQUEST = 100;
  private static final int MAX_LIST = 500;

  /** Body of {@code POST /api/v1/streams}. */
  public record NewStream(String externalId, String account, List<Long> banks, Integer windowSeconds) {}

  /** What a request of frames did: frames taken, frames already sent (by position), alerts raised. */
  public record Received(long streamId, int accepted, int repeated, List<StreamAlert> alerts) {}

  private final Jdbi jdbi;
  private final Matcher matcher;
  private final IncidentBanks incidents;

  public Streams(Jdbi jdbi, Matcher matcher, IncidentBanks incidents) {
    this.jdbi = jdbi;
    this.matcher = matcher;
    this.incidents = incidents;
  }

  public StreamView open(Principal actor, NewStream request) {
    String externalId = text(request.externalId(), "external_id");
    String account = text(request.account(), "account");
    int window = request.windowSeconds() == null ? DEFAULT_WINDOW_SECONDS : request.windowSeconds();
    if (window < MIN_WINDOW_SECONDS || window > MAX_WINDOW_SECONDS) {
      throw RequestException.invalid("window_seconds", MIN_WINDOW_SECONDS + " to " + MAX_WINDOW_SECONDS);
    }
    List<Long> banks = request.banks() == null || request.banks().isEmpty() ? null : List.copyOf(request.banks());
    return jdbi.inTransaction(h -> {
      if (banks != null) {
        for (int i = 0; i < banks.size(); i++) {
          if (banks.get(i) == null || BankService.find(h, banks.get(i)).isEmpty()) {
            throw RequestException.invalid("banks[" + i + "]", "bank " + banks.get(i) + " does not exist");
          }
        }
      }
      long id = h.createUpdate("INSERT INTO streams (external_id, account, banks, window_seconds, state, key_id, opened_at) "
              + "VALUES (:external, :account, :banks, :window, :state, :key, :now)")
          .bind("external", externalId).bind("account", account).bind("banks", banks == null ? null : JsonText.write(banks))
          .bind("window", window).bind("state", StreamState.OPEN.wireName()).bind("key", actor.keyId()).bind("now", Clock.now(h))
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      return view(h, row(h, id, false).orElseThrow());
    });
  }

  /** The stream, with its alerts; only for the key that opened it, or an admin (404 for others). */
  public StreamView get(Principal actor, long id) {
    return jdbi.withHandle(h -> view(h, visible(h, actor, id, false)));
  }

  /** The caller's streams (an admin's: all), newest first, those in {@code state} only when given. */
  public List<StreamView> list(Principal actor, String state, int limit) {
    return streams(actor.role() == Role.ADMIN ? null : actor.keyId(), state, limit);
  }

  /**
   * Every stream, whichever key opened it, newest first, those in {@code state} only when given:
   * for the console, whose moderators watch all the platforms' streams without opening any.
   */
  public List<StreamView> recent(String state, int limit) {
    return streams(null, state, limit);
  }

  /** Streams opened by {@code keyId} (every key's when null). */
  private List<StreamView> streams(Long keyId, String state, int limit) {
    if (state != null && !state.equals(StreamState.OPEN.wireName()) && !state.equals(StreamState.CLOSED.wireName())) {
      throw RequestException.invalid("state", "open or closed");
    }
    if (limit < 1 || limit > MAX_LIST) {
      throw RequestException.invalid("limit", "1 to " + MAX_LIST);
    }
    return jdbi.withHandle(h -> {
      var query = h.createQuery("SELECT * FROM streams WHERE 1 = 1" + (keyId == null ? "" : " AND key_id = :key")
          + (state == null ? "" : " AND state = :state") + " ORDER BY id DESC LIMIT :limit").bind("limit", limit);
      if (keyId != null) {
        query.bind("key", keyId);
      }
      if (state != null) {
        query.bind("state", state);
      }
      return views(h, query.map((rs, ctx) -> Row.of(rs)).list());
    });
  }

  /** Ends the stream: its window's frames are dropped, its alerts kept. Closing a closed stream changes nothing. */
  public StreamView close(Principal actor, long id) {
    return jdbi.inTransaction(h -> {
      Row row = visible(h, actor, id, true);
      if (row.open()) {
        h.createUpdate("UPDATE streams SET state = :closed, closed_at = :now WHERE id = :id")
            .bind("closed", StreamState.CLOSED.wireName()).bind("now", Clock.now(h)).bind("id", id).execute();
        h.createUpdate("DELETE FROM stream_frames WHERE stream_id = :id").bind("id", id).execute();
      }
      return view(h, row(h, id, false).orElseThrow());
    });
  }

  /**
   * Takes frames of an open stream, matches them, and raises the alerts they set off. A frame at
   * a position the stream already has is a repeat (a retried request) and is not taken again.
   */
  public Received frames(Principal actor, long id, List<Frame> frames) {
    List<Frame> checked = checked(frames);
    Taken taken = jdbi.inTransaction(h -> take(h, actor, id, checked));
    List<Candidate> found = new ArrayList<>();
    if (!taken.fresh().isEmpty()) {
      found.addAll(imageHits(taken));
      found.addAll(videoHits(taken));
    }
    // Incidents' banks first: in a crisis, its alerts are the ones to act on first.
    found.sort(Comparator.comparing((Candidate c) -> c.incidentId() == null).thenComparingDouble(Candidate::atSeconds)
        .thenComparingLong(Candidate::entryId));
    List<StreamAlert> raised = found.isEmpty() ? List.of() : jdbi.inTransaction(h -> raise(h, taken.stream(), found));
    return new Received(id, taken.fresh().size(), checked.size() - taken.fresh().size(), raised);
  }

  private static List<Frame> checked(List<Frame> frames) {
    if (frames == null || frames.isEmpty()) {
      throw RequestException.invalid("frames", "send at least one frame: {pdq, quality, at_seconds}");
    }
    if (frames.size() > MAX_FRAMES_PER_REQUEST) {
      throw new RequestException(RequestException.Kind.TOO_LARGE, "frames", "at most " + MAX_FRAMES_PER_REQUEST + " frames a request");
    }
    List<Frame> out = new ArrayList<>();
    for (int i = 0; i < frames.size(); i++) {
      Frame f = frames.get(i);
      String field = "frames[" + i + "]";
      if (f == null || f.pdq() == null) {
        throw RequestException.invalid(field + ".pdq", "is required: the frame's PDQ hash, 64 hex digits");
      }
      String hex;
      try {
        hex = PdqHash.fromHex(f.pdq().strip()).toHex();
      } catch (IllegalArgumentException e) {
        throw RequestException.invalid(field + ".pdq", "not a PDQ hash (64 hex digits): " + e.getMessage());
      }
      if (f.quality() != PdqSignal.UNKNOWN_QUALITY && (f.quality() < 0 || f.quality() > 100)) {
        throw RequestException.invalid(field + ".quality", "0 to 100, or left out when not known");
      }
      if (!Double.isFinite(f.atSeconds()) || f.atSeconds() < 0) {
        throw RequestException.invalid(field + ".at_seconds", "the frame's position in the stream, in seconds from its start");
      }
      out.add(new Frame(hex, f.quality(), f.atSeconds()));
    }
    return out;
  }

  /** The stream after the frames were taken, the frames new to it, and its window now. */
  private record Taken(Row stream, List<Frame> fresh, List<Frame> window) {}

  private Taken take(Handle h, Principal actor, long id, List<Frame> frames) {
    Row stream = open(h, actor, id, true);
    Set<Double> known = new HashSet<>(h.createQuery("SELECT at_seconds FROM stream_frames WHERE stream_id = :id AND at_seconds IN (<at>)")
        .bind("id", id).bindList("at", frames.stream().map(Frame::atSeconds).toList()).mapTo(Double.class).list());
    Map<Double, Frame> fresh = new LinkedHashMap<>();
    for (Frame f : frames) {
      if (!known.contains(f.atSeconds())) {
        fresh.putIfAbsent(f.atSeconds(), f);
      }
    }
    if (!fresh.isEmpty()) {
      var insert = h.prepareBatch("INSERT INTO stream_frames (stream_id, at_seconds, pdq, quality) VALUES (:id, :at, :pdq, :quality)");
      for (Frame f : fresh.values()) {
        insert.bind("id", id).bind("at", f.atSeconds()).bind("pdq", f.pdq()).bind("quality", f.quality()).add();
      }
      insert.execute();
      double last = fresh.keySet().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
      if (stream.lastSeconds() != null) {
        last = Math.max(last, stream.lastSeconds());
      }
      h.createUpdate("UPDATE streams SET frames = frames + :n, last_seconds = :last WHERE id = :id")
          .bind("n", fresh.size()).bind("last", last).bind("id", id).execute();
      h.createUpdate("DELETE FROM stream_frames WHERE stream_id = :id AND at_seconds < :from")
          .bind("id", id).bind("from", last - stream.windowSeconds()).execute();
    }
    List<Frame> window = h.createQuery("SELECT pdq, quality, at_seconds FROM stream_frames WHERE stream_id = :id ORDER BY at_seconds")
        .bind("id", id).map((rs, ctx) -> new Frame(rs.getString(1), rs.getInt(2), rs.getDouble(3))).list();
    return new Taken(stream, List.copyOf(fresh.values()), window);
  }

  /** Something a stream showed, before it is an alert. */
  private record Candidate(String kind, long entryId, long bankId, String bankName, Long incidentId, double atSeconds,
      Integer distance, Double windowPercent, List<String> labels) {}

  /** The new frames near banked images, each entry at the first frame that showed it. */
  private List<Candidate> imageHits(Taken taken) {
    Map<String, Integer> quality = new LinkedHashMap<>();
    Map<String, Double> firstAt = new HashMap<>();
    for (Frame f : taken.fresh()) {
      quality.merge(f.pdq(), f.quality(), Math::max);
      firstAt.merge(f.pdq(), f.atSeconds(), Math::min);
    }
    List<Matcher.Query> queries = new ArrayList<>();
    quality.forEach((hex, q) -> queries.add(new Matcher.Query("pdq", hex, q)));
    Map<Long, Candidate> byEntry = new LinkedHashMap<>();
    for (MatchHit hit : matcher.match(queries, taken.stream().banks()).hits()) {
      double at = firstAt.get(hit.query());
      Candidate c = new Candidate("image", hit.entryId(), hit.bankId(), hit.bankName(), incidentOf(hit.bankId()), at, hit.distance(),
          null, hit.labels());
      byEntry.merge(hit.entryId(), c, (a, b) -> b.atSeconds() < a.atSeconds() || b.atSeconds() == a.atSeconds()
          && b.distance() < a.distance() ? b : a);
    }
    return new ArrayList<>(byEntry.values());
  }

  /** The banked videos the window now plays, at the newest frame. */
  private List<Candidate> videoHits(Taken taken) {
    List<VideoFrame> window = new ArrayList<>();
    for (Frame f : taken.window()) {
      // A hash sent without its quality is taken as it comes, as for image matching.
      window.add(new VideoFrame(Hash256.fromHex(f.pdq()), f.quality() < 0 ? 100 : f.quality(), f.atSeconds()));
    }
    double at = taken.fresh().stream().mapToDouble(Frame::atSeconds).max().orElseThrow();
    List<Candidate> out = new ArrayList<>();
    for (VideoHit hit : matcher.matchVideoWindow(window, taken.stream().banks(), WINDOW_PERCENT, MAX_ALERTS_A_REQUEST).hits()) {
      out.add(new Candidate("video", hit.entryId(), hit.bankId(), hit.bankName(), incidentOf(hit.bankId()), at, null,
          hit.queryMatchedPercent(), hit.labels()));
    }
    return out;
  }

  private Long incidentOf(long bankId) {
    IncidentBanks.IncidentOf incident = incidents.incidentOf(bankId);
    return incident == null ? null : incident.id();
  }

  /** The candidates the stream had not yet shown, as alerts, each told to the platform. */
  private List<StreamAlert> raise(Handle h, Row stream, List<Candidate> found) {
    // Requests of one stream raise alerts one at a time, so each entry alerts once.
    h.createQuery("SELECT id FROM streams WHERE id = :id FOR UPDATE").bind("id", stream.id()).mapTo(Long.class).one();
    Set<Long> shown = new HashSet<>(h.createQuery("SELECT entry_id FROM stream_alerts WHERE stream_id = :id AND entry_id IN (<entries>)")
        .bind("id", stream.id()).bindList("entries", found.stream().map(Candidate::entryId).toList()).mapTo(Long.class).list());
    OffsetDateTime now = Clock.now(h);
    List<StreamAlert> raised = new ArrayList<>();
    for (Candidate c : found) {
      if (!shown.add(c.entryId()) || raised.size() >= MAX_ALERTS_A_REQUEST) {
        continue;
      }
      long id = h.createUpdate("INSERT INTO stream_alerts (stream_id, kind, entry_id, bank_id, bank_name, incident_id, at_seconds, "
              + "distance, window_percent, labels, raised_at) "
              + "VALUES (:stream, :kind, :entry, :bank, :bankName, :incident, :at, :distance, :percent, :labels, :now)")
          .bind("stream", stream.id()).bind("kind", c.kind()).bind("entry", c.entryId()).bind("bank", c.bankId())
          .bind("bankName", c.bankName()).bind("incident", c.incidentId()).bind("at", c.atSeconds()).bind("distance", c.distance())
          .bind("percent", c.windowPercent()).bind("labels", JsonText.write(c.labels())).bind("now", now)
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      StreamAlert alert = new StreamAlert(id, stream.id(), c.kind(), c.entryId(), c.bankId(), c.bankName(), c.incidentId(),
          c.atSeconds(), c.distance(), c.windowPercent(), c.labels(), Clock.text(now));
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("alert", alert);
      event.put("stream", Map.of("id", stream.id(), "external_id", String.valueOf(stream.externalId()),
          "account", String.valueOf(stream.account())));
      Outbox.enqueue(h, "stream.alert", event);
      raised.add(alert);
    }
    return raised;
  }

  /** A stream's row. */
  private record Row(long id, String externalId, String account, List<Long> banks, int windowSeconds, String state, long keyId,
      long frames, Double lastSeconds, OffsetDateTime openedAt, OffsetDateTime closedAt) {

    boolean open() {
      return StreamState.OPEN.wireName().equals(state);
    }

    static Row of(java.sql.ResultSet rs) throws java.sql.SQLException {
      String banks = rs.getString("banks");
      return new Row(rs.getLong("id"), rs.getString("external_id"), rs.getString("account"),
          banks == null ? null : List.of(JsonText.read(banks, Long[].class)), rs.getInt("window_seconds"), rs.getString("state"),
          rs.getLong("key_id"), rs.getLong("frames"), rs.getObject("last_seconds", Double.class),
          rs.getObject("opened_at", OffsetDateTime.class), rs.getObject("closed_at", OffsetDateTime.class));
    }
  }

  private static Optional<Row> row(Handle h, long id, boolean lock) {
    return h.createQuery("SELECT * FROM streams WHERE id = :id" + (lock ? " FOR UPDATE" : "")).bind("id", id)
        .map((rs, ctx) -> Row.of(rs)).findOne();
  }

  /**
   * Refuses, before any work on a frame, a stream {@code actor} may not feed (404) or that is
   * closed (409): a picture is not decoded for nothing.
   */
  public void requireOpen(Principal actor, long id) {
    jdbi.useHandle(h -> open(h, actor, id, false));
  }

  private static Row open(Handle h, Principal actor, long id, boolean lock) {
    Row stream = visible(h, actor, id, lock);
    if (!stream.open()) {
      throw new RequestException(RequestException.Kind.CONFLICT, "stream " + id + " is closed");
    }
    return stream;
  }

  /** The stream when {@code actor} opened it or is an admin; 404 otherwise, as for one that does not exist. */
  private static Row visible(Handle h, Principal actor, long id, boolean lock) {
    Row row = row(h, id, lock).orElse(null);
    if (row == null || actor.role() != Role.ADMIN && row.keyId() != actor.keyId()) {
      throw RequestException.notFound("stream", id);
    }
    return row;
  }

  private static StreamView view(Handle h, Row row) {
    return views(h, List.of(row)).getFirst();
  }

  /** The streams of {@code rows}, in their order, with their alerts read in one query. */
  private static List<StreamView> views(Handle h, List<Row> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    Map<Long, List<StreamAlert>> alerts = new HashMap<>();
    h.createQuery("SELECT * FROM stream_alerts WHERE stream_id IN (<ids>) ORDER BY id")
        .bindList("ids", rows.stream().map(Row::id).toList())
        .map((rs, ctx) -> new StreamAlert(rs.getLong("id"), rs.getLong("stream_id"), rs.getString("kind"), rs.getLong("entry_id"),
            rs.getLong("bank_id"), rs.getString("bank_name"), rs.getObject("incident_id", Long.class), rs.getDouble("at_seconds"),
            rs.getObject("distance", Integer.class), rs.getObject("window_percent", Double.class),
            JsonText.stringList(rs.getString("labels")), Clock.text(rs.getObject("raised_at", OffsetDateTime.class))))
        .forEach(alert -> alerts.computeIfAbsent(alert.streamId(), k -> new ArrayList<>()).add(alert));
    List<StreamView> out = new ArrayList<>();
    for (Row row : rows) {
      out.add(new StreamView(row.id(), row.externalId(), row.account(), row.banks(), row.windowSeconds(), row.state(), row.frames(),
          row.lastSeconds(), Clock.text(row.openedAt()), row.closedAt() == null ? null : Clock.text(row.closedAt()),
          List.copyOf(alerts.getOrDefault(row.id(), List.of()))));
    }
    return out;
  }

  private static String text(String value, String field) {
    if (value == null || value.isBlank()) {
      return null;
    }
    // Names, not prose: one line, so an account can never forge a second line where it is shown.
    String stripped = TextFields.line(value.strip(), field);
    if (stripped.length() > MAX_TEXT) {
      throw RequestException.invalid(field, "at most " + MAX_TEXT + " characters");
    }
    return stripped;
  }
}
