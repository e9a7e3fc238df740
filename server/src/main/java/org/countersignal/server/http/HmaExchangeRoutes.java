package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;
import static org.countersignal.server.auth.Role.CURATOR;
import static org.countersignal.server.http.HmaRoutes.hma;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.countersignal.server.exchange.ExchangeChanges;
import org.countersignal.server.exchange.ExchangeView;
import org.countersignal.server.exchange.Exchanges;
import org.countersignal.server.hma.HmaNames;

/**
 * HMA's exchange routes over this service's exchanges, which, as HMA's do, each fetch into a bank
 * of their own: an exchange is named by its name, and HMA's {@code fb_threatexchange} is this
 * service's {@code threatexchange}. Credentials are the exchange's own here, set through
 * {@code PATCH /api/v1/exchanges/{id}}: HMA's per-API credential routes are not served.
 */
final class HmaExchangeRoutes {

  private final String prefix;
  private final Exchanges exchanges;
  private final ObjectMapper mapper;

  HmaExchangeRoutes(String prefix, Exchanges exchanges, ObjectMapper mapper) {
    this.prefix = prefix;
    this.exchanges = exchanges;
    this.mapper = mapper;
  }

  void register(RoutesConfig routes) {
    routes.get(prefix + "/c/exchanges", hma(ctx -> ctx.json(exchanges.list().stream().map(ExchangeView::name).toList())),
        ADMIN, CURATOR, AUDITOR);
    routes.get(prefix + "/c/exchanges/apis", hma(ctx -> ctx.json(exchanges.kinds().stream().map(k -> hmaApi(k.name())).toList())),
        ADMIN, CURATOR, AUDITOR);
    routes.post(prefix + "/c/exchanges", hma(this::createExchange), ADMIN);
    routes.get(prefix + "/c/exchange/{name}", hma(ctx -> ctx.json(exchangeJson(exchange(ctx)))), ADMIN, CURATOR, AUDITOR);
    routes.get(prefix + "/c/exchange/{name}/status", hma(ctx -> ctx.json(fetchStatus(exchange(ctx)))), ADMIN, CURATOR, AUDITOR);
    routes.put(prefix + "/c/exchange/{name}", hma(this::updateExchange), ADMIN);
    routes.delete(prefix + "/c/exchange/{name}", hma(ctx -> {
      exchanges.delete(Authenticator.principal(ctx), exchange(ctx).id());
      ctx.json(Map.of("message", "Exchange deleted"));
    }), ADMIN);
  }


  /** HMA calls ThreatExchange's API {@code fb_threatexchange}; the other kinds keep their names. */
  private static final String HMA_THREATEXCHANGE = "fb_threatexchange";

  private static String hmaApi(String kind) {
    return kind.equals("threatexchange") ? HMA_THREATEXCHANGE : kind;
  }

  private static String ourKind(String api) {
    return HMA_THREATEXCHANGE.equals(api) ? "threatexchange" : api;
  }

  /** HMA's {@code {bank, api, api_json}}: the exchange and its bank both take the bank's name. */
  private void createExchange(Context ctx) {
    JsonNode body = mapper.valueToTree(HmaRoutes.bodyObject(ctx, mapper));
    String bank = body.path("bank").asText(null);
    if (bank == null) {
      throw new RequestException(Kind.MALFORMED, "bank", "bank is required");
    }
    if (!HmaNames.BANK_NAME.matcher(bank).matches()) {
      throw new RequestException(Kind.MALFORMED, "bank", "Field `bank` must match /^[A-Z0-9_]+$/");
    }
    String api = body.path("api").asText(null);
    if (api == null) {
      throw new RequestException(Kind.MALFORMED, "api", "Field `api_type` is required");
    }
    String kind = ourKind(api);
    if (exchanges.kinds().stream().noneMatch(k -> k.name().equals(kind))) {
      throw new RequestException(Kind.MALFORMED, "api", "No such exchange type '" + api + "'");
    }
    JsonNode given = body.path("api_json");
    if (!given.isMissingNode() && !given.isObject()) {
      throw new RequestException(Kind.MALFORMED, "api_json", "Field `api_json` must be object");
    }
    com.fasterxml.jackson.databind.node.ObjectNode config = given.isObject() ? given.deepCopy() : mapper.createObjectNode();
    // HMA keeps these in api_json; here they are the exchange's own fields.
    config.remove(List.of("name", "api", "enabled"));
    boolean enabled = !given.path("enabled").isBoolean() || given.path("enabled").asBoolean();
    exchanges.create(Authenticator.principal(ctx), new ExchangeChanges(bank, kind, config, null, bank, null, null, null, enabled, null, null));
    ctx.status(201).json(Map.of("message", "Created successfully"));
  }

  private void updateExchange(Context ctx) {
    ExchangeView exchange = exchange(ctx);
    JsonNode body = mapper.valueToTree(HmaRoutes.bodyObject(ctx, mapper));
    Boolean enabled = body.path("enabled").isBoolean() ? body.path("enabled").asBoolean() : null;
    ExchangeView after = exchanges.update(Authenticator.principal(ctx), exchange.id(),
        new ExchangeChanges(null, null, null, null, null, null, null, null, enabled, null, null));
    ctx.json(exchangeJson(after));
  }

  private ExchangeView exchange(Context ctx) {
    String name = ctx.pathParam("name");
    return exchanges.list().stream().filter(e -> e.name().equals(name)).findFirst()
        .orElseThrow(() -> new RequestException(Kind.NOT_FOUND, "Exchange '" + name + "' not found"));
  }

  /** HMA's exchange configuration: its name, API and switch, then the API's own fields. */
  private Map<String, Object> exchangeJson(ExchangeView exchange) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", exchange.name());
    out.put("api", hmaApi(exchange.kind()));
    out.put("enabled", exchange.enabled());
    if (exchange.config() != null) {
      exchange.config().properties().forEach(field -> out.putIfAbsent(field.getKey(), field.getValue()));
    }
    return out;
  }

  /** HMA's fetch status, its times as Unix seconds (0 when there is none yet). */
  private static Map<String, Object> fetchStatus(ExchangeView exchange) {
    ExchangeView.Status status = exchange.status();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("checkpoint_ts", seconds(status == null ? null : status.checkpointTs()));
    out.put("running_fetch_start_ts", status == null || status.runningFetchStartTs() == null ? null : seconds(status.runningFetchStartTs()));
    out.put("last_fetch_complete_ts", seconds(status == null ? null : status.lastFetchCompleteTs()));
    out.put("last_fetch_succeeded", status == null ? null : status.lastFetchSucceeded());
    out.put("up_to_date", status != null && status.upToDate());
    out.put("fetched_items", status == null ? 0 : status.fetchedItems());
    return out;
  }

  private static long seconds(String instant) {
    return instant == null ? 0 : Instant.parse(instant).getEpochSecond();
  }
}
