package org.countersignal.server.console;

import static org.countersignal.server.console.Html.esc;

import org.countersignal.server.auth.Role;

/**
 * The frame of every console page. Styles and scripts come only from the console's own files
 * (the Content-Security-Policy forbids inline ones); the wellness settings become classes on
 * the body, which the stylesheet turns into the media filter.
 */
final class Layout {

  private Layout() {}

  static String page(String title, Viewer viewer, String active, String content) {
    StringBuilder body = new StringBuilder();
    body.append("<header class=\"top\"><a class=\"brand\" href=\"").append(viewer == null ? "/console/queue" : home(viewer.role()))
        .append("\">Countersignal</a>");
    if (viewer != null) {
      Role role = viewer.role();
      body.append("<nav>")
          .append(ReviewPages.READERS.contains(role) ? link("/console/queue", "Queue", active) : "")
          .append(IncidentPages.READERS.contains(role) ? link("/console/incidents", "Incidents", active) : "")
          .append(StreamPages.READERS.contains(role) ? link("/console/streams", "Streams", active) : "")
          .append(OrderPages.READERS.contains(role) ? link("/console/orders", "Orders", active) : "")
          .append(link("/console/banks", "Banks", active))
          .append(FloodPages.READERS.contains(role) ? link("/console/floods", "Floods", active) : "")
          .append(ProposalPages.READERS.contains(role) ? link("/console/proposals", "Proposals", active) : "")
          .append(role != Role.REVIEWER ? link("/console/rules", "Rules", active) : "")
          .append(role != Role.REVIEWER ? link("/console/exchanges", "Exchanges", active) : "")
          .append(link("/console/settings", "Settings", active))
          .append(role == Role.ADMIN || role == Role.AUDITOR ? link("/console/users", "Users", active) : "")
          .append("</nav><div class=\"who\"><span id=\"signed-in-as\">")
          .append(esc(viewer.displayName())).append(" · ").append(esc(role.wireName()))
          .append("</span><form method=\"post\" action=\"/console/sign-out\">").append(Html.csrfField(viewer.csrf()))
          .append("<button type=\"submit\" class=\"link\">Sign out</button></form></div>");
    }
    body.append("</header><main>").append(content).append("</main>");
    return document(title, viewer == null ? "" : wellnessClasses(viewer.wellness()), body.toString());
  }

  /** Where a role starts: the queue, or for a coordinator, who works no cases, the incidents. */
  static String home(Role role) {
    return role == Role.COORDINATOR ? "/console/incidents" : "/console/queue";
  }

  static String wellnessClasses(WellnessSettings settings) {
    return (settings.blur() ? "wellness-blur " : "") + (settings.greyscale() ? "wellness-grey " : "") + "blur-" + settings.blurStrength();
  }

  private static String link(String href, String text, String active) {
    return "<a href=\"" + href + "\"" + (text.equals(active) ? " aria-current=\"page\"" : "") + ">" + text + "</a>";
  }

  private static String document(String title, String bodyClass, String body) {
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<meta name=\"referrer\" content=\"no-referrer\">"
        + "<title>" + esc(title) + " · Countersignal</title>"
        + "<link rel=\"stylesheet\" href=\"/console/assets/console.css\">"
        + "<script src=\"/console/assets/console.js\" defer></script></head>"
        + "<body class=\"" + esc(bodyClass) + "\">" + body + "</body></html>\n";
  }
}
