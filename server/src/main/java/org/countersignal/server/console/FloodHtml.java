package org.countersignal.server.console;

import static org.countersignal.server.console.Html.esc;
import static org.countersignal.server.console.IncidentHtml.statusTag;
import static org.countersignal.server.console.IncidentHtml.time;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.countersignal.server.flood.Flood;
import org.countersignal.server.flood.FloodSettings;
import org.countersignal.server.flood.FloodState;

/**
 * The flood guard's page: the entries held now, each with the forms that release or disable it,
 * then those decided lately with who decided and why. Bank names and reasons are people's own
 * words and are escaped like everything else; times are UTC. The console has no page of its own
 * for an entry, so an entry is named by its id.
 */
final class FloodHtml {

  private FloodHtml() {}

  /** The decision that was refused (the state it would have led to, and the flood), and the reason typed into it. */
  record Entered(String form, long floodId, String reason) {
    static final Entered NONE = new Entered("", 0, "");

    String reason(String inForm, long id) {
      return form.equals(inForm) && floodId == id ? reason : "";
    }
  }

  static String page(Viewer viewer, List<Flood> held, List<Flood> decided, Map<Long, String> actors, FloodSettings settings,
      String message, boolean error, Entered entered) {
    boolean acts = FloodPages.ACTORS.contains(viewer.role());
    String content = "<h1>Floods</h1>" + Html.message(message, error)
        + "<p class=\"muted\">The flood guard holds an entry back from automatic action when its hits in the last hour are at least "
        + settings.minMatches() + " and more than " + number(settings.factor()) + " times its baseline, its mean hits an hour over the "
        + span(settings.baseline()) + " before. A held entry still matches and its hits are recorded, but a rule that fires only "
        + "because of them waits for a reviewer instead of acting. <strong>Release</strong> it when the content really is spreading: "
        + "its hits act again, and it is not held again for " + span(settings.quietAfterRelease()) + ". <strong>Disable</strong> the "
        + "entry when it is a false positive (a meme, a flag, a blank frame banked by mistake): it no longer matches.</p>"
        + held(viewer, held, acts, entered) + decided(decided, actors);
    return Layout.page("Floods", viewer, "Floods", content);
  }

  /** The message once a decision is taken. */
  static String outcome(Flood flood, FloodSettings settings) {
    return FloodState.RELEASED.wireName().equals(flood.state())
        ? "Entry " + flood.entryId() + " released: its hits act again, and it is not held again for "
            + span(settings.quietAfterRelease()) + "."
        : "Entry " + flood.entryId() + " disabled: it no longer matches.";
  }

  private static String held(Viewer viewer, List<Flood> held, boolean acts, Entered entered) {
    StringBuilder out = new StringBuilder("<section id=\"held\"><h2>Held</h2>");
    if (held.isEmpty()) {
      return out.append("<p class=\"muted\" id=\"no-held\">No entry is held.</p></section>").toString();
    }
    out.append("<table id=\"held-floods\"><thead><tr><th>entry</th><th>bank</th><th>hits in the last hour</th><th>baseline per hour</th>")
        .append("<th>held (UTC)</th><th>state</th>").append(acts ? "<th>decide</th>" : "").append("</tr></thead><tbody>");
    for (Flood flood : held) {
      out.append(facts(flood));
      if (acts) {
        out.append("<td class=\"decide\">").append(form(viewer, flood, FloodState.RELEASED, entered))
            .append(form(viewer, flood, FloodState.DISABLED, entered)).append("</td>");
      }
      out.append("</tr>");
    }
    out.append("</tbody></table>");
    if (held.size() >= FloodPages.HELD_LENGTH) {
      out.append("<p class=\"muted\">The ").append(FloodPages.HELD_LENGTH).append(" entries held last are shown; decide on them to see ")
          .append("the others.</p>");
    }
    return out.append("</section>").toString();
  }

  private static String decided(List<Flood> decided, Map<Long, String> actors) {
    StringBuilder out = new StringBuilder("<section id=\"decided\"><h2>Decided lately</h2>");
    if (decided.isEmpty()) {
      return out.append("<p class=\"muted\" id=\"no-decided\">Nothing decided yet.</p></section>").toString();
    }
    out.append("<table id=\"decided-floods\"><thead><tr><th>entry</th><th>bank</th><th>hits in the last hour</th>")
        .append("<th>baseline per hour</th><th>held (UTC)</th><th>state</th><th>decided</th><th>reason</th></tr></thead><tbody>");
    for (Flood flood : decided) {
      out.append(facts(flood)).append("<td>").append(decider(flood, actors)).append("</td><td class=\"reason\">")
          .append(lines(flood.reason())).append("</td></tr>");
    }
    return out.append("</tbody></table><p class=\"muted\">Up to the ").append(FloodPages.DECIDED_LENGTH)
        .append(" most recent, newest first.</p></section>").toString();
  }

  /** The opening of a flood's row: what was held, and how far its hits were above its baseline. */
  private static String facts(Flood flood) {
    return "<tr data-flood-id=\"" + flood.id() + "\"><td class=\"num\">" + flood.entryId() + "</td><td>"
        + (flood.bankName() == null ? "<span class=\"muted\">bank " + flood.bankId() + " (deleted)</span>"
            : esc(flood.bankName()) + " <span class=\"muted\">(bank " + flood.bankId() + ")</span>")
        + "</td><td class=\"num\">" + flood.matches() + "</td><td class=\"num\">" + number(flood.baseline()) + "</td><td>"
        + time(flood.heldAt(), false) + "</td><td>" + statusTag(flood.state()) + "</td>";
  }

  private static String decider(Flood flood, Map<Long, String> actors) {
    String who = flood.resolvedBy() == null ? "<span class=\"muted\">nobody</span>"
        : esc(actors.getOrDefault(flood.resolvedBy(), "key " + flood.resolvedBy()));
    return who + "<div class=\"muted\">" + time(flood.resolvedAt(), false) + "</div>";
  }

  /** The form that releases the held entry, or disables it; either needs a reason. */
  private static String form(Viewer viewer, Flood flood, FloodState to, Entered entered) {
    boolean release = to == FloodState.RELEASED;
    String change = release ? "release" : "disable";
    return "<form method=\"post\" action=\"/console/floods/" + flood.id() + "/" + change + "\" id=\"" + change + "-" + flood.id() + "\">"
        + Html.csrfField(viewer.csrf())
        + "<label>" + (release ? "Why release it" : "Why disable the entry")
        + " <span class=\"muted\">(required; kept with the flood and in the audit log)</span>"
        + " <textarea name=\"reason\" rows=\"2\" required>" + esc(entered.reason(to.wireName(), flood.id())) + "</textarea></label>"
        + "<button type=\"submit\"" + (release ? " class=\"secondary\">Release" : " class=\"danger\">Disable entry") + "</button></form>";
  }

  /** A count or rate without a trailing {@code .0}: 2.5, 3, 10. */
  private static String number(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /** A period as the documentation words it: whole days past one day (7 days), else hours (24 hours). */
  private static String span(Duration duration) {
    long hours = duration.toHours();
    if (hours > 24 && hours % 24 == 0) {
      return hours / 24 + " days";
    }
    return hours + (hours == 1 ? " hour" : " hours");
  }

  /** A reason as typed, its line breaks kept. */
  private static String lines(String text) {
    return text == null ? "" : esc(text).replace("\n", "<br>");
  }
}
