package org.countersignal.server.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.countersignal.server.RequestException;
import org.countersignal.server.auth.Role;
import org.countersignal.server.exchange.ExchangeChanges;
import org.countersignal.server.exchange.ExchangeKinds;
import org.countersignal.server.exchange.ExchangeView;
import org.countersignal.server.exchange.Exchanges;

/**
 * {@code /console/exchanges}: the exchanges this server fetches from and where each fetch stands,
 * as through the API. Admins make exchanges, trust them, switch them and their entries on and off,
 * and delete them; curators ask for a fetch now; auditors and coordinators read. The exchange service checks every
 * field, and its refusal is shown above the form with what was entered, except the credentials.
 */
final class ExchangePages {

  /** The config text read as the API reads a body: trailing text and a repeated key are refused, not dropped. */
  private static final ObjectMapper CONFIG_JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  /** What a change did, named in the address it redirects to; the page words the message itself. */
  private static final List<String> OUTCOMES = List.of("created", "changed", "fetching", "deleted");

  private final Exchanges exchanges;

  ExchangePages(Exchanges exchanges) {
    this.exchanges = exchanges;
  }

  void register(RoutesConfig routes, ConsoleRoutes console) {
    routes.get("/console/exchanges", console.page((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, Role.ADMIN, Role.CURATOR, Role.AUDITOR, Role.COORDINATOR);
      List<ExchangeView> all = exchanges.list();
      ctx.html(Templates.render("exchange-list", ExchangeViews.list(viewer, all, exchanges.kinds(), outcome(ctx, all), false, null)));
    }));
    routes.post("/console/exchanges", console.action((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, Role.ADMIN);
      try {
        ExchangeView made = exchanges.create(viewer.principal(), newExchange(ctx));
        // After a POST, a redirect: reloading the page then does not make the exchange twice.
        ctx.redirect("/console/exchanges?created=" + made.id(), HttpStatus.SEE_OTHER);
      } catch (RequestException e) {
        refused(ctx, viewer, e, ExchangeViews.Entered.from(ctx));
      }
    }));
    routes.get("/console/exchanges/{id}/edit", console.page((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, Role.ADMIN);
      ctx.html(Templates.render("exchange-edit", ExchangeViews.edit(viewer, exchanges.get(id(ctx)), exchanges.kinds(), null, null)));
    }));
    routes.get("/console/exchanges/{id}/delete", console.page((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, Role.ADMIN);
      ctx.html(Templates.render("exchange-delete", new ExchangeViews.DeletePage(viewer, exchanges.get(id(ctx)))));
    }));
    routes.post("/console/exchanges/{id}/{change}", console.action((ctx, viewer) -> {
      String change = ctx.pathParam("change");
      if (change.equals("fetch")) {
        ConsoleRoutes.requireRole(viewer, Role.ADMIN, Role.CURATOR);
      } else {
        ConsoleRoutes.requireRole(viewer, Role.ADMIN);
      }
      long id = id(ctx);
      try {
        String outcome = change(viewer, id, change, ctx);
        ctx.redirect("/console/exchanges?" + outcome + "=" + id, HttpStatus.SEE_OTHER);
      } catch (RequestException e) {
        if (change.equals("edit") && e.kind() != RequestException.Kind.NOT_FOUND) {
          ctx.status(e.kind().status()).html(Templates.render("exchange-edit", ExchangeViews.edit(viewer, exchanges.get(id),
              exchanges.kinds(), e.getMessage(), ExchangeViews.Entered.from(ctx))));
        } else {
          refused(ctx, viewer, e, null);
        }
      }
    }));
  }

  /** Makes the change; returns which of {@link #OUTCOMES} it was. */
  private String change(Viewer viewer, long id, String change, Context ctx) {
    switch (change) {
      case "fetch" -> {
        exchanges.fetchNow(viewer.principal(), id);
        return "fetching";
      }
      case "delete" -> {
        exchanges.delete(viewer.principal(), id);
        return "deleted";
      }
      // Blank rather than null: null would leave the trust as it is, where a missing choice is the form's mistake.
      case "trust" -> exchanges.update(viewer.principal(), id, changes(Objects.requireNonNullElse(ctx.formParam("trust"), ""), null, null));
      case "enable" -> exchanges.update(viewer.principal(), id, changes(null, true, null));
      case "disable" -> exchanges.update(viewer.principal(), id, changes(null, false, null));
      case "entries-on" -> exchanges.update(viewer.principal(), id, changes(null, null, true));
      case "entries-off" -> exchanges.update(viewer.principal(), id, changes(null, null, false));
      case "edit" -> exchanges.update(viewer.principal(), id, edited(ctx, exchanges.get(id).kind()));
      default -> throw RequestException.notFound("exchange change", change);
    }
    return "changed";
  }

  private void refused(Context ctx, Viewer viewer, RequestException e, ExchangeViews.Entered entered) {
    ctx.status(e.kind().status()).html(Templates.render("exchange-list", ExchangeViews.list(viewer, exchanges.list(), exchanges.kinds(),
        e.getMessage(), true, entered)));
  }

  private static ExchangeChanges changes(String trust, Boolean enabled, Boolean entriesEnabled) {
    return new ExchangeChanges(null, null, null, null, null, null, null, trust, enabled, null, entriesEnabled);
  }

  private ExchangeChanges newExchange(Context ctx) {
    String kind = ctx.formParam("kind");
    return new ExchangeChanges(ctx.formParam("name"), kind, config(ctx.formParam("config")), credentials(ctx, kind),
        FormFields.blankToNull(ctx.formParam("bank")), labelMap(ctx.formParam("label_map")), null, null, null, null, null);
  }

  /** The edit form's settings; credentials only when some were typed (else the stored ones stay). */
  private ExchangeChanges edited(Context ctx, String kind) {
    Map<String, String> credentials = credentials(ctx, kind);
    String interval = FormFields.blankToNull(ctx.formParam("fetch_interval_seconds"));
    Integer seconds = null;
    if (interval != null) {
      try {
        seconds = Integer.valueOf(interval);
      } catch (NumberFormatException e) {
        throw RequestException.invalid("fetch_interval_seconds", "a whole number of seconds");
      }
    }
    JsonNode config = config(ctx.formParam("config"));
    return new ExchangeChanges(null, null, config == null ? CONFIG_JSON.createObjectNode() : config,
        credentials.isEmpty() ? null : credentials, null, labelMap(ctx.formParam("label_map")), null, null, null, seconds, null);
  }

  /** {@code source tag = our label} lines as a map; blank lines are skipped. */
  static Map<String, String> labelMap(String text) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    if (text == null) {
      return map;
    }
    String[] lines = text.split("\\R");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      int equals = line.lastIndexOf('=');
      if (equals <= 0 || equals == line.length() - 1) {
        throw RequestException.invalid("label_map", "line " + (i + 1) + " is not 'source tag = our label'");
      }
      map.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
    }
    return map;
  }

  /**
   * The credentials typed for the chosen kind; those typed for another kind are not its and are
   * dropped. An empty field is left out, so the service's refusal names the credential missing.
   */
  private Map<String, String> credentials(Context ctx, String kind) {
    Map<String, String> credentials = new TreeMap<>();
    for (ExchangeKinds.KindView view : exchanges.kinds()) {
      if (!view.name().equals(kind)) {
        continue;
      }
      for (String name : view.credentialNames()) {
        String value = ctx.formParam(ExchangeViews.credentialField(view.name(), name));
        if (value != null && !value.isEmpty()) {
          credentials.put(name, value);
        }
      }
    }
    return credentials;
  }

  /** The config text as JSON; blank is none given (the service then takes an empty object). */
  private static JsonNode config(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return CONFIG_JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw RequestException.invalid("config", "not JSON: " + e.getOriginalMessage());
    }
  }

  /**
   * The message after a change, from the address it redirected to. Only a known word and an id
   * are taken from there, so a link someone sends cannot put words of theirs on the page.
   */
  private static String outcome(Context ctx, List<ExchangeView> all) {
    for (String outcome : OUTCOMES) {
      String id = ctx.queryParam(outcome);
      if (id == null || !id.matches("[0-9]{1,18}")) {
        continue;
      }
      long number = Long.parseLong(id);
      String name = all.stream().filter(x -> x.id() == number).map(x -> "'" + x.name() + "'").findFirst().orElse(id);
      return switch (outcome) {
        case "created" -> "Exchange " + name + " created. Its first fetch starts in a moment; the status below shows how it went.";
        case "fetching" -> "A fetch of exchange " + name + " was asked for. Reload the page to see how it goes.";
        case "deleted" -> "Exchange " + id + " deleted. Its bank and entries stay, as a local bank.";
        default -> "Exchange " + name + " changed.";
      };
    }
    return null;
  }

  private static long id(Context ctx) {
    return ConsoleRoutes.pathId(ctx, "id", "exchange");
  }
}
