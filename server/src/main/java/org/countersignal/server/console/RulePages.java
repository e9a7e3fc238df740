package org.countersignal.server.console;

import static org.countersignal.server.console.Html.esc;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.List;
import org.countersignal.server.RequestException;
import org.countersignal.server.auth.Role;
import org.countersignal.server.rules.Conditions;
import org.countersignal.server.rules.Rule;
import org.countersignal.server.rules.RuleChanges;
import org.countersignal.server.rules.Rules;

/**
 * {@code /console/rules}: the action rules, as through the API. Admins and curators add rules,
 * switch them on and off and delete them; auditors and coordinators read them. The rules service
 * checks every field, and its refusal is shown above the form with what was entered.
 */
final class RulePages {

  private static final String ACTIONS = "remove, review, label, suspend_account, report_to_authorities, or a name of your own";

  private final Rules rules;

  RulePages(Rules rules) {
    this.rules = rules;
  }

  void register(RoutesConfig routes, ConsoleRoutes console) {
    routes.get("/console/rules", console.page((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, Role.ADMIN, Role.CURATOR, Role.AUDITOR, Role.COORDINATOR);
      ctx.html(page(viewer, null, false, null));
    }));
    routes.post("/console/rules", console.action((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, Role.ADMIN, Role.CURATOR);
      try {
        rules.create(viewer.principal(), new RuleChanges(ctx.formParam("name"), FormFields.blankToNull(ctx.formParam("description")), true,
            integer(ctx, "priority"), ctx.formParam("action"), "on".equals(ctx.formParam("review_first")), conditions(ctx)));
        ctx.redirect("/console/rules", HttpStatus.SEE_OTHER);
      } catch (RequestException e) {
        ctx.status(e.kind().status()).html(page(viewer, e.getMessage(), true, ctx));
      }
    }));
    routes.post("/console/rules/{id}/{change}", console.action((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, Role.ADMIN, Role.CURATOR);
      long id = ConsoleRoutes.pathId(ctx, "id", "rule");
      try {
        switch (ctx.pathParam("change")) {
          case "enable" -> rules.update(viewer.principal(), id, new RuleChanges(null, null, true, null, null, null, null));
          case "disable" -> rules.update(viewer.principal(), id, new RuleChanges(null, null, false, null, null, null, null));
          case "delete" -> rules.delete(viewer.principal(), id);
          default -> throw RequestException.notFound("rule change", ctx.pathParam("change"));
        }
        ctx.redirect("/console/rules", HttpStatus.SEE_OTHER);
      } catch (RequestException e) {
        ctx.status(e.kind().status()).html(page(viewer, e.getMessage(), true, null));
      }
    }));
  }

  private String page(Viewer viewer, String message, boolean error, Context entered) {
    boolean edits = viewer.role() == Role.ADMIN || viewer.role() == Role.CURATOR;
    StringBuilder rows = new StringBuilder();
    for (Rule rule : rules.list()) {
      rows.append("<tr data-rule-id=\"").append(rule.id()).append("\"><td class=\"num\">").append(rule.priority()).append("</td><td>")
          .append(esc(rule.name())).append("<div class=\"muted\">").append(esc(rule.description())).append("</div></td><td>")
          .append(esc(rule.action())).append(rule.reviewFirst() ? " <span class=\"tag\">after review</span>" : "").append("</td><td>")
          .append(esc(describe(rule.conditions()))).append("</td><td>").append(rule.enabled() ? "on" : "<strong>off</strong>").append("</td>");
      if (edits) {
        rows.append("<td>").append(button(viewer, rule.id(), rule.enabled() ? "disable" : "enable", rule.enabled() ? "Switch off" : "Switch on"))
            .append(button(viewer, rule.id(), "delete", "Delete")).append("</td>");
      }
      rows.append("</tr>");
    }
    String table = rows.isEmpty() ? "<p class=\"muted\">No rules yet: matches are reported, and nothing is done about them.</p>"
        : "<table id=\"rules\"><thead><tr><th>priority</th><th>rule</th><th>action</th><th>when</th><th>enabled</th>"
            + (edits ? "<th></th>" : "") + "</tr></thead><tbody>" + rows + "</tbody></table>";
    String form = edits ? form(viewer, entered) : "";
    return Layout.page("Rules", viewer, "Rules", "<h1>Rules</h1>" + Html.message(message, error)
        + "<p class=\"muted\">Every match is held against the enabled rules, highest priority first; each rule that fires becomes a "
        + "decision, taken at once or after a reviewer confirms it.</p>" + table + form);
  }

  private static String button(Viewer viewer, long id, String change, String text) {
    return "<form method=\"post\" action=\"/console/rules/" + id + "/" + change + "\" class=\"inline\">" + Html.csrfField(viewer.csrf())
        + "<button type=\"submit\" name=\"" + change + "\">" + text + "</button></form>";
  }

  private static String form(Viewer viewer, Context entered) {
    return "<form method=\"post\" action=\"/console/rules\" class=\"card narrow\" id=\"new-rule\">" + Html.csrfField(viewer.csrf())
        + "<h2>New rule</h2>"
        + field(entered, "name", "Name", "")
        + field(entered, "description", "Description", "")
        + field(entered, "action", "Action", ACTIONS)
        + "<label class=\"check\"><input type=\"checkbox\" name=\"review_first\" value=\"on\""
        + (entered != null && "on".equals(entered.formParam("review_first")) ? " checked" : "") + "> A reviewer confirms before the action is taken</label>"
        + field(entered, "priority", "Priority", "a whole number; higher runs first")
        + "<h3>When (all that are given must hold)</h3>"
        + field(entered, "banks", "Banks", "bank ids, comma-separated")
        + field(entered, "labels", "Labels", "any of these labels, comma-separated")
        + field(entered, "signal_types", "Signal types", "e.g. pdq, md5, vpdq")
        + field(entered, "max_distance", "Largest distance", "a match this close or closer")
        + field(entered, "content_types", "Content types", "photo, video, text, url, file, other")
        + field(entered, "min_account_violations", "Account violations at least", "for account rules, e.g. suspension")
        + field(entered, "incident", "Incident", "an incident's id, or any: hits in incidents' banks")
        + field(entered, "incident_statuses", "Incident statuses", "active, monitoring, closed")
        + "<button type=\"submit\">Add rule</button></form>";
  }

  private static String field(Context entered, String name, String label, String hint) {
    String value = entered == null ? "" : entered.formParam(name);
    return "<label>" + label + (hint.isEmpty() ? "" : " <span class=\"muted\">(" + esc(hint) + ")</span>")
        + " <input type=\"text\" name=\"" + name + "\" value=\"" + esc(value) + "\"></label>";
  }

  private static String describe(Conditions c) {
    List<String> parts = new ArrayList<>();
    if (c == null) {
      return "any match";
    }
    if (c.banks() != null) {
      parts.add("bank " + join(c.banks()));
    }
    if (c.labels() != null) {
      parts.add("label " + join(c.labels()));
    }
    if (c.signalTypes() != null) {
      parts.add("signal " + join(c.signalTypes()));
    }
    if (c.maxDistance() != null) {
      parts.add("distance ≤ " + c.maxDistance());
    }
    if (c.contentTypes() != null) {
      parts.add("content " + join(c.contentTypes()));
    }
    if (c.minAccountViolations() != null) {
      parts.add("account has ≥ " + c.minAccountViolations() + " violations");
    }
    if (c.incident() != null) {
      parts.add((Conditions.ANY_INCIDENT.equals(c.incident()) ? "any incident" : "incident " + c.incident())
          + (c.incidentStatuses() == null ? "" : " while " + String.join(" or ", c.incidentStatuses())));
    }
    return parts.isEmpty() ? "any match" : String.join("; ", parts);
  }

  private static String join(List<?> values) {
    return values.size() == 1 ? values.getFirst().toString() : "any of " + values.stream().map(Object::toString).reduce((a, b) -> a + ", " + b).orElse("");
  }

  private static Conditions conditions(Context ctx) {
    List<String> banks = list(ctx, "banks");
    List<Long> bankIds = null;
    if (banks != null) {
      bankIds = new ArrayList<>();
      for (String bank : banks) {
        try {
          bankIds.add(Long.parseLong(bank));
        } catch (NumberFormatException e) {
          throw RequestException.invalid("conditions.banks", "bank ids are numbers, got '" + bank + "'");
        }
      }
    }
    return new Conditions(bankIds, list(ctx, "labels"), list(ctx, "signal_types"), integer(ctx, "max_distance"),
        list(ctx, "content_types"), integer(ctx, "min_account_violations"), text(ctx, "incident"), list(ctx, "incident_statuses"));
  }

  private static String text(Context ctx, String name) {
    return FormFields.blankToNull(ctx.formParam(name));
  }

  private static List<String> list(Context ctx, String name) {
    return FormFields.commaList(ctx.formParam(name));
  }

  private static Integer integer(Context ctx, String name) {
    String text = ctx.formParam(name);
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw RequestException.invalid(name, "a whole number, got '" + text.strip() + "'");
    }
  }
}
