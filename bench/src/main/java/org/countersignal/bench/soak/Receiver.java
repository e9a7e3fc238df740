package org.countersignal.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A test receiver for the soak's webhook on loopback: checks each delivery's signature as
 * docs/WEBHOOKS.md tells a platform to, answers 204, and counts distinct event ids by type,
 * repeats and bad signatures.
 */
final class Receiver implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicLong> byType = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong repeats = new AtomicLong();
  private final AtomicLong badSignatures = new AtomicLong();
  private volatile String secret;

  Receiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/hook", this::receive);
    server.setExecutor(threads);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  void secret(String secret) {
    this.secret = secret;
  }

  private void receive(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      requests.incrementAndGet();
      if (!signed(exchange.getRequestHeaders().getFirst("Countersignal-Timestamp"),
          exchange.getRequestHeaders().getFirst("Countersignal-Signature"), body)) {
        badSignatures.incrementAndGet();
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      JsonNode event = Http.JSON.readTree(body);
      if (seen.add(event.path("id").asText())) {
        byType.computeIfAbsent(event.path("type").asText(), t -> new AtomicLong()).incrementAndGet();
      } else {
        repeats.incrementAndGet();
      }
      exchange.sendResponseHeaders(204, -1);
    }
  }

  private boolean signed(String timestamp, String signature, byte[] body) {
    if (secret == null || timestamp == null || signature == null) {
      return false;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
      byte[] expected = mac.doFinal(body);
      for (String part : signature.split(",")) {
        String value = part.strip();
        if (value.startsWith("v1=") && MessageDigest.isEqual(expected, HexFormat.of().parseHex(value.substring(3)))) {
          return true;
        }
      }
      return false;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  long distinct() {
    return seen.size();
  }

  /** "1234 distinct events (action.decided 1000, case.opened 200, ...), N requests, R repeats, B bad signatures". */
  String summary() {
    StringBuilder types = new StringBuilder();
    new TreeMap<>(byType).forEach((type, n) -> types.append(types.length() == 0 ? "" : ", ").append(type).append(' ').append(n.get()));
    return seen.size() + " distinct events (" + types + "), " + requests.get() + " requests, " + repeats.get()
        + " repeats, " + badSignatures.get() + " bad signatures";
  }

  long badSignatures() {
    return badSignatures.get();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
