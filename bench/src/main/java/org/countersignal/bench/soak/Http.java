package org.countersignal.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Requests to the server under test, each counted in its stream's {@link Tally}. Streams send
 * asynchronously at their own pace, so a server that stalls meets as many requests as one that
 * does not (a client that waited for each answer would send fewer and hide the stall).
 */
final class Http {

  static final ObjectMapper JSON = new ObjectMapper();

  /** Decides what an answer was: what the stream asked for, a deliberate refusal, or an error. */
  interface Judge {
    Tally.Verdict judge(int status, HttpHeaders headers, String body);
  }

  /** An ordinary client's request: one of {@code expected}, or else at most a refusal that says when to come back. */
  static Judge expecting(Integer... expected) {
    Set<Integer> answers = Set.of(expected);
    return (status, headers, body) -> answers.contains(status) ? Tally.Verdict.ANSWERED
        : (status == 429 || status == 503) && headers.firstValue("Retry-After").isPresent() ? Tally.Verdict.REFUSED
        : Tally.Verdict.ERROR;
  }

  /** An attacker's request: refused with one of {@code refusals} (429 and 503 only with Retry-After), or answered with one of {@code answers}. */
  static Judge refusedWith(Set<Integer> refusals, Set<Integer> answers) {
    return (status, headers, body) -> answers.contains(status) ? Tally.Verdict.ANSWERED
        : refusals.contains(status) && (status != 429 && status != 503 || headers.firstValue("Retry-After").isPresent())
            ? Tally.Verdict.REFUSED
        : Tally.Verdict.ERROR;
  }

  /** When the load started and when its warm-up ended: requests sent after that are the measured ones. */
  static final class Phase {
    private volatile long started = Long.MAX_VALUE;
    private volatile long measuredFrom = Long.MAX_VALUE;

    void startLoad() {
      started = System.nanoTime();
    }

    void startMeasuring() {
      measuredFrom = System.nanoTime();
    }

    boolean measured(long nanos) {
      return nanos >= measuredFrom;
    }

    /** Seconds from the start of the load (the warm-up's first second is 0). */
    int second(long nanos) {
      return started == Long.MAX_VALUE ? -1 : (int) ((nanos - started) / 1_000_000_000L);
    }
  }

  private final HttpClient client;
  private final URI base;
  private final Phase phase;

  Http(URI base, Phase phase) {
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    this.base = base;
    this.phase = phase;
  }

  URI base() {
    return base;
  }

  Phase phase() {
    return phase;
  }

  HttpRequest.Builder request(String path, String key) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
    return key == null ? builder : builder.header("Authorization", "Bearer " + key);
  }

  HttpRequest json(String method, String path, String key, Object body) {
    return request(path, key).header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(bytes(body))).build();
  }

  static byte[] bytes(Object json) {
    try {
      return JSON.writeValueAsBytes(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  HttpRequest bytes(String path, String key, String contentType, byte[] body) {
    return request(path, key).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  /** Sends without waiting; the answer is counted in {@code tally}, then handed to {@code then} if it was what the stream asked for. */
  CompletableFuture<Void> send(Tally tally, HttpRequest request, Judge judge, Consumer<HttpResponse<String>> then) {
    long sent = System.nanoTime();
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
      long micros = (System.nanoTime() - sent) / 1000;
      boolean measured = phase.measured(sent);
      String what = request.method() + " " + request.uri().getRawPath();
      if (failure != null) {
        Throwable cause = failure.getCause() == null ? failure : failure.getCause();
        tally.record(cause.getClass().getSimpleName(), Tally.Verdict.ERROR, micros, measured, phase.second(sent), what + ": " + cause);
        return null;
      }
      Tally.Verdict verdict = judge.judge(response.statusCode(), response.headers(), response.body());
      String body = response.body() == null ? "" : response.body();
      tally.record(Integer.toString(response.statusCode()), verdict, micros, measured, phase.second(sent),
          what + " -> " + response.statusCode() + " " + body.substring(0, Math.min(300, body.length())));
      if (verdict == Tally.Verdict.ANSWERED && then != null) {
        then.accept(response);
      }
      return null;
    });
  }

  CompletableFuture<Void> send(Tally tally, HttpRequest request, Judge judge) {
    return send(tally, request, judge, null);
  }

  /** A setup or bookkeeping call, outside the tallies: an answer other than {@code expected} stops the run. */
  JsonNode call(HttpRequest request, int expected) {
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != expected) {
        throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " answered "
            + response.statusCode() + " (expected " + expected + "): " + response.body());
      }
      return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(request.method() + " " + request.uri().getPath() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** A blocking request whose answer the caller reads (polling a job), counted in {@code tally}. */
  HttpResponse<String> sendNow(Tally tally, HttpRequest request, Judge judge) {
    long sent = System.nanoTime();
    String what = request.method() + " " + request.uri().getRawPath();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      Tally.Verdict verdict = judge.judge(response.statusCode(), response.headers(), response.body());
      String body = response.body();
      tally.record(Integer.toString(response.statusCode()), verdict, (System.nanoTime() - sent) / 1000, phase.measured(sent),
          phase.second(sent), what + " -> " + response.statusCode() + " " + body.substring(0, Math.min(300, body.length())));
      return verdict == Tally.Verdict.ANSWERED ? response : null;
    } catch (IOException e) {
      tally.record(e.getClass().getSimpleName(), Tally.Verdict.ERROR, (System.nanoTime() - sent) / 1000, phase.measured(sent),
          phase.second(sent), what + ": " + e);
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
