package org.countersignal.server.console;

import static org.countersignal.server.console.Html.esc;

import io.javalin.http.Context;
import java.util.List;
import org.countersignal.server.auth.Role;
import org.countersignal.server.exchange.ExchangeKinds;
import org.countersignal.server.exchange.ExchangeView;

/**
 * The exchanges pages' HTML: the list with each exchange's fetch status, the buttons each role
 * may use, the form for a new exchange, and the step that confirms a deletion. Credentials are
 * never written here: the form's password fields always start empty.
 */
final class ExchangeHtml {

  private ExchangeHtml() {}

  /**
   * What an admin typed into the new-exchange form, to show it again with a refusal. It has no
   * place for credentials on purpose: a secret sent once is not sent back in a page.
   */
  record Entered(String name, String kind, String config, String bank, String labelMap) {
    static Entered from(Context ctx) {
      return new Entered(ctx.formParam("name"), ctx.formParam("kind"), ctx.formParam("config"), ctx.formParam("bank"),
          ctx.formParam("label_map"));
    }
  }

  /** A label map as the forms show it: a {@code source tag = our label} line each. */
  static String labelMapText(java.util.Map<String, String> map) {
    StringBuilder text = new StringBuilder();
    map.forEach((tag, label) -> text.append(tag).append(" = ").append(label).append('\n'));
    return text.toString();
  }

  private static final String LABEL_MAP_HELP = "<span class=\"muted\">(a <code>source tag = our label</code> line each; the source's "
      + "other tags are kept as entity tags)</span>";

  /** The form field of one kind's credential: each kind its own, so two kinds may both need a {@code token}. */
  static String credentialField(String kind, String name) {
    return "credential." + kind + "." + name;
  }

  static String page(Viewer viewer, List<ExchangeView> exchanges, List<ExchangeKinds.KindView> kinds, String message, boolean error,
      Entered entered) {
    boolean admin = viewer.role() == Role.ADMIN;
    boolean fetches = admin || viewer.role() == Role.CURATOR;
    StringBuilder rows = new StringBuilder();
    for (ExchangeView exchange : exchanges) {
      rows.append("<tr data-exchange-id=\"").append(exchange.id()).append("\"><td>").append(esc(exchange.name()))
          .append("<div class=\"muted\">id ").append(exchange.id()).append(" · config <code>").append(esc(exchange.config())).append("</code>")
          .append(credentialsSet(exchange.credentialsSet()))
          .append("</div></td><td>").append(esc(exchange.kind())).append("</td><td>").append(esc(exchange.bankName()))
          .append("</td><td>").append(trust(exchange.trust())).append("</td><td>").append(onOff(exchange.enabled()))
          .append("</td><td>").append(onOff(exchange.entriesEnabled())).append("</td><td>").append(status(exchange)).append("</td>");
      if (fetches) {
        rows.append("<td class=\"actions\">").append(actions(viewer, exchange, admin)).append("</td>");
      }
      rows.append("</tr>");
    }
    String table = exchanges.isEmpty() ? "<p class=\"muted\" id=\"no-exchanges\">No exchanges yet.</p>"
        : "<table id=\"exchanges\"><thead><tr><th>exchange</th><th>kind</th><th>bank</th><th>trust</th><th>enabled</th>"
            + "<th>entries</th><th>status</th>" + (fetches ? "<th></th>" : "") + "</tr></thead><tbody>" + rows + "</tbody></table>";
    return Layout.page("Exchanges", viewer, "Exchanges", "<h1>Exchanges</h1>" + Html.message(message, error)
        + "<p class=\"muted\">Hash lists shared by others, fetched in the background, each into a bank of its own. Matches against "
        + "the entries of an exchange under review wait for a reviewer, whatever the rules say, until an admin trusts it.</p>"
        + table + (admin ? form(viewer, kinds, entered) : ""));
  }

  static String confirmDelete(Viewer viewer, ExchangeView exchange) {
    String content = "<h1>Delete exchange " + esc(exchange.name()) + "?</h1>"
        + "<div class=\"card narrow\" id=\"confirm-delete\">"
        + "<p>Nothing more is fetched from it, and its configuration and credentials are deleted. Its bank <strong>"
        + esc(exchange.bankName()) + "</strong> and the " + exchange.status().bankEntries() + " entries in it stay, as a local bank"
        + (exchange.entriesEnabled() ? "" : ", switched off as it is now") + ". "
        + ("trusted".equals(exchange.trust()) ? "" : "Its matches then no longer wait for a reviewer because of the exchange: "
            + "the rules alone decide, as for every local bank. ")
        + "Disable or delete the bank as well if its entries should not match.</p>"
        + "<form method=\"post\" action=\"/console/exchanges/" + exchange.id() + "/delete\" class=\"inline\">"
        + Html.csrfField(viewer.csrf()) + "<button type=\"submit\" class=\"danger\" id=\"confirm\">Delete the exchange</button></form>"
        + "<a href=\"/console/exchanges\">Keep it</a></div>";
    return Layout.page("Delete exchange", viewer, "Exchanges", content);
  }

