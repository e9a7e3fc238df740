package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.countersignal.server.console.Console;
import org.countersignal.server.console.SignInTokens;
import org.countersignal.server.webhook.SecretBox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sign-in form's CSRF token is signed by the server and bound to the form's cookie, so a
 * cookie planted from a sibling subdomain with a value of the planter's choosing gets nowhere.
 */
class SignInTokenTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static String admin;
  /** A planter's own cookie value, in the form the server's nonces have. */
  static final String PLANTED = "p".repeat(43);

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    admin = server.initialAdminKey().orElseThrow();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static ConsoleClient.Page signIn(String cookie, String token) {
    ConsoleClient browser = new ConsoleClient(server.port());
    browser.cookies.put("cs_console_sign_in", cookie);
    return browser.post("/console/sign-in", Map.of("csrf", token, "method", "key", "key", admin));
  }

  /** Tokens as the server makes them, at a time of the test's choosing. */
  private static SignInTokens tokensAt(Instant now) {
    byte[] key = SecretBox.fromKeyFile(TestServers.config(dataDir).secretKeyPath()).derivedKey(Console.SIGN_IN_KEY_PURPOSE);
    return new SignInTokens(key, Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void aTokenFromTheFormWorksWithItsCookie() {
    ConsoleClient browser = new ConsoleClient(server.port());
    String token = browser.get("/console/sign-in").csrf();
    assertThat(token).matches("\\d+\\.[A-Za-z0-9_-]{43}");
    assertThat(browser.post("/console/sign-in", Map.of("csrf", token, "method", "key", "key", admin)).status()).isEqualTo(303);
  }

  @Test
  void aPlantedCookieWithTheSameValueInTheFormIsRefused() {
    // The plain double submit this replaces accepted exactly this.
    ConsoleClient.Page page = signIn(PLANTED, PLANTED);
    assertThat(page.status()).isEqualTo(403);
    assertThat(page.setCookies()).noneMatch(c -> c.startsWith("cs_console="));
  }

  @Test
  void aTokenWithAWrongSignatureIsRefused() {
    long expiry = Instant.now().plus(Duration.ofMinutes(30)).getEpochSecond();
    assertThat(signIn(PLANTED, expiry + "." + "A".repeat(43)).status()).isEqualTo(403);
    // A real token with one character of its signature changed: the last one, whose lowest bits
    // a Base64 decoder ignores, and one in the middle.
    String real = tokensAt(Instant.now()).issue(PLANTED);
    for (int at : new int[] {real.length() - 1, real.length() - 20}) {
      char c = real.charAt(at);
      for (char other : new char[] {(char) (c ^ 1), (char) (c ^ 2), c == 'A' ? 'B' : 'A'}) {
        if (Character.isLetterOrDigit(other) && other != c) {
          String altered = real.substring(0, at) + other + real.substring(at + 1);
          assertThat(signIn(PLANTED, altered).status()).as(altered).isEqualTo(403);
        }
      }
    }
    // The expiry written with a leading zero: the same number, not the same token.
    assertThat(signIn(PLANTED, "0" + real).status()).isEqualTo(403);
    // A real token with its expiry moved: the signature covers it.
    String later = (Long.parseLong(real.substring(0, real.indexOf('.'))) + 3600) + real.substring(real.indexOf('.'));
    assertThat(signIn(PLANTED, later).status()).isEqualTo(403);
    assertThat(signIn(PLANTED, "").status()).isEqualTo(403);
    assertThat(signIn(PLANTED, "not a token").status()).isEqualTo(403);
  }

  @Test
  void aTokenWorksOnlyWithTheCookieItWasIssuedFor() {
    ConsoleClient browser = new ConsoleClient(server.port());
    String token = browser.get("/console/sign-in").csrf();
    assertThat(signIn(PLANTED, token).status()).isEqualTo(403);
    assertThat(signIn(PLANTED, tokensAt(Instant.now()).issue(PLANTED)).status()).as("signed for this cookie").isEqualTo(303);
  }

  @Test
  void anExpiredTokenIsRefused() {
    Instant issued = Instant.now().minus(SignInTokens.LIFETIME).minusSeconds(60);
    ConsoleClient.Page expired = signIn(PLANTED, tokensAt(issued).issue(PLANTED));
    assertThat(expired.status()).isEqualTo(403);
    assertThat(expired.body()).contains("security token is missing or wrong");
    Instant recently = Instant.now().minus(SignInTokens.LIFETIME).plusSeconds(120);
    assertThat(signIn(PLANTED, tokensAt(recently).issue(PLANTED)).status()).isEqualTo(303);
  }
}
