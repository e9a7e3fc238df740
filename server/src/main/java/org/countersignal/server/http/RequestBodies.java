package org.countersignal.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.javalin.http.Context;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.stream.Collectors;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;

/** Reads request bodies and turns every way they can be wrong into a 4xx, never a 500. */
public final class RequestBodies {

  /** JSON bodies are small: banks and entries, not content. */
  static final int MAX_JSON_BYTES = 1 << 20;

  private final ObjectMapper mapper;

  public RequestBodies(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public <T> T json(Context ctx, Class<T> type) {
    return json(ctx, type, MAX_JSON_BYTES);
  }

  /** A JSON body of at most {@code maxBytes} (for the few routes whose bodies are large by design). */
  public <T> T json(Context ctx, Class<T> type, long maxBytes) {
    String contentType = ctx.contentType();
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).strip().startsWith("application/json")) {
      throw new RequestException(Kind.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json (got " + contentType + ")");
    }
    long declared = ctx.contentLength();
    if (declared > maxBytes) {
      throw new RequestException(Kind.TOO_LARGE, "a JSON body here may have at most " + maxBytes + " bytes");
    }
    return parse(read(ctx, maxBytes), type);
  }

  /** {@code body} as a {@code type}; every way it can be wrong is a {@link RequestException}. */
  <T> T parse(byte[] body, Class<T> type) {
    if (body.length == 0) {
      throw new RequestException(Kind.MALFORMED, "the request needs a JSON body");
    }
    try {
      T value = mapper.readValue(body, type);
      if (value == null) {
        throw new RequestException(Kind.MALFORMED, "the request body is JSON null; send an object");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      String field = path(e);
      throw new RequestException(Kind.MALFORMED, field, "unknown field '" + field + "'");
    } catch (MismatchedInputException e) {
      String field = path(e);
      throw new RequestException(Kind.MALFORMED, field.isEmpty() ? null : field,
          field.isEmpty() ? "the body does not have the expected shape" : "field '" + field + "' has the wrong type");
    } catch (JsonProcessingException e) {
      String duplicate = duplicateKey(e);
      if (duplicate != null) {
        // Readers disagree on which of two equal keys counts; the service takes neither.
        throw new RequestException(Kind.MALFORMED, duplicate, "field '" + duplicate + "' is given twice");
      }
      if (e instanceof JsonMappingException mapping && !path(mapping).isEmpty()) {
        // E.g. a number out of range for its field.
        String field = path(mapping);
        throw new RequestException(Kind.MALFORMED, field, "field '" + field + "' has the wrong type: " + e.getOriginalMessage());
      }
      throw new RequestException(Kind.MALFORMED, "the body is not well-formed JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new RequestException(Kind.MALFORMED, "the body could not be read");
    }
  }

  /** The body, read no further than one byte past {@code maxBytes} whatever its framing. */
  private static byte[] read(Context ctx, long maxBytes) {
    byte[] body;
    try {
      body = ctx.req().getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    } catch (java.io.IOException e) {
      if (BodyLimits.TooLarge.in(e).isPresent()) {
        throw new RequestException(Kind.TOO_LARGE, "a JSON body here may have at most " + maxBytes + " bytes");
      }
      throw new RequestException(Kind.MALFORMED, "the body could not be read");
    }
    if (body.length > maxBytes) {
      throw new RequestException(Kind.TOO_LARGE, "a JSON body here may have at most " + maxBytes + " bytes");
    }
    return body;
  }

  /**
   * The path of a key given twice in one object ({@code StreamReadFeature.STRICT_DUPLICATE_DETECTION}),
   * or null: the parser that refused it still stands in the object, on the repeated name.
   */
  private static String duplicateKey(JsonProcessingException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StreamReadException read && read.getProcessor() instanceof JsonParser parser
          && read.getOriginalMessage() != null && read.getOriginalMessage().startsWith("Duplicate field '")) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
          parts.addFirst(c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
        }
        String path = String.join("", parts);
        return path.startsWith(".") ? path.substring(1) : path;
      }
    }
    return null;
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }

  /** A non-negative whole-number query parameter, or {@code fallback} when absent. */
  public static long longParam(Context ctx, String name, long fallback, long min, long max) {
    String text = ctx.queryParam(name);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text.strip());
      if (value < min || value > max) {
        throw new RequestException(Kind.MALFORMED, name, "query parameter '" + name + "' must be from " + min + " to " + max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new RequestException(Kind.MALFORMED, name, "query parameter '" + name + "' must be a whole number");
    }
  }

  /** A query parameter that is {@code true} or {@code false}, or null when absent; anything else is refused, never taken for false. */
  public static Boolean booleanParam(Context ctx, String name) {
    String text = ctx.queryParam(name);
    if (text == null) {
      return null;
    }
    if (!text.equals("true") && !text.equals("false")) {
      throw RequestException.invalid(name, "true or false");
    }
    return Boolean.valueOf(text);
  }

  /** A numeric path parameter such as a bank id. */
  public static long id(Context ctx, String name) {
    String text = ctx.pathParam(name);
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new RequestException(Kind.MALFORMED, name, "'" + text + "' is not an id");
    }
  }
}
