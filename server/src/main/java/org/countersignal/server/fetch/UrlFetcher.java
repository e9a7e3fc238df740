package org.countersignal.server.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches content from URLs that callers give, guarded against server-side request forgery.
 *
 * <p>The address check sits in the HTTP client's name resolver, so the addresses checked are
 * exactly the ones connected to: a host name that resolves to a public address when checked and
 * to a private one when connecting (DNS rebinding) cannot slip through. Redirects are followed
 * here, not by the client, so every hop is checked the same way, and there are at most
 * {@link FetchPolicy#maxRedirects()} of them. Bodies are read as sent (no transparent
 * decompression, so a small compressed body cannot expand past the cap) and cut off at the
 * caller's byte limit.
 */
public final class UrlFetcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(UrlFetcher.class);
  /**
   * The one answer for every refused destination. Which address a name resolved to, and why it
   * was refused, would tell a caller what lies inside the network, so that goes to the log.
   */
  /**
   * One answer for every destination refused or not found: telling "unknown" from "private"
   * would let a caller map which internal names exist.
   */
  static final String REFUSED = "the URL's host is not a public address that resolves";

  private final FetchPolicy policy;
  private final AddressCheck check;
  /** Made at the first fetch: starting one was a good part of the server's start, and many servers never fetch. */
  private HttpClient client;
  private boolean closed;

  public UrlFetcher(FetchPolicy policy) {
    this.policy = policy;
    this.check = new AddressCheck(policy.allowedNetworks());
  }

  private synchronized HttpClient client() {
    if (closed) {
      throw new IllegalStateException("the fetcher is closed");
    }
    if (client == null) {
      HttpClient started = new HttpClient();
      started.setFollowRedirects(false);
      started.setConnectTimeout(policy.connectTimeout().toMillis());
      started.setIdleTimeout(policy.idleTimeout().toMillis());
      started.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Countersignal"));
      started.setSocketAddressResolver(new CheckedResolver());
      started.getContentDecoderFactories().clear();
      try {
        started.start();
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the HTTP client", e);
      }
      client = started;
    }
    return client;
  }

  /** A response being received: its final URL, type and declared length, and the capped body. */
  public static final class Download implements AutoCloseable {
    private final URI uri;
    private final String contentType;
    private final long declaredLength;
    private final InputStream body;
    private final long maxBytes;

    private Download(URI uri, String contentType, long declaredLength, InputStream body, long maxBytes) {
      this.uri = uri;
      this.contentType = contentType;
      this.declaredLength = declaredLength;
      this.body = body;
      this.maxBytes = maxBytes;
    }

    public URI uri() {
      return uri;
    }

    /** The Content-Type the server sent (lower case, without parameters), or empty. */
    public Optional<String> contentType() {
      return Optional.ofNullable(contentType);
    }

    /** Reads up to {@code n} bytes of the start of the body, for recognising the content. */
    public byte[] peek(int n) throws IOException {
      body.mark(n);
      byte[] head = body.readNBytes(n);
      body.reset();
      return head;
    }

    /** The whole body; too large is a 413. */
    public byte[] readAll() {
      return readAll(maxBytes);
    }

    /** The whole body if it has at most {@code limit} bytes (and the download's cap); else a 413. */
    public byte[] readAll(long limit) {
      long cap = Math.min(limit, maxBytes);
      if (declaredLength > cap) {
        throw tooLarge(uri, cap);
      }
      try (var out = new java.io.ByteArrayOutputStream(declaredLength > 0 ? (int) declaredLength : 8192)) {
        copyTo(out, cap);
        return out.toByteArray();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Writes the whole body to {@code out}; too large is a 413. */
    public void copyTo(OutputStream out) throws IOException {
      copyTo(out, maxBytes);
    }

    private void copyTo(OutputStream out, long maxBytes) throws IOException {
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      try {
        for (int n; (n = body.read(buffer)) >= 0; ) {
          total += n;
          if (total > maxBytes) {
            throw tooLarge(uri, maxBytes);
          }
          out.write(buffer, 0, n);
        }
      } catch (IOException e) {
        throw new RequestException(Kind.INVALID, "url", "url: reading " + uri + " failed: " + message(e));
      }
    }

    @Override
    public void close() throws IOException {
      body.close();
    }
  }

  /**
   * Requests {@code url} (GET), following checked redirects, and returns the response once its
   * headers are in; the body is read from the returned download.
   *
   * @param maxBytes the largest body accepted
   * @param timeout the longest the whole exchange, body included, may take
   */
  public Download open(String url, long maxBytes, Duration timeout) {
    URI uri = checkedUri(url);
    for (int hop = 0; ; hop++) {
      InputStreamResponseListener listener = new InputStreamResponseListener();
      Request request = client().newRequest(uri).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
      request.send(listener);
      Response response;
      try {
        response = listener.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw failure(uri, e.getCause());
      } catch (TimeoutException e) {
        request.abort(e);
        throw new RequestException(Kind.INVALID, "url", "url: " + uri + " did not answer within " + timeout.toSeconds() + " s");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        request.abort(e);
        throw new RequestException(Kind.INVALID, "url", "url: fetching " + uri + " was interrupted");
      }
      int status = response.getStatus();
      String location = response.getHeaders().get(HttpHeader.LOCATION);
      if (status >= 300 && status < 400 && location != null) {
        closeQuietly(listener);
        if (hop >= policy.maxRedirects()) {
          throw new RequestException(Kind.INVALID, "url", "url: more than " + policy.maxRedirects() + " redirects");
        }
        uri = checkedUri(resolve(uri, location));
        continue;
      }
      if (status < 200 || status >= 300) {
        closeQuietly(listener);
        throw new RequestException(Kind.INVALID, "url", "url: " + uri + " answered HTTP " + status);
      }
      long length = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
      if (length > maxBytes) {
        closeQuietly(listener);
        throw tooLarge(uri, maxBytes);
      }
      String type = response.getHeaders().get(HttpHeader.CONTENT_TYPE);
      if (type != null) {
        int semicolon = type.indexOf(';');
        type = (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
      }
      return new Download(uri, type, length, new java.io.BufferedInputStream(listener.getInputStream(), 64 * 1024), maxBytes);
    }
  }

  /** Only absolute http(s) URLs with a host and without credentials are fetched. */
  static URI checkedUri(String url) {
    if (url == null || url.isBlank()) {
      throw RequestException.invalid("url", "is required");
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw RequestException.invalid("url", "is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw RequestException.invalid("url", "only http and https URLs are fetched");
    }
    String host = uri.getHost() != null ? uri.getHost()
        : uri.getRawAuthority() != null ? HostLiteral.ofAuthority(uri.getRawAuthority()) : "";
    if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
      throw RequestException.invalid("url", "must not carry a user name or password");
    }
    // Before any resolution: a numeric host in an ambiguous form is refused, not interpreted.
    HostLiteral.ambiguity(host).ifPresent(why -> {
      throw RequestException.invalid("url", why);
    });
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw RequestException.invalid("url", "has no host");
    }
    return uri;
  }

  private static String resolve(URI base, String location) {
    try {
      return base.resolve(new URI(location.strip())).toString();
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw RequestException.invalid("url", "redirected to an invalid location");
    }
  }

  private static RequestException failure(URI uri, Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof RefusedAddress refused) {
        LOG.info("Refused to fetch {}: {}", uri, refused.getMessage());
        return RequestException.invalid("url", "refused to fetch " + uri + ": " + REFUSED);
      }
      if (t instanceof UnknownHostException) {
        LOG.info("Refused to fetch {}: its host does not resolve", uri);
        return RequestException.invalid("url", "refused to fetch " + uri + ": " + REFUSED);
      }
      if (t instanceof TimeoutException) {
        return RequestException.invalid("url", uri + " timed out");
      }
    }
    return RequestException.invalid("url", "fetching " + uri + " failed: " + message(cause));
  }

  private static String message(Throwable t) {
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  private static RequestException tooLarge(URI uri, long maxBytes) {
    return new RequestException(Kind.TOO_LARGE, "url", "url: " + uri + " has more than " + maxBytes + " bytes");
  }

  private static void closeQuietly(InputStreamResponseListener listener) {
    try {
      listener.close();
    } catch (IOException ignored) {
      // the connection is discarded either way
    }
  }

  /** Thrown inside the resolver when an address of a host is refused; the message is for the log only. */
  private static final class RefusedAddress extends IOException {
    RefusedAddress(String message) {
      super(message);
    }
  }

  /** Resolves like the system does, then keeps only addresses the check admits. */
  private final class CheckedResolver implements SocketAddressResolver {
    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
      InetAddress[] addresses;
      try {
        addresses = InetAddress.getAllByName(host);
      } catch (UnknownHostException e) {
        promise.failed(e);
        return;
      }
      List<InetSocketAddress> admitted = new ArrayList<>();
      String refusal = null;
      for (InetAddress address : addresses) {
        Optional<String> why = check.refusal(address, port);
        if (why.isEmpty()) {
          admitted.add(new InetSocketAddress(address, port));
        } else if (refusal == null) {
          refusal = "host " + host + ": " + why.get();
        }
      }
      // One refused address refuses the host: a name that also points inside must not be
      // fetched from, whichever address the connection would happen to try first.
      if (refusal != null) {
        promise.failed(new RefusedAddress(refusal));
      } else {
        promise.succeeded(admitted);
      }
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (client == null) {
      return;
    }
    try {
      client.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
