package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.countersignal.server.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers over HTTPS: A serves its API on HTTPS with a self-signed certificate made here, B (plain
 * HTTP) follows A's feed and trusts that certificate, and only it, for this exchange. Without it,
 * or with another, B's fetch fails on TLS and applies nothing; a certificate that does not name
 * the host of the exchange's url is refused too; plain HTTP gets nothing from the HTTPS port; and
 * a server whose certificate or key is missing, unreadable or mismatched does not start.
 */
class FederationTlsTest {

  @TempDir static Path certificates;
  /** A's certificate: EC, naming 127.0.0.1 only (so {@code localhost} is a name it does not hold). */
  static TestCertificates.Issued ec;
  /** Another server's: RSA, naming 127.0.0.1 too, with a key of its own. */
  static TestCertificates.Issued rsa;
  /** A third for the same address, EC like A's, with another key. */
  static TestCertificates.Issued otherEc;

  @TempDir Path dirA;
  @TempDir Path dirB;
  final Random random = new Random(20261219);
  CountersignalServer a;
  CountersignalServer b;
  Api apiA;
  Api apiB;
  String adminA;
  String adminB;

  @BeforeAll
  static void issue() throws Exception {
    ec = TestCertificates.issue(certificates, "a", "EC", "ip:127.0.0.1");
    rsa = TestCertificates.issue(certificates, "rsa", "RSA", "ip:127.0.0.1");
    otherEc = TestCertificates.issue(certificates, "other", "EC", "ip:127.0.0.1");
  }

  /** A on HTTPS with {@code certificate}, B on plain HTTP. */
  private void start(TestCertificates.Issued certificate) throws InterruptedException {
    ServerConfig https = TestServers.config(dirA).withTlsCertificate(certificate.certificate()).withTlsKey(certificate.key());
    a = CountersignalServer.builder(https).exchangeSettings(ExchangeTest.FAST).start();
    b = CountersignalServer.builder(TestServers.config(dirB)).exchangeSettings(ExchangeTest.FAST).start();
    assertThat(a.awaitReady(Duration.ofSeconds(30))).isTrue();
    assertThat(b.awaitReady(Duration.ofSeconds(30))).isTrue();
    apiA = new Api("https://127.0.0.1:" + a.port(), certificate.client());
    apiB = new Api(b.port());
    adminA = a.initialAdminKey().orElseThrow();
    adminB = b.initialAdminKey().orElseThrow();
  }

  @AfterEach
  void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  /** A's bank "shared" published as the feed "to-b" to the peer "org-b"; returns the bank's id and the peer's key. */
  private String[] publish() {
    long bank = apiA.post("/api/v1/banks", adminA, "{\"name\":\"shared\"}").json().get("id").asLong();
    Api.Response feed = apiA.post("/api/v1/feeds", adminA, "{\"name\":\"to-b\",\"bank_id\":" + bank + "}");
    assertThat(feed.status()).as(feed.body()).isEqualTo(201);
    Api.Response peer = apiA.post("/api/v1/feeds/" + feed.json().get("id").asLong() + "/peers", adminA, "{\"name\":\"org-b\"}");
    assertThat(peer.status()).as(peer.body()).isEqualTo(201);
    return new String[] {Long.toString(bank), peer.json().get("key").asText()};
  }

  private Api.Response follow(String name, String url, String tlsCertificate, String peerKey) {
    String publicKey = apiA.get("/api/v1/federation/key", adminA).json().get("public_key").asText();
    ObjectNode body = Api.JSON.createObjectNode().put("name", name).put("kind", "countersignal").put("trust", "trusted");
    ObjectNode config = body.putObject("config").put("url", url).put("feed", "to-b").put("public_key", publicKey).put("page_size", 2);
    if (tlsCertificate != null) {
      config.put("tls_certificate", tlsCertificate);
    }
    body.putObject("credentials").put("key", peerKey);
    body.putObject("label_map").put("attacker_manifesto", "attacker_manifesto");
    return apiB.post("/api/v1/exchanges", adminB, body.toString());
  }

  private long following(String name, String url, String tlsCertificate, String peerKey) {
    Api.Response created = follow(name, url, tlsCertificate, peerKey);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asLong();
  }

