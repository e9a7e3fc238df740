package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;
import static org.countersignal.server.auth.Role.CURATOR;
import static org.countersignal.server.auth.Role.MATCHER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.bank.Bank;
import org.countersignal.server.bank.BankChanges;
import org.countersignal.server.bank.BankService;
import org.countersignal.server.bank.Entry;
import org.countersignal.server.bank.EntryService;
import org.countersignal.server.bank.NewEntry;
import org.countersignal.server.exchange.Exchanges;
import org.countersignal.server.exchange.FieldSignals;
import org.countersignal.server.hma.HmaNames;
import org.countersignal.server.hma.HmaStore;
import org.countersignal.server.match.MatchHit;
import org.countersignal.server.match.Matcher;
import org.countersignal.server.match.QueryParser;
import org.countersignal.server.match.VideoHit;
import org.countersignal.server.signal.ServerSignalType;
import org.countersignal.server.signal.VpdqType;
import org.countersignal.signals.pdq.PdqHash;

/**
 * Meta's Hasher-Matcher-Actioner (HMA 1.x) API, served over this service's banks, entries and
 * indexes, so a platform's HMA client keeps working when pointed here. The routes, parameters and
 * JSON shapes are HMA's, with the quirks its clients depend on: distances as strings, banks by
 * HMA-style name ({@link HmaNames}), a bank's {@code matching_enabled_ratio} applied as a coin
 * flip per lookup, entry ids as HMA's {@code bank_content_id}. Unlike HMA, every route but the
 * two status checks needs a key (or an operator's keyless network, {@code hma.KeylessAccess}),
 * and a refusal is a problem detail that also carries HMA's {@code message}. docs/FROM-HMA.md
 * lists each route beside HMA's.
 */
final class HmaRoutes {

  /** HMA's content types, the names of an upload's field; a video is hashed by a job the request waits for. */
  private static final List<String> CONTENT_TYPES = List.of("photo", "video", "text");
  private static final long FIVE_YEARS_SECONDS = 5L * 365 * 24 * 3600;
  private static final int MAX_NOTE = 255;

  private final String prefix;
  private final BankService banks;
  private final EntryService entries;
  private final Matcher matcher;
  private final QueryParser queries;
  private final ContentRoutes content;
  private final HmaStore store;
  private final Exchanges exchanges;
  private final Authenticator authenticator;
  private final BooleanSupplier indexesLoaded;
  private final ObjectMapper mapper;

  HmaRoutes(String prefix, BankService banks, EntryService entries, Matcher matcher, QueryParser queries, ContentRoutes content,
      HmaStore store, Exchanges exchanges, Authenticator authenticator, BooleanSupplier indexesLoaded, ObjectMapper mapper) {
    this.prefix = prefix;
    this.banks = banks;
    this.entries = entries;
    this.matcher = matcher;
    this.queries = queries;
    this.content = content;
    this.store = store;
    this.exchanges = exchanges;
    this.authenticator = authenticator;
    this.indexesLoaded = indexesLoaded;
    this.mapper = mapper;
  }

