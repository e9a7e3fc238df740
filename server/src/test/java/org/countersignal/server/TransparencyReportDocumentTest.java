package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.countersignal.server.transparency.Article7;
import org.countersignal.server.transparency.Declared;
import org.countersignal.server.transparency.Figure;
import org.countersignal.server.transparency.ReportHtml;
import org.countersignal.server.transparency.TransparencyReport;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/**
 * The transparency report's HTML page with what an attacker could have written in every field it
 * shows: the title, the publisher's statements, the labels counted in the breakdowns. Each comes
 * out as text; the only elements are the page's own. In a browser, under the page's own policy,
 * it runs nothing and axe-core finds no WCAG A or AA barrier.
 */
class TransparencyReportDocumentTest {

  /** The bars a chart draws at most. */
  static final int MAX_BARS = 12;
  static final String HOSTILE = "<script>alert('x')</script><img src=x onerror=alert('y')>\"'><b>bold</b>";

  /** A report with {@code text} in every field people write, and a breakdown longer than a chart draws. */
  static TransparencyReport report(Long id, String text, int labels) {
    List<Figure.Count> byLabel = new ArrayList<>();
    for (int i = 0; i < labels; i++) {
      byLabel.add(new Figure.Count(i == 0 ? text : "label_" + i, labels - i));
    }
    List<Figure> figures = List.of(
        new Figure("actions", "Actions " + text, "actions " + text, 1234, 5400L,
            List.of(new Figure.Breakdown("label", "By label " + text, "an action " + text, byLabel),
                new Figure.Breakdown("decided_by", "By who decided", null,
                    List.of(new Figure.Count("automated", 1000), new Figure.Count("human", 234))),
                new Figure.Breakdown("ground", "By ground", null, List.of()))),
        new Figure("appeals", "Appeals", "appeals", 0, null, List.of(new Figure.Breakdown("outcome", "By outcome", null,
            List.of(new Figure.Count("upheld", 0))))));
    List<Article7> tco = List.of(
        new Article7("7(3)(a)", "Measures " + text, text, null, List.of(), "declared"),
        new Article7("7(3)(b)", "Removed", "Removed 2 items.", 2L, List.of(new Figure.Count(text, 2)), "generated"));
    return new TransparencyReport(id, text, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", "2027-01-02T09:30:00Z", 1L, 88, 99,
        figures, tco, new Declared(text, text, 1L, text, 0L), "ab12" + text);
  }

  @Test
  void whatPeopleWroteIsShownAsTextAndAddsNoElement() {
    for (Long id : new Long[] {null, 7L}) {
      Document document = Jsoup.parse(ReportHtml.render(report(id, HOSTILE, 3)));

      assertThat(document.select("script, img, b, iframe, object")).isEmpty();
      assertThat(document.select("[onerror], [onclick], [onload], [href], [src]")).isEmpty();
      assertThat(document.title()).isEqualTo(HOSTILE + " (transparency report)");
      assertThat(document.selectFirst("h1").text()).isEqualTo(HOSTILE);
      assertThat(document.select("div.answer").eachText()).contains(HOSTILE);
      assertThat(document.select("td").eachText()).contains("Measures " + HOSTILE, HOSTILE);
      assertThat(document.select("li").eachText()).contains(HOSTILE + ": 2");
      assertThat(document.select("h3").eachText()).contains("Actions " + HOSTILE);
      assertThat(document.select("span.unit").eachText()).contains("actions " + HOSTILE);
      assertThat(document.select("caption").eachText()).contains("By label " + HOSTILE + " (an action " + HOSTILE + ")");
      // A chart's label is cut to fit beside its bar, and still shown as text.
      assertThat(document.select("svg text").eachText()).contains(HOSTILE.substring(0, 21) + "\u2026");
    }
    Document published = Jsoup.parse(ReportHtml.render(report(7L, HOSTILE, 3)));
    assertThat(published.select("code").eachText()).containsExactly("ab12" + HOSTILE);
  }

  @Test
  void aPreviewSaysSoAndAPublishedReportCarriesItsChecksum() {
    Document preview = Jsoup.parse(ReportHtml.render(report(null, "2026", 2)));
    assertThat(preview.selectFirst("p.preview").text()).isEqualTo("Preview, not published: the figures may still change.");
    assertThat(preview.select("code")).isEmpty();

    Document published = Jsoup.parse(ReportHtml.render(report(7L, "2026", 2)));
    assertThat(published.select("p.preview")).isEmpty();
    assertThat(published.select("p.muted").first().text()).startsWith("Published 2 January 2027 09:30 UTC.");
    assertThat(published.select("p:has(code)").text()).isEqualTo("Figures checksum (SHA-256): ab122026");
    assertThat(published.select("p").get(1).text()).isEqualTo("1 January 2026 to 31 December 2026");
  }

  @Test
  void eachBreakdownHasItsTableWholeAndAtMostTwelveBars() {
    Document document = Jsoup.parse(ReportHtml.render(report(7L, "words_with_underscores", 20)));

    Element actions = document.select("section").first();
    assertThat(actions.selectFirst("span.total").text()).isEqualTo("1,234");
    assertThat(actions.select("span.unit").get(1).text()).isEqualTo("Median time from receipt to decision: 1.5 h");
    // The breakdown with no rows has no table; the figure that counted nothing has none at all.
    assertThat(actions.select("div.split")).hasSize(2);
    assertThat(document.select("section").get(1).select("table, svg")).isEmpty();
    Element byLabel = actions.select("div.split").first();
    assertThat(byLabel.select("thead th").eachText()).containsExactly("label", "Count");
    assertThat(byLabel.select("tbody tr")).hasSize(20);
    assertThat(byLabel.select("tbody tr").first().text()).isEqualTo("words with underscores 20");
    Element chart = byLabel.selectFirst("svg");
    assertThat(chart.attr("aria-hidden")).isEqualTo("true");
    assertThat(chart.select("rect")).hasSize(MAX_BARS);
    assertThat(chart.select("rect").first().attr("width")).isEqualTo("210.0");
    assertThat(chart.attr("viewBox")).isEqualTo("0 0 420 " + MAX_BARS * 24);
    assertThat(document.select("table")).allSatisfy(table -> assertThat(table.select("th")).isNotEmpty());
  }

  @Test
  void aBrowserShowsTheTextUnderThePagesOwnPolicyRunsNothingAndFindsNoBarrier() throws IOException {
    ConsoleBrowser.requireChromium();
    String html = ReportHtml.render(report(7L, HOSTILE, 20));
    try (ConsoleBrowser chromium = ConsoleBrowser.launch(); BrowserContext context = chromium.browser().newContext()) {
      // Served as the server serves it: the document's bytes and its policy, nothing else.
      context.route("https://documents.test/**", route -> route.fulfill(new Route.FulfillOptions().setStatus(200)
          .setHeaders(Map.of("Content-Type", "text/html; charset=utf-8", "Content-Security-Policy", ReportHtml.POLICY)).setBody(html)));
      Page page = context.newPage();
      List<String> dialogs = new ArrayList<>();
      page.onDialog(dialog -> {
        dialogs.add(dialog.message());
        dialog.dismiss();
      });
      page.navigate("https://documents.test/document-transparency-report.html");
      assertThat(page.locator("h1").textContent()).isEqualTo(HOSTILE);
      assertThat(page.locator("script, b, img:not([src^='data:image/png;base64,'])").count()).isZero();
      assertThat(dialogs).isEmpty();
      chromium.shot(page, "document-transparency-report");
      ConsoleBrowser.assertAccessible(page);
    }
  }
}
