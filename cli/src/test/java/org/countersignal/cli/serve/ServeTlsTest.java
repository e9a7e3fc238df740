package org.countersignal.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.countersignal.cli.CliRun;
import org.countersignal.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The HTTPS settings of {@code serve}: where they come from, HTTPS on the port, and clear refusals. */
class ServeTlsTest {

  @TempDir Path dir;

  @Test
  void optionsOverEnvironmentOverFileWithFilePathsBesideTheFile() throws Exception {
    Path file = dir.resolve("cs.properties");
    Files.writeString(file, "tls-certificate = certs/chain.pem\ntls-key = certs/key.pem\n");
    ServeCommand fileOnly = new ServeCommand();
    new CommandLine(fileOnly).parseArgs("--config", file.toString());
    ServerConfig fromFile = fileOnly.resolve(Map.of());
    assertThat(fromFile.servesHttps()).isTrue();
    assertThat(fromFile.tlsCertificate()).isEqualTo(dir.toAbsolutePath().resolve("certs/chain.pem"));
    assertThat(fromFile.tlsKey()).isEqualTo(dir.toAbsolutePath().resolve("certs/key.pem"));

    Map<String, String> env = Map.of("COUNTERSIGNAL_TLS_CERTIFICATE", "/etc/env/chain.pem", "COUNTERSIGNAL_TLS_KEY", "/etc/env/key.pem");
    ServerConfig fromEnv = fileOnly.resolve(env);
    assertThat(fromEnv.tlsCertificate()).isEqualTo(Path.of("/etc/env/chain.pem"));
    assertThat(fromEnv.tlsKey()).isEqualTo(Path.of("/etc/env/key.pem"));

    ServeCommand flags = new ServeCommand();
    new CommandLine(flags).parseArgs("--config", file.toString(), "--tls-certificate", "/flag/chain.pem", "--tls-key", "/flag/key.pem");
    ServerConfig fromFlags = flags.resolve(env);
    assertThat(fromFlags.tlsCertificate()).isEqualTo(Path.of("/flag/chain.pem"));
    assertThat(fromFlags.tlsKey()).isEqualTo(Path.of("/flag/key.pem"));

    ServeCommand none = new ServeCommand();
    new CommandLine(none).parseArgs();
    assertThat(none.resolve(Map.of()).servesHttps()).as("plain HTTP by default").isFalse();
  }

  @Test
  void aCertificateWithoutItsKeyIsRefusedWithExitCode2() {
    CliRun run = CliRun.of("serve", "--data-dir", dir.toString(), "--tls-certificate", dir.resolve("chain.pem").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("tls-certificate is set but tls-key is not");
  }

  @Test
  void aMissingOrMismatchedFileStopsTheStartWithExitCode1AndTheReason() throws Exception {
    Path[] first = issue("first");
    Path[] second = issue("second");
    CliRun missing = CliRun.of("serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", dir.resolve("data").toString(),
        "--tls-certificate", first[0].toString(), "--tls-key", dir.resolve("nowhere.pem").toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("cannot start: tls-key " + dir.resolve("nowhere.pem") + ": no such file");

    CliRun mismatched = CliRun.of("serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", dir.resolve("data").toString(),
        "--tls-certificate", first[0].toString(), "--tls-key", second[1].toString());
    assertThat(mismatched.exitCode()).isEqualTo(1);
    assertThat(mismatched.err()).contains("cannot start: tls-key " + second[1] + ": is not the private key of the certificate in " + first[0]);
    assertThat(dir.resolve("data").resolve("initial-admin-key")).doesNotExist();
  }

  @Test
  void servesHttpsAndSaysSo() throws Exception {
    Path[] issued = issue("server");
    ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dir.resolve("data"))
        .withTlsCertificate(issued[0]).withTlsKey(issued[1]);
    StringWriter err = new StringWriter();
    CountDownLatch stop = new CountDownLatch(1);
    Thread thread = new Thread(() -> {
      try {
        ServeCommand.serve(config, false, new PrintWriter(err, true), stop);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    thread.start();
    try {
      Pattern listening = Pattern.compile("listening on https://127\\.0\\.0\\.1:(\\d+)");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      String port = null;
      while (port == null && System.nanoTime() < deadline) {
        Matcher m = listening.matcher(err.toString());
        if (m.find()) {
          port = m.group(1);
        } else {
          Thread.sleep(20);
        }
      }
      assertThat(port).as(err.toString()).isNotNull();
      HttpResponse<String> live = trusting(issued[0]).send(
          HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/health/live")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).isEqualTo(200);
    } finally {
      stop.countDown();
      thread.join(30_000);
    }
  }

  /** A self-signed EC certificate for 127.0.0.1 made by the JDK's keytool, as PEM files: the certificate, and its PKCS#8 key. */
  private Path[] issue(String name) throws Exception {
    Path store = dir.resolve(name + ".p12");
    Process keytool = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-noprompt", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
        "-ext", "san=ip:127.0.0.1", "-validity", "30", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", "test-only", "-keypass", "test-only")).redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0).as(output).isTrue();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, "test-only".toCharArray());
    }
    Path certificate = Files.writeString(dir.resolve(name + ".crt.pem"), pem("CERTIFICATE", keys.getCertificate("server").getEncoded()));
    Path key = Files.writeString(dir.resolve(name + ".key.pem"), pem("PRIVATE KEY", keys.getKey("server", "test-only".toCharArray()).getEncoded()));
    return new Path[] {certificate, key};
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + label + "-----\n";
  }

  private static HttpClient trusting(Path certificate) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("server", CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certificate))));
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trust.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(tls).build();
  }
}
