package org.countersignal.server.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.countersignal.server.RequestException;
import org.countersignal.server.action.Media;
import org.countersignal.server.action.SubmissionView;
import org.countersignal.server.auth.Role;
import org.countersignal.server.bank.Bank;
import org.countersignal.server.bank.BankService;
import org.countersignal.server.bank.LabelTaxonomy;
import org.countersignal.server.review.AppealedDecision;
import org.countersignal.server.review.CaseDecision;
import org.countersignal.server.review.CaseDetail;
import org.countersignal.server.review.CaseKind;
import org.countersignal.server.review.CaseSummary;
import org.countersignal.server.review.EntryNote;
import org.countersignal.server.review.QueueSlice;
import org.countersignal.server.review.ReviewQueue;
import org.countersignal.server.userreport.UserReports;

/** The review queue's pages: the queue, a case, its media, and the claim and decision forms. */
public final class ReviewPages {

  /**
   * Who may look at the queue and cases. Not coordinators: as through the API, a crisis role sees
   * incidents and their banks, not platforms' cases.
   */
  static final Set<Role> READERS = Set.of(Role.ADMIN, Role.REVIEWER, Role.CURATOR, Role.AUDITOR);
  /** Media types a browser may render from here; anything else is offered as a download. */
  private static final Pattern RENDERABLE = Pattern.compile("image/(jpeg|png|gif|webp|bmp)|video/(mp4|webm|ogg|quicktime)");
  private static final String MEDIA_POLICY = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox";

  private final ReviewQueue queue;
  private final LabelTaxonomy labels;
  private final BankService banks;
  private final Console console;
  private final UserReports reports;

  /** @param reports the reports from users and trusted flaggers, or null when the server takes none */
  public ReviewPages(Console console, ReviewQueue queue, LabelTaxonomy labels, BankService banks, UserReports reports) {
    this.console = console;
    this.reports = reports;
    this.queue = queue;
    this.labels = labels;
    this.banks = banks;
  }