  void register(RoutesConfig routes) {
    routes.get(prefix + "/status", ctx -> {
      boolean ready = indexesLoaded.getAsBoolean();
      ctx.status(ready ? 200 : 503).contentType("text/plain").result(ready ? "I-AM-ALIVE" : "INDEX-NOT-LOADED");
    });
    routes.get(prefix + "/status/live", ctx -> ctx.contentType("text/plain").result("I-AM-ALIVE"));

    routes.get(prefix + "/h/hash", hma(ctx -> ctx.json(hashUrl(ctx, required(ctx, "url")))), ADMIN, MATCHER);
    routes.post(prefix + "/h/hash", hma(ctx -> ctx.json(hashUpload(ctx))), ADMIN, MATCHER);

    routes.get(prefix + "/m/raw_lookup", hma(this::rawLookup), ADMIN, MATCHER);
    routes.get(prefix + "/m/lookup", hma(this::lookupGet), ADMIN, MATCHER);
    routes.post(prefix + "/m/lookup", hma(this::lookupPost), ADMIN, MATCHER);
    routes.post(prefix + "/m/compare", hma(this::compare), ADMIN, MATCHER);
    routes.get(prefix + "/m/index/status", hma(this::indexStatus), ADMIN, MATCHER, CURATOR, AUDITOR);

    routes.get(prefix + "/c/banks", hma(this::listBanks),
        ADMIN, CURATOR, AUDITOR, MATCHER);
    routes.post(prefix + "/c/banks", hma(this::createBank), ADMIN, CURATOR);
    routes.get(prefix + "/c/bank/{name}", hma(ctx -> ctx.json(bankJson(bank(ctx)))), ADMIN, CURATOR, AUDITOR, MATCHER);
    routes.put(prefix + "/c/bank/{name}", hma(this::updateBank), ADMIN, CURATOR);
    routes.delete(prefix + "/c/bank/{name}", hma(this::deleteBank), ADMIN, CURATOR);
    routes.post(prefix + "/c/bank/{name}/content", hma(this::addContent), ADMIN, CURATOR);
    routes.get(prefix + "/c/bank/{name}/content/{id}", hma(this::getContent), ADMIN, CURATOR, AUDITOR);
    routes.put(prefix + "/c/bank/{name}/content/{id}", hma(this::updateContent), ADMIN, CURATOR);
    routes.delete(prefix + "/c/bank/{name}/content/{id}", hma(this::deleteContent), ADMIN, CURATOR);
    routes.post(prefix + "/c/bank/{name}/signal", hma(this::addSignals), ADMIN, CURATOR);
    routes.get(prefix + "/c/signal_type", hma(this::signalTypes), ADMIN, CURATOR, AUDITOR, MATCHER);
    routes.get(prefix + "/c/content_type", hma(ctx -> ctx.json(CONTENT_TYPES.stream()
        .map(name -> Map.of("name", name, "enabled", true)).toList())), ADMIN, CURATOR, AUDITOR, MATCHER);
    if (exchanges != null) {
      new HmaExchangeRoutes(prefix, exchanges, mapper).register(routes);
    }
  }

  /** Lets the bodies of the routes that take content, and only those, reach an image's size as multipart forms. */
  void limitBodies(BodyLimits limits) {
    long cap = content.maxWholeBytes() + 64 * 1024; // the form's own parts: field names, metadata, a note
    for (String path : List.of("/h/hash", "/m/lookup", "/c/bank/{name}/content")) {
      limits.formRoute("POST", prefix + path, cap);
    }
  }

  /** Where HMA's routes are: their refusals carry HMA's {@code message} beside the problem detail. */
  boolean owns(String path) {
    return path.startsWith(prefix + "/h/") || path.startsWith(prefix + "/m/") || path.startsWith(prefix + "/c/");
  }

  /**
   * HMA answers a value it cannot take with 400, where this service's own routes answer 422: its
   * clients branch on 400, so a refused value keeps HMA's status here.
   */
  static Handler hma(Handler handler) {
    return ctx -> {
      try {
        handler.handle(ctx);
      } catch (RequestException e) {
        if (e.kind() == Kind.INVALID) {
          throw new RequestException(Kind.MALFORMED, e.field(), e.getMessage());
        }
        throw e;
      }
    };
  }

  // Hashing

  private Map<String, String> hashUrl(Context ctx, String url) throws IOException {
    return hmaSignals(fetched(ctx, url), ctx.queryParam("types"));
  }

  private ContentRoutes.Whole fetched(Context ctx, String url) throws IOException {
    authenticator.chargeContent(ctx);
    return content.hashWhole(Authenticator.principal(ctx), url);
  }

  /** HMA's multipart upload: one file, in a field named by its content type. */
  private Map<String, String> hashUpload(Context ctx) throws IOException {
    return hmaSignals(uploaded(ctx), ctx.queryParam("types"));
  }

