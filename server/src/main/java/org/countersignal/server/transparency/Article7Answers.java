package org.countersignal.server.transparency;

import java.util.ArrayList;
import java.util.List;

/**
 * Answers TCO Art. 7(3)'s points from a report's figures and what its publisher declared. The
 * complaints of point (d) are both kinds a content provider can bring against a removal: a
 * complaint about a removal order, and an appeal against a removal by our own measures (hash
 * matching is the "specific measures" of Art. 5).
 */
final class Article7Answers {

  private static final String RECORDED = "recorded";
  private static final String DECLARED = "declared";
  private static final String GENERATED = "generated";
  private static final String NOT_STATED = "not_stated";

  private Article7Answers() {}

  static List<Article7> answer(List<Figure> figures, Declared declared) {
    FigureLookup f = new FigureLookup(figures);
    List<Article7> points = new ArrayList<>();
    points.add(stated("7(3)(a)", "The measures taken to identify and remove terrorist content, or disable access to it", declared.measures(),
        "Uploads are checked against banks of hashes of known terrorist content (" + f.total("content_checked") + " items in the period, "
            + f.total("content_matched") + " of which matched). Rules act on a match at once or send it to a reviewer ("
            + f.count("actions", "decided_by", "automated") + " automated and " + f.count("actions", "decided_by", "human")
            + " human actions). Reports from users and trusted flaggers (" + f.total("reports_received") + ") and removal orders ("
            + f.total("orders_received") + ") are decided by staff.", null));
    points.add(stated("7(3)(b)", "The measures taken against the reappearance of content removed as terrorist content, in particular by "
            + "automated tools", declared.reappearance(),
        "Removed content stays in the hash banks, so that a re-upload or an edited copy matches it: " + f.count("actions", "source", "hash_match")
            + " actions in the period followed a match, " + f.count("items_removed", "source", "hash_match") + " items were removed after one.",
        f.count("actions", "source", "hash_match")));
    long byOrders = f.total("orders_acted");
    long byMeasures = f.count("items_removed", "source", "hash_match");
    List<Figure.Count> removed = new ArrayList<>();
    removed.add(new Figure.Count("following removal orders", byOrders));
    removed.add(new Figure.Count("following specific measures (hash matching)", byMeasures));
    removed.add(new Figure.Count("removal orders not complied with", f.total("orders_not_complied")));
    f.rows("orders_not_complied", "reason").forEach(c -> removed.add(new Figure.Count("not complied with: " + c.value(), c.count())));
    points.add(new Article7("7(3)(c)", "The number of items removed or disabled following removal orders or specific measures, and of "
        + "removal orders not complied with (Art. 3(7), 3(8)) with the grounds", byOrders + byMeasures + " items removed or disabled; "
        + f.total("orders_not_complied") + " removal orders not complied with.", byOrders + byMeasures, removed, RECORDED));
    List<Figure.Count> complaints = new ArrayList<>();
    f.rows("complaints_decided", "outcome").forEach(c -> complaints.add(new Figure.Count("complaint about an order: " + c.value(), c.count())));
    f.rows("appeals_decided", "outcome").forEach(c -> complaints.add(new Figure.Count("appeal against a removal: " + c.value(), c.count())));
    long handled = f.total("complaints_decided") + f.total("appeals_decided");
    points.add(new Article7("7(3)(d)", "The number and outcome of complaints handled (Art. 10)", handled + " complaints decided ("
        + f.total("complaints_filed") + " complaints about orders and " + f.total("appeals_filed") + " appeals filed in the period).",
        handled, complaints, RECORDED));
    points.add(declaredCount("7(3)(e)", "The number and outcome of administrative or judicial review proceedings brought by the provider",
        declared.reviewProceedings(), declared.reviewOutcomes()));
    points.add(declaredCount("7(3)(f)", "The number of cases in which the provider had to reinstate content as a result of review "
        + "proceedings", declared.reinstatedAfterReview(), null));
    points.add(new Article7("7(3)(g)", "The number of cases in which the provider reinstated content following a complaint by the content "
        + "provider", f.total("content_reinstated") + " items reinstated.", f.total("content_reinstated"), f.rows("content_reinstated", "reason"),
        RECORDED));
    return points;
  }

  private static Article7 stated(String point, String asks, String statement, String generated, Long figure) {
    boolean given = statement != null && !statement.isBlank();
    return new Article7(point, asks, given ? statement : generated, figure, List.of(), given ? DECLARED : GENERATED);
  }

  private static Article7 declaredCount(String point, String asks, Long count, String outcomes) {
    if (count == null) {
      return new Article7(point, asks, "Not stated by the publisher: proceedings before authorities and courts are not recorded here.",
          null, List.of(), NOT_STATED);
    }
    String answer = count + (outcomes == null || outcomes.isBlank() ? "." : ". " + outcomes);
    return new Article7(point, asks, answer, count, List.of(), DECLARED);
  }
}
