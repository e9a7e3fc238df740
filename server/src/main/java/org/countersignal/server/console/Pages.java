package org.countersignal.server.console;

import static org.countersignal.server.console.Html.esc;

import java.util.List;
import java.util.Map;
import org.countersignal.server.bank.Bank;

/** The console's pages outside the review queue: sign-in, banks, settings, errors. */
final class Pages {

  private Pages() {}

  static String signIn(String csrf, String message, String username) {
    String content = "<section class=\"narrow\"><h1>Sign in</h1>"
        + Html.message(message, true)
        + "<form method=\"post\" action=\"/console/sign-in\" class=\"card\" id=\"password-sign-in\">"
        + Html.csrfField(csrf)
        + "<input type=\"hidden\" name=\"method\" value=\"password\">"
        + "<h2>With your account</h2>"
        + "<label>Username <input name=\"username\" autocomplete=\"username\" value=\"" + esc(username) + "\"></label>"
        + "<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\"></label>"
        + "<button type=\"submit\">Sign in</button></form>"
        + "<form method=\"post\" action=\"/console/sign-in\" class=\"card\" id=\"key-sign-in\">"
        + Html.csrfField(csrf)
        + "<input type=\"hidden\" name=\"method\" value=\"key\">"
        + "<h2>With an API key</h2>"
        + "<label>API key <input name=\"key\" type=\"password\" autocomplete=\"off\" placeholder=\"cs_…\"></label>"
        + "<button type=\"submit\">Sign in with key</button></form>"
        + "<p class=\"muted\">The review queue shows possibly terrorist content. Media stay blurred and grey until you "
        + "choose to reveal one item; you can change how much in Settings.</p></section>";
    return Layout.page("Sign in", null, null, content);
  }

  /** @param counts bank id to {total, enabled} entry counts */
  static String banks(Viewer viewer, List<Bank> banks, Map<Long, long[]> counts) {
    StringBuilder rows = new StringBuilder();
    for (Bank bank : banks) {
      long[] count = counts.getOrDefault(bank.id(), new long[2]);
      rows.append("<tr data-bank-id=\"").append(bank.id()).append("\"><td>").append(bank.id()).append("</td><td>")
          .append(esc(bank.name())).append("<div class=\"muted\">").append(esc(bank.description())).append("</div></td><td>")
          .append(Html.tags(bank.labels())).append("</td><td>").append(Html.tags(bank.entities())).append("</td><td class=\"num\">")
          .append(count[0]).append("</td><td class=\"num\">").append(count[1]).append("</td><td>")
          .append(bank.enabled() ? "yes" : "<strong>no</strong>").append("</td><td>").append(esc(thresholds(bank.thresholds())))
          .append("</td></tr>");
    }
    String content = "<h1>Banks</h1>"
        + (banks.isEmpty() ? "<p class=\"muted\">No banks yet.</p>"
            : "<table id=\"banks\"><thead><tr><th>id</th><th>bank</th><th>labels</th><th>entities</th><th>entries</th>"
                + "<th>enabled entries</th><th>matching</th><th>thresholds</th></tr></thead><tbody>" + rows + "</tbody></table>");
    return Layout.page("Banks", viewer, "Banks", content);
  }

  private static String thresholds(Map<String, Integer> thresholds) {
    if (thresholds == null || thresholds.isEmpty()) {
      return "defaults";
    }
    StringBuilder out = new StringBuilder();
    thresholds.forEach((type, value) -> out.append(out.isEmpty() ? "" : ", ").append(type).append(" ≤ ").append(value));
    return out.toString();
  }

