package org.countersignal.server.bank;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.countersignal.server.RequestException;
import org.countersignal.signals.MalformedSignalException;
import org.countersignal.signals.SignalType;
import org.countersignal.signals.digest.DigestSignalType;
import org.countersignal.signals.image.ImageDecoder;
import org.countersignal.signals.pdq.PdqSignalType;

/**
 * The signal types the service banks and matches, by name, and their canonical text form: a
 * value is stored and indexed exactly as its type formats it, so "ABC…" and "abc…" are one
 * signal.
 */
public final class SignalCatalog {

  public static final String PDQ = "pdq";
  public static final String MD5 = "md5";
  public static final String SHA256 = "sha256";

  private final Map<String, SignalType<?>> types = new LinkedHashMap<>();

  public SignalCatalog() {
    // parse/format do not decode images; the decoder only matters for hashing uploads.
    types.put(PDQ, new PdqSignalType(new ImageDecoder()));
    types.put(MD5, DigestSignalType.MD5);
    types.put(SHA256, DigestSignalType.SHA256);
  }

  public Set<String> names() {
    return types.keySet();
  }

  public boolean knows(String name) {
    return types.containsKey(name);
  }

  /** Largest sensible threshold: the whole PDQ hash for pdq, 0 for exact digests. */
  public int maxThreshold(String name) {
    return PDQ.equals(name) ? 256 : 0;
  }

  public int defaultThreshold(String name) {
    return type(name, name).defaultThreshold();
  }

  /**
   * The canonical text of {@code text} as a {@code name} signal.
   *
   * @param field where the value came from in the request, for the problem detail
   */
  public String canonical(String name, String text, String field) {
    SignalType<?> type = type(name, field);
    try {
      return canonical(type, text);
    } catch (MalformedSignalException e) {
      throw RequestException.invalid(field, e.getMessage());
    }
  }

  private static <S> String canonical(SignalType<S> type, String text) {
    return type.format(type.parse(text));
  }

  private SignalType<?> type(String name, String field) {
    SignalType<?> type = types.get(name);
    if (type == null) {
      throw RequestException.invalid(field, "unknown signal type '" + name + "'; known: " + String.join(", ", types.keySet()));
    }
    return type;
  }
}
