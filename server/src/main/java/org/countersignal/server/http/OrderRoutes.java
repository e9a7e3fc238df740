package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;
import static org.countersignal.server.auth.Role.COORDINATOR;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Map;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.countersignal.server.order.AuthorityChanges;
import org.countersignal.server.order.ClockRestart;
import org.countersignal.server.order.ComplaintDecision;
import org.countersignal.server.order.ComplaintRequest;
import org.countersignal.server.order.HoldRequest;
import org.countersignal.server.order.NotCompliedRequest;
import org.countersignal.server.order.OrderAuthorities;
import org.countersignal.server.order.OrderIntake;
import org.countersignal.server.order.Orders;
import org.countersignal.server.order.RemovalRequest;

/**
 * {@code /api/v1/orders}: TCO Regulation removal orders. Coordinators (the people on call for a
 * crisis, who already work against the clock) and admins take orders in and act on them; auditors
 * read them. Admins keep the list of competent authorities ({@code /api/v1/order-authorities}),
 * which coordinators and auditors read.
 */
final class OrderRoutes {

  private static final int MAX_LIST = 1000;

  private final Orders orders;
  private final OrderAuthorities authorities;
  private final RequestBodies bodies;

  OrderRoutes(Orders orders, OrderAuthorities authorities, RequestBodies bodies) {
    this.orders = orders;
    this.authorities = authorities;
    this.bodies = bodies;
  }

  /** The order document's body may reach its own cap, enforced while it streams. */
  static void limitBodies(BodyLimits limits) {
    limits.route("PUT", "/api/v1/orders/{id}/document", Orders.MAX_DOCUMENT_BYTES);
  }

  void register(RoutesConfig routes) {
    routes.get("/api/v1/order-authorities", ctx -> ctx.json(Map.of("items", authorities.list())), ADMIN, COORDINATOR, AUDITOR);
    routes.post("/api/v1/order-authorities", ctx -> ctx.status(201)
        .json(authorities.create(Authenticator.principal(ctx), bodies.json(ctx, AuthorityChanges.class))), ADMIN);
    routes.get("/api/v1/order-authorities/{id}", ctx -> ctx.json(authorities.get(RequestBodies.id(ctx, "id"))), ADMIN, COORDINATOR, AUDITOR);
    routes.patch("/api/v1/order-authorities/{id}", ctx -> ctx.json(authorities.update(Authenticator.principal(ctx),
        RequestBodies.id(ctx, "id"), bodies.json(ctx, AuthorityChanges.class))), ADMIN);

    // Before /api/v1/orders/{id}, which would take "exposure" for an id.
    routes.get("/api/v1/orders/exposure", ctx -> ctx.json(orders.exposure()), ADMIN, COORDINATOR, AUDITOR);
    routes.post("/api/v1/orders", ctx -> ctx.status(201)
        .json(orders.receive(Authenticator.principal(ctx), bodies.json(ctx, OrderIntake.class))), ADMIN, COORDINATOR);
    routes.get("/api/v1/orders", ctx -> ctx.json(Map.of("items", orders.list(ctx.queryParam("state"), flag(ctx, "overdue"),
        (int) RequestBodies.longParam(ctx, "limit", 100, 1, MAX_LIST)))), ADMIN, COORDINATOR, AUDITOR);
    routes.get("/api/v1/orders/{id}", ctx -> ctx.json(orders.get(RequestBodies.id(ctx, "id"))), ADMIN, COORDINATOR, AUDITOR);
    routes.put("/api/v1/orders/{id}/document", this::attach, ADMIN, COORDINATOR);
    routes.get("/api/v1/orders/{id}/document", this::document, ADMIN, COORDINATOR, AUDITOR);
    routes.post("/api/v1/orders/{id}/removal", ctx -> ctx.json(orders.act(Authenticator.principal(ctx), RequestBodies.id(ctx, "id"),
        bodies.json(ctx, RemovalRequest.class))), ADMIN, COORDINATOR);
    routes.post("/api/v1/orders/{id}/not-complied", ctx -> ctx.json(orders.notComplied(Authenticator.principal(ctx),
        RequestBodies.id(ctx, "id"), bodies.json(ctx, NotCompliedRequest.class))), ADMIN, COORDINATOR);
    routes.post("/api/v1/orders/{id}/resume", ctx -> ctx.json(orders.restartClock(Authenticator.principal(ctx),
        RequestBodies.id(ctx, "id"), bodies.json(ctx, ClockRestart.class))), ADMIN, COORDINATOR);
    routes.post("/api/v1/orders/{id}/complaints", ctx -> ctx.status(201).json(orders.fileComplaint(Authenticator.principal(ctx),
        RequestBodies.id(ctx, "id"), bodies.json(ctx, ComplaintRequest.class))), ADMIN, COORDINATOR);
    routes.post("/api/v1/orders/{id}/complaints/{complaint_id}/decision", ctx -> ctx.json(orders.decideComplaint(
        Authenticator.principal(ctx), RequestBodies.id(ctx, "id"), RequestBodies.id(ctx, "complaint_id"),
        bodies.json(ctx, ComplaintDecision.class))), ADMIN, COORDINATOR);
    routes.post("/api/v1/orders/{id}/final", ctx -> ctx.json(orders.markFinal(Authenticator.principal(ctx), RequestBodies.id(ctx, "id"))),
        ADMIN, COORDINATOR);
    routes.post("/api/v1/orders/{id}/holds", ctx -> ctx.status(201).json(orders.extendHold(Authenticator.principal(ctx),
        RequestBodies.id(ctx, "id"), bodies.json(ctx, HoldRequest.class))), ADMIN, COORDINATOR);
  }