  static String settings(Viewer viewer, String message) {
    WellnessSettings s = viewer.wellness();
    StringBuilder strengths = new StringBuilder();
    for (String strength : WellnessSettings.STRENGTHS) {
      strengths.append("<option value=\"").append(strength).append("\"").append(strength.equals(s.blurStrength()) ? " selected" : "")
          .append(">").append(strength).append("</option>");
    }
    String content = "<h1>Settings</h1>" + Html.message(message, false)
        + "<form method=\"post\" action=\"/console/settings\" class=\"card narrow\" id=\"settings\">" + Html.csrfField(viewer.csrf())
        + "<h2>How media are shown to you</h2>"
        + "<label class=\"check\"><input type=\"checkbox\" name=\"blur\" value=\"on\"" + (s.blur() ? " checked" : "") + "> Blur media until I reveal an item</label>"
        + "<label>Blur strength <select name=\"blur_strength\">" + strengths + "</select></label>"
        + "<label class=\"check\"><input type=\"checkbox\" name=\"greyscale\" value=\"on\"" + (s.greyscale() ? " checked" : "") + "> Show media in greyscale until I reveal an item</label>"
        + "<p class=\"muted\">Videos never play by themselves, start muted and load nothing until you press play. "
        + "Revealing shows one item only; the others stay as set here.</p>"
        + "<button type=\"submit\">Save</button></form>"
        + "<p class=\"muted\">Seeing this content is hard. Take breaks, and talk to your team lead or the wellbeing support your "
        + "organisation offers if it stays with you.</p>";
    return Layout.page("Settings", viewer, "Settings", content);
  }

  /** Console users: admins make and delete them here (as through the API); auditors only see the list. */
  static String users(Viewer viewer, List<User> users, String message, boolean error) {
    boolean admin = viewer.role() == org.countersignal.server.auth.Role.ADMIN;
    StringBuilder rows = new StringBuilder();
    for (User user : users) {
      rows.append("<tr data-user-id=\"").append(user.id()).append("\"><td>").append(esc(user.username())).append("</td><td>")
          .append(esc(user.role())).append("</td><td>").append(user.keyId()).append("</td><td>").append(esc(user.createdAt()))
          .append("</td><td>");
      if (admin) {
        rows.append("<form method=\"post\" action=\"/console/users/").append(user.id()).append("/delete\">")
            .append(Html.csrfField(viewer.csrf()))
            .append("<button type=\"submit\" class=\"secondary\">Delete</button></form>");
      }
      rows.append("</td></tr>");
    }
    StringBuilder roles = new StringBuilder();
    for (String role : List.of("reviewer", "curator", "auditor", "coordinator", "admin")) {
      roles.append("<option value=\"").append(role).append("\">").append(role).append("</option>");
    }
    String content = "<h1>Users</h1>" + Html.message(message, error)
        + (users.isEmpty() ? "<p class=\"muted\">No users yet.</p>"
            : "<table id=\"users\"><thead><tr><th>username</th><th>role</th><th>key</th><th>created</th><th></th></tr></thead><tbody>"
                + rows + "</tbody></table>")
        + (!admin ? "" : "<form method=\"post\" action=\"/console/users\" class=\"card narrow\" id=\"new-user\">"
            + Html.csrfField(viewer.csrf()) + "<h2>New user</h2>"
            + "<label>Username <input name=\"username\" autocomplete=\"off\"></label>"
            + "<label>Password (12 characters or more) <input name=\"password\" type=\"password\" autocomplete=\"new-password\"></label>"
            + "<label>Role <select name=\"role\">" + roles + "</select></label>"
            + "<button type=\"submit\">Create</button></form>"
            + "<p class=\"muted\">Deleting a user revokes its key, which ends its sessions at once.</p>");
    return Layout.page("Users", viewer, "Users", content);
  }

  static String error(Viewer viewer, int status, String message) {
    String content = "<h1>" + esc(title(status)) + "</h1>" + Html.message(message, true)
        + (viewer == null ? "<p><a href=\"/console/sign-in\">Sign in</a></p>"
            : viewer.role() == org.countersignal.server.auth.Role.COORDINATOR ? "<p><a href=\"/console/incidents\">Back to the incidents</a></p>"
            : "<p><a href=\"/console/queue\">Back to the queue</a></p>");
    return Layout.page(title(status), viewer, null, content);
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Bad request";
      case 401 -> "Sign in needed";
      case 403 -> "Not allowed";
      case 404 -> "Not found";
      case 409 -> "Conflict";
      case 422 -> "Not accepted";
      default -> "Error " + status;
    };
  }
}
