package org.countersignal.server.console;

import io.javalin.http.Context;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.countersignal.server.order.Authority;
import org.countersignal.server.order.Exposure;
import org.countersignal.server.order.NotCompliedReason;
import org.countersignal.server.order.OrderState;
import org.countersignal.server.order.RemovalOrder;
import org.countersignal.server.store.Clock;

/**
 * The removal orders' pages as their templates ({@code order-*.jte}) take them: the list with the
 * orders whose hour runs on top, the exposure status and a state filter; the intake form; an
 * order's facts, clock, document, the forms for each step the API allows from its state, its
 * complaints and holds. Clocks are read on the server when the page is made (each page says
 * when); times are UTC. The content's URL is shown as text, never as a link: it points at what
 * the order says is terrorist content.
 */
final class OrderViews {

  /** The list's filter for received orders past their hour (the API's {@code overdue=true}). */
  static final String OVERDUE = "overdue";
  private static final List<String> FILTERS = List.of(OrderState.RECEIVED.wireName(), OVERDUE, OrderState.NOT_COMPLIED.wireName(),
      OrderState.ACTED.wireName(), OrderState.REINSTATED.wireName());

  private OrderViews() {}

  /** What was typed into the intake form, to show it again with a refusal (a file cannot be put back). */
  record Intake(String authority, String reference, String contentUrl, String contentId, String reasons, String receivedAt,
      boolean threatToLife, boolean noDisclosure) {
    static final Intake EMPTY = new Intake("", "", "", "", "", "", false, false);

    static Intake from(Context ctx) {
      return new Intake(ctx.formParam("authority_id"), ctx.formParam("reference"), ctx.formParam("content_url"), ctx.formParam("content_id"),
          ctx.formParam("reasons"), ctx.formParam("received_at"), "on".equals(ctx.formParam("threat_to_life")),
          "on".equals(ctx.formParam("no_disclosure")));
    }
  }

  /** The form on an order's page that was refused, and what was in it. */
  record Entered(String form, Map<String, String> values) {
    static final Entered NONE = new Entered("", Map.of());

    String value(String inForm, String field) {
      return form.equals(inForm) ? values.getOrDefault(field, "") : "";
    }
  }

  /** A link of the list's state filter. */
  record Filter(String href, String text, boolean current) {}

  /** An authority the intake form offers, named with its Member State. */
  record AuthorityChoice(String value, String text, boolean selected) {}

  /** Which forms an order's page shows: the steps the API allows from its state, to those who may take them. */
  record Forms(boolean recordRemoval, boolean notComply, boolean resume, boolean markFinal, boolean attachDocument, boolean fileComplaint,
      boolean decideComplaints, boolean holdLonger) {

    static Forms of(Viewer viewer, RemovalOrder order) {
      if (!OrderPages.ACTORS.contains(viewer.role())) {
        return new Forms(false, false, false, false, false, false, false, false);
      }
      OrderState state = OrderState.fromWire(order.state());
      return new Forms(state.mayBecome(OrderState.ACTED), state.mayBecome(OrderState.NOT_COMPLIED), state == OrderState.NOT_COMPLIED,
          order.finalAt() == null, order.document() == null, state == OrderState.ACTED, true,
          state == OrderState.ACTED || state == OrderState.REINSTATED);
    }

    /** Whether the page has a step beside the facts. */
    boolean beside() {
      return recordRemoval || notComply || resume || markFinal;
    }
  }

  record ListPage(Viewer viewer, List<RemovalOrder> orders, String emptyText, Exposure exposure, boolean mayTakeIn, List<Filter> filters,
      ConsoleTime asOf) {}

  record IntakePage(Viewer viewer, boolean anyAuthority, List<AuthorityChoice> authorities, String message, boolean chooseAgain,
      Intake entered) {}

  record DetailPage(Viewer viewer, RemovalOrder order, OrderClock clock, ConsoleTime asOf, String message, boolean error, Entered entered,
      Forms forms, List<Reason> reasons) {}

  /** A reason not to comply as the form offers it. */
  record Reason(String value, String text, boolean selected) {}

  static ListPage list(Viewer viewer, List<RemovalOrder> orders, String filter, Exposure exposure, OffsetDateTime now) {
    List<Filter> filters = new ArrayList<>();
    filters.add(new Filter("/console/orders", "open first", filter == null));
    for (String state : FILTERS) {
      filters.add(new Filter("/console/orders?state=" + state, words(state), state.equals(filter)));
    }
    String empty = filter == null ? "No removal orders yet." : "No orders " + words(filter) + ".";
    return new ListPage(viewer, orders, empty, exposure, OrderPages.ACTORS.contains(viewer.role()), filters, asOf(now));
  }

  static IntakePage intake(Viewer viewer, List<Authority> authorities, String message, Intake entered) {
    Intake e = entered != null ? entered : Intake.EMPTY;
    List<AuthorityChoice> choices = authorities.stream().map(a -> new AuthorityChoice(Long.toString(a.id()),
        a.name() + " (" + a.memberState() + ")", Long.toString(a.id()).equals(e.authority()))).toList();
    return new IntakePage(viewer, !authorities.isEmpty(), choices, message, message != null && entered != null, e);
  }

  static DetailPage detail(Viewer viewer, RemovalOrder order, OffsetDateTime now, String message, boolean error, Entered entered) {
    Entered e = entered == null ? Entered.NONE : entered;
    String chosen = e.value("not-complied", "reason");
    List<Reason> reasons = Arrays.stream(NotCompliedReason.values())
        .map(r -> new Reason(r.wireName(), reasonWords(r), r.wireName().equals(chosen))).toList();
    return new DetailPage(viewer, order, OrderClock.of(order), asOf(now), message, error, e, Forms.of(viewer, order), reasons);
  }

  /** The time the page's clocks were read at: without a script, they stand still until the page is loaded again. */
  private static ConsoleTime asOf(OffsetDateTime now) {
    return ConsoleTime.of(Clock.text(now), true);
  }

  static String reasonWords(NotCompliedReason reason) {
    String words = switch (reason) {
      case FORCE_MAJEURE -> "Force majeure";
      case TECHNICAL_IMPOSSIBILITY -> "Technical impossibility";
      case MANIFEST_ERRORS -> "Manifest errors in the order";
      case MISSING_INFORMATION -> "Not enough information to execute it";
    };
    return words + " (Art. " + reason.article() + ")";
  }

  /** A stored reason not to comply in words; one this server no longer knows, as stored. */
  static String notCompliedWords(String wire) {
    NotCompliedReason reason = NotCompliedReason.fromWire(wire);
    return reason == null ? wire : reasonWords(reason);
  }

  private static String words(String state) {
    return state.replace('_', ' ');
  }

  /** Text as paragraphs (split at blank lines), each as its lines; none for no text. */
  static List<List<String>> paragraphs(String text) {
    if (text == null) {
      return List.of();
    }
    return Arrays.stream(text.split("\\n\\s*\\n")).map(p -> List.of(p.strip().split("\n", -1))).toList();
  }
}