  /**
   * The form that changes an exchange's settings: its config, label map and fetch interval as they
   * are, and empty fields for new credentials (left empty, the stored ones stay).
   *
   * @param entered what was typed, shown again with a refusal; null to show the exchange as it is
   */
  static String edit(Viewer viewer, ExchangeView exchange, List<ExchangeKinds.KindView> kinds, String message, Entered entered) {
    String config = entered != null ? entered.config() : exchange.config().toString();
    String labelMap = entered != null ? entered.labelMap() : labelMapText(exchange.labelMap());
    StringBuilder credentials = new StringBuilder();
    for (ExchangeKinds.KindView kind : kinds) {
      if (kind.name().equals(exchange.kind())) {
        for (String name : kind.credentialNames()) {
          credentials.append("<label>").append(esc(name)).append(" <input type=\"password\" name=\"")
              .append(esc(credentialField(kind.name(), name))).append("\" autocomplete=\"new-password\"></label>");
        }
      }
    }
    String content = "<h1>Exchange " + esc(exchange.name()) + "</h1>" + Html.message(message, true)
        + "<form method=\"post\" action=\"/console/exchanges/" + exchange.id() + "/edit\" class=\"card narrow\" id=\"edit-exchange\">"
        + Html.csrfField(viewer.csrf())
        + "<p class=\"muted\">A " + esc(exchange.kind()) + " exchange filling the bank " + esc(exchange.bankName())
        + ". A changed config is a new source: everything is fetched again from the start, and entries it no longer has are "
        + "removed.</p>"
        + "<label>Config <textarea name=\"config\" rows=\"4\" spellcheck=\"false\">" + esc(config) + "</textarea></label>"
        + "<label>Label map " + LABEL_MAP_HELP + " <textarea name=\"label_map\" rows=\"4\" spellcheck=\"false\">" + esc(labelMap)
        + "</textarea></label>"
        + "<label>Fetch every (seconds) <input type=\"number\" name=\"fetch_interval_seconds\" min=\"10\" value=\""
        + exchange.fetchIntervalSeconds() + "\"></label>"
        + (credentials.isEmpty() ? "" : "<fieldset class=\"credentials-edit\"><legend>New credentials</legend>" + credentials
            + "<p class=\"muted\">Left empty, the stored credentials stay. Filled in, they replace them all.</p></fieldset>")
        + "<button type=\"submit\">Save</button> <a href=\"/console/exchanges\">Cancel</a></form>";
    return Layout.page("Exchange " + exchange.name(), viewer, "Exchanges", content);
  }

  /** Which credentials are set, by name: the values stay with the service. */
  private static String credentialsSet(List<String> names) {
    return names == null || names.isEmpty() ? "" : " · credentials set: " + esc(String.join(", ", names));
  }

  private static String trust(String trust) {
    return "trusted".equals(trust) ? "trusted" : "<strong>" + esc(trust) + "</strong><div class=\"muted\">matches wait for a reviewer</div>";
  }

  private static String onOff(boolean on) {
    return on ? "on" : "<strong>off</strong>";
  }

  /** Where fetching stands, in the words of HMA's fetch status, with our counts and the last error. */
  private static String status(ExchangeView exchange) {
    ExchangeView.Status s = exchange.status();
    StringBuilder out = new StringBuilder("<dl class=\"facts status\">");
    fact(out, "up to date", s.upToDate() ? "yes" : "<strong>no</strong>");
    String outcome = Boolean.TRUE.equals(s.lastFetchSucceeded()) ? ", succeeded" : ", <strong class=\"failed\">failed</strong>";
    String last = s.lastFetchCompleteTs() == null ? "<span class=\"muted\">never</span>" : time(s.lastFetchCompleteTs()) + outcome;
    fact(out, "last fetch", last);
    if (s.lastError() != null) {
      fact(out, "last error", "<span class=\"failed\">" + esc(s.lastError()) + "</span>");
    }
    fact(out, "items", s.fetchedItems() + " fetched, " + s.malformedItems() + " malformed, " + s.bankEntries() + " in the bank");
    if (s.checkpointTs() != null) {
      fact(out, "source time reached", time(s.checkpointTs()));
    }
    if (s.runningFetchStartTs() != null) {
      fact(out, "fetching since", time(s.runningFetchStartTs()) + (s.fullFetchRunning() ? " (everything, from the start)" : ""));
    }
    fact(out, "next fetch", s.nextFetchAt() == null ? "<span class=\"muted\">none while disabled</span>" : time(s.nextFetchAt()));
    return out.append("</dl>").toString();
  }

  /** A time as the API writes it, kept on one line (the stylesheet does not break it). */
  private static String time(String text) {
    return "<time datetime=\"" + esc(text) + "\">" + esc(text) + "</time>";
  }

  private static void fact(StringBuilder out, String term, String html) {
    out.append("<dt>").append(term).append("</dt><dd>").append(html).append("</dd>");
  }

