package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.countersignal.server.http.ApiServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A client that drops its request half-way is an everyday event, not a server fault: one short
 * line in the log, no stack trace at ERROR, however many do it.
 */
class AbortedRequestTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    Logger logger = (Logger) LoggerFactory.getLogger(ApiServer.class);
    LOG.start();
    logger.addAppender(LOG);
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(ApiServer.class)).detachAppender(LOG);
    server.close();
  }

  @Test
  void abortedSignInsAreOneShortLineEach() throws Exception {
    int aborted = 20;
    for (int i = 0; i < aborted; i++) {
      try (Socket socket = new Socket("127.0.0.1", server.port())) {
        String head = "POST /console/sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + "Cookie: cs_console_sign_in=" + "c".repeat(43) + "\r\nContent-Length: 4000\r\n\r\nmethod=password&username=a";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
      } // closed with most of the declared body unsent
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (lines().size() < aborted && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }

    List<ILoggingEvent> lines = lines();
    assertThat(lines).hasSize(aborted);
    assertThat(lines).allSatisfy(line -> {
      assertThat(line.getLevel()).isEqualTo(Level.INFO);
      assertThat(line.getThrowableProxy()).isNull();
      assertThat(line.getFormattedMessage()).contains("POST /console/sign-in").contains("closed the connection");
    });
    assertThat(LOG.list).noneMatch(line -> line.getLevel() == Level.ERROR);
  }

  private static List<ILoggingEvent> lines() {
    synchronized (LOG) { // the appender adds under its own lock
      return List.copyOf(LOG.list);
    }
  }
}
