package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every page of the console, as each role reaches it from its header (no link leads to a page the
 * role may not see), checked by axe-core for
 * WCAG 2.2 A and AA (labels, contrast, names, structure), with names and texts that an attacker
 * wrote in them: they must show as text, run nothing and add no element.
 */
class ConsoleAccessibilityTest {

  /** Markup and script that a platform, a peer or a user could put in a name, a note or a statement. */
  static final String HOSTILE = "<script>alert('x')</script><img src=x onerror=alert('y')>\"'><b>bold</b>";

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static String base;
  static ConsoleBrowser chromium;
  static Browser browser;

  @BeforeAll
  static void start() throws IOException {
    ConsoleBrowser.requireChromium();
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    base = "http://127.0.0.1:" + server.port();
    admin = server.initialAdminKey().orElseThrow();
    api.post("/api/v1/banks", admin, "{\"name\":" + quote("bank " + HOSTILE) + ",\"description\":" + quote(HOSTILE)
        + ",\"labels\":[\"attacker_manifesto\"]}");
    chromium = ConsoleBrowser.launch();
    browser = chromium.browser();
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theCheckFindsAnUnlabelledFieldAndLowContrast() {
    try (BrowserContext context = browser.newContext()) {
      Page page = context.newPage();
      page.setContent("<!doctype html><html lang=en><head><title>t</title></head><body><main>"
          + "<input name=q><p style='color:#bbb;background:#fff'>faint</p></main></body></html>");
      assertThatThrownBy(() -> ConsoleBrowser.assertAccessible(page)).hasMessageContaining("label").hasMessageContaining("color-contrast");
    }
  }

  @Test
  void theSignInPageIsAccessible() {
    try (BrowserContext context = browser.newContext()) {
      Page page = context.newPage();
      page.navigate(base + "/console/sign-in");
      ConsoleBrowser.assertAccessible(page);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"admin", "reviewer", "curator", "auditor", "coordinator"})
  void everyPageInARolesHeaderIsAccessibleAndShowsHostileTextAsText(String role) {
    String key = role.equals("admin") ? admin : TestServers.key(api, admin, role);
    try (BrowserContext context = browser.newContext()) {
      Page page = signInWithKey(context, key, role.equals("coordinator") ? "/console/incidents" : "/console/queue");
      List<String> dialogs = new ArrayList<>();
      page.onDialog(dialog -> {
        dialogs.add(dialog.message());
        dialog.dismiss();
      });
      List<String> links = page.locator("header nav a").all().stream().map(a -> a.getAttribute("href")).toList();
      assertThat(links).as(role).contains("/console/banks", "/console/settings");
      for (String link : links) {
        page.navigate(base + link);
        assertThat(page.title()).as(link).endsWith("· Countersignal");
        assertThat(page.locator("h1").first().textContent()).as(link).isNotIn("Not found", "Not allowed");
        chromium.shot(page, "a11y-" + role + link.replace('/', '-'));
        ConsoleBrowser.assertAccessible(page);
        assertThat(page.locator("img[src=x], main b").count()).as("markup from stored text on " + link).isZero();
      }
      page.navigate(base + "/console/banks");
      assertThat(page.locator("#banks").textContent()).contains("bank " + HOSTILE);
      assertThat(dialogs).as("script from stored text ran").isEmpty();
    }
  }

  @Test
  void aKeyboardSkipsTheHeaderAndReachesEveryHeaderLink() {
    try (BrowserContext context = browser.newContext()) {
      Page page = signInWithKey(context, admin, "/console/queue");
      page.keyboard().press("Tab");
      assertThat(page.evaluate("document.activeElement.className")).isEqualTo("skip");
      assertThat(page.locator("a.skip").boundingBox().x).as("the skip link comes on screen when focused").isGreaterThanOrEqualTo(0);
      page.keyboard().press("Enter");
      assertThat(page.url()).endsWith("#content");

      page.navigate(base + "/console/queue");
      int links = page.locator("header nav a").count();
      List<String> reached = new ArrayList<>();
      for (int i = 0; i < links + 3; i++) {
        page.keyboard().press("Tab");
        Object href = page.evaluate("document.activeElement.closest('header nav') ? document.activeElement.getAttribute('href') : null");
        if (href != null) {
          reached.add((String) href);
        }
      }
      assertThat(reached).as("header links reached by Tab, in order")
          .isEqualTo(page.locator("header nav a").all().stream().map(a -> a.getAttribute("href")).toList());
      assertThat(page.evaluate("getComputedStyle(document.activeElement).outlineStyle")).as("focus is visible").isNotEqualTo("none");
    }
  }

  static String quote(String text) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Page signInWithKey(BrowserContext context, String key, String home) {
    Page page = context.newPage();
    page.navigate(base + "/console/sign-in");
    page.fill("#key-sign-in input[name=key]", key);
    page.click("#key-sign-in button[type=submit]");
    page.waitForURL("**" + home);
    return page;
  }
}
