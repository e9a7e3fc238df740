package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.countersignal.server.incident.Incident;
import org.countersignal.server.incident.TimelineEvent;
import org.countersignal.server.incident.report.Debrief;
import org.countersignal.server.incident.report.DebriefHtml;
import org.countersignal.server.incident.report.IncidentFigures;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/**
 * The debrief's HTML page with what an attacker could have written in every field it shows: the
 * incident's name, description, region and labels, peers' names, the signals shared and found,
 * the timeline's details. Each comes out as text; the only elements are the page's own. In a
 * browser, under the page's own policy, it runs nothing and axe-core finds no WCAG A or AA barrier.
 */
class IncidentDebriefDocumentTest {

  /** The most rows the page lists of a timeline. */
  static final int MAX_ROWS = 1_000;
  static final String HOSTILE = "<script>alert('x')</script><img src=x onerror=alert('y')>\"'><b>bold</b>";

  /** An incident with {@code text} in every field a user or a peer writes: five hours, two peers, two signals shared, a variant. */
  static Debrief debrief(String text, boolean draft, int events) {
    Incident incident = new Incident(42, text, "attack_" + text, "content_incident_" + text, text, "Seen first on " + text,
        draft ? "open" : "closed", "2026-03-15T09:30:00Z", "2026-03-15T10:05:00Z", draft ? null : "2026-03-15T14:00:00Z",
        "2026-03-15T14:00:00Z", 9L, "amber",
        List.of(text, "violent_" + text), "hub-" + text, 77L, null);
    Map<String, Long> eleven = new LinkedHashMap<>();
    eleven.put(text, 4L);
    eleven.put("hub-eu", 1L);
    IncidentFigures figures = new IncidentFigures(42, "hour", "2026-03-15T09:00:00Z", "2026-03-15T14:00:00Z",
        List.of(new IncidentFigures.Bucket("2026-03-15T09:00:00Z", 0, 0, Map.of()),
            new IncidentFigures.Bucket("2026-03-15T10:00:00Z", 3, 1, Map.of()),
            new IncidentFigures.Bucket("2026-03-15T11:00:00Z", 0, 0, eleven),
            new IncidentFigures.Bucket("2026-03-15T12:00:00Z", 2, 0, Map.of()),
            new IncidentFigures.Bucket("2026-03-15T13:00:00Z", 0, 0, Map.of())),
        List.of(new IncidentFigures.Peer(text, 4, "2026-03-15T11:00:00Z", "2026-03-15T11:00:00Z"),
            new IncidentFigures.Peer("hub-eu", 1, "2026-03-15T11:00:00Z", "2026-03-15T11:00:00Z")),
        5, 1, 5, "2026-03-15T10:10:00Z", "2026-03-15T10:15:00Z", 600L, Map.of("pdq_" + text, 2L), 2, 1);
    List<TimelineEvent> timeline = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      timeline.add(new TimelineEvent("2026-03-15T10:05:00Z", i % 2 == 0 ? "declared" : "note_" + text, i % 3 == 0 ? 5L : null,
          i % 3 == 1 ? text : null, Map.of("note", text)));
    }
    return new Debrief(draft, "2026-03-15T14:00:00Z", incident, figures, timeline,
        List.of(new Debrief.SharedEntry("2026-03-15T10:06:00Z", "pdq" + text, "f8f8" + text, null),
            new Debrief.SharedEntry("2026-03-15T10:07:00Z", "md5", "d41d8cd98f00b204e9800998ecf8427e", text)),
        List.of(new Debrief.VariantFound("2026-03-15T10:30:00Z", "pdq" + text, "e0e0" + text, 6, 12, 3)));
  }

  @Test
  void whatPeopleWroteIsShownAsTextAndAddsNoElement() {
    for (boolean draft : List.of(true, false)) {
      String page = DebriefHtml.render(debrief(HOSTILE, draft, 3));
      Document document = Jsoup.parse(page);

      assertThat(document.select("script")).isEmpty();
      assertThat(document.select("b")).isEmpty();
      assertThat(document.select("[onerror], [onclick], [onload]")).isEmpty();
      // The two charts are the page's only images, drawn here and carried inside it.
      assertThat(document.select("img")).hasSize(2).allSatisfy(img -> assertThat(img.attr("src")).startsWith("data:image/png;base64,"));
      assertThat(document.select("img").eachAttr("alt")).containsExactly("Matches here and uploads stopped per hour",
          "Matches peers reported per hour");

      assertThat(document.title()).isEqualTo("Debrief: Incident 42: " + HOSTILE + (draft ? " (draft)" : ""));
      assertThat(document.selectFirst("h1").text()).isEqualTo("Incident 42: " + HOSTILE);
      assertThat(document.selectFirst("p.desc").wholeText()).isEqualTo("Seen first on " + HOSTILE);
      Map<String, String> facts = new LinkedHashMap<>();
      for (Element row : document.select("table.facts").first().select("tr")) {
        facts.put(row.selectFirst("th").text(), row.selectFirst("td").text());
      }
      assertThat(facts).containsEntry("Name", HOSTILE).containsEntry("Region", HOSTILE)
          .containsEntry("Labels", HOSTILE + ", violent_" + HOSTILE)
          .containsEntry("Declared by", "peer instance hub-" + HOSTILE + " (its incident 77)");
      assertThat(document.select("bdi").eachText()).contains(HOSTILE);
      assertThat(document.select("code").eachText()).contains("f8f8" + HOSTILE, "e0e0" + HOSTILE);
      assertThat(document.select("td").eachText()).contains("pdq" + HOSTILE, HOSTILE, "peer " + HOSTILE, "note: " + HOSTILE);
    }
  }

  @Test
  void thePageIsWholeAndSelfContained() {
    Document document = Jsoup.parse(DebriefHtml.render(debrief("Livestream & re-uploads", false, 4)));

    assertThat(document.select("h2").eachText()).containsExactly("Summary", "How it spread", "By peer", "Figures per hour",
        "What was shared", "Timeline", "Variants found");
    assertThat(document.selectFirst("p.kept").text()).isEqualTo("Made when the incident was closed, 2026-03-15 14:00:00 UTC.");
    assertThat(document.select("[href], link, script, iframe, object")).isEmpty();
    // Every table the page reads from has its headings; a quiet span is greyed, a busy one is not.
    assertThat(document.select("table")).allSatisfy(table -> assertThat(table.select("th")).isNotEmpty());
    Element spans = document.select("h2:contains(Figures per hour) + table").first();
    assertThat(spans.select("tbody tr.quiet td:first-child").eachText()).contains("2026-03-15 09:00");
    assertThat(spans.select("tbody tr:not(.quiet) td:first-child").eachText()).contains("2026-03-15 10:00", "2026-03-15 11:00");
    assertThat(spans.select("tbody tr:has(td:eq(0):contains(2026-03-15 11:00)) td").last().text())
        .isEqualTo("Livestream & re-uploads 4, hub-eu 1");
    assertThat(spans.select("tbody tr").last().select("th")).hasSize(5);
    assertThat(spans.select("tbody tr").last().select("th").eachText()).containsExactly("Total", "5", "1", "5");
    assertThat(document.select("p.muted").eachText()).noneMatch(text -> text.contains("are in the JSON debrief"));
  }

  @Test
  void aLongTimelineIsCutWithASentenceSayingWhereTheRestIs() {
    Document document = Jsoup.parse(DebriefHtml.render(debrief("busy", true, MAX_ROWS + 3)));

    assertThat(document.select("h2:contains(Timeline) + table tbody tr")).hasSize(MAX_ROWS);
    assertThat(document.select("p.muted").eachText()).contains("3 more events are in the JSON debrief.");
    assertThat(document.selectFirst("p.kicker").text()).isEqualTo("Incident debrief · draft");
  }

  @Test
  void aBrowserShowsTheTextUnderThePagesOwnPolicyRunsNothingAndFindsNoBarrier() throws IOException {
    ConsoleBrowser.requireChromium();
    String html = DebriefHtml.render(debrief(HOSTILE, true, 3));
    try (ConsoleBrowser chromium = ConsoleBrowser.launch(); BrowserContext context = chromium.browser().newContext()) {
      // Served as the server serves it: the document's bytes and its policy, nothing else.
      context.route("https://documents.test/**", route -> route.fulfill(new Route.FulfillOptions().setStatus(200)
          .setHeaders(Map.of("Content-Type", "text/html; charset=utf-8", "Content-Security-Policy", DebriefHtml.POLICY)).setBody(html)));
      Page page = context.newPage();
      List<String> dialogs = new ArrayList<>();
      page.onDialog(dialog -> {
        dialogs.add(dialog.message());
        dialog.dismiss();
      });
      page.navigate("https://documents.test/document-debrief.html");
      assertThat(page.locator("h1").textContent()).isEqualTo("Incident 42: " + HOSTILE);
      assertThat(page.locator("script, b, img:not([src^='data:image/png;base64,'])").count()).isZero();
      assertThat(dialogs).isEmpty();
      chromium.shot(page, "document-debrief");
      ConsoleBrowser.assertAccessible(page);
    }
  }
}
