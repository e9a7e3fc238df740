package org.countersignal.server.discovery;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.countersignal.server.RequestException;
import org.countersignal.server.bank.SignalCatalog;
import org.countersignal.server.signal.ServerSignalType;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.JsonText;
import org.jdbi.v3.core.Handle;

/**
 * How variant discovery runs. Off until an admin turns it on: it keeps the signals of uploads
 * that matched nothing, which a platform must choose to keep.
 *
 * @param retentionHours how long a recent signal is kept (7 days by default, 30 at most)
 * @param nearMiss signal type to the far edge of its near-miss band (the band starts past each
 *     bank's own threshold): {@link ServerSignalType#nearMissDistance} unless set
 * @param videoNearPercent a video playing at least this share of a banked video's frames, too
 *     little for its bank's rules, is a near miss (30 by default)
 * @param clusterWindowHours clusters are looked for among the uploads of the last this many hours
 * @param clusterRadius a cluster member's PDQ distance to its leader, at most
 * @param clusterMinUploads uploads a cluster needs to be proposed
 * @param clusterMinAccounts distinct accounts it needs, when the platform named the uploads'
 *     accounts (a cluster of uploads without accounts is judged by uploads alone)
 * @param updatedAt when an admin last changed them; null for the defaults
 */
public record DiscoverySettings(boolean enabled, int retentionHours, Map<String, Integer> nearMiss, int videoNearPercent,
    int clusterWindowHours, int clusterRadius, int clusterMinUploads, int clusterMinAccounts, String updatedAt, Long updatedBy) {

  static final int MAX_RETENTION_HOURS = 30 * 24;
  private static final int DEFAULT_RETENTION_HOURS = 7 * 24;
  private static final int DEFAULT_VIDEO_NEAR_PERCENT = 30;
  /**
   * Six hours, 31 bits, 20 uploads from 5 accounts: a new edit going viral is re-uploaded by many
   * accounts within hours, while a single account re-posting its own picture is not a spread.
   */
  private static final int DEFAULT_CLUSTER_WINDOW_HOURS = 6;
  private static final int DEFAULT_CLUSTER_RADIUS = 31;
  private static final int DEFAULT_CLUSTER_MIN_UPLOADS = 20;
  private static final int DEFAULT_CLUSTER_MIN_ACCOUNTS = 5;
  private static final int MAX_CLUSTER_RADIUS = 64;

  public DiscoverySettings {
    nearMiss = java.util.Collections.unmodifiableMap(new TreeMap<>(nearMiss)); // in name order, as it is shown
  }

  /** Off, with each type's own band edge. */
  static DiscoverySettings defaults(SignalCatalog catalog) {
    Map<String, Integer> edges = new TreeMap<>();
    for (ServerSignalType type : catalog.types()) {
      if (type.nearMissDistance() > 0) {
        edges.put(type.name(), type.nearMissDistance());
      }
    }
    return new DiscoverySettings(false, DEFAULT_RETENTION_HOURS, edges, DEFAULT_VIDEO_NEAR_PERCENT, DEFAULT_CLUSTER_WINDOW_HOURS,
        DEFAULT_CLUSTER_RADIUS, DEFAULT_CLUSTER_MIN_UPLOADS, DEFAULT_CLUSTER_MIN_ACCOUNTS, null, null);
  }

  Duration retention() {
    return Duration.ofHours(retentionHours);
  }

  Duration clusterWindow() {
    return Duration.ofHours(clusterWindowHours);
  }

  /**
   * What an admin changes: each field left out keeps its value.
   *
   * @param nearMiss band edges by type; a type left out keeps its edge
   */
  public record Change(Boolean enabled, Integer retentionHours, Map<String, Integer> nearMiss, Integer videoNearPercent,
      Integer clusterWindowHours, Integer clusterRadius, Integer clusterMinUploads, Integer clusterMinAccounts) {}

  /** These settings with {@code change} applied, each field checked (422 naming it). */
  DiscoverySettings with(Change change, SignalCatalog catalog) {
    Map<String, Integer> edges = new TreeMap<>(nearMiss);
    if (change.nearMiss() != null) {
      for (Map.Entry<String, Integer> edge : change.nearMiss().entrySet()) {
        String field = "near_miss." + edge.getKey();
        ServerSignalType type = catalog.find(edge.getKey())
            .filter(t -> t.nearMissDistance() > 0)
            .orElseThrow(() -> RequestException.invalid(field, "one of " + String.join(", ", nearMiss.keySet())));
        edges.put(type.name(), within(edge.getValue(), 1, type.maxThreshold(), field));
      }
    }
    int retention = change.retentionHours() == null ? retentionHours
        : within(change.retentionHours(), 1, MAX_RETENTION_HOURS, "retention_hours");
    int window = change.clusterWindowHours() == null ? Math.min(clusterWindowHours, retention)
        : within(change.clusterWindowHours(), 1, retention, "cluster_window_hours");
    return new DiscoverySettings(change.enabled() == null ? enabled : change.enabled(), retention, edges,
        change.videoNearPercent() == null ? videoNearPercent : within(change.videoNearPercent(), 1, 99, "video_near_percent"),
        window,
        change.clusterRadius() == null ? clusterRadius : within(change.clusterRadius(), 0, MAX_CLUSTER_RADIUS, "cluster_radius"),
        change.clusterMinUploads() == null ? clusterMinUploads
            : within(change.clusterMinUploads(), 2, 1_000_000, "cluster_min_uploads"),
        change.clusterMinAccounts() == null ? clusterMinAccounts
            : within(change.clusterMinAccounts(), 1, 1_000_000, "cluster_min_accounts"),
        updatedAt, updatedBy);
  }

  private static int within(Integer value, int min, int max, String field) {
    if (value == null || value < min || value > max) {
      throw RequestException.invalid(field, min + " to " + max);
    }
    return value;
  }

  /** The stored settings, or the defaults when none are. */
  static DiscoverySettings read(Handle h, SignalCatalog catalog) {
    DiscoverySettings defaults = defaults(catalog);
    return h.createQuery("SELECT * FROM discovery_settings WHERE id = 1")
        .map((rs, ctx) -> {
          Map<String, Integer> edges = new TreeMap<>(defaults.nearMiss());
          // A type no longer served is dropped; one added since gets its own edge.
          JsonText.intMap(rs.getString("near_miss")).forEach((type, edge) -> edges.computeIfPresent(type, (t, e) -> edge));
          return new DiscoverySettings(rs.getBoolean("enabled"), rs.getInt("retention_hours"), edges, rs.getInt("video_near_percent"),
              rs.getInt("cluster_window_hours"), rs.getInt("cluster_radius"), rs.getInt("cluster_min_uploads"),
              rs.getInt("cluster_min_accounts"), Clock.text(rs.getObject("updated_at", OffsetDateTime.class)),
              rs.getObject("updated_by", Long.class));
        })
        .findOne()
        .orElse(defaults);
  }

  /** Stores these settings as changed by {@code keyId} now; returns them as stored. */
  DiscoverySettings write(Handle h, Long keyId) {
    OffsetDateTime now = Clock.now(h);
    h.createUpdate("DELETE FROM discovery_settings WHERE id = 1").execute();
    h.createUpdate("INSERT INTO discovery_settings (id, enabled, retention_hours, near_miss, video_near_percent, cluster_window_hours, "
            + "cluster_radius, cluster_min_uploads, cluster_min_accounts, updated_at, updated_by) VALUES (1, :enabled, :retention, "
            + ":edges, :video, :window, :radius, :uploads, :accounts, :now, :by)")
        .bind("enabled", enabled).bind("retention", retentionHours).bind("edges", JsonText.write(new LinkedHashMap<>(nearMiss)))
        .bind("video", videoNearPercent).bind("window", clusterWindowHours).bind("radius", clusterRadius)
        .bind("uploads", clusterMinUploads).bind("accounts", clusterMinAccounts).bind("now", now).bind("by", keyId)
        .execute();
    return new DiscoverySettings(enabled, retentionHours, nearMiss, videoNearPercent, clusterWindowHours, clusterRadius,
        clusterMinUploads, clusterMinAccounts, Clock.text(now), keyId);
  }
}
