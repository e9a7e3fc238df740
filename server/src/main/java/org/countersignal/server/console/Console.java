package org.countersignal.server.console;

import java.util.HashMap;
import java.util.Map;
import org.countersignal.server.auth.ApiKeys;
import org.jdbi.v3.core.Jdbi;

/**
 * What the web console keeps of its own: users, sign-in sessions, reviewers' settings, and the
 * signer of its sign-in form's tokens.
 */
public record Console(UserAccounts users, ConsoleSessions sessions, ReviewerSettings settings, Jdbi jdbi, SignInTokens signInTokens) {

  /** The purpose the sign-in token key is derived from the server key for. */
  public static final String SIGN_IN_KEY_PURPOSE = "countersignal console sign-in token key v1";

  public static Console create(Jdbi jdbi, ApiKeys keys, SignInTokens signInTokens) {
    return new Console(new UserAccounts(jdbi, keys), new ConsoleSessions(jdbi), new ReviewerSettings(jdbi), jdbi, signInTokens);
  }

  /** Bank id to {entries, enabled entries}: the banks page's counts, in one query. */
  Map<Long, long[]> entryCounts() {
    Map<Long, long[]> counts = new HashMap<>();
    jdbi.useHandle(h -> h.createQuery(
            "SELECT bank_id, COUNT(*) AS total, SUM(CASE WHEN enabled THEN 1 ELSE 0 END) AS live FROM entries GROUP BY bank_id")
        .map((rs, ctx) -> Map.entry(rs.getLong("bank_id"), new long[] {rs.getLong("total"), rs.getLong("live")}))
        .forEach(e -> counts.put(e.getKey(), e.getValue())));
    return counts;
  }

  /** Bank {@code bankId}'s {entries, enabled entries}. */
  long[] entryCounts(long bankId) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT COUNT(*) AS total, SUM(CASE WHEN enabled THEN 1 ELSE 0 END) AS live FROM entries WHERE bank_id = :bank")
        .bind("bank", bankId)
        .map((rs, ctx) -> new long[] {rs.getLong("total"), rs.getLong("live")})
        .one());
  }

  /**
   * Who made each entry of bank {@code bankId}, by signal ({@link #signalKey}): the key id, for
   * the incident timeline, whose bank changes say what was added but not by whom.
   */
  Map<String, Long> entryMakers(long bankId) {
    Map<String, Long> makers = new HashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT s.signal_type, s.signal_value, e.created_by FROM entries e "
            + "JOIN entry_signals s ON s.entry_id = e.id WHERE e.bank_id = :bank AND e.created_by IS NOT NULL")
        .bind("bank", bankId)
        .map((rs, ctx) -> Map.entry(signalKey(rs.getString("signal_type"), rs.getString("signal_value")), rs.getLong("created_by")))
        .forEach(e -> makers.put(e.getKey(), e.getValue())));
    return makers;
  }

  static String signalKey(String type, String value) {
    return type + "\0" + value;
  }

  /**
   * Key id to how a page names who used it: the user's name for a user's key, else the key's own
   * name and id (API keys are named by whoever made them).
   */
  Map<Long, String> actorNames(java.util.Collection<Long> keyIds) {
    Map<Long, String> names = new HashMap<>();
    if (keyIds.isEmpty()) {
      return names;
    }
    jdbi.useHandle(h -> h.createQuery("SELECT k.id, k.name, u.username FROM api_keys k LEFT JOIN users u ON u.key_id = k.id "
            + "WHERE k.id IN (<ids>)")
        .bindList("ids", java.util.List.copyOf(keyIds))
        .map((rs, ctx) -> Map.entry(rs.getLong("id"), rs.getString("username") != null ? rs.getString("username")
            : "key " + rs.getLong("id") + (rs.getString("name") == null ? "" : " (" + rs.getString("name") + ")")))
        .forEach(e -> names.put(e.getKey(), e.getValue())));
    return names;
  }

  /** Submission id to media type, for those of {@code submissionIds} whose media is kept (queue thumbnails). */
  Map<Long, String> mediaTypes(java.util.Collection<Long> submissionIds) {
    Map<Long, String> types = new HashMap<>();
    if (submissionIds.isEmpty()) {
      return types;
    }
    jdbi.useHandle(h -> h.createQuery("SELECT id, media_type FROM submissions WHERE id IN (<ids>) AND media IS NOT NULL")
        .bindList("ids", java.util.List.copyOf(submissionIds))
        .map((rs, ctx) -> Map.entry(rs.getLong("id"), String.valueOf(rs.getString("media_type"))))
        .forEach(e -> types.put(e.getKey(), e.getValue())));
    return types;
  }
}
