package org.countersignal.server.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.countersignal.server.RequestException;
import org.countersignal.server.auth.Role;
import org.countersignal.server.order.Authority;
import org.countersignal.server.order.ClockRestart;
import org.countersignal.server.order.ComplaintDecision;
import org.countersignal.server.order.ComplaintRequest;
import org.countersignal.server.order.HoldRequest;
import org.countersignal.server.order.NotCompliedRequest;
import org.countersignal.server.order.OrderAuthorities;
import org.countersignal.server.order.OrderIntake;
import org.countersignal.server.order.OrderState;
import org.countersignal.server.order.Orders;
import org.countersignal.server.order.RemovalOrder;
import org.countersignal.server.order.RemovalRequest;
import org.countersignal.server.store.Clock;

/**
 * {@code /console/orders}: TCO removal orders, as through {@code /api/v1/orders}. Coordinators and
 * admins take orders in (the order's document uploaded with the form) and act on them; auditors
 * read. Every change goes through {@link Orders}, which checks it, audits it and tells the
 * webhooks, so an order worked here leaves the same record as one worked through the API.
 */
public final class OrderPages {

  /** Who may read orders (as {@code GET /api/v1/orders}). */
  static final Set<Role> READERS = Set.of(Role.ADMIN, Role.COORDINATOR, Role.AUDITOR);
  /** Who may take orders in and act on them (as the API's {@code POST}s and {@code PUT}). */
  static final Set<Role> ACTORS = Set.of(Role.ADMIN, Role.COORDINATOR);
  /** The forms that carry an order's document: their bodies may reach its cap, which holds while they stream. */
  public static final List<String> UPLOAD_PATHS = List.of("/console/orders", "/console/orders/{id}/document");
  /** An order document at its cap, and room for the form's other fields (the reasons, at most 4,000 characters, are the longest). */
  public static final long MAX_UPLOAD_BYTES = Orders.MAX_DOCUMENT_BYTES + 64 * 1024;
  /** Orders shown under one filter; orders whose clock runs are all shown first whatever their number. */
  private static final int LIST_LENGTH = 200;
  private static final int RUNNING_LENGTH = 1000;

  private final Console console;
  private final Orders orders;
  private final OrderAuthorities authorities;

  public OrderPages(Console console, Orders orders, OrderAuthorities authorities) {
    this.console = console;
    this.orders = orders;
    this.authorities = authorities;
  }

