package org.countersignal.bench.soak;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A steady stream of requests at a fixed rate over a few kept-alive connections, written on raw
 * sockets: the JDK's client, sending asynchronously, opened a connection for every request in
 * flight after a pause (hundreds) and cost the driver about a millisecond of CPU per request,
 * which on two shared cores was more than the server spent. The rate rises evenly from nothing
 * over the ramp (a cold server, its code not yet compiled, met at once by the full rate built a
 * backlog of seconds that outlived a short warm-up), then holds. Each request's latency is counted
 * from when it was due, not from when a connection was free to send it (as wrk2 does), so a
 * server that stalls is charged for every request that should have gone out meanwhile.
 */
final class PacedConnections {

  /** One request, whole: request line, headers and body. */
  interface Request extends Supplier<byte[]> {}

  private final URI base;
  private final int connections;
  private final double perSecond;
  private final double rampSeconds;
  private final Request request;
  private final Tally tally;
  private final Http.Judge judge;
  private final Http.Phase phase;
  private final AtomicLong next = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;
  private volatile long stopped = Long.MAX_VALUE;
  private long start;

  PacedConnections(URI base, int connections, double perSecond, Duration ramp, Request request, Tally tally, Http.Judge judge,
      Http.Phase phase) {
    this.base = base;
    this.connections = connections;
    this.perSecond = perSecond;
    this.rampSeconds = ramp.toNanos() / 1e9;
    this.request = request;
    this.tally = tally;
    this.judge = judge;
    this.phase = phase;
  }

  /** The bytes of a POST of {@code body} to {@code path} on {@code base}. */
  static byte[] post(URI base, String path, String key, String contentType, byte[] body) {
    String head = "POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\nAuthorization: Bearer " + key
        + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] whole = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, whole, 0, headBytes.length);
    System.arraycopy(body, 0, whole, headBytes.length, body.length);
    return whole;
  }

  void start() {
    start = System.nanoTime();
    for (int i = 0; i < connections; i++) {
      Thread thread = new Thread(this::run, "paced-" + tally.name + "-" + i);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
  }

  /**
   * Stops sending. The requests that were due and not yet sent count as late, with their wait so
   * far: left out, they would hide the very stall that delayed them.
   */
  void stop() throws InterruptedException {
    stopped = System.nanoTime();
    running = false;
    for (Thread thread : threads) {
      thread.interrupt();
      thread.join(60_000);
    }
    for (long n = next.get(); start + dueAfter(n) < stopped; n++) {
      late(start + dueAfter(n));
    }
  }

  private void late(long due) {
    if (due < stopped) {
      tally.record("due, not sent by the end", Tally.Verdict.LATE, (stopped - due) / 1000, phase.measured(due), phase.second(due), null);
    }
  }

  private void run() {
    Connection connection = null;
    while (running) {
      long due = start + dueAfter(next.getAndIncrement());
      long wait;
      while (running && (wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      if (!running) {
        late(due);
        break;
      }
      try {
        if (connection == null) {
          connection = new Connection(base);
        }
        Response response = connection.exchange(request.get());
        long micros = (System.nanoTime() - due) / 1000;
        Tally.Verdict verdict = judge.judge(response.status, response.headers, response.body);
        tally.record(Integer.toString(response.status), verdict, micros, phase.measured(due), phase.second(due),
            "-> " + response.status + " " + response.body.substring(0, Math.min(300, response.body.length())));
        if (response.closes) {
          connection.close();
          connection = null;
        }
      } catch (IOException e) {
        tally.record(e.getClass().getSimpleName(), Tally.Verdict.ERROR, (System.nanoTime() - due) / 1000, phase.measured(due),
            phase.second(due), e.toString());
        if (connection != null) {
          connection.close();
        }
        connection = null;
      }
    }
    if (connection != null) {
      connection.close();
    }
  }

  /**
   * Nanoseconds from the start at which request n is due: during the ramp the rate grows as
   * perSecond * t / ramp, so n requests are due by t = sqrt(2 * ramp * n / perSecond); after it,
   * one every 1 / perSecond.
   */
  private long dueAfter(long n) {
    double inRamp = perSecond * rampSeconds / 2;
    double seconds = n < inRamp ? Math.sqrt(2 * rampSeconds * n / perSecond) : rampSeconds + (n - inRamp) / perSecond;
    return (long) (seconds * 1e9);
  }

  private record Response(int status, HttpHeaders headers, String body, boolean closes) {}

  /** One kept-alive connection: a request is sent only once the answer to the one before was read whole. */
  private static final class Connection {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    Connection(URI base) throws IOException {
      socket = new Socket(base.getHost(), base.getPort());
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(60_000);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream());
    }

    Response exchange(byte[] request) throws IOException {
      out.write(request);
      out.flush();
      String statusLine = line(in);
      int status = Integer.parseInt(statusLine.substring(9, 12));
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (String line = line(in); !line.isEmpty(); line = line(in)) {
        int colon = line.indexOf(':');
        headers.computeIfAbsent(line.substring(0, colon).strip(), h -> new ArrayList<>()).add(line.substring(colon + 1).strip());
      }
      String length = first(headers, "Content-Length");
      boolean chunked = "chunked".equalsIgnoreCase(first(headers, "Transfer-Encoding"));
      byte[] body;
      if (length != null) {
        body = in.readNBytes(Integer.parseInt(length));
      } else if (chunked) {
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
          chunks.write(in.readNBytes(size));
          line(in);
        }
        while (!line(in).isEmpty()) {
          // trailers, if any
        }
        body = chunks.toByteArray();
      } else {
        body = in.readAllBytes(); // no length: the answer ends with the connection
      }
      boolean closes = "close".equalsIgnoreCase(first(headers, "Connection")) || length == null && !chunked;
      return new Response(status, HttpHeaders.of(headers, (name, value) -> true), new String(body, StandardCharsets.UTF_8), closes);
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a broken connection
      }
    }
  }

  private static int chunkSize(InputStream in) throws IOException {
    return Integer.parseInt(line(in).split(";")[0].strip(), 16);
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null ? null : values.get(0);
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new EOFException("the connection closed mid-answer");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }
}