  private void attach(Context ctx) {
    long id = RequestBodies.id(ctx, "id");
    long limit = Orders.MAX_DOCUMENT_BYTES;
    String contentType = ctx.contentType();
    if (contentType != null && contentType.toLowerCase(Locale.ROOT).strip().startsWith("application/x-www-form-urlencoded")) {
      throw new RequestException(Kind.UNSUPPORTED_MEDIA_TYPE, "send the order document's bytes with its own content type, such as application/pdf");
    }
    if (ctx.contentLength() > limit) {
      throw new RequestException(Kind.TOO_LARGE, "an order document may have at most " + limit + " bytes");
    }
    byte[] bytes;
    try {
      bytes = ctx.req().getInputStream().readNBytes((int) limit + 1);
    } catch (java.io.IOException e) {
      if (BodyLimits.TooLarge.in(e).isPresent()) {
        throw new RequestException(Kind.TOO_LARGE, "an order document may have at most " + limit + " bytes");
      }
      throw new RequestException(Kind.MALFORMED, "the body could not be read");
    }
    ctx.json(orders.attachDocument(Authenticator.principal(ctx), id, contentType, ctx.queryParam("file_name"), bytes));
  }

  private void document(Context ctx) {
    Orders.DocumentBytes document = orders.document(RequestBodies.id(ctx, "id"));
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Content-Disposition", "attachment" + (document.fileName() == null ? "" : "; filename=\""
        + document.fileName().replaceAll("[^\\x20-\\x7e]", "_") + "\"; filename*=UTF-8''"
        + java.net.URLEncoder.encode(document.fileName(), java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")));
    ctx.header("X-Content-SHA256", document.sha256());
    ctx.contentType(document.mediaType()).result(document.bytes());
  }

  private static boolean flag(Context ctx, String name) {
    String text = ctx.queryParam(name);
    if (text == null || text.isBlank() || text.equalsIgnoreCase("false")) {
      return false;
    }
    if (text.equalsIgnoreCase("true")) {
      return true;
    }
    throw new RequestException(Kind.MALFORMED, name, "query parameter '" + name + "' is true or false");
  }
}
