package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.countersignal.server.fetch.AllowedNetwork;
import org.countersignal.server.fetch.FetchPolicy;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python client ({@code clients/python}) against a real server: its own unittest suite, run by
 * Debian's Python with this server's address and an admin key, must pass whole, none skipped. The
 * server may fetch from one loopback port, on which the suite serves the content it has the
 * server fetch.
 */
class PythonClientTest {

  /** Debian's interpreter by its path: a version manager's shim may come first on the PATH. */
  private static final Path PYTHON = Path.of(System.getProperty("countersignal.python", "/usr/bin/python3"));

  /** Fewer would mean the discovery missed a file of the suite. */
  private static final int MIN_TESTS = 38;

  private static final Pattern RAN = Pattern.compile("^Ran (\\d+) tests? in ", Pattern.MULTILINE);

  @TempDir static Path dataDir;

  @Test
  void clientSuitePassesAgainstARealServer() throws Exception {
    requirePython();
    Path client = clientFolder();
    int fetchPort = freePort();
    FetchPolicy fetch = FetchPolicy.DEFAULT.withAllowedNetworks(List.of(AllowedNetwork.parse("127.0.0.1/32:" + fetchPort)));
    try (CountersignalServer server = CountersignalServer.builder(TestServers.config(dataDir)).fetchPolicy(fetch).start()) {
      assertThat(server.awaitReady(Duration.ofSeconds(20))).as("indexes loaded").isTrue();
      ProcessBuilder builder = new ProcessBuilder(PYTHON.toString(), "-m", "unittest", "discover", "-v",
          "-s", client.resolve("tests").toString(), "-t", client.toString())
          .directory(client.toFile())
          .redirectErrorStream(true);
      Map<String, String> environment = builder.environment();
      environment.put("COUNTERSIGNAL_URL", "http://127.0.0.1:" + server.port());
      environment.put("COUNTERSIGNAL_KEY", server.initialAdminKey().orElseThrow());
      environment.put("COUNTERSIGNAL_TEST_FETCH_PORT", String.valueOf(fetchPort));
      environment.put("PYTHONPATH", client.toString());
      // No __pycache__ folders left in the source tree.
      environment.put("PYTHONDONTWRITEBYTECODE", "1");
      environment.put("PYTHONUNBUFFERED", "1");

      Process process = builder.start();
      List<String> output = Collections.synchronizedList(new ArrayList<>());
      // Read on a thread of its own, so a suite that hangs with its output open still times out.
      Thread reader = Thread.ofPlatform().start(() -> {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = lines.readLine()) != null; ) {
            System.out.println("python: " + line);
            output.add(line);
          }
        } catch (IOException e) {
          output.add("(output cut short: " + e + ")");
        }
      });
      if (!process.waitFor(10, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        fail("the Python client's tests did not finish in 10 minutes");
      }
      reader.join();
      String text = String.join("\n", output);
      assertThat(process.exitValue()).as("exit code of the Python client's tests:\n" + text).isZero();
      Matcher ran = RAN.matcher(text);
      assertThat(ran.find()).as("unittest's summary line in:\n" + text).isTrue();
      assertThat(Integer.parseInt(ran.group(1))).as("tests the Python suite ran").isGreaterThanOrEqualTo(MIN_TESTS);
      // "OK (skipped=1)" would mean a part of the client went untested.
      assertThat(output.getLast()).as("the summary, none skipped").isEqualTo("OK");
    }
  }

  /** Skips loudly without a Python 3.11 or newer, and fails instead where CI requires the client's tests. */
  private static void requirePython() throws IOException, InterruptedException {
    String problem = null;
    if (!Files.isExecutable(PYTHON)) {
      problem = PYTHON + " is not installed (apt-get install python3)";
    } else {
      Process version = new ProcessBuilder(PYTHON.toString(), "-c", "import sys; print(sys.version_info >= (3, 11))")
          .redirectErrorStream(true).start();
      String answer = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!version.waitFor(30, TimeUnit.SECONDS) || !answer.equals("True")) {
        problem = PYTHON + " is older than Python 3.11 (" + answer + ")";
      }
    }
    if (problem == null) {
      return;
    }
    String message = problem + ": the Python client's tests cannot run";
    if ("true".equalsIgnoreCase(System.getenv("COUNTERSIGNAL_PYTHON_REQUIRED"))) {
      fail(message);
    }
    System.err.println("\n*** SKIPPED: " + message + " ***\n");
    Assumptions.assumeTrue(false, message);
  }

  /** {@code clients/python} of this checkout, found upwards from the module the build runs in. */
  private static Path clientFolder() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path client = dir.resolve("clients").resolve("python");
      if (Files.isDirectory(client.resolve("countersignal_client"))) {
        return client;
      }
    }
    throw new IllegalStateException("no clients/python above " + Path.of("").toAbsolutePath());
  }

  /** A port free now, for the suite's content server; the server under test may fetch from it alone. */
  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