  private void entry(long bank, String pdq) {
    Api.Response created = apiA.post("/api/v1/banks/" + bank + "/entries", adminA,
        "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"labels\":[\"attacker_manifesto\"]}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
  }

  private boolean matchesOnB(String pdq) {
    Api.Response match = apiB.post("/api/v1/match", adminB, "{\"signals\":{\"pdq\":\"" + pdq + "\"}}");
    assertThat(match.status()).as(match.body()).isEqualTo(200);
    return match.json().get("matches").size() > 0;
  }

  private String httpsUrlOfA() {
    return "https://127.0.0.1:" + a.port() + "/";
  }

  @Test
  void aFeedServedOverHttpsArrivesAtAPeerThatTrustsItsCertificate() throws Exception {
    start(ec);
    String[] published = publish();
    long bank = Long.parseLong(published[0]);
    String first = MatchTest.randomPdq(random);
    entry(bank, first);

    long exchange = following("from-a", httpsUrlOfA(), ec.certificatePem(), published[1]);
    JsonNode status = ExchangeTest.fetch(apiB, adminB, exchange).get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).as(status.toString()).isTrue();
    assertThat(matchesOnB(first)).isTrue();

    String later = MatchTest.randomPdq(random);
    entry(bank, later);
    status = ExchangeTest.fetch(apiB, adminB, exchange).get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).as(status.toString()).isTrue();
    assertThat(matchesOnB(later)).as("a later entry arrives over the same trust").isTrue();
    assertThat(apiB.get("/api/v1/exchanges/" + exchange, adminB).json().at("/config/tls_certificate").asText())
        .as("a certificate is no secret: shown with the configuration").isEqualTo(ec.certificatePem());

