package org.countersignal.server.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.List;
import org.countersignal.server.RequestException;
import org.countersignal.server.auth.Role;
import org.countersignal.server.rules.Conditions;
import org.countersignal.server.rules.RuleChanges;
import org.countersignal.server.rules.Rules;

/**
 * {@code /console/rules}: the action rules, as through the API. Admins and curators add rules,
 * switch them on and off and delete them; auditors and coordinators read them. The rules service
 * checks every field, and its refusal is shown above the form with what was entered.
 */
final class RulePages {

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
    return Templates.render("rules", RuleViews.page(viewer, rules.list(), message, error, entered));
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