  void register(RoutesConfig routes, ConsoleRoutes console) {
    routes.get("/console/orders", console.page((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, READERS);
      listPage(ctx, viewer);
    }));
    // Before /console/orders/{id}, which would take "new" for an id.
    routes.get("/console/orders/new", console.page((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, ACTORS);
      ctx.html(Templates.render("order-intake", OrderViews.intake(viewer, activeAuthorities(), null, null)));
    }));
    routes.post("/console/orders", console.upload(ACTORS, this::intake));
    routes.get("/console/orders/{id}", console.page((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, READERS);
      detailPage(ctx, viewer, id(ctx), done(ctx), false, null);
    }));
    routes.get("/console/orders/{id}/document", console.resource(this::download));
    routes.post("/console/orders/{id}/document", console.upload(ACTORS, this::attach));
    routes.post("/console/orders/{id}/removal", console.action((ctx, viewer) -> change(ctx, viewer, "removal",
        id -> orders.act(viewer.principal(), id, new RemovalRequest(ctx.formParam("action"), submissionId(ctx), ctx.formParam("note"))))));
    routes.post("/console/orders/{id}/not-complied", console.action((ctx, viewer) -> change(ctx, viewer, "not-complied",
        id -> orders.notComplied(viewer.principal(), id, new NotCompliedRequest(ctx.formParam("reason"), ctx.formParam("reply"))))));
    routes.post("/console/orders/{id}/resume", console.action((ctx, viewer) -> change(ctx, viewer, "resume",
        id -> orders.restartClock(viewer.principal(), id, new ClockRestart(FormFields.utcTime(ctx.formParam("from")),
            ctx.formParam("note"))))));
    routes.post("/console/orders/{id}/complaints", console.action((ctx, viewer) -> change(ctx, viewer, "complaint",
        id -> orders.fileComplaint(viewer.principal(), id, new ComplaintRequest(ctx.formParam("complainant"), ctx.formParam("text"))))));
    routes.post("/console/orders/{id}/complaints/{complaint}/decision", console.action((ctx, viewer) -> change(ctx, viewer,
        "decision-" + ctx.pathParam("complaint"), id -> orders.decideComplaint(viewer.principal(), id,
            ConsoleRoutes.pathId(ctx, "complaint", "complaint"), new ComplaintDecision(ctx.formParam("outcome"), ctx.formParam("reason"))))));
    routes.post("/console/orders/{id}/final", console.action((ctx, viewer) -> change(ctx, viewer, "final",
        id -> orders.markFinal(viewer.principal(), id))));
    routes.post("/console/orders/{id}/holds", console.action((ctx, viewer) -> change(ctx, viewer, "hold",
        id -> orders.extendHold(viewer.principal(), id, new HoldRequest(FormFields.utcTime(ctx.formParam("until")),
            ctx.formParam("reason"))))));
  }

  /** One change to an order, then back to its page; a refusal is shown there with what was entered. */
  private void change(Context ctx, Viewer viewer, String form, java.util.function.LongConsumer change) {
    ConsoleRoutes.requireRole(viewer, ACTORS);
    long id = id(ctx);
    try {
      change.accept(id);
      // After a POST, a redirect: reloading the page then does not make the change twice.
      ctx.redirect("/console/orders/" + id + "?done=" + URLEncoder.encode(form, StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
    } catch (RequestException e) {
      ctx.status(e.kind().status());
      detailPage(ctx, viewer, id, e.getMessage(), true, new OrderViews.Entered(form, entered(ctx)));
    }
  }

  /**
   * Takes an order in, then attaches the document chosen with it. A document that cannot be kept
   * (too large, empty) is refused before the order is taken in; one the service refuses after
   * (its name, say) leaves the order taken in, and its page says so with a form to attach it.
   */
  private void intake(Context ctx, Viewer viewer) throws IOException {
    OrderViews.Intake entered = OrderViews.Intake.from(ctx);
    UploadedFile file = chosenFile(ctx);
    RemovalOrder order;
    byte[] bytes;
    try {
      bytes = file == null ? null : bytes(file);
      order = orders.receive(viewer.principal(), new OrderIntake(number(entered.authority()), entered.reference(),
          FormFields.blankToNull(entered.contentUrl()), FormFields.blankToNull(entered.contentId()), entered.reasons(), FormFields.utcTime(entered.receivedAt()),
          entered.threatToLife(), !entered.noDisclosure()));
    } catch (RequestException e) {
      ctx.status(e.kind().status()).html(Templates.render("order-intake", OrderViews.intake(viewer, activeAuthorities(), e.getMessage(), entered)));
      return;
    }
    if (file != null) {
      try {
        orders.attachDocument(viewer.principal(), order.id(), file.contentType(), file.filename(), bytes);
      } catch (RequestException e) {
        ctx.status(e.kind().status());
        detailPage(ctx, viewer, order.id(), "Order " + order.id() + " was taken in, but its document was refused: " + e.getMessage()
            + ". Attach it below.", true, null);
        return;
      }
    }
    ctx.redirect("/console/orders/" + order.id() + "?done=received", HttpStatus.SEE_OTHER);
  }

  /** Attaches the document of an order taken in without one. */
  private void attach(Context ctx, Viewer viewer) throws IOException {
    long id = id(ctx);
    try {
      UploadedFile file = chosenFile(ctx);
      if (file == null) {
        throw RequestException.invalid("document", "choose the order's document (the PDF or scan the authority sent)");
      }
      orders.attachDocument(viewer.principal(), id, file.contentType(), file.filename(), bytes(file));
      ctx.redirect("/console/orders/" + id + "?done=document", HttpStatus.SEE_OTHER);
    } catch (RequestException e) {
      ctx.status(e.kind().status());
      detailPage(ctx, viewer, id, e.getMessage(), true, null);
    }
  }

  /** The document as the API serves it: an attachment, typed as stored, never sniffed. */
  private void download(Context ctx, Viewer viewer) {
    ConsoleRoutes.requireRole(viewer, READERS);
    long id = id(ctx);
    Orders.DocumentBytes document = orders.document(id);
    String name = document.fileName() == null ? "order-" + id : document.fileName();
    ctx.header("Content-Disposition", "attachment; filename=\"" + name.replaceAll("[^\\x20-\\x7e]", "_") + "\"; filename*=UTF-8''"
        + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
    ctx.header("X-Content-SHA256", document.sha256());
    ctx.contentType(document.mediaType()).result(document.bytes());
  }

  /** The file chosen in the form's document field; null when none was (a browser sends an empty, nameless part then). */
  private static UploadedFile chosenFile(Context ctx) {
    UploadedFile file = ctx.uploadedFile("document");
    if (file == null || file.size() == 0 && (file.filename() == null || file.filename().isBlank())) {
      return null;
    }
    return file;
  }

  private static byte[] bytes(UploadedFile file) throws IOException {
    if (file.size() > Orders.MAX_DOCUMENT_BYTES) {
      throw new RequestException(RequestException.Kind.TOO_LARGE, "an order document may have at most " + Orders.MAX_DOCUMENT_BYTES
          + " bytes (20 MiB)");
    }
    if (file.size() == 0) {
      throw RequestException.invalid("document", "the file chosen is empty");
    }
    try (InputStream in = file.content()) {
      return in.readNBytes((int) Orders.MAX_DOCUMENT_BYTES + 1);
    }
  }

  private void listPage(Context ctx, Viewer viewer) {
    String filter = FormFields.blankToNull(ctx.queryParam("state"));
    List<RemovalOrder> shown;
    if (filter == null) {
      // Orders whose hour runs come first, the most urgent on top; then the rest, newest first.
      shown = new ArrayList<>(orders.list(OrderState.RECEIVED.wireName(), false, RUNNING_LENGTH));
      shown.sort(java.util.Comparator.comparing((RemovalOrder o) -> java.time.Instant.parse(o.dueAt())).thenComparing(RemovalOrder::id));
      orders.list(null, false, LIST_LENGTH).stream().filter(o -> !OrderState.RECEIVED.wireName().equals(o.state())).forEach(shown::add);
    } else if (filter.equals(OrderViews.OVERDUE)) {
      shown = orders.list(null, true, RUNNING_LENGTH);
    } else {
      shown = orders.list(filter, false, LIST_LENGTH);
    }
    ctx.html(Templates.render("order-list", OrderViews.list(viewer, shown, filter, orders.exposure(), now())));
  }

  private void detailPage(Context ctx, Viewer viewer, long id, String message, boolean error, OrderViews.Entered entered) {
    ctx.html(Templates.render("order-detail", OrderViews.detail(viewer, orders.get(id), now(), message, error, entered)));
  }

  /** Now on the service's clock, which the orders' clocks are read against: the time a page says it was made. */
  private OffsetDateTime now() {
    return Clock.now(console.jdbi());
  }

  private List<Authority> activeAuthorities() {
    return authorities.list().stream().filter(Authority::active).toList();
  }

  /** The message for what the last change did, named in the address it redirected to. */
  private static String done(Context ctx) {
    String done = Objects.requireNonNullElse(ctx.queryParam("done"), "");
    if (done.startsWith("decision-")) {
      return "Complaint decided.";
    }
    return switch (done) {
      case "received" -> "Order taken in; its hour runs from its receipt.";
      case "document" -> "Document attached.";
      case "removal" -> "Removal recorded.";
      case "not-complied" -> "Recorded as not complied with; the clock has stopped. Send the reply to the authority.";
      case "resume" -> "The hour runs again.";
      case "complaint" -> "Complaint recorded.";
      case "final" -> "Marked final.";
      case "hold" -> "Hold extended.";
      default -> null;
    };
  }

  /** What a refused form had in it, to show it again (never the CSRF token, which the page has anyway). */
  private static Map<String, String> entered(Context ctx) {
    Map<String, String> values = new LinkedHashMap<>();
    ctx.formParamMap().forEach((name, list) -> {
      if (!name.equals("csrf") && !list.isEmpty()) {
        values.put(name, list.get(0));
      }
    });
    return values;
  }

  /** The submission a removal names, if any; anything but a number is refused as the API refuses it. */
  private static Long submissionId(Context ctx) {
    String text = FormFields.blankToNull(ctx.formParam("submission_id"));
    if (text == null) {
      return null;
    }
    Long id = number(text);
    if (id == null) {
      throw RequestException.invalid("submission_id", "the number of the platform's submission of the content");
    }
    return id;
  }

  private static Long number(String text) {
    try {
      return text == null ? null : Long.valueOf(text.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static long id(Context ctx) {
    return ConsoleRoutes.pathId(ctx, "id", "order");
  }
}
