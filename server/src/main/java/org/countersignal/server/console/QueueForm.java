package org.countersignal.server.console;

import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.countersignal.server.review.CaseKind;
import org.countersignal.server.review.QueueCursor;
import org.countersignal.server.review.QueueFilter;

/**
 * The queue page's filter form (a GET, so a filtered page can be bookmarked and shared) as the
 * reviewer filled it in: read, checked, and written back into the links to other pages. A value
 * the form cannot have sent (an address typed by hand, an old bookmark) is refused with a
 * sentence saying which, rather than silently ignored.
 */
final class QueueForm {

  static final int DEFAULT_PAGE_SIZE = 50;
  static final int MAX_PAGE_SIZE = 200;
  private static final Pattern CASE_ID = Pattern.compile("[0-9]{1,18}");
  /** The fields a link to another page of the same listing carries. */
  private static final List<String> FILTER_FIELDS = List.of("kind", "status", "label", "claimed", "q", "per_page");

  /** What was sent, by field name, as sent (empty when absent): shown again in the form. */
  private final Map<String, String> sent = new LinkedHashMap<>();
  private final QueueFilter filter;
  private final QueueCursor cursor;
  private final int pageSize;
  private final String problem;

  private QueueForm(Map<String, String> sent, QueueFilter filter, QueueCursor cursor, int pageSize, String problem) {
    this.sent.putAll(sent);
    this.filter = filter;
    this.cursor = cursor;
    this.pageSize = pageSize;
    this.problem = problem;
  }

  /** The form as {@code ctx}'s query string has it; {@code labels} are the labels a case can carry. */
  static QueueForm read(Context ctx, Viewer viewer, Set<String> labels) {
    Map<String, String> sent = new LinkedHashMap<>();
    for (String field : Stream.concat(FILTER_FIELDS.stream(), Stream.of("after", "before")).toList()) {
      String value = ctx.queryParam(field);
      sent.put(field, value == null ? "" : value.strip());
    }
    try {
      CaseKind kind = sent.get("kind").isEmpty() ? null : CaseKind.fromWire(sent.get("kind"));
      require(kind != null || sent.get("kind").isEmpty(), "There is no case kind “" + sent.get("kind") + "”: choose match, appeal or report.");
      QueueFilter.Status status = sent.get("status").isEmpty() ? QueueFilter.Status.ANY : QueueFilter.Status.fromWire(sent.get("status"));
      require(status != null, "There is no status “" + sent.get("status") + "”: choose any, open, escalated or overdue.");
      String label = sent.get("label").isEmpty() ? null : sent.get("label");
      require(label == null || labels.contains(label), "There is no label “" + label + "”: choose one from the list.");
      QueueFilter.Claim claim = sent.get("claimed").isEmpty() ? QueueFilter.Claim.ANYONE : QueueFilter.Claim.fromWire(sent.get("claimed"));
      require(claim != null, "“" + sent.get("claimed") + "” is not a choice for who claimed a case: choose anyone, mine or unclaimed.");
      String text = sent.get("q").isEmpty() ? null : sent.get("q");
      require(text == null || text.length() <= QueueFilter.MAX_TEXT,
          "Search for at most " + QueueFilter.MAX_TEXT + " characters of a content id or account.");
      int size = DEFAULT_PAGE_SIZE;
      if (!sent.get("per_page").isEmpty()) {
        require(sent.get("per_page").matches("[0-9]{1,3}") && Integer.parseInt(sent.get("per_page")) >= 1
            && Integer.parseInt(sent.get("per_page")) <= MAX_PAGE_SIZE, "Show from 1 to " + MAX_PAGE_SIZE + " cases a page.");
        size = Integer.parseInt(sent.get("per_page"));
      }
      require(sent.get("after").isEmpty() || sent.get("before").isEmpty(), "A page starts either after a case or before one, not both.");
      QueueCursor cursor = null;
      if (!sent.get("after").isEmpty()) {
        require(CASE_ID.matcher(sent.get("after")).matches(), "The page to show is not a case number: start again from the first page.");
        cursor = QueueCursor.after(Long.parseLong(sent.get("after")));
      } else if (!sent.get("before").isEmpty()) {
        require(CASE_ID.matcher(sent.get("before")).matches(), "The page to show is not a case number: start again from the first page.");
        cursor = QueueCursor.before(Long.parseLong(sent.get("before")));
      }
      QueueFilter filter = new QueueFilter(kind, status, label, claim, viewer.principal().keyId(), text);
      return new QueueForm(sent, filter, cursor, size, null);
    } catch (Refused e) {
      return new QueueForm(sent, null, null, DEFAULT_PAGE_SIZE, e.getMessage());
    }
  }

  /** The form as sent, refused for {@code why} (found only when the queue was read, as a page that starts at no case). */
  QueueForm refusedFor(String why) {
    return new QueueForm(sent, null, null, pageSize, why);
  }

  /** Why the form was refused, or null when it was not. */
  String problem() {
    return problem;
  }

  /** The filter the form asks for; null when refused. */
  QueueFilter filter() {
    return filter;
  }

  QueueCursor cursor() {
    return cursor;
  }

  int pageSize() {
    return pageSize;
  }

  /** The value sent for {@code field}, or empty. */
  String sent(String field) {
    return sent.getOrDefault(field, "");
  }

  /** Whether any filter narrows the queue (paging aside). */
  boolean narrowed() {
    return !(sent("kind").isEmpty() && sent("label").isEmpty() && sent("q").isEmpty()
        && (sent("status").isEmpty() || sent("status").equals(QueueFilter.Status.ANY.wire()))
        && (sent("claimed").isEmpty() || sent("claimed").equals(QueueFilter.Claim.ANYONE.wire())));
  }

  /** The address of this listing's page after case {@code caseId} (or before it), filters and page size kept. */
  String pageLink(QueueCursor.Direction direction, long caseId) {
    StringBuilder query = new StringBuilder();
    for (String field : FILTER_FIELDS) {
      if (!sent(field).isEmpty()) {
        query.append(field).append('=').append(URLEncoder.encode(sent(field), StandardCharsets.UTF_8)).append('&');
      }
    }
    query.append(direction == QueueCursor.Direction.AFTER ? "after=" : "before=").append(caseId);
    return "/console/queue?" + query;
  }

  private static void require(boolean ok, String problem) {
    if (!ok) {
      throw new Refused(problem);
    }
  }

  /** A value the form could not have sent; its message says which and what to choose. */
  private static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }
}
