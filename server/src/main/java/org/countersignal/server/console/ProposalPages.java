package org.countersignal.server.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.countersignal.server.RequestException;
import org.countersignal.server.auth.Role;
import org.countersignal.server.bank.BankService;
import org.countersignal.server.bank.Entry;
import org.countersignal.server.bank.EntryService;
import org.countersignal.server.discovery.Discovery;
import org.countersignal.server.discovery.Proposal;
import org.countersignal.server.discovery.ProposalState;
import org.countersignal.server.discovery.Proposals;

/**
 * {@code /console/proposals}: the possible new variants of banked content that variant discovery
 * found, as through {@code /api/v1/proposals}. Admins and curators accept one (its signal is
 * banked) or reject it with a reason; coordinators and auditors read. Every decision goes through
 * {@link Proposals}, which checks and audits it, so one taken here leaves the same record as one
 * taken through the API.
 */
public final class ProposalPages {

  /** Who may read proposals (as {@code GET /api/v1/proposals}). */
  static final Set<Role> READERS = Set.of(Role.ADMIN, Role.CURATOR, Role.COORDINATOR, Role.AUDITOR);
  /** Who may accept or reject one (as the API's {@code POST}s). */
  static final Set<Role> ACTORS = Set.of(Role.ADMIN, Role.CURATOR);
  /** Who {@code /console/media} serves: of the readers here, admins alone see the uploads' media. */
  static final Set<Role> MEDIA_VIEWERS = Set.of(Role.ADMIN, Role.REVIEWER);
  /** Proposals listed at once, newest first. */
  static final int LENGTH = 200;
  /** The list's filter for every state; without a filter it shows the open ones, which wait for a decision. */
  static final String ANY_STATE = "all";

  private final Console console;
  private final Discovery discovery;
  private final BankService banks;
  private final EntryService entries;
  private final boolean mediaServed;

  /** @param mediaServed whether this server has the review queue, whose route serves kept media */
  public ProposalPages(Console console, Discovery discovery, BankService banks, EntryService entries, boolean mediaServed) {
    this.console = console;
    this.discovery = discovery;
    this.banks = banks;
    this.entries = entries;
    this.mediaServed = mediaServed;
  }

  void register(RoutesConfig routes, ConsoleRoutes console) {
    routes.get("/console/proposals", console.page((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, READERS);
      String state = FormFields.blankToNull(ctx.queryParam("state"));
      String kind = FormFields.blankToNull(ctx.queryParam("kind"));
      String shownState = state == null ? ProposalState.OPEN.wireName() : state;
      List<Proposal> shown = discovery.proposals().list(ANY_STATE.equals(shownState) ? null : shownState, kind, null, LENGTH);
      ctx.html(Templates.render("proposals", ProposalViews.list(viewer, shown, shownState, kind, discovery.settings().enabled())));
    }));
    routes.get("/console/proposals/{id}", console.page((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, READERS);
      ProposalViews.Detail detail = detail(viewer, proposalId(ctx));
      ctx.html(page(viewer, detail, outcome(ctx, detail), false, ProposalViews.Entered.NONE));
    }));
    routes.post("/console/proposals/{id}/accept", console.action(this::accept));
    routes.post("/console/proposals/{id}/reject", console.action(this::reject));
  }

  private static long proposalId(Context ctx) {
    return ConsoleRoutes.pathId(ctx, "id", "proposal");
  }

  private void accept(Context ctx, Viewer viewer) {
    ConsoleRoutes.requireRole(viewer, ACTORS);
    long id = proposalId(ctx);
    ProposalViews.Entered entered = ProposalViews.Entered.accepting(ctx);
    decide(ctx, viewer, id, entered, ProposalState.ACCEPTED, () -> discovery.proposals().accept(viewer.principal(), id,
        new Proposals.Acceptance(bankId(entered.bank()), FormFields.commaList(entered.labels()), FormFields.blankToNull(entered.note()))));
  }

  private void reject(Context ctx, Viewer viewer) {
    ConsoleRoutes.requireRole(viewer, ACTORS);
    long id = proposalId(ctx);
    ProposalViews.Entered entered = ProposalViews.Entered.rejecting(ctx);
    decide(ctx, viewer, id, entered, ProposalState.REJECTED, () -> discovery.proposals().reject(viewer.principal(), id, entered.reason()));
  }

  /** Takes the decision, then back to the proposal; a refusal is shown above it with what was typed kept in its form. */
  private void decide(Context ctx, Viewer viewer, long id, ProposalViews.Entered entered, ProposalState to, Runnable decision) {
    try {
      decision.run();
      // After a POST, a redirect: reloading the page then does not send the decision twice.
      ctx.redirect("/console/proposals/" + id + "?decided=" + to.wireName(), HttpStatus.SEE_OTHER);
    } catch (RequestException e) {
      ctx.status(e.kind().status()).html(page(viewer, detail(viewer, id), e.getMessage(), true, entered));
    }
  }

  private static String page(Viewer viewer, ProposalViews.Detail detail, String message, boolean error, ProposalViews.Entered entered) {
    return Templates.render("proposal", ProposalViews.detail(viewer, detail, message, error, entered));
  }

  /** What the proposal's page shows besides the proposal itself. */
  private ProposalViews.Detail detail(Viewer viewer, long id) {
    Proposal proposal = discovery.proposals().get(id);
    boolean showsMedia = mediaServed && MEDIA_VIEWERS.contains(viewer.role());
    Map<Long, String> media = showsMedia
        ? console.mediaTypes(proposal.latest().stream().map(Proposal.Upload::submissionId).filter(Objects::nonNull).toList())
        : Map.of();
    List<String> nearLabels = proposal.entryId() == null ? null : entries.find(proposal.entryId()).map(Entry::labels).orElse(null);
    String decider = proposal.decidedBy() == null ? null
        : console.actorNames(List.of(proposal.decidedBy())).getOrDefault(proposal.decidedBy(), "key " + proposal.decidedBy());
    return new ProposalViews.Detail(proposal, banks.list(), nearLabels, showsMedia, media, decider);
  }

  /**
   * The message after a decision, from the address it redirected to. Only a state's name is taken
   * from there, and it is spoken of only when the proposal is in that state, so a link someone
   * sends cannot put a decision nobody took on the page.
   */
  private static String outcome(Context ctx, ProposalViews.Detail detail) {
    String decided = ctx.queryParam("decided");
    return decided != null && decided.equals(detail.proposal().state()) && !ProposalState.OPEN.wireName().equals(decided)
        ? ProposalViews.outcome(detail) : null;
  }

  /** The chosen bank; empty is none (the nearest entry's bank). */
  private static Long bankId(String text) {
    String chosen = FormFields.blankToNull(text);
    if (chosen == null) {
      return null;
    }
    try {
      return Long.parseLong(chosen);
    } catch (NumberFormatException e) {
      throw RequestException.invalid("bank_id", "choose a bank from the list");
    }
  }
}
