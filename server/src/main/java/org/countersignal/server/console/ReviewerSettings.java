package org.countersignal.server.console;

import java.util.Optional;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.store.Clock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Each reviewer's wellness settings, by key; a reviewer who never chose has the defaults. */
public final class ReviewerSettings {

  private final Jdbi jdbi;

  public ReviewerSettings(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public WellnessSettings of(Principal reviewer) {
    return jdbi.withHandle(h -> find(h, reviewer.keyId())).orElse(WellnessSettings.DEFAULTS);
  }

  public WellnessSettings save(Principal reviewer, WellnessSettings settings) {
    return jdbi.inTransaction(h -> {
      Optional<WellnessSettings> before = find(h, reviewer.keyId());
      var now = Clock.now(h);
      int updated = h.createUpdate("UPDATE reviewer_settings SET blur = :blur, greyscale = :grey, blur_strength = :strength, "
              + "updated_at = :at WHERE key_id = :key")
          .bind("blur", settings.blur()).bind("grey", settings.greyscale()).bind("strength", settings.blurStrength())
          .bind("at", now).bind("key", reviewer.keyId())
          .execute();
      if (updated == 0) {
        h.createUpdate("INSERT INTO reviewer_settings (key_id, blur, greyscale, blur_strength, updated_at) "
                + "VALUES (:key, :blur, :grey, :strength, :at)")
            .bind("key", reviewer.keyId()).bind("blur", settings.blur()).bind("grey", settings.greyscale())
            .bind("strength", settings.blurStrength()).bind("at", now)
            .execute();
      }
      AuditLog.append(h, reviewer.keyId(), "reviewer_settings.changed", "key", reviewer.keyId(),
          before.orElse(WellnessSettings.DEFAULTS), settings);
      return settings;
    });
  }

  private static Optional<WellnessSettings> find(Handle h, long keyId) {
    return h.createQuery("SELECT blur, greyscale, blur_strength FROM reviewer_settings WHERE key_id = :key")
        .bind("key", keyId)
        .map((rs, ctx) -> new WellnessSettings(rs.getBoolean("blur"), rs.getBoolean("greyscale"), rs.getString("blur_strength")))
        .findOne();
  }
}
