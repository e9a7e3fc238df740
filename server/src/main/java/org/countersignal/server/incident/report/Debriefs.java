package org.countersignal.server.incident.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.countersignal.server.RequestException;
import org.countersignal.server.incident.Incident;
import org.countersignal.server.incident.IncidentStatus;
import org.countersignal.server.incident.IncidentTimeline;
import org.countersignal.server.incident.Incidents;
import org.countersignal.server.incident.TimelineEvent;
import org.countersignal.server.incident.TimelineKind;
import org.countersignal.server.store.Clock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Incidents' figures, charts and debriefs (table {@code incident_debriefs}). Closing an incident
 * keeps its debrief as it stands ({@link #keep}, in the closing transaction); a closed incident
 * is then reported from that, figures and charts included, so the report does not drift as its
 * entries go on matching. An incident not closed is reported from what the database holds now,
 * marked as a draft.
 */
public final class Debriefs {

  /** The most variants a debrief lists; the figures count all of them. */
  static final int MAX_VARIANTS = 5_000;

  // The API's names (snake_case); fields a later version adds are skipped when an older one reads a kept debrief.
  private static final ObjectMapper JSON = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private final Jdbi jdbi;

  public Debriefs(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Incident {@code id}'s debrief: the one kept at its closing, or a draft made now. */
  public Debrief debrief(long id) {
    return jdbi.inTransaction(h -> {
      Incident incident = Incidents.find(h, id).orElseThrow(() -> RequestException.notFound("incident", id));
      return kept(h, incident).orElseGet(() -> make(h, incident));
    });
  }

  /** Incident {@code id}'s figures, as its debrief gives them. */
  public IncidentFigures figures(long id) {
    return jdbi.inTransaction(h -> {
      Incident incident = Incidents.find(h, id).orElseThrow(() -> RequestException.notFound("incident", id));
      return kept(h, incident).map(Debrief::figures).orElseGet(() -> FigureReader.read(h, incident, Clock.now(h)));
    });
  }

  /**
   * Keeps the debrief of {@code closed}, an incident being closed, in the caller's transaction
   * (after the closing is on its timeline). Each closing keeps one; the newest is the report.
   */
  public static void keep(Handle h, Incident closed) {
    Debrief debrief = make(h, closed);
    h.createUpdate("INSERT INTO incident_debriefs (incident_id, made_at, body) VALUES (:incident, :at, :body)")
        .bind("incident", closed.id()).bind("at", Clock.now(h)).bind("body", write(debrief)).execute();
  }

  /** The debrief kept at the closing of {@code incident}, if it is closed and one was. */
  private static Optional<Debrief> kept(Handle h, Incident incident) {
    if (incident.state() != IncidentStatus.CLOSED) {
      return Optional.empty();
    }
    return h.createQuery("SELECT body FROM incident_debriefs WHERE incident_id = :id ORDER BY id DESC FETCH FIRST 1 ROWS ONLY")
        .bind("id", incident.id()).mapTo(String.class).findOne().map(Debriefs::read);
  }

  /** The debrief of {@code incident} from what the database holds now. */
  static Debrief make(Handle h, Incident incident) {
    OffsetDateTime now = Clock.now(h);
    IncidentFigures figures = FigureReader.read(h, incident, now);
    List<TimelineEvent> timeline = IncidentTimeline.of(h, incident);
    List<Debrief.SharedEntry> shared = new ArrayList<>();
    for (TimelineEvent event : timeline) {
      if (TimelineKind.ENTRY_ADDED.wireName().equals(event.kind())) {
        Map<String, Object> detail = event.detail();
        shared.add(new Debrief.SharedEntry(event.at(), text(detail.get("signal_type")), text(detail.get("signal")), text(detail.get("origin"))));
      }
    }
    List<Debrief.VariantFound> variants = new ArrayList<>();
    if (incident.bankId() != null) {
      Instant end = Instant.parse(figures.to());
      for (IncidentTimeline.Variant variant : IncidentTimeline.variants(h, incident.bankId(), MAX_VARIANTS)) {
        if (!variant.firstSeen().toInstant().isAfter(end)) {
          variants.add(new Debrief.VariantFound(Clock.text(variant.firstSeen()), variant.signalType(), variant.query(), variant.distance(),
              variant.entryId(), variant.matches()));
        }
      }
    }
    return new Debrief(incident.state() != IncidentStatus.CLOSED, Clock.text(now), incident, figures, timeline, shared, variants);
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  static String write(Debrief debrief) {
    try {
      return JSON.writeValueAsString(debrief);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a debrief", e);
    }
  }

  static Debrief read(String json) {
    try {
      return JSON.readValue(json, Debrief.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a kept debrief is not readable", e);
    }
  }
}
