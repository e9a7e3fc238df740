package org.countersignal.server.console;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.countersignal.server.review.CaseKind;
import org.countersignal.server.review.CaseStatus;
import org.countersignal.server.review.CaseSummary;
import org.countersignal.server.review.QueueCursor;
import org.countersignal.server.review.QueueFilter;
import org.countersignal.server.review.QueueSlice;

/**
 * The queue page ({@code queue.jte}): the filter form, one page of cases and the links to the
 * pages around it.
 *
 * @param notice a line saying what just happened (a case decided), or null
 * @param problem why the filter was refused, or null; when set there are no rows
 * @param count how many cases match and which of them this page shows, or null when refused
 * @param previous the previous page's address, or null on the first page
 * @param next the next page's address, or null on the last page
 */
record QueueView(Viewer viewer, String notice, String problem, Filters filters, List<Row> rows, boolean narrowed, String count,
    String previous, String next) {

  /** A choice in one of the form's lists. */
  record Option(String value, String text, boolean selected) {}

  /** The filter form's fields, as the reviewer left them. */
  record Filters(List<Option> kinds, List<Option> statuses, List<Option> labels, List<Option> claims, String text, String perPage) {}

  /** Who holds a case: nobody, the reviewer looking, or someone else. */
  enum Claimant { NOBODY, YOU, OTHER }

  /**
   * A case in the list.
   *
   * @param account the account that posted the content, or null
   * @param thumbnail whether a still image is kept to show (blurred) beside it
   * @param due an appeal's deadline, or null
   */
  record Row(long id, boolean overdue, String kind, boolean escalated, int priority, List<String> labels, String bestDistance,
      String contentId, String contentType, String account, long submissionId, boolean thumbnail, String age, String due,
      Claimant claimant, Long claimedBy) {}

  /** The page for a refused filter: the form as sent and why, no cases. */
  static QueueView refused(Viewer viewer, QueueForm form, List<String> labels) {
    return new QueueView(viewer, null, form.problem(), filters(form, labels), List.of(), form.narrowed(), null, null, null);
  }

  /**
   * @param mediaTypes the media type of each listed submission whose media is kept and may be shown to the viewer
   */
  static QueueView of(Viewer viewer, String notice, QueueForm form, List<String> labels, QueueSlice slice, Map<Long, String> mediaTypes) {
    List<Row> rows = slice.cases().stream().map(c -> row(c, viewer, slice.now(), mediaTypes.get(c.submissionId()))).toList();
    String previous = slice.hasPrevious() ? form.pageLink(QueueCursor.Direction.BEFORE, rows.get(0).id()) : null;
    String next = slice.hasNext() ? form.pageLink(QueueCursor.Direction.AFTER, rows.get(rows.size() - 1).id()) : null;
    return new QueueView(viewer, notice, null, filters(form, labels), rows, form.narrowed(), count(slice, form.narrowed()), previous, next);
  }

  private static Filters filters(QueueForm form, List<String> labels) {
    List<Option> kinds = new ArrayList<>(List.of(new Option("", "any kind", form.sent("kind").isEmpty())));
    for (CaseKind kind : CaseKind.values()) {
      kinds.add(new Option(kind.wire(), kind.wire(), kind.wire().equals(form.sent("kind"))));
    }
    String status = form.sent("status").isEmpty() ? QueueFilter.Status.ANY.wire() : form.sent("status");
    List<Option> statuses = List.of(
        new Option(QueueFilter.Status.ANY.wire(), "any open", status.equals(QueueFilter.Status.ANY.wire())),
        new Option(QueueFilter.Status.OPEN.wire(), "open, not escalated", status.equals(QueueFilter.Status.OPEN.wire())),
        new Option(QueueFilter.Status.ESCALATED.wire(), "escalated", status.equals(QueueFilter.Status.ESCALATED.wire())),
        new Option(QueueFilter.Status.OVERDUE.wire(), "overdue appeals", status.equals(QueueFilter.Status.OVERDUE.wire())));
    List<Option> labelOptions = new ArrayList<>(List.of(new Option("", "any label", form.sent("label").isEmpty())));
    for (String label : labels) {
      labelOptions.add(new Option(label, label, label.equals(form.sent("label"))));
    }
    String claimed = form.sent("claimed").isEmpty() ? QueueFilter.Claim.ANYONE.wire() : form.sent("claimed");
    List<Option> claims = List.of(
        new Option(QueueFilter.Claim.ANYONE.wire(), "anyone or nobody", claimed.equals(QueueFilter.Claim.ANYONE.wire())),
        new Option(QueueFilter.Claim.MINE.wire(), "me", claimed.equals(QueueFilter.Claim.MINE.wire())),
        new Option(QueueFilter.Claim.UNCLAIMED.wire(), "nobody (unclaimed)", claimed.equals(QueueFilter.Claim.UNCLAIMED.wire())));
    String perPage = form.sent("per_page").isEmpty() ? Integer.toString(QueueForm.DEFAULT_PAGE_SIZE) : form.sent("per_page");
    return new Filters(kinds, statuses, labelOptions, claims, form.sent("q"), perPage);
  }

  private static String count(QueueSlice slice, boolean narrowed) {
    String cases = String.format(Locale.ROOT, "%,d", slice.total()) + (slice.total() == 1 ? " open case" : " open cases");
    String matching = narrowed ? cases + (slice.total() == 1 ? " matches" : " match") + " the filters" : cases;
    if (slice.cases().isEmpty()) {
      return matching + ".";
    }
    return matching + "; showing " + String.format(Locale.ROOT, "%,d", slice.preceding() + 1) + "–"
        + String.format(Locale.ROOT, "%,d", slice.preceding() + slice.cases().size()) + ".";
  }

  private static Row row(CaseSummary c, Viewer viewer, OffsetDateTime now, String mediaType) {
    Claimant claimant = c.claimedBy() == null ? Claimant.NOBODY
        : c.claimedBy() == viewer.principal().keyId() ? Claimant.YOU : Claimant.OTHER;
    boolean image = mediaType != null && mediaType.toLowerCase(Locale.ROOT).startsWith("image/");
    return new Row(c.id(), c.overdue(), c.kind(), CaseStatus.ESCALATED.wire().equals(c.status()), c.priority(), c.labels(),
        c.bestDistance() == null ? "—" : c.bestDistance().toString(), c.contentId(), c.contentType(), c.account(), c.submissionId(),
        image, age(c.createdAt(), now.toInstant()), c.dueAt(), claimant, c.claimedBy());
  }

  private static String age(String createdAt, Instant now) {
    if (createdAt == null) {
      return "";
    }
    Duration age = Duration.between(Instant.parse(createdAt), now);
    if (age.toDays() > 0) {
      return age.toDays() + " d " + age.toHoursPart() + " h";
    }
    if (age.toHours() > 0) {
      return age.toHours() + " h " + age.toMinutesPart() + " min";
    }
    return Math.max(0, age.toMinutes()) + " min";
  }
}
