package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.Collections;
import org.countersignal.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A server started without a host setting listens on loopback only: trying it out must not put
 * an API and a console on the network. Listening on every interface is a choice, and said loudly.
 */
class ListenAddressTest {

  @TempDir Path dataDir;

  /** An address of this machine other than loopback, or null when it has none. */
  static InetAddress outsideAddress() throws SocketException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address) {
            return address;
          }
        }
      }
    }
    return null;
  }

  static boolean connects(InetAddress address, int port) {
    try (Socket socket = new Socket(address, port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void byDefaultOnlyThisMachineCanConnect() throws Exception {
    assertThat(ServerConfig.defaults().host()).isEqualTo("127.0.0.1");
    InetAddress outside = outsideAddress();
    assumeTrue(outside != null, "the machine has no address but loopback");
    try (CountersignalServer server = TestServers.start(TestDatabases.forDataDir(ServerConfig.defaults().withPort(0), dataDir))) {
      Api api = new Api(server.port());
      assertThat(api.get("/health/live", null).status()).isEqualTo(200);
      assertThat(connects(outside, server.port())).as("reachable on " + outside.getHostAddress()).isFalse();
    }
  }

  @Test
  void listeningOnEveryInterfaceIsWarnedAbout() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(CountersignalServer.class);
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    logger.addAppender(seen);
    try (CountersignalServer server = TestServers.start(TestServers.config(dataDir).withHost("0.0.0.0"))) {
      assertThat(new Api(server.port()).get("/health/live", null).status()).isEqualTo(200);
      InetAddress outside = outsideAddress();
      if (outside != null) {
        assertThat(connects(outside, server.port())).isTrue();
      }
    } finally {
      logger.detachAppender(seen);
    }
    assertThat(seen.list).anySatisfy(event -> {
      assertThat(event.getLevel()).isEqualTo(Level.WARN);
      assertThat(event.getFormattedMessage()).contains("EVERY NETWORK INTERFACE").contains("0.0.0.0");
    });
  }
}
