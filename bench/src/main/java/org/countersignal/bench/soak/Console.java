package org.countersignal.bench.soak;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A moderator in the web console: signs in with a username and password through the sign-in
 * form (its cookie and CSRF token, as a browser would), then reads pages with the session cookie.
 */
final class Console {

  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final Http.Judge PAGE = Http.expecting(200);

  private final Http http;
  private final Tally tally;
  private final String username;
  private final String password;
  private volatile String session;

  Console(Http http, Tally tally, String username, String password) {
    this.http = http;
    this.tally = tally;
    this.username = username;
    this.password = password;
  }

  /** Signs in again (a password check costs the server a PBKDF2 of 600,000 rounds). */
  void signIn() {
    HttpResponse<String> form = http.sendNow(tally, http.request("/console/sign-in", null).GET().build(), PAGE);
    if (form == null) {
      return;
    }
    Matcher token = CSRF.matcher(form.body());
    Optional<String> nonce = cookie(form, "cs_console_sign_in");
    if (!token.find() || nonce.isEmpty()) {
      tally.record("sign-in form without token or cookie", Tally.Verdict.ERROR, 0, false, -1, form.body());
      return;
    }
    String body = "method=password&username=" + encode(username) + "&password=" + encode(password) + "&csrf=" + encode(token.group(1));
    HttpResponse<String> signedIn = http.sendNow(tally, http.request("/console/sign-in", null)
        .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "cs_console_sign_in=" + nonce.get())
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), Http.expecting(303));
    if (signedIn != null) {
      session = cookie(signedIn, "cs_console").orElse(null);
    }
  }

  /** GETs a console page with the session, signing in first when there is none. */
  void read(String path) {
    if (session == null) {
      signIn();
    }
    if (session != null) {
      http.sendNow(tally, http.request(path, null).header("Cookie", "cs_console=" + session).GET().build(), PAGE);
    }
  }

  private static Optional<String> cookie(HttpResponse<String> response, String name) {
    return response.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith(name + "="))
        .map(c -> c.substring(name.length() + 1, c.contains(";") ? c.indexOf(';') : c.length()))
        .filter(v -> !v.isEmpty())
        .findFirst();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
