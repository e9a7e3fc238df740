package org.countersignal.server.http;

import java.security.SecureRandom;
import java.util.Base64;
import org.countersignal.server.tls.ServerCertificate;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The port as HTTPS: the JDK's TLS through Jetty, TLS 1.2 and 1.3 only, cipher suites left to the
 * JDK's defaults less those Jetty excludes as weak. A plain HTTP request to it gets no answer.
 */
final class HttpsConnector {

  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private HttpsConnector() {}

  /** A connector on {@code host}:{@code port} presenting {@code certificate}, with Javalin's HTTP settings. */
  static ServerConnector create(Server server, HttpConfiguration http, ServerCertificate certificate, String host, int port) {
    // The key store lives in memory only; its password guards nothing and is never written down.
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    String password = Base64.getEncoder().encodeToString(random);
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setKeyStore(certificate.keyStore(password.toCharArray()));
    tls.setKeyStorePassword(password);
    tls.setKeyManagerPassword(password);
    tls.setIncludeProtocols(PROTOCOLS);
    // Requests say they came over HTTPS (the console's cookies are then Secure). The host a
    // request names is not checked against the certificate: with one certificate there is no
    // other to pick, and probes by address (load balancers, health checks) would be refused.
    http.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
    ServerConnector connector = new ServerConnector(server,
        new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }
}