    // Opinions go back over the same trust.
    Api.Response opinion = apiB.post("/api/v1/exchanges/" + exchange + "/opinions", adminB,
        "{\"signal_type\":\"pdq\",\"signal\":\"" + first + "\",\"opinion\":\"negative_class\"}");
    assertThat(opinion.status()).as(opinion.body()).isEqualTo(204);
    JsonNode onA = apiA.get("/api/v1/entries?signal_type=pdq&signal=" + first, adminA).json().at("/items/0/opinions");
    assertThat(onA.get("negative").asLong()).as(onA.toString()).isEqualTo(1);
  }

  @Test
  void withoutTheCertificateOrWithAnotherTheFetchFailsOnTlsAndAppliesNothing() throws Exception {
    start(ec);
    String[] published = publish();
    String pdq = MatchTest.randomPdq(random);
    entry(Long.parseLong(published[0]), pdq);

    long untrusted = following("public-cas-only", httpsUrlOfA(), null, published[1]);
    JsonNode status = ExchangeTest.fetch(apiB, adminB, untrusted).get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).as(status.toString()).isFalse();
    assertThat(status.get("last_error").asText()).contains("SSLHandshakeException");
    assertThat(status.get("fetched_items").asLong()).isZero();

    long another = following("another-certificate", httpsUrlOfA(), otherEc.certificatePem(), published[1]);
    status = ExchangeTest.fetch(apiB, adminB, another).get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).as(status.toString()).isFalse();
    assertThat(status.get("last_error").asText()).contains("SSLHandshakeException");
    assertThat(status.get("fetched_items").asLong()).isZero();
    assertThat(matchesOnB(pdq)).isFalse();
  }

  @Test
  void theCertificateMustNameTheHostTheExchangeReaches() throws Exception {
    start(rsa);
    String[] published = publish();
    String pdq = MatchTest.randomPdq(random);
    entry(Long.parseLong(published[0]), pdq);

    // The same server and the same trusted certificate, reached by a name the certificate does not hold.
    long byName = following("by-name", "https://localhost:" + a.port() + "/", rsa.certificatePem(), published[1]);
    JsonNode status = ExchangeTest.fetch(apiB, adminB, byName).get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).as(status.toString()).isFalse();
    assertThat(status.get("last_error").asText()).contains("SSLHandshakeException");
    assertThat(matchesOnB(pdq)).isFalse();

    long byAddress = following("by-address", httpsUrlOfA(), rsa.certificatePem(), published[1]);
    status = ExchangeTest.fetch(apiB, adminB, byAddress).get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).as(status.toString()).isTrue();
    assertThat(matchesOnB(pdq)).isTrue();
  }

  @Test
  void theHttpsPortAnswersNoPlainHttpAndTheConsoleCookieIsSecure() throws Exception {
    start(ec);
    // The port answers a plain request with a TLS alert, which is no HTTP answer at all.
    Throwable plain = catchThrowable(() -> new Api(a.port()).get("/api/v1/federation/key", adminA));
    assertThat(plain).isInstanceOf(UncheckedIOException.class);
    assertThat(apiA.get("/health/live", null).status()).isEqualTo(200);

    ConsoleClient browser = new ConsoleClient("https://127.0.0.1:" + a.port(), ec.client());
    ConsoleClient.Page signedIn = browser.signInWithKey(TestServers.key(apiA, adminA, "reviewer"));
    assertThat(signedIn.status()).isEqualTo(303);
    assertThat(signedIn.setCookies().stream().filter(c -> c.startsWith("cs_console=")).findFirst().orElseThrow())
        .as("no X-Forwarded-Proto: the request itself came over HTTPS").containsIgnoringCase("Secure");
  }

  @Test
  void aTlsCertificateThatIsNotOneIsRefusedWithTheField() throws Exception {
    start(ec);
    String[] published = publish();
    Api.Response garbage = follow("bad", httpsUrlOfA(), "not a certificate", published[1]);
    assertThat(garbage.status()).as(garbage.body()).isEqualTo(422);
    assertThat(garbage.json().get("detail").asText()).contains("tls_certificate: holds no PEM certificate");
    Api.Response key = follow("bad", httpsUrlOfA(), Files.readString(ec.key()), published[1]);
    assertThat(key.status()).as(key.body()).isEqualTo(422);
    assertThat(key.json().get("detail").asText()).contains("tls_certificate: holds no PEM certificate");
    Api.Response plainUrl = follow("bad", "http://127.0.0.1:" + a.port() + "/", ec.certificatePem(), published[1]);
    assertThat(plainUrl.status()).as(plainUrl.body()).isEqualTo(422);
    assertThat(plainUrl.json().get("detail").asText()).contains("tls_certificate: set for a plain http url");
  }

  @Test
  void aServerWithAMissingUnreadableOrMismatchedCertificateOrKeyDoesNotStart() throws Exception {
    Path missing = certificates.resolve("missing.pem");
    Path notPem = Files.writeString(dirA.resolve("not.pem"), "just some text\n");
    Path pkcs1 = Files.writeString(dirA.resolve("pkcs1.pem"), "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
    Map<String, ServerConfig> refused = new java.util.LinkedHashMap<>();
    ServerConfig base = TestServers.config(dirA);
    refused.put("tls-certificate " + missing + ": no such file", base.withTlsCertificate(missing).withTlsKey(ec.key()));
    refused.put("tls-key " + missing + ": no such file", base.withTlsCertificate(ec.certificate()).withTlsKey(missing));
    refused.put("tls-certificate " + notPem + ": holds no PEM certificate", base.withTlsCertificate(notPem).withTlsKey(ec.key()));
    refused.put("tls-key " + ec.certificate() + ": holds no PEM private key", base.withTlsCertificate(ec.certificate()).withTlsKey(ec.certificate()));
    refused.put("tls-key " + pkcs1 + ": holds an RSA PRIVATE KEY (PKCS#1 or SEC 1); give the same key as PKCS#8",
        base.withTlsCertificate(ec.certificate()).withTlsKey(pkcs1));
    refused.put("tls-key " + otherEc.key() + ": is not the private key of the certificate in " + ec.certificate(),
        base.withTlsCertificate(ec.certificate()).withTlsKey(otherEc.key()));
    refused.put("tls-key " + rsa.key() + ": is not the private key of the certificate in " + ec.certificate(),
        base.withTlsCertificate(ec.certificate()).withTlsKey(rsa.key()));
    refused.put("tls-certificate is set but tls-key is not", base.withTlsCertificate(ec.certificate()));
    refused.put("tls-key is set but tls-certificate is not", base.withTlsKey(ec.key()));
    for (Map.Entry<String, ServerConfig> bad : refused.entrySet()) {
      assertThatThrownBy(() -> CountersignalServer.builder(bad.getValue()).start().close())
          .as(bad.getKey()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad.getKey());
    }
    assertThat(dirA.resolve(CountersignalServer.INITIAL_ADMIN_KEY_FILE)).as("no start got as far as making a key").doesNotExist();
    assertThat(dirA.resolve("countersignal.mv.db")).as("nor as opening the database").doesNotExist();
  }
}