  /** The one uploaded file, hashed as the kind its field names: a photo, a video or a text. */
  private ContentRoutes.Whole uploaded(Context ctx) throws IOException {
    String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
    if (!type.startsWith("multipart/form-data")) {
      throw new RequestException(Kind.MALFORMED, "Missing multipart/form-data file upload");
    }
    Map<String, List<UploadedFile>> files = ctx.uploadedFileMap();
    if (files.isEmpty()) {
      throw new RequestException(Kind.MALFORMED, "Missing multipart/form-data file upload");
    }
    if (files.size() > 1 || files.values().iterator().next().size() > 1) {
      throw new RequestException(Kind.MALFORMED, "Only one file allowed per request");
    }
    String field = files.keySet().iterator().next();
    if (!CONTENT_TYPES.contains(field)) {
      throw new RequestException(Kind.MALFORMED, "no such content_type: '" + field + "'");
    }
    authenticator.chargeContent(ctx);
    ContentRoutes.Whole whole;
    try (InputStream in = files.get(field).get(0).content()) {
      whole = content.hashWhole(Authenticator.principal(ctx), in, field);
    }
    String kind = switch (whole.type()) {
      case PHOTO -> "photo";
      case VIDEO -> "video";
      default -> "text";
    };
    if (!kind.equals(field)) {
      throw new RequestException(Kind.MALFORMED, "the " + field + " field holds " + kind + " content");
    }
    return whole;
  }

  /** The signals of hashed content under HMA's names and forms, only the {@code types} asked for when given. */
  private Map<String, String> hmaSignals(ContentRoutes.Whole whole, String types) {
    Map<String, String> ours = new LinkedHashMap<>(whole.signals());
    if (whole.video() != null) {
      // HMA's vPDQ signal is the field's JSON list of frames.
      ours.put(VpdqType.NAME, FieldSignals.toField(VpdqType.NAME, ours.get(VpdqType.NAME), false).signal());
    }
    Map<String, String> signals = HmaNames.hmaSignals(ours);
    if (types == null) {
      return signals;
    }
    Map<String, String> chosen = new LinkedHashMap<>();
    for (String type : types.split(",")) {
      String name = type.strip();
      if (name.isEmpty()) {
        continue;
      }
      String value = signals.get(name);
      if (value == null) {
        throw new RequestException(Kind.MALFORMED, "signal type '" + name + "' doesn't exist or is disabled");
      }
      chosen.put(name, value);
    }
    if (chosen.isEmpty()) {
      throw new RequestException(Kind.MALFORMED, "empty signal type selection");
    }
    return chosen;
  }

  // Matching

  private void rawLookup(Context ctx) {
    String type = required(ctx, "signal_type");
    List<MatchHit> hits = hits(type, required(ctx, "signal"));
    Set<String> wanted = bankNames(ctx.queryParam("banks"));
    Map<Long, String> names = wanted == null || hits.isEmpty() ? Map.of() : hmaNamesById();
    boolean withDistance = "true".equalsIgnoreCase(ctx.queryParam("include_distance"));
    List<Object> matches = new ArrayList<>();
    Set<Long> seen = new LinkedHashSet<>();
    for (MatchHit hit : hits) {
      if ((wanted == null || wanted.contains(names.get(hit.bankId()))) && seen.add(hit.entryId())) {
        matches.add(withDistance ? Map.of("bank_content_id", hit.entryId(), "distance", String.valueOf(hit.distance())) : hit.entryId());
      }
    }
    ctx.json(Map.of("matches", matches));
  }

  /** A hash given as {@code signal} and {@code signal_type}, or content at {@code url}. */
  private void lookupGet(Context ctx) throws IOException {
    Set<String> wanted = bankNames(ctx.queryParam("banks"));
    String url = ctx.queryParam("url");
    String type = ctx.queryParam("signal_type");
    if (url != null && !url.isBlank()) {
      Map<String, Object> bySignalType = lookupAll(ctx, fetched(ctx, url), wanted);
      // With a signal type named, HMA answers that type's banks alone.
      ctx.json(type != null ? bySignalType.getOrDefault(type, Map.of()) : bySignalType);
      return;
    }
    String signal = ctx.queryParam("signal");
    if (signal == null || type == null) {
      throw new RequestException(Kind.MALFORMED, "Either url or both signal and signal_type are required");
    }
    ctx.json(byBank(ctx, hits(type, signal), wanted));
  }

