package org.countersignal.cli.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.countersignal.server.bank.BankChanges;
import org.countersignal.server.bank.EntryImport;
import org.countersignal.server.bank.NewEntry;
import org.countersignal.server.exchange.ExchangeChanges;
import org.countersignal.server.http.JsonMapping;
import org.countersignal.server.incident.IncidentChanges;

/** The commands against a running server's HTTP API, with an API key. */
public final class HttpBackend implements Backend {

  // A batch of 10,000 entries is checked and written in a few seconds; leave ample room on a busy server.
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

  private final String base;
  private final String key;
  private final HttpClient client;
  // Absent optional fields are left out rather than sent as null: smaller import batches.
  private final ObjectMapper mapper = JsonMapping.create().setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

  public HttpBackend(String url, String key) {
    String base = url.strip();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    try {
      URI uri = new URI(base);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw CliException.badInput("--server takes the server's URL, e.g. http://localhost:8080 (got '" + url + "')");
      }
    } catch (URISyntaxException e) {
      throw CliException.badInput("--server takes the server's URL, e.g. http://localhost:8080 (got '" + url + "')");
    }
    this.base = base;
    this.key = key;
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  @Override
  public String where() {
    return base;
  }

  @Override
  public JsonNode createKey(String role, String name, String expiresAt) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("role", role);
    if (name != null) {
      body.put("name", name);
    }
    if (expiresAt != null) {
      body.put("expires_at", expiresAt);
    }
    return send("POST", "/api/v1/keys", body).json();
  }

  @Override
  public List<JsonNode> listKeys() {
    return items(send("GET", "/api/v1/keys", null).json());
  }

  @Override
  public void revokeKey(long id) {
    send("DELETE", "/api/v1/keys/" + id, null);
  }

  @Override
  public JsonNode createBank(BankChanges bank) {
    return send("POST", "/api/v1/banks", bank).json();
  }

  @Override
  public List<JsonNode> listBanks() {
    return items(send("GET", "/api/v1/banks", null).json());
  }

  @Override
  public JsonNode bank(long id) {
    Response response = exchange("GET", "/api/v1/banks/" + id, null);
    return response.status() == 404 ? null : checked(response).json();
  }

  @Override
  public List<EntryImport.RowError> validate(long bankId, List<NewEntry> entries) {
    return rowErrors(exchange("POST", "/api/v1/banks/" + bankId + "/entries/batch?dry_run=true", Map.of("entries", entries)), "entries");
  }

  /** The rows a dry run found invalid, each with its field within the row; none when it found nothing wrong. */
  private List<EntryImport.RowError> rowErrors(Response response, String list) {
    if (response.status() == 422 && response.json() != null && response.json().has("errors")) {
      List<EntryImport.RowError> errors = new ArrayList<>();
      for (JsonNode error : response.json().get("errors")) {
        String field = error.path("field").asText(null);
        // The server names fields from the batch (entries[3].signals.pdq); a row knows only its own.
        String own = field == null ? null : field.replaceFirst("^" + list + "\\[\\d+\\]\\.?", "");
        errors.add(new EntryImport.RowError(error.get("index").asInt(), own == null || own.isEmpty() ? null : own,
            error.path("detail").asText()));
      }
      return errors;
    }
    checked(response);
    return List.of();
  }

  @Override
  public List<EntryImport.RowError> validateHma(org.countersignal.server.hma.HmaImport.Batch batch) {
    return rowErrors(exchange("POST", "/api/v1/hma/import?dry_run=true", batch), "contents");
  }

  @Override
  public org.countersignal.server.hma.HmaImport.Imported importHma(org.countersignal.server.hma.HmaImport.Batch batch) {
    JsonNode imported = send("POST", "/api/v1/hma/import", batch).json();
    List<Long> ids = new ArrayList<>();
    imported.get("entry_ids").forEach(id -> ids.add(id.asLong()));
    return new org.countersignal.server.hma.HmaImport.Imported(imported.get("bank_id").asLong(), imported.get("bank_created").asBoolean(),
        ids, imported.get("already_imported").asInt(), imported.get("disabled").asInt());
  }

  @Override
  public List<Long> importBatch(long bankId, List<NewEntry> entries) {
    JsonNode imported = send("POST", "/api/v1/banks/" + bankId + "/entries/batch", Map.of("entries", entries)).json();
    List<Long> ids = new ArrayList<>();
    imported.get("entry_ids").forEach(id -> ids.add(id.asLong()));
    return ids;
  }

  @Override
  public EntryPage entries(long bankId, long after, int limit) {
    JsonNode page = send("GET", "/api/v1/banks/" + bankId + "/entries?after=" + after + "&limit=" + limit, null).json();
    JsonNode next = page.get("next_after");
    return new EntryPage(items(page), next == null || next.isNull() ? null : next.asLong());
  }

  @Override
  public String frames(long entryId) {
    return send("GET", "/api/v1/entries/" + entryId + "/frames", null).body();
  }

  @Override
  public String wholeValue(long entryId, String type) {
    return send("GET", "/api/v1/entries/" + entryId + "/values/" + type, null).body();
  }

  // Exchanges are server-only (the server fetches them), so these are not on Backend.

  /** The exchange kinds the server runs. */
  public List<JsonNode> exchangeKinds() {
    return items(send("GET", "/api/v1/exchanges/kinds", null).json());
  }

  public List<JsonNode> listExchanges() {
    return items(send("GET", "/api/v1/exchanges", null).json());
  }

  /** An exchange by id, or null. */
  public JsonNode exchangeById(long id) {
    Response response = exchange("GET", "/api/v1/exchanges/" + id, null);
    return response.status() == 404 ? null : checked(response).json();
  }

  public JsonNode createExchange(ExchangeChanges exchange) {
    return send("POST", "/api/v1/exchanges", exchange).json();
  }

  /** Changes the fields {@code changes} gives (the others are left out of the request, so they stay). */
  public JsonNode updateExchange(long id, ExchangeChanges changes) {
    return send("PATCH", "/api/v1/exchanges/" + id, changes).json();
  }

  public void deleteExchange(long id) {
    send("DELETE", "/api/v1/exchanges/" + id, null);
  }

  /** Asks for a fetch now; the exchange as it stands once asked. */
  public JsonNode fetchExchange(long id) {
    return send("POST", "/api/v1/exchanges/" + id + "/fetch", null).json();
  }

  public void reportOpinion(long id, String signalType, String signal, String opinion) {
    send("POST", "/api/v1/exchanges/" + id + "/opinions", Map.of("signal_type", signalType, "signal", signal, "opinion", opinion));
  }

  /** The source's verdicts, in the order of {@code signals} ({@code signal_type} and {@code signal} each). */
  public List<JsonNode> verify(long id, List<Map<String, String>> signals) {
    return items(send("POST", "/api/v1/exchanges/" + id + "/verify", Map.of("signals", signals)).json());
  }

  // Feeds are published by a running server (its own key signs their pages), so these are not on Backend either.

  /** The key this instance signs feed pages with, which its peers pin: {@code algorithm} and {@code public_key}. */
  public JsonNode federationKey() {
    return send("GET", "/api/v1/federation/key", null).json();
  }

  public List<JsonNode> listFeeds() {
    return items(send("GET", "/api/v1/feeds", null).json());
  }

  /** A feed by id, or null. */
  public JsonNode feedById(long id) {
    Response response = exchange("GET", "/api/v1/feeds/" + id, null);
    return response.status() == 404 ? null : checked(response).json();
  }

  /** @param labels the labels an entry must carry one of to be published; empty for every entry of the bank */
  public JsonNode createFeed(String name, long bankId, List<String> labels) {
    return send("POST", "/api/v1/feeds", labels.isEmpty() ? Map.of("name", name, "bank_id", bankId)
        : Map.of("name", name, "bank_id", bankId, "labels", labels)).json();
  }

  /** Deletes a feed; the server revokes its peers' keys. */
  public void deleteFeed(long id) {
    send("DELETE", "/api/v1/feeds/" + id, null);
  }

  /** Adds a peer to a feed; the answer holds the peer's new key ({@code key}), which the server shows only this once. */
  public JsonNode addPeer(long feedId, String name) {
    return send("POST", "/api/v1/feeds/" + feedId + "/peers", Map.of("name", name)).json();
  }

  /** Removes a peer from a feed; the server revokes its key. */
  public void removePeer(long feedId, String name) {
    send("DELETE", "/api/v1/feeds/" + feedId + "/peers/" + pathSegment(name), null);
  }

  // Incidents are run on a running server (its rules read their status), so these are not on Backend either.

  /** Every incident, newest first; only those of {@code status} when it is not null. */
  public List<JsonNode> listIncidents(String status) {
    return items(send("GET", "/api/v1/incidents" + (status == null ? "" : "?status=" + query(status)), null).json());
  }

  /** An incident by id, or null. */
  public JsonNode incidentById(long id) {
    Response response = exchange("GET", "/api/v1/incidents/" + id, null);
    return response.status() == 404 ? null : checked(response).json();
  }

  public JsonNode declareIncident(IncidentChanges incident) {
    return send("POST", "/api/v1/incidents", incident).json();
  }

  /** Changes the fields {@code changes} gives (the others are left out of the request, so they stay). */
  public JsonNode updateIncident(long id, IncidentChanges changes) {
    return send("PATCH", "/api/v1/incidents/" + id, changes).json();
  }

  /** Accepts ({@code accept}) or declines ({@code decline}) an incident a peer shared; the incident after. */
  public JsonNode decideIncident(long id, String decision) {
    return send("POST", "/api/v1/incidents/" + id + "/" + decision, null).json();
  }

  /** The incident's timeline, oldest first. */
  public List<JsonNode> incidentTimeline(long id) {
    return items(send("GET", "/api/v1/incidents/" + id + "/timeline", null).json());
  }

  /** Incident {@code id}'s debrief in {@code format} (pdf, html or json), as the server sent it. */
  public byte[] incidentDebrief(long id, String format) {
    return send("GET", "/api/v1/incidents/" + id + "/debrief" + (format.equals("json") ? "" : "." + format), null).bytes();
  }

  /** Adds one entry of precomputed signals to a bank; the entry made. */
  public JsonNode addEntry(long bankId, NewEntry entry) {
    return send("POST", "/api/v1/banks/" + bankId + "/entries", entry).json();
  }

  /**
   * Uploads a file for the server to hash and bank. The bytes are sent as they are, as
   * application/octet-stream: the server tells an image, a video, a document or a text by its
   * bytes. The answer is the entry made (HTTP 201), or for a video the job hashing it (HTTP 202).
   *
   * @return the server's status code with its JSON
   */
  public Uploaded uploadEntry(long bankId, Path file, String note) {
    String path = "/api/v1/banks/" + bankId + "/entries/upload" + (note == null ? "" : "?note=" + query(note));
    HttpRequest.BodyPublisher body;
    try {
      body = HttpRequest.BodyPublishers.ofFile(file);
    } catch (FileNotFoundException e) {
      throw CliException.badInput("no file " + file);
    }
    Response response = checked(exchange("POST", path, body, "application/octet-stream"));
    return new Uploaded(response.status(), response.json());
  }

  /** What the server answered an upload: 201 with the entry, or 202 with the job that hashes a video. */
  public record Uploaded(int status, JsonNode json) {
    public boolean queued() {
      return status == 202;
    }
  }

  @Override
  public void close() {
    client.close();
  }

  private record Response(int status, JsonNode json, String body, byte[] bytes) {}

  private Response send(String method, String path, Object body) {
    return checked(exchange(method, path, body));
  }

  /** A 2xx response as it is; anything else as the problem's detail, with an exit code for its kind. */
  private Response checked(Response response) {
    int status = response.status();
    if (status >= 200 && status < 300) {
      return response;
    }
    String detail = response.json() != null && response.json().hasNonNull("detail")
        ? response.json().get("detail").asText()
        : response.body().isBlank() ? "no details" : response.body().strip();
    String message = switch (status) {
      case 401 -> "the server at " + base + " refused the API key: " + detail;
      case 403 -> "the API key's role may not do this: " + detail;
      default -> detail + " (HTTP " + status + ")";
    };
    // The caller's input was at fault: malformed, not found, too large, invalid.
    boolean badInput = status == 400 || status == 404 || status == 413 || status == 422;
    throw new CliException(badInput ? CliException.BAD_INPUT : CliException.FAILED, message);
  }

  private Response exchange(String method, String path, Object body) {
    if (body == null) {
      return exchange(method, path, HttpRequest.BodyPublishers.noBody(), null);
    }
    try {
      return exchange(method, path, HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)), "application/json");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the request body", e);
    }
  }

  /** @param contentType the body's type; null for no body */
  private Response exchange(String method, String path, HttpRequest.BodyPublisher body, String contentType) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer " + key)
        .header("Accept", "application/json");
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    request.method(method, body);
    HttpResponse<byte[]> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpConnectTimeoutException e) {
      throw CliException.failed("cannot reach the server at " + base + " (connection timed out); is it running?");
    } catch (ConnectException e) {
      throw CliException.failed("cannot reach the server at " + base + " (connection refused); is it running?");
    } catch (HttpTimeoutException e) {
      throw CliException.failed("the server at " + base + " did not answer within " + REQUEST_TIMEOUT.toMinutes() + " minutes");
    } catch (IOException e) {
      throw CliException.failed("cannot talk to the server at " + base + ": " + reason(e));
    } catch (UnresolvedAddressException e) {
      throw CliException.failed("cannot resolve the server's host in " + base);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failed("interrupted");
    }
    JsonNode json = null;
    String type = response.headers().firstValue("Content-Type").orElse("");
    String text = new String(response.body(), StandardCharsets.UTF_8);
    if (type.contains("json") && !text.isBlank()) {
      try {
        json = mapper.readTree(text);
      } catch (JsonProcessingException e) {
        throw CliException.failed("the server at " + base + " sent malformed JSON (HTTP " + response.statusCode() + ")");
      }
    }
    return new Response(response.statusCode(), json, text, response.body());
  }

  private static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return e.getClass().getSimpleName();
  }

  // URLEncoder encodes for forms, where a space is '+'; in a path a '+' is itself.
  private static String pathSegment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  // A query parameter's value: a space as %20 reads the same to every decoder, where '+' does not.
  private static String query(String text) {
    return pathSegment(text);
  }

  private static List<JsonNode> items(JsonNode page) {
    List<JsonNode> out = new ArrayList<>();
    page.get("items").forEach(out::add);
    return out;
  }
}