  /** Curators may only ask for a fetch; a disabled exchange is not fetched, so it has no such button. */
  private static String actions(Viewer viewer, ExchangeView exchange, boolean admin) {
    StringBuilder out = new StringBuilder();
    if (exchange.enabled()) {
      out.append(button(viewer, exchange.id(), "fetch", null, "Fetch now"));
    }
    if (!admin) {
      return out.isEmpty() ? "<span class=\"muted\">enable it to fetch</span>" : out.toString();
    }
    out.append("trusted".equals(exchange.trust())
        ? button(viewer, exchange.id(), "trust", "review", "Put under review")
        : button(viewer, exchange.id(), "trust", "trusted", "Trust its matches"));
    out.append(exchange.enabled() ? button(viewer, exchange.id(), "disable", null, "Disable")
        : button(viewer, exchange.id(), "enable", null, "Enable"));
    out.append(exchange.entriesEnabled() ? button(viewer, exchange.id(), "entries-off", null, "Switch entries off")
        : button(viewer, exchange.id(), "entries-on", null, "Switch entries on"));
    out.append("<a class=\"button secondary\" id=\"edit-").append(exchange.id()).append("\" href=\"/console/exchanges/")
        .append(exchange.id()).append("/edit\">Edit…</a>");
    // A link to the confirmation step: the deletion itself is the form there.
    out.append("<a class=\"button secondary\" id=\"delete-").append(exchange.id()).append("\" href=\"/console/exchanges/")
        .append(exchange.id()).append("/delete\">Delete…</a>");
    return out.toString();
  }

  /** One change as its own small form; {@code value}, when given, is sent as the change's choice. */
  private static String button(Viewer viewer, long id, String change, String value, String text) {
    return "<form method=\"post\" action=\"/console/exchanges/" + id + "/" + change + "\" class=\"inline\">" + Html.csrfField(viewer.csrf())
        + "<button type=\"submit\" name=\"" + change + "\"" + (value == null ? "" : " value=\"" + esc(value) + "\"") + ">"
        + esc(text) + "</button></form>";
  }

  private static String form(Viewer viewer, List<ExchangeKinds.KindView> kinds, Entered entered) {
    Entered e = entered == null ? new Entered("", null, "", "", "") : entered;
    StringBuilder options = new StringBuilder();
    StringBuilder described = new StringBuilder();
    StringBuilder credentials = new StringBuilder();
    for (ExchangeKinds.KindView kind : kinds) {
      options.append("<option value=\"").append(esc(kind.name())).append("\"").append(kind.name().equals(e.kind()) ? " selected" : "")
          .append(">").append(esc(kind.name())).append("</option>");
      described.append("<dt>").append(esc(kind.name())).append("</dt><dd>").append(esc(kind.description()))
          .append(kind.credentialNames().isEmpty() ? ""
              : " <span class=\"muted\">(credentials: " + esc(String.join(", ", kind.credentialNames())) + ")</span>")
          .append("</dd>");
      if (!kind.credentialNames().isEmpty()) {
        credentials.append("<fieldset class=\"credentials\" data-kind=\"").append(esc(kind.name())).append("\"><legend>Credentials for a ")
            .append(esc(kind.name())).append(" exchange</legend>");
        for (String name : kind.credentialNames()) {
          // new-password: a browser must not fill in a password it saved for this console and send it to another organisation.
          credentials.append("<label>").append(esc(name)).append(" <input type=\"password\" name=\"")
              .append(esc(credentialField(kind.name(), name))).append("\" autocomplete=\"new-password\"></label>");
        }
        credentials.append("</fieldset>");
      }
    }
    return "<form method=\"post\" action=\"/console/exchanges\" class=\"card narrow\" id=\"new-exchange\">" + Html.csrfField(viewer.csrf())
        + "<h2>New exchange</h2>"
        + "<label>Name <input type=\"text\" name=\"name\" autocomplete=\"off\" value=\"" + esc(e.name()) + "\"></label>"
        + "<label>Kind <select name=\"kind\">" + options + "</select></label>"
        + "<dl class=\"facts kinds\">" + described + "</dl>"
        + "<label>Config <span class=\"muted\">(the kind's settings as a JSON object, e.g. {\"path\": \"feed\"} for a folder)</span>"
        + " <textarea name=\"config\" rows=\"4\" spellcheck=\"false\">" + esc(e.config()) + "</textarea></label>"
        + "<label>Bank <span class=\"muted\">(the bank it fills; by default one named as the exchange; an existing bank must be "
        + "empty)</span> <input type=\"text\" name=\"bank\" autocomplete=\"off\" value=\"" + esc(e.bank()) + "\"></label>"
        + "<label>Label map " + LABEL_MAP_HELP + " <textarea name=\"label_map\" rows=\"3\" spellcheck=\"false\">"
        + esc(e.labelMap()) + "</textarea></label>"
        + credentials
        + (credentials.isEmpty() ? "" : "<p class=\"muted\">Credentials are stored encrypted and never shown again, here or "
            + "through the API. Fill in only those of the kind chosen.</p>")
        + "<p class=\"muted\">A new exchange starts under review: its matches wait for a reviewer until you trust it.</p>"
        + "<button type=\"submit\">Create</button></form>";
  }
}
