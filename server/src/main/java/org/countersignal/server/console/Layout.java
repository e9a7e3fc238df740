package org.countersignal.server.console;

import static org.countersignal.server.console.Html.esc;

/**
 * The frame of every console page. Styles and scripts come only from the console's own files
 * (the Content-Security-Policy forbids inline ones); the wellness settings become classes on
 * the body, which the stylesheet turns into the media filter.
 */
final class Layout {

  private Layout() {}

  static String page(String title, Viewer viewer, String active, String content) {
    StringBuilder body = new StringBuilder();
    body.append("<header class=\"top\"><a class=\"brand\" href=\"/console/queue\">Countersignal</a>");
    if (viewer != null) {
      body.append("<nav>")
          .append(link("/console/queue", "Queue", active))
          .append(link("/console/banks", "Banks", active))
          .append(viewer.role() != org.countersignal.server.auth.Role.REVIEWER ? link("/console/rules", "Rules", active) : "")
          .append(viewer.role() != org.countersignal.server.auth.Role.REVIEWER ? link("/console/exchanges", "Exchanges", active) : "")
          .append(link("/console/settings", "Settings", active))
          .append(viewer.role() == org.countersignal.server.auth.Role.ADMIN || viewer.role() == org.countersignal.server.auth.Role.AUDITOR
              ? link("/console/users", "Users", active) : "")
          .append("</nav><div class=\"who\"><span id=\"signed-in-as\">")
          .append(esc(viewer.displayName())).append(" · ").append(esc(viewer.role().wireName()))
          .append("</span><form method=\"post\" action=\"/console/sign-out\">").append(Html.csrfField(viewer.csrf()))
          .append("<button type=\"submit\" class=\"link\">Sign out</button></form></div>");
    }
    body.append("</header><main>").append(content).append("</main>");
    return document(title, viewer == null ? "" : wellnessClasses(viewer.wellness()), body.toString());
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