  private void lookupPost(Context ctx) throws IOException {
    ctx.json(lookupAll(ctx, uploaded(ctx), bankNames(ctx.queryParam("banks"))));
  }

  /** Each signal of hashed content looked up, under HMA's type names; a video's frames against the banked videos. */
  private Map<String, Object> lookupAll(Context ctx, ContentRoutes.Whole whole, Set<String> wanted) {
    Map<String, Object> bySignalType = new LinkedHashMap<>();
    HmaNames.hmaSignals(whole.signals()).forEach((hmaType, value) -> {
      if (hmaType.equals(VpdqType.NAME)) {
        bySignalType.put(hmaType, videoByBank(ctx, matcher.matchVideo(whole.video(), null, matcher.limits().perResponse()).hits(), wanted));
      } else {
        bySignalType.put(hmaType, byBank(ctx, hits(hmaType, value), wanted));
      }
    });
    return bySignalType;
  }

  /** HMA's answer for a video: its distance is the share of the query's frames matched and, in brackets, of the banked video's. */
  private Map<String, List<Map<String, Object>>> videoByBank(Context ctx, List<VideoHit> hits, Set<String> wanted) {
    List<MatchHit> asHits = new ArrayList<>();
    Map<Long, String> distances = new LinkedHashMap<>();
    for (VideoHit hit : hits) {
      asHits.add(new MatchHit(hit.bankId(), hit.bankName(), hit.entryId(), hit.signalType(), null, 0, 0, null, null, null));
      distances.put(hit.entryId(), String.format(Locale.ROOT, "%.0f%%[%.0f%%]", hit.queryMatchedPercent(), hit.bankMatchedPercent()));
    }
    Map<String, List<Map<String, Object>>> byBank = byBank(ctx, asHits, wanted);
    byBank.values().forEach(list -> list.forEach(match -> match.put("distance", distances.get((Long) match.get("bank_content_id")))));
    return byBank;
  }

  /** The hits of one HMA signal, nearest first, capped as every match here is. */
  private List<MatchHit> hits(String hmaType, String signal) {
    String type = HmaNames.ourType(hmaType);
    if (matcher.catalog().find(type).filter(ServerSignalType::matchedByValue).isEmpty()) {
      throw new RequestException(Kind.MALFORMED, "No such SignalType '" + hmaType + "'");
    }
    QueryParser.Parsed parsed = queries.parse(Map.of(type, TextNode.valueOf(signal)));
    return matcher.match(parsed.queries(), null).hits();
  }

  /**
   * HMA's answer for one signal: each bank's hits by bank name. A bank whose ratio is below 1
   * matches on that share of lookups, the same ones for the same {@code seed} (HMA's coin flip);
   * {@code bypass_coinflip=true} matches every enabled bank.
   */
  private Map<String, List<Map<String, Object>>> byBank(Context ctx, List<MatchHit> hits, Set<String> wanted) {
    if (hits.isEmpty()) {
      return new LinkedHashMap<>(); // most lookups: nothing to name, so the banks are not read
    }
    Map<Long, String> names = hmaNamesById();
    Map<Long, Double> ratios = store.ratios();
    String seed = ctx.queryParam("seed");
    double coin = "true".equals(ctx.queryParam("bypass_coinflip")) ? 0
        : (seed == null ? new Random() : new Random(seed.hashCode())).nextDouble();
    Map<String, List<Map<String, Object>>> byBank = new LinkedHashMap<>();
    Set<Long> seen = new LinkedHashSet<>();
    for (MatchHit hit : hits) {
      String bank = names.get(hit.bankId());
      if (bank == null || (wanted != null && !wanted.contains(bank)) || ratios.getOrDefault(hit.bankId(), 1.0) < coin
          || !seen.add(hit.entryId())) {
        continue;
      }
      Map<String, Object> match = new LinkedHashMap<>();
      match.put("bank_content_id", hit.entryId());
      match.put("distance", String.valueOf(hit.distance()));
      byBank.computeIfAbsent(bank, b -> new ArrayList<>()).add(match);
    }
    return byBank;
  }

