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
import org.countersignal.index.video.VideoMatchRules;
import org.countersignal.signals.vpdq.VideoLimits;
import org.countersignal.signals.vpdq.VpdqBinary;
import org.countersignal.signals.vpdq.VpdqSignal;
import org.countersignal.signals.vpdq.VpdqSignalType;
import org.countersignal.signals.vpdq.VpdqText;

/**
 * The signal types the service banks and matches, by name, and their canonical text form: a
 * value is stored and indexed exactly as its type formats it, so "ABC…" and "abc…" are one
 * signal.
 */
public final class SignalCatalog {

  public static final String PDQ = "pdq";
  public static final String MD5 = "md5";
  public static final String SHA256 = "sha256";
  /** Videos: a bank entry holds the frame hashes; its signal text is their SHA-256 (see {@link #videoIdentity}). */
  public static final String VPDQ = "vpdq";
  /** Bank rule for videos: largest distance at which two frames match. */
  public static final String VPDQ_FRAME = "vpdq_frame";
  /** Bank rule for videos: share (%) of the query video's distinct good frames that must match. */
  public static final String VPDQ_QUERY_PERCENT = "vpdq_query_percent";

  /**
   * The rules of a video match beside the {@code vpdq} threshold itself (the share, in %, of the
   * bank video's distinct good frames the query may leave unmatched: 20 means the reference's
   * "80 % matched"), with their defaults (the reference's).
   */
  private static final Map<String, Integer> VIDEO_RULES = Map.of(
      VPDQ_FRAME, VideoMatchRules.DEFAULT.maxDistance(),
      VPDQ_QUERY_PERCENT, (int) VideoMatchRules.DEFAULT.minQueryPercent());

  private final Map<String, SignalType<?>> types = new LinkedHashMap<>();

  public SignalCatalog() {
    // parse/format do not decode images; the decoder only matters for hashing uploads.
    types.put(PDQ, new PdqSignalType(new ImageDecoder()));
    types.put(MD5, DigestSignalType.MD5);
    types.put(SHA256, DigestSignalType.SHA256);
    types.put(VPDQ, new VpdqSignalType(VideoLimits.DEFAULT));
  }

  /** Every name a bank threshold may have: each signal type's distance, and the video match rules. */
  public Set<String> thresholdNames() {
    Set<String> names = new java.util.LinkedHashSet<>(types.keySet());
    names.addAll(new java.util.TreeSet<>(VIDEO_RULES.keySet()));
    return names;
  }

  public boolean knowsThreshold(String name) {
    return types.containsKey(name) || VIDEO_RULES.containsKey(name);
  }

  /**
   * Reads a video's frame hashes from the reference text format ({@code frame,quality,pdq,seconds}
   * a line), as entries and match requests give them.
   */
  public VpdqSignal parseVideo(String text, String field) {
    try {
      VpdqSignal video = VpdqText.parse(text == null ? "" : text);
      if (video.frames().isEmpty()) {
        throw RequestException.invalid(field, "a vpdq signal needs at least one frame");
      }
      return video;
    } catch (MalformedSignalException e) {
      throw RequestException.invalid(field, e.getMessage());
    }
  }

  /** The text a video entry's vpdq signal is stored and compared by: the SHA-256 of its frames' binary form. */
  public static String videoIdentity(VpdqSignal video) {
    return DigestSignalType.SHA256.format(DigestSignalType.SHA256.digest(VpdqBinary.encode(video)));
  }

  public Set<String> names() {
    return types.keySet();
  }

  public boolean knows(String name) {
    return types.containsKey(name);
  }

  /** Largest sensible threshold: the whole PDQ hash for pdq and video frames, 100 for the video shares, 0 for exact digests. */
  public int maxThreshold(String name) {
    if (PDQ.equals(name) || VPDQ_FRAME.equals(name)) {
      return 256;
    }
    return VPDQ.equals(name) || VPDQ_QUERY_PERCENT.equals(name) ? 100 : 0;
  }

  public int defaultThreshold(String name) {
    Integer rule = VIDEO_RULES.get(name);
    return rule != null ? rule : type(name, name).defaultThreshold();
  }

  /**
   * The canonical text of {@code text} as a {@code name} signal.
   *
   * @param field where the value came from in the request, for the problem detail
   */
  public String canonical(String name, String text, String field) {
    if (VPDQ.equals(name)) {
      return videoIdentity(parseVideo(text, field));
    }
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
