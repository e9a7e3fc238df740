package org.countersignal.signals.document;

import java.util.ArrayList;
import java.util.List;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.text.PlainText;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/** Visible text and link targets of an HTML page, read with jsoup. */
final class HtmlExtractor {

  private HtmlExtractor() {}

  static ExtractedDocument extract(byte[] bytes, Budget budget) throws ContentException {
    String html = PlainText.decode(bytes, budget.limits().maxChars() * 4);
    Document document = Jsoup.parse(html);
    budget.checkTime();
    document.select("script, style, noscript, template").remove();
    List<String> links = new ArrayList<>();
    for (Element a : document.select("a[href], area[href]")) {
      if (links.size() >= 10_000) {
        break;
      }
      links.add(a.attr("href"));
    }
    StringBuilder text = new StringBuilder();
    Element title = document.selectFirst("title");
    if (title != null) {
      text.append(title.text()).append("\n\n");
    }
    // text() puts a space between block elements; wholeText() would glue "</p><p>" together.
    text.append(document.body() == null ? document.text() : document.body().text());
    budget.checkChars(text.length());
    return new ExtractedDocument(DocumentFormat.HTML, text.toString(), links, List.of());
  }
}
