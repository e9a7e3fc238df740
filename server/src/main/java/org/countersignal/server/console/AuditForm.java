package org.countersignal.server.console;

import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The audit log page's filters as they were typed: shown again in the form, and carried by the
 * paging links, so that the next page is the next page of the same search.
 */
record AuditForm(String action, String actor, String targetType, String targetId, String from, String until) {

  static AuditForm from(Context ctx) {
    return new AuditForm(field(ctx, "action"), field(ctx, "actor"), field(ctx, "target_type"), field(ctx, "target_id"),
        field(ctx, "from"), field(ctx, "until"));
  }

  /** The filters given, as a query string without the leading {@code ?} (empty when none). */
  String query() {
    Map<String, String> given = new LinkedHashMap<>();
    given.put("action", action);
    given.put("actor", actor);
    given.put("target_type", targetType);
    given.put("target_id", targetId);
    given.put("from", from);
    given.put("until", until);
    return given.entrySet().stream()
        .filter(e -> e.getValue() != null)
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  boolean isEmpty() {
    return query().isEmpty();
  }

  private static String field(Context ctx, String name) {
    return FormFields.blankToNull(ctx.queryParam(name));
  }
}
