package org.countersignal.server;

import static org.junit.jupiter.api.Assertions.fail;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.deque.html.axecore.results.Rule;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * The headless Chromium that the console's browser tests drive: Debian's, or another build named
 * by {@code -Dcountersignal.chromium=PATH}. Screenshots go to the build folder's
 * {@code console-screenshots} (or {@code -Dcountersignal.console.screenshots=DIR}). Without
 * Chromium a test class is skipped with a loud message, and fails where
 * {@code COUNTERSIGNAL_CONFORMANCE_REQUIRED} is true, as in CI.
 */
final class ConsoleBrowser implements AutoCloseable {

  private static final Path CHROMIUM = Paths.get(System.getProperty("countersignal.chromium", "/usr/bin/chromium"));

  private final Playwright playwright;
  private final Browser browser;
  private final Path screenshots;

  private ConsoleBrowser(Playwright playwright, Browser browser, Path screenshots) {
    this.playwright = playwright;
    this.browser = browser;
    this.screenshots = screenshots;
  }

  /** Skips the calling test class, or fails it in CI, when Chromium is not installed: first thing in its {@code @BeforeAll}. */
  static void requireChromium() {
    if (!Files.isExecutable(CHROMIUM)) {
      String message = "Chromium is not installed at " + CHROMIUM + ": the console's browser tests cannot run (apt-get install chromium)";
      if ("true".equalsIgnoreCase(System.getenv("COUNTERSIGNAL_CONFORMANCE_REQUIRED"))) {
        fail(message);
      }
      System.err.println("\n*** SKIPPED: " + message + " ***\n");
      Assumptions.assumeTrue(false, message);
    }
  }

  static ConsoleBrowser launch() throws IOException {
    Path screenshots = Paths.get(System.getProperty("countersignal.console.screenshots", "target/console-screenshots"));
    Files.createDirectories(screenshots);
    Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM).setHeadless(true)
        .setArgs(List.of("--no-sandbox")));
    return new ConsoleBrowser(playwright, browser, screenshots);
  }

  Browser browser() {
    return browser;
  }

  /** A full-page screenshot, {@code name}.png in the screenshots folder. */
  void shot(Page page, String name) {
    page.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve(name + ".png")).setFullPage(true));
  }

  /** The WCAG 2.0, 2.1 and 2.2 A and AA rules that axe-core checks. */
  private static final List<String> WCAG_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa");

  /**
   * Fails with each broken rule and the elements that break it when axe-core finds a WCAG A or AA
   * violation (labels, contrast, names, structure) on the page as it stands.
   */
  static void assertAccessible(Page page) {
    AxeResults results = new AxeBuilder(page).withTags(WCAG_AA).analyze();
    if (results.isErrored()) {
      fail("axe-core could not check " + page.url() + ": " + results.getErrorMessage());
    }
    List<Rule> violations = results.getViolations();
    if (!violations.isEmpty()) {
      fail("accessibility violations on " + page.url() + ":\n" + violations.stream()
          .map(rule -> "  " + rule.getId() + " (" + rule.getImpact() + "): " + rule.getHelp() + " at "
              + rule.getNodes().stream().map(node -> String.valueOf(node.getTarget())).limit(5).collect(Collectors.joining(", ")))
          .collect(Collectors.joining("\n")));
    }
  }

  /** Signs {@code username} in on the console's password form at {@code base} and waits for their {@code home} page. */
  static Page signIn(BrowserContext context, String base, String username, String password, String home) {
    Page page = context.newPage();
    page.navigate(base + "/console");
    page.fill("#password-sign-in input[name=username]", username);
    page.fill("#password-sign-in input[name=password]", password);
    page.click("#password-sign-in button[type=submit]");
    page.waitForURL("**" + home);
    return page;
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
  }
}
