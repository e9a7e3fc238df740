package org.countersignal.server.console;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.countersignal.server.auth.Role;
import org.countersignal.server.exchange.ExchangeKinds;
import org.countersignal.server.exchange.ExchangeView;

/**
 * The exchanges pages as their templates ({@code exchange-*.jte}) take them: the list with each
 * exchange's fetch status and the buttons each role may use, the form for a new exchange, the
 * form that changes one, and the step that confirms a deletion. Credentials are never part of
 * them: the forms' password fields always start empty.
 */
final class ExchangeViews {

  private ExchangeViews() {}

  /**
   * What an admin typed into the new-exchange or edit form, to show it again with a refusal. It has
   * no place for credentials on purpose: a secret sent once is not sent back in a page.
   */
  record Entered(String name, String kind, String config, String bank, String labelMap) {
    static final Entered EMPTY = new Entered("", null, "", "", "");

    static Entered from(Context ctx) {
      return new Entered(ctx.formParam("name"), ctx.formParam("kind"), ctx.formParam("config"), ctx.formParam("bank"),
          ctx.formParam("label_map"));
    }
  }

  /** One change as its own small form; {@code value}, when given, is sent as the change's choice. */
  record Button(String change, String value, String text) {}

  /**
   * An exchange on the list, with the changes the viewer may make to it.
   *
   * @param actions whether the row has an actions cell (admins and curators)
   * @param manages whether its edit and delete links are shown (admins)
   */
  record Row(ExchangeView exchange, boolean actions, List<Button> buttons, boolean manages) {}

  /** A password field of one kind's credential. */
  record Credential(String name, String field) {}

  /** A kind the new-exchange form offers, with its credentials' fields. */
  record Kind(ExchangeKinds.KindView view, boolean selected, List<Credential> credentials) {}

  /** @param kinds null when the viewer may not make exchanges (the page then has no form) */
  record ListPage(Viewer viewer, List<Row> rows, boolean actions, String message, boolean error, List<Kind> kinds,
      boolean anyCredentials, Entered entered) {}

  record EditPage(Viewer viewer, ExchangeView exchange, String message, String config, String labelMap, List<Credential> credentials) {}

  record DeletePage(Viewer viewer, ExchangeView exchange) {}

  /** The form field of one kind's credential: each kind its own, so two kinds may both need a {@code token}. */
  static String credentialField(String kind, String name) {
    return "credential." + kind + "." + name;
  }

  /** A label map as the forms show it: a {@code source tag = our label} line each. */
  static String labelMapText(Map<String, String> map) {
    StringBuilder text = new StringBuilder();
    map.forEach((tag, label) -> text.append(tag).append(" = ").append(label).append('\n'));
    return text.toString();
  }

  static ListPage list(Viewer viewer, List<ExchangeView> exchanges, List<ExchangeKinds.KindView> kinds, String message, boolean error,
      Entered entered) {
    boolean admin = viewer.role() == Role.ADMIN;
    boolean fetches = admin || viewer.role() == Role.CURATOR;
    List<Row> rows = exchanges.stream().map(x -> new Row(x, fetches, fetches ? buttons(x, admin) : List.of(), admin)).toList();
    Entered e = entered == null ? Entered.EMPTY : entered;
    List<Kind> offered = admin ? kinds.stream().map(k -> new Kind(k, k.name().equals(e.kind()), credentials(k))).toList() : null;
    boolean anyCredentials = kinds.stream().anyMatch(k -> !k.credentialNames().isEmpty());
    return new ListPage(viewer, rows, fetches, message, error, offered, anyCredentials, e);
  }

  /**
   * @param entered what was typed, shown again with a refusal; null to show the exchange as it is
   */
  static EditPage edit(Viewer viewer, ExchangeView exchange, List<ExchangeKinds.KindView> kinds, String message, Entered entered) {
    String config = entered != null ? entered.config() : exchange.config().toString();
    String labelMap = entered != null ? entered.labelMap() : labelMapText(exchange.labelMap());
    List<Credential> credentials = kinds.stream().filter(k -> k.name().equals(exchange.kind())).flatMap(k -> credentials(k).stream())
        .toList();
    return new EditPage(viewer, exchange, message, config, labelMap, credentials);
  }

  private static List<Credential> credentials(ExchangeKinds.KindView kind) {
    return kind.credentialNames().stream().map(name -> new Credential(name, credentialField(kind.name(), name))).toList();
  }

  /** Curators may only ask for a fetch; a disabled exchange is not fetched, so it has no such button. */
  private static List<Button> buttons(ExchangeView exchange, boolean admin) {
    List<Button> out = new ArrayList<>();
    if (exchange.enabled()) {
      out.add(new Button("fetch", null, "Fetch now"));
    }
    if (!admin) {
      return out;
    }
    out.add("trusted".equals(exchange.trust()) ? new Button("trust", "review", "Put under review")
        : new Button("trust", "trusted", "Trust its matches"));
    out.add(exchange.enabled() ? new Button("disable", null, "Disable") : new Button("enable", null, "Enable"));
    out.add(exchange.entriesEnabled() ? new Button("entries-off", null, "Switch entries off")
        : new Button("entries-on", null, "Switch entries on"));
    return out;
  }
}