  /** HMA's comparison of two hashes of a type: whether they match at the type's default threshold, and how far apart. */
  private void compare(Context ctx) {
    JsonNode body = mapper.valueToTree(bodyObject(ctx, mapper));
    Map<String, Object> results = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> pair : body.properties()) {
      String hmaType = pair.getKey();
      JsonNode hashes = pair.getValue();
      if (!hashes.isArray()) {
        throw new RequestException(Kind.MALFORMED, "Comparison hashes for " + hmaType + " was not a list");
      }
      if (hashes.size() != 2 || !hashes.get(0).isTextual() || !hashes.get(1).isTextual()) {
        throw new RequestException(Kind.MALFORMED, "Comparison hash list length must be exactly 2");
      }
      String type = HmaNames.ourType(hmaType);
      ServerSignalType signalType = matcher.catalog().find(type).filter(ServerSignalType::matchedByValue)
          .orElseThrow(() -> new RequestException(Kind.MALFORMED, "No such SignalType '" + hmaType + "'"));
      String left = signalType.canonical(hashes.get(0).asText(), hmaType + "[0]");
      String right = signalType.canonical(hashes.get(1).asText(), hmaType + "[1]");
      if ("pdq".equals(type)) {
        int distance = PdqHash.fromHex(left).distance(PdqHash.fromHex(right));
        results.put(hmaType, List.of(distance <= signalType.defaultThreshold(), Map.of("distance", distance)));
      } else if (Set.of("md5", "sha256").contains(type)) {
        results.put(hmaType, List.of(left.equals(right), Map.of()));
      } else {
        throw new RequestException(Kind.MALFORMED, hmaType + " does not support hash comparison");
      }
    }
    ctx.json(results);
  }

  /**
   * HMA's index status: the indexes here follow each change within about a second, so an index is
   * present once loaded, built to the time of the answer, and its size is what it holds now.
   */
  private void indexStatus(Context ctx) {
    String only = ctx.queryParam("signal_type");
    Map<String, Object> status = new LinkedHashMap<>();
    boolean loaded = indexesLoaded.getAsBoolean();
    for (String type : hmaSignalTypes()) {
      if (only != null && !only.equals(type)) {
        continue;
      }
      status.put(type, Map.of("present", loaded, "built_to", loaded ? Instant.now().getEpochSecond() : -1,
          "size", loaded ? matcher.indexed(HmaNames.ourType(type)) : 0));
    }
    if (only != null && status.isEmpty()) {
      throw new RequestException(Kind.MALFORMED, "No such signal type '" + only + "'");
    }
    ctx.json(status);
  }

  // Curation

  private void createBank(Context ctx) {
    JsonNode body = mapper.valueToTree(bodyObject(ctx, mapper));
    String name = body.path("name").asText(null);
    if (name == null || !HmaNames.BANK_NAME.matcher(name).matches()) {
      throw new RequestException(Kind.MALFORMED, "name", "Bank names must be UPPER_WITH_UNDERSCORE");
    }
    double ratio = ratio(body);
    Bank bank;
    try {
      bank = banks.create(Authenticator.principal(ctx), new BankChanges(name, null, null, null, null, ratio > 0));
    } catch (RequestException e) {
      // HMA answers a taken name with 403.
      throw e.kind() == Kind.CONFLICT ? new RequestException(Kind.FORBIDDEN, "Bank already exists") : e;
    }
    store.setRatio(bank.id(), ratio);
    ctx.status(201).json(bankJson(bank));
  }

  /** HMA's {@code enabled_ratio}, or its {@code enabled} as 1 or 0; 1 when neither is given. */
  private static double ratio(JsonNode body) {
    JsonNode ratio = body.path("enabled_ratio");
    if (ratio.isNumber()) {
      double value = ratio.asDouble();
      if (value < 0 || value > 1) {
        throw new RequestException(Kind.MALFORMED, "enabled_ratio", "enabled_ratio must be from 0.0 to 1.0");
      }
      return value;
    }
    JsonNode enabled = body.path("enabled");
    return enabled.isBoolean() && !enabled.asBoolean() ? 0 : 1;
  }

  private void updateBank(Context ctx) {
    Bank bank = bank(ctx);
    JsonNode body = mapper.valueToTree(bodyObject(ctx, mapper));
    String name = body.path("name").isTextual() ? body.path("name").asText() : null;
    if (name != null && !HmaNames.BANK_NAME.matcher(name).matches()) {
      throw new RequestException(Kind.MALFORMED, "name", "Bank names must be UPPER_WITH_UNDERSCORE");
    }
    Double ratio = body.has("enabled_ratio") || body.has("enabled") ? ratio(body) : null;
    Bank after;
    try {
      after = banks.update(Authenticator.principal(ctx), bank.id(),
          new BankChanges(name, null, null, null, null, ratio == null ? null : ratio > 0));
    } catch (RequestException e) {
      throw e.kind() == Kind.CONFLICT ? new RequestException(Kind.FORBIDDEN, "Bank name already exists") : e;
    }
    if (ratio != null) {
      store.setRatio(bank.id(), ratio);
    }
    ctx.json(bankJson(after));
  }

  /** HMA answers a bank that is not there as if it had deleted it. */
  private void deleteBank(Context ctx) {
    Bank bank = HmaNames.byHmaName(banks.list()).get(ctx.pathParam("name"));
    if (bank != null) {
      banks.delete(Authenticator.principal(ctx), bank.id());
    }
    ctx.json(Map.of("message", "Done"));
  }

  /** Content at {@code url}, or one uploaded file, banked with HMA's optional metadata and note. */
  private void addContent(Context ctx) throws IOException {
    Bank bank = bank(ctx);
    String url = ctx.queryParam("url");
    boolean multipart = ctx.contentType() != null && ctx.contentType().toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    JsonNode json = multipart || url != null && ctx.contentLength() <= 0 ? null : mapper.valueToTree(bodyObject(ctx, mapper));
    String metadata = metadata(multipart ? ctx.formParam("metadata") : json == null ? null : json.path("metadata").isMissingNode() ? null
        : json.get("metadata").toString());
    String note = note(multipart ? ctx.formParam("note") : json == null ? null : json.path("note").asText(null));
    ContentRoutes.Whole hashed;
    if (url != null && !url.isBlank()) {
      hashed = fetched(ctx, url);
    } else if (multipart) {
      hashed = uploaded(ctx);
    } else {
      throw new RequestException(Kind.MALFORMED, "Neither `url` nor multipart file upload was received");
    }
    Entry entry = content.bankWhole(Authenticator.principal(ctx), bank.id(), hashed, new NewEntry(null, null, null, note, url));
    store.keepContent(entry.id(), url, metadata);
    ctx.json(added(entry));
  }

  /** Signals given as HMA's JSON of type to value, and an optional note. */
  private void addSignals(Context ctx) {
    Bank bank = bank(ctx);
    Map<String, Object> body = bodyObject(ctx, mapper);
    String note = note(body.get("note") instanceof String text ? text : null);
    Map<String, String> signals = new LinkedHashMap<>();
    for (Map.Entry<String, Object> signal : body.entrySet()) {
      if (signal.getKey().equals("note")) {
        continue;
      }
      if (!(signal.getValue() instanceof String value)) {
        throw new RequestException(Kind.MALFORMED, signal.getKey(), "Invalid " + signal.getKey() + " signal: a signal is a string");
      }
      String type = HmaNames.ourType(signal.getKey());
      if (matcher.catalog().find(type).isEmpty()) {
        throw new RequestException(Kind.MALFORMED, "No such signal type " + signal.getKey());
      }
      signals.put(type, value);
    }
    if (signals.isEmpty()) {
      throw new RequestException(Kind.MALFORMED, "No signals given");
    }
    Entry entry = entries.create(Authenticator.principal(ctx), bank.id(), new NewEntry(signals, null, null, note, null));
    ctx.json(added(entry));
  }

  private static Map<String, Object> added(Entry entry) {
    return Map.of("id", entry.id(), "signals", HmaNames.hmaSignals(entry.signals()));
  }

  private void getContent(Context ctx) {
    Bank bank = bank(ctx);
    Entry entry = contentIn(ctx, bank);
    boolean withSignals = "true".equalsIgnoreCase(ctx.queryParam("include_signals"));
    boolean withMetadata = !"false".equalsIgnoreCase(ctx.queryParam("include_metadata"));
    ctx.json(contentJson(entry, bank, withSignals, withMetadata));
  }

  private Map<String, Object> contentJson(Entry entry, Bank bank, boolean withSignals, boolean withMetadata) {
    HmaStore.ContentDetails details = store.content(entry.id()).orElse(new HmaStore.ContentDetails(null, null));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", entry.id());
    out.put("disable_until_ts", HmaNames.disableUntilTs(entry));
    out.put("original_media_uri", details.originalMediaUri());
    out.put("bank", bankJson(bank));
    if (withSignals) {
      out.put("signals", HmaNames.hmaSignals(entry.signals()));
    }
    if (withMetadata && details.metadata() != null) {
      out.put("metadata", readTree(details.metadata()));
    }
    if (entry.note() != null) {
      out.put("note", entry.note());
    }
    return out;
  }

  /**
   * HMA's {@code disable_until_ts}: 0 disables until someone enables, 1 enables, a Unix time
   * disables until then (enables at once when it has passed).
   */
  private void updateContent(Context ctx) {
    Bank bank = bank(ctx);
    Entry entry = contentIn(ctx, bank);
    JsonNode body = mapper.valueToTree(bodyObject(ctx, mapper));
    Principal actor = Authenticator.principal(ctx);
    if (body.has("note")) {
      entry = entries.setNote(actor, entry.id(), note(body.get("note").isNull() ? null : body.get("note").asText()));
    }
    if (body.has("disable_until_ts")) {
      long until = disableUntilTs(body.get("disable_until_ts"));
      long now = Instant.now().getEpochSecond();
      if (until == 0) {
        entry = entries.disable(actor, entry.id(), "disabled through the HMA API", null);
      } else if (until == 1 || until <= now) {
        entry = entry.enabled() ? entry : entries.enable(actor, entry.id());
      } else {
        entry = entries.disable(actor, entry.id(), "disabled through the HMA API", Instant.ofEpochSecond(until).toString());
      }
    }
    ctx.json(contentJson(entry, bank, false, true));
  }

  private static long disableUntilTs(JsonNode value) {
    long until;
    if (value.isIntegralNumber()) {
      until = value.asLong();
    } else if (value.isTextual() && value.asText().strip().matches("-?\\d{1,18}")) {
      until = Long.parseLong(value.asText().strip());
    } else {
      throw new RequestException(Kind.MALFORMED, "disable_until_ts", "Invalid int: '" + value.asText() + "'");
    }
    if (until < 0) {
      throw new RequestException(Kind.MALFORMED, "disable_until_ts", "disable_until_ts must be a non-negative integer");
    }
    if (until > Instant.now().getEpochSecond() + FIVE_YEARS_SECONDS) {
      throw new RequestException(Kind.MALFORMED, "disable_until_ts", "disable_until_ts must be less than 5 years in the future");
    }
    return until;
  }

  /** HMA counts what it deleted: 0 for content that is not in the bank. */
  private void deleteContent(Context ctx) {
    Bank bank = bank(ctx);
    long id = contentId(ctx);
    Entry entry = entries.find(id).filter(e -> e.bankId() == bank.id()).orElse(null);
    if (entry != null) {
      entries.delete(Authenticator.principal(ctx), id);
    }
    ctx.json(Map.of("deleted", entry == null ? 0 : 1));
  }

  private void signalTypes(Context ctx) {
    ctx.json(hmaSignalTypes().stream().map(name -> Map.of("name", name, "enabled_ratio", 1.0)).toList());
  }

  /** The types looked up value by value, under HMA's names; a video's MD5 under both. */
  private List<String> hmaSignalTypes() {
    List<String> names = new ArrayList<>();
    for (ServerSignalType type : matcher.catalog().types()) {
      if (type.matchedByValue()) {
        names.add(type.name());
        if (type.name().equals("md5")) {
          names.add(HmaNames.VIDEO_MD5);
        }
      }
    }
    return names;
  }

  // Helpers

  private Map<String, Object> bankJson(Bank bank) {
    return bankJson(HmaNames.hmaName(bank, banks.list()), bank, store.ratios());
  }

  private static Map<String, Object> bankJson(String hmaName, Bank bank, Map<Long, Double> ratios) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", hmaName);
    out.put("matching_enabled_ratio", HmaStore.ratio(bank, ratios));
    return out;
  }

  /** Every bank in id order, the names and ratios read once for all of them. */
  private void listBanks(Context ctx) {
    List<Bank> all = banks.list();
    Map<Long, String> names = hmaNamesById(all);
    Map<Long, Double> ratios = store.ratios();
    ctx.json(all.stream().map(bank -> bankJson(names.get(bank.id()), bank, ratios)).toList());
  }

  private Bank bank(Context ctx) {
    String name = ctx.pathParam("name");
    Bank bank = HmaNames.byHmaName(banks.list()).get(name);
    if (bank == null) {
      throw new RequestException(Kind.NOT_FOUND, "bank '" + name + "' not found");
    }
    return bank;
  }

  private Map<Long, String> hmaNamesById() {
    return hmaNamesById(banks.list());
  }

  private static Map<Long, String> hmaNamesById(List<Bank> all) {
    Map<Long, String> names = new LinkedHashMap<>();
    HmaNames.byHmaName(all).forEach((name, bank) -> names.put(bank.id(), name));
    return names;
  }

  /** Content is found in the bank it is in: another bank's id is not there. */
  private Entry contentIn(Context ctx, Bank bank) {
    long id = contentId(ctx);
    return entries.find(id).filter(e -> e.bankId() == bank.id())
        .orElseThrow(() -> new RequestException(Kind.NOT_FOUND, "content '" + id + "' not found"));
  }

  private static long contentId(Context ctx) {
    String text = ctx.pathParam("id");
    if (!text.matches("\\d{1,18}")) {
      throw new RequestException(Kind.NOT_FOUND, "content '" + text + "' not found");
    }
    return Long.parseLong(text);
  }

  private static Set<String> bankNames(String banks) {
    if (banks == null || banks.isBlank()) {
      return null;
    }
    return Set.of(banks.split(","));
  }

  private static String required(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null || value.isBlank()) {
      throw new RequestException(Kind.MALFORMED, name, name + " is required");
    }
    return value;
  }

  /** The JSON object a body holds, refused with HMA's words when it is anything else. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> bodyObject(Context ctx, ObjectMapper mapper) {
    JsonNode body = new RequestBodies(mapper).json(ctx, JsonNode.class);
    if (body == null || !body.isObject()) {
      throw new RequestException(Kind.MALFORMED, "this endpoint expects a json object payload");
    }
    return mapper.convertValue(body, Map.class);
  }

  /** HMA's metadata: a JSON object of content_id, content_uri and json, kept as given. */
  private String metadata(String text) {
    if (text == null || text.isBlank() || text.equals("null")) {
      return null;
    }
    JsonNode node = readTree(text);
    if (!node.isObject()) {
      throw new RequestException(Kind.MALFORMED, "metadata", "metadata should be a json object");
    }
    for (String field : (Iterable<String>) node::fieldNames) {
      if (!Set.of("content_id", "content_uri", "json").contains(field)) {
        throw new RequestException(Kind.MALFORMED, "metadata", "Invalid metadata: unknown field '" + field + "'");
      }
    }
    if (text.length() > 20_000) {
      throw new RequestException(Kind.MALFORMED, "metadata", "metadata may have at most 20000 characters");
    }
    return node.toString();
  }

  private JsonNode readTree(String text) {
    try {
      return mapper.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new RequestException(Kind.MALFORMED, "metadata", "metadata form field must be valid JSON");
    }
  }

  private static String note(String note) {
    if (note == null || note.isEmpty()) {
      return null;
    }
    if (note.length() > MAX_NOTE) {
      throw new RequestException(Kind.MALFORMED, "note", "note must be at most 255 characters");
    }
    return note;
  }
}
