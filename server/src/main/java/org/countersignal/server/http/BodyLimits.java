package org.countersignal.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Caps every request body while it streams, whatever its framing: a body declared too large is
 * refused before any of it is read, and a chunked body (which declares nothing) fails the read
 * that crosses its cap, so no route ever buffers more than its own limit.
 *
 * <p>It sits in front of the servlet layer, where Javalin's own cap only sees
 * {@code Content-Length}. The cap is chosen from the request alone: form bodies (the console's
 * sign-in and decisions) get a few KB whatever their path, because a form is read before its
 * CSRF token can be checked; a route that takes content declares its path and cap; every other
 * body is JSON of at most {@link RequestBodies#MAX_JSON_BYTES}.
 */
final class BodyLimits extends Handler.Wrapper {

  /** Console forms carry a few short fields and a reason; 16 KiB is far above any real one. */
  static final long FORM_BYTES = 16 * 1024;

  private record RouteCap(String method, Pattern path, long bytes, boolean forms) {}

  private final List<RouteCap> routes = new ArrayList<>();
  private final long defaultBytes;
  private final ObjectMapper mapper;

  BodyLimits(long defaultBytes, ObjectMapper mapper) {
    this.defaultBytes = defaultBytes;
    this.mapper = mapper;
  }

  /** Lets bodies of {@code method path} (a template such as {@code /banks/{id}/entries}) reach {@code bytes}. */
  BodyLimits route(String method, String pathTemplate, long bytes) {
    return add(method, pathTemplate, bytes, false);
  }

  /**
   * The same for a route that takes content as a multipart form (HMA's uploads), and reads it
   * only once it knows its caller by a key: its cap holds for forms too.
   */
  BodyLimits formRoute(String method, String pathTemplate, long bytes) {
    return add(method, pathTemplate, bytes, true);
  }

  private BodyLimits add(String method, String pathTemplate, long bytes, boolean forms) {
    String regex = Pattern.quote(pathTemplate).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q");
    routes.add(new RouteCap(method, Pattern.compile(regex), bytes, forms));
    return this;
  }

  long limitFor(Request request) {
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).strip();
    boolean form = type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data");
    String path = Request.getPathInContext(request);
    for (RouteCap route : routes) {
      if (route.method().equals(request.getMethod()) && route.path().matcher(path).matches() && (!form || route.forms())) {
        return route.bytes();
      }
    }
    return form ? FORM_BYTES : defaultBytes;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    long limit = limitFor(request);
    long declared = request.getLength();
    if (declared > limit) {
      refuse(request, response, callback, limit);
      return true;
    }
    return super.handle(new Capped(request, limit), response, callback);
  }

  /** The read that crosses a body's cap fails with this; {@link ApiServer} answers it with 413. */
  static final class TooLarge extends java.io.IOException {
    private final long limit;

    TooLarge(long limit) {
      super("a request body here may have at most " + limit + " bytes");
      this.limit = limit;
    }

    long limit() {
      return limit;
    }

    /** The cap that failed a read, if {@code failure} comes from one. */
    static java.util.Optional<TooLarge> in(Throwable failure) {
      for (Throwable t = failure; t != null; t = t.getCause()) {
        if (t instanceof TooLarge tooLarge) {
          return java.util.Optional.of(tooLarge);
        }
      }
      return java.util.Optional.empty();
    }
  }

  /** The body as it arrives, failing once more than {@code limit} bytes have come. */
  private static final class Capped extends Request.Wrapper {
    private final long limit;
    private long read;

    Capped(Request request, long limit) {
      super(request);
      this.limit = limit;
    }

    @Override
    public Content.Chunk read() {
      Content.Chunk chunk = super.read();
      if (chunk == null || Content.Chunk.isFailure(chunk)) {
        return chunk;
      }
      read += chunk.remaining();
      if (read > limit) {
        chunk.release();
        return Content.Chunk.from(new TooLarge(limit), true);
      }
      return chunk;
    }
  }

  private void refuse(Request request, Response response, Callback callback, long limit) throws java.io.IOException {
    Problem problem = new Problem(Problem.typeUri("too-large"), "Content too large", 413,
        "a request body here may have at most " + limit + " bytes", Request.getPathInContext(request), null);
    response.setStatus(413);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    // The body is left unread, so the connection cannot carry another request.
    response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    response.write(true, ByteBuffer.wrap(mapper.writeValueAsBytes(problem)), callback);
  }
}