  void register(RoutesConfig routes, ConsoleRoutes console) {
    routes.get("/console/queue", console.page(this::queuePage));
    routes.get("/console/cases/{id}", console.page((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, READERS);
      ctx.html(casePage(viewer, caseId(ctx), null, null));
    }));
    routes.post("/console/cases/{id}/claim", console.action((ctx, viewer) -> act(ctx, viewer, () -> queue.claim(caseId(ctx), viewer.principal()))));
    routes.post("/console/cases/{id}/release", console.action((ctx, viewer) -> act(ctx, viewer, () -> queue.release(caseId(ctx), viewer.principal()))));
    routes.post("/console/cases/{id}/decide", console.action(this::decide));
    routes.get("/console/media/{submission}", console.resource(this::media));
  }

  private static long caseId(Context ctx) {
    return ConsoleRoutes.pathId(ctx, "id", "case");
  }

  /** One page of the queue under the filters the reviewer chose; a filter the form could not have sent is refused, with why. */
  private void queuePage(Context ctx, Viewer viewer) {
    ConsoleRoutes.requireRole(viewer, READERS);
    List<String> labelNames = labels.list().stream().map(LabelTaxonomy.Label::name).toList();
    QueueForm form = QueueForm.read(ctx, viewer, Set.copyOf(labelNames));
    if (form.problem() != null) {
      ctx.status(400).html(Templates.render("queue", QueueView.refused(viewer, form, labelNames)));
      return;
    }
    QueueSlice slice;
    try {
      slice = queue.queue(form.filter(), form.cursor(), form.pageSize());
    } catch (RequestException e) {
      if (e.kind() != RequestException.Kind.INVALID) {
        throw e;
      }
      ctx.status(400).html(Templates.render("queue", QueueView.refused(viewer, form.refusedFor(e.getMessage()), labelNames)));
      return;
    }
    String decided = Optional.ofNullable(ctx.queryParam("decided")).filter(s -> s.matches("[0-9]{1,18}")).orElse(null);
    Map<Long, String> media = mayViewMedia(viewer)
        ? console.mediaTypes(slice.cases().stream().map(CaseSummary::submissionId).toList()) : Map.of();
    ctx.html(Templates.render("queue", QueueView.of(viewer, decided == null ? null : "Case " + decided + " decided.", form, labelNames,
        slice, media)));
  }

  /** A claim or release, then back to the case; a refusal is shown on the case page. */
  private void act(Context ctx, Viewer viewer, java.util.function.Supplier<CaseDetail> change) {
    requireReviewer(viewer);
    try {
      change.get();
      ctx.redirect("/console/cases/" + caseId(ctx), HttpStatus.SEE_OTHER);
    } catch (RequestException e) {
      if (e.kind() == RequestException.Kind.NOT_FOUND) {
        throw e;
      }
      ctx.status(e.kind().status()).html(casePage(viewer, caseId(ctx), e.getMessage(), null));
    }
  }

  private void decide(Context ctx, Viewer viewer) {
    requireReviewer(viewer);
    long id = caseId(ctx);
    String outcome = ctx.formParam("outcome");
    String reason = Optional.ofNullable(ctx.formParam("reason")).orElse("").strip();
    String policy = Optional.ofNullable(ctx.formParam("policy")).filter(p -> !p.isBlank()).orElse(null);
    String rejectAs = Optional.ofNullable(ctx.formParam("reject_as")).filter(p -> !p.isBlank()).orElse(null);
    Long addToBank = null;
    String bank = ctx.formParam("add_to_bank");
    if (bank != null && !bank.isBlank()) {
      try {
        addToBank = Long.parseLong(bank.strip());
      } catch (NumberFormatException e) {
        ctx.status(422).html(casePage(viewer, id, "Choose a bank from the list to add the content to.", null));
        return;
      }
    }
    CaseDecision decision = new CaseDecision(outcome, reason, policy, addToBank, rejectAs);
    if (reason.isEmpty()) {
      ctx.status(422).html(casePage(viewer, id, "Give a reason for the decision: it is kept with the case and sent to the platform.", decision));
      return;
    }
    try {
      queue.decide(id, viewer.principal(), decision);
    } catch (RequestException e) {
      if (e.kind() == RequestException.Kind.NOT_FOUND) {
        throw e;
      }
      ctx.status(e.kind().status()).html(casePage(viewer, id, e.getMessage(), decision));
      return;
    }
    ctx.redirect("/console/queue?decided=" + id, HttpStatus.SEE_OTHER);
  }

  private static void requireReviewer(Viewer viewer) {
    if (!viewer.mayDecide()) {
      throw new RequestException(RequestException.Kind.FORBIDDEN,
          "the " + viewer.role().wireName() + " role may look at cases but not claim or decide them");
    }
  }

  /** Media for reviewers only (as in the API), typed as stored, never sniffed, never cached. */
  private void media(Context ctx, Viewer viewer) {
    if (!mayViewMedia(viewer)) {
      throw new RequestException(RequestException.Kind.FORBIDDEN, "media are shown to reviewers and admins only");
    }
    long submission = ConsoleRoutes.pathId(ctx, "submission", "submission");
    Media media = queue.media(submission)
        .orElseThrow(() -> new RequestException(RequestException.Kind.NOT_FOUND, "submission " + submission + " has no media kept"));
    String type = media.mediaType() == null ? "" : media.mediaType().strip().toLowerCase(Locale.ROOT);
    ctx.header("Content-Security-Policy", MEDIA_POLICY);
    ctx.header("Cross-Origin-Resource-Policy", "same-origin");
    if (!RENDERABLE.matcher(type).matches()) {
      ctx.header("Content-Disposition", "attachment; filename=\"submission-" + submission + "\"");
      ctx.contentType("application/octet-stream").result(media.bytes());
    } else if (type.startsWith("video/")) {
      ctx.writeSeekableStream(new ByteArrayInputStream(media.bytes()), type, media.bytes().length);
    } else {
      ctx.contentType(type).result(media.bytes());
    }
  }

  static boolean mayViewMedia(Viewer viewer) {
    return viewer.role() == Role.ADMIN || viewer.role() == Role.REVIEWER;
  }

  /** @param entered what the reviewer had entered in the decision form when it was refused, or null */
  String casePage(Viewer viewer, long id, String error, CaseDecision entered) {
    CaseDetail c = queue.get(id);
    SubmissionView s = c.submission();
    Map<Long, EntryNote> notes = queue.entryNotes(s.matches() == null ? List.of()
        : s.matches().stream().map(SubmissionView.MatchView::entryId).distinct().toList());
    AppealedDecision appealed = queue.appealedDecision(c).orElse(null);
    Map<Long, String> actors = appealed == null || appealed.decidedBy() == null ? Map.of() : console.actorNames(List.of(appealed.decidedBy()));
    CaseView.Form form = null;
    if (viewer.mayDecide() && CaseView.heldBy(viewer, c)) {
      Map<Long, String> bankNames = new LinkedHashMap<>();
      for (Bank bank : banks.list()) {
        bankNames.put(bank.id(), bank.name());
      }
      form = CaseView.form(c, entered, labels.list().stream().map(LabelTaxonomy.Label::name).toList(), bankNames);
    }
    return Templates.render("case", CaseView.of(viewer, c, error, notes, appealed, actors, reports(viewer, c), form));
  }

  /** A report case's reports, for those who may read them; null for other cases. */
  private CaseReports reports(Viewer viewer, CaseDetail c) {
    if (reports == null || !CaseKind.REPORT.wire().equals(c.kind())) {
      return null;
    }
    if (!CaseReports.READERS.contains(viewer.role())) {
      return CaseReports.notForRole();
    }
    return CaseReports.of(reports.forCase(c.id()));
  }
}
