package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every body cap holds while the body streams, whatever its framing: a chunked body (which
 * declares no length) is refused with 413 once it passes its route's cap, long before the
 * client has sent it all, and a declared length past the cap is refused before any of the body
 * is read. The requests are written on raw sockets so the test controls the framing and can count
 * how much of a body the server took before it answered.
 */
class BodyLimitTest {

  /** Far more than any cap, and more than the heap would hold a few of. */
  static final long HUGE = 260L * 1024 * 1024;

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** What the server answered, and how much of the body had been written when it did. */
  record Answer(int status, String headers, String body, long sent) {}

  /**
   * Sends {@code headers} and then, chunked, up to {@code total} bytes of {@code fill}, stopping as
   * soon as the server answers or closes the connection.
   */
  Answer chunked(String requestLine, List<String> headers, long total, byte fill) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n");
      headers.forEach(h -> head.append(h).append("\r\n"));
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[64 * 1024];
      java.util.Arrays.fill(chunk, fill);
      byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      long sent = 0;
      try {
        while (sent < total && in.available() == 0) {
          out.write(size);
          out.write(chunk);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
          sent += chunk.length;
        }
        if (sent >= total) {
          out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
      } catch (IOException closedByServer) {
        // The server answered and closed while the body was still coming: what a cap should do.
      }
      return read(in, sent);
    }
  }

  /** Sends a request that declares {@code length} bytes but sends none of them. */
  Answer declared(String requestLine, List<String> headers, long length) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(30_000);
      StringBuilder head = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1\r\nContent-Length: ").append(length).append("\r\n");
      headers.forEach(h -> head.append(h).append("\r\n"));
      socket.getOutputStream().write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      return read(socket.getInputStream(), 0);
    }
  }

  private static Answer read(InputStream in, long sent) throws IOException {
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        response.write(buffer, 0, n);
        String text = response.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end >= 0 && text.contains("}")) {
          break; // a whole problem detail has arrived
        }
      }
    } catch (java.net.SocketException reset) {
      // a reset after the answer: what arrived is enough
    }
    String text = response.toString(StandardCharsets.UTF_8);
    assertThat(text).as("an HTTP answer").startsWith("HTTP/1.1 ");
    int end = text.indexOf("\r\n\r\n");
    return new Answer(Integer.parseInt(text.substring(9, 12)), text.substring(0, end), text.substring(end + 4), sent);
  }

  @Test
  void aChunkedSignInFormIsRefusedAfterAFewKilobytesBeforeAnyWork() throws IOException {
    Answer answer = chunked("POST /console/sign-in HTTP/1.1",
        List.of("Content-Type: application/x-www-form-urlencoded", "Cookie: cs_console_sign_in=" + "a".repeat(43)), HUGE, (byte) 'a');

    assertThat(answer.status()).as(answer.headers()).isEqualTo(413);
    assertThat(answer.body()).contains("\"status\":413").contains("16384");
    // Socket buffers let a few megabytes through before the answer is seen; never the body.
    assertThat(answer.sent()).isLessThan(HUGE / 10);
  }

  @Test
  void aChunkedJsonBodyIsRefusedOnceItPassesTheJsonCap() throws IOException {
    Answer answer = chunked("POST /api/v1/match/batch HTTP/1.1",
        List.of("Authorization: Bearer " + admin, "Content-Type: application/json"), HUGE, (byte) ' ');

    assertThat(answer.status()).as(answer.headers()).isEqualTo(413);
    assertThat(answer.headers()).containsIgnoringCase("application/problem+json");
    assertThat(answer.sent()).isLessThan(HUGE / 10);
  }

  @Test
  void anUnauthenticatedChunkedBodyIsNeitherReadNorAnsweredWithMoreThan401() throws IOException {
    Answer answer = chunked("POST /api/v1/match/batch HTTP/1.1", List.of("Content-Type: application/json"), HUGE, (byte) ' ');

    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.sent()).isLessThan(HUGE / 10);
  }

  @Test
  void aDeclaredLengthPastTheCapIsRefusedWithoutWaitingForTheBody() throws IOException {
    Answer json = declared("POST /api/v1/banks HTTP/1.1", List.of("Authorization: Bearer " + admin, "Content-Type: application/json"), 2L << 20);
    Answer form = declared("POST /console/sign-in HTTP/1.1", List.of("Content-Type: application/x-www-form-urlencoded"), 1L << 20);

    assertThat(json.status()).isEqualTo(413);
    assertThat(json.body()).contains("urn:countersignal:problem:too-large");
    assertThat(form.status()).isEqualTo(413);
  }

  @Test
  void anOrderDocumentIsCappedAtItsOwnLimitWhileItStreams() throws IOException {
    long cap = org.countersignal.server.order.Orders.MAX_DOCUMENT_BYTES;
    // Past the JSON cap, within the document's: read whole, then refused for the order that does not exist.
    Answer within = chunked("PUT /api/v1/orders/999999/document HTTP/1.1",
        List.of("Authorization: Bearer " + admin, "Content-Type: application/pdf"), 3L << 20, (byte) 7);
    Answer past = chunked("PUT /api/v1/orders/999999/document HTTP/1.1",
        List.of("Authorization: Bearer " + admin, "Content-Type: application/pdf"), cap + (4L << 20), (byte) 7);
    Answer declaredPast = declared("PUT /api/v1/orders/999999/document HTTP/1.1",
        List.of("Authorization: Bearer " + admin, "Content-Type: application/pdf"), cap + 1);

    assertThat(within.status()).as(within.body()).isEqualTo(404);
    assertThat(past.status()).as(past.headers()).isEqualTo(413);
    assertThat(past.body()).contains(Long.toString(cap));
    assertThat(declaredPast.status()).isEqualTo(413);
  }

  @Test
  void uploadRoutesKeepTheirOwnLargerCap() throws IOException {
    // Three megabytes of something that is not an image: past the JSON cap, within the upload
    // cap, so the route reads it all and refuses it for what it is, not for its size.
    Answer answer = chunked("POST /api/v1/hash HTTP/1.1",
        List.of("Authorization: Bearer " + admin, "Content-Type: application/octet-stream"), 3L << 20, (byte) 7);

    assertThat(answer.status()).as(answer.body()).isNotEqualTo(413).isBetween(400, 499);
  }

  @Test
  void manyOversizedBodiesAtOnceLeaveTheServiceAnswering() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      List<Future<Answer>> abuse = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        abuse.add(pool.submit(() -> chunked("POST /console/sign-in HTTP/1.1",
            List.of("Content-Type: application/x-www-form-urlencoded", "Cookie: cs_console_sign_in=" + "b".repeat(43)), HUGE, (byte) 'b')));
      }
      for (Future<Answer> answer : abuse) {
        assertThat(answer.get().status()).isEqualTo(413);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(api.get("/health/live", null).status()).isEqualTo(200);
    assertThat(api.post("/api/v1/match", admin, "{\"signals\":{\"md5\":\"" + "0".repeat(32) + "\"}}").status()).isEqualTo(200);
  }
}
