package org.countersignal.server.console;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.countersignal.server.bank.Bank;

/** The console's pages outside the review queue: sign-in, banks, settings, users, errors. */
final class Pages {

  /** @param counts bank id to {total, enabled} entry counts */
  record BanksPage(Viewer viewer, List<Bank> banks, Map<Long, long[]> counts) {}

  private Pages() {}

  static String signIn(String csrf, String message, String username) {
    Map<String, Object> params = new HashMap<>();
    params.put("csrf", csrf);
    params.put("message", message);
    params.put("username", username);
    return Templates.render("sign-in", params);
  }

  static String banks(Viewer viewer, List<Bank> banks, Map<Long, long[]> counts) {
    return Templates.render("banks", new BanksPage(viewer, banks, counts));
  }

  static String thresholds(Map<String, Integer> thresholds) {
    if (thresholds == null || thresholds.isEmpty()) {
      return "defaults";
    }
    StringBuilder out = new StringBuilder();
    thresholds.forEach((type, value) -> out.append(out.isEmpty() ? "" : ", ").append(type).append(" ≤ ").append(value));
    return out.toString();
  }

  static String settings(Viewer viewer, String message) {
    Map<String, Object> params = new HashMap<>();
    params.put("viewer", viewer);
    params.put("message", message);
    return Templates.render("settings", params);
  }

  /** Console users: admins make and delete them here (as through the API); auditors only see the list. */
  static String users(Viewer viewer, List<User> users, String message, boolean error) {
    Map<String, Object> params = new HashMap<>();
    params.put("viewer", viewer);
    params.put("users", users);
    params.put("message", message);
    params.put("error", error);
    return Templates.render("users", params);
  }

  static String error(Viewer viewer, int status, String message) {
    Map<String, Object> params = new HashMap<>();
    params.put("viewer", viewer);
    params.put("title", title(status));
    params.put("message", message);
    return Templates.render("error", params);
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
