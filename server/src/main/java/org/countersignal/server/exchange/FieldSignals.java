package org.countersignal.server.exchange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.countersignal.server.signal.PdqType;
import org.countersignal.server.signal.TextType;
import org.countersignal.server.signal.UrlType;
import org.countersignal.server.signal.VpdqType;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.digest.DigestSignalType;
import org.countersignal.signals.pdq.PdqHash;
import org.countersignal.signals.text.TextSignalType;
import org.countersignal.signals.vpdq.VpdqFrame;
import org.countersignal.signals.vpdq.VpdqSignal;
import org.countersignal.signals.vpdq.VpdqText;

/**
 * The signal vocabulary of python-threatexchange's files, the form hash lists are shared in, and
 * how it maps onto ours. Its type names: {@code pdq}, {@code video_md5} and {@code video_sha256}
 * (our {@code md5} and {@code sha256} of a video), {@code vpdq} (a JSON list of
 * {@code "pdqhex,quality,seconds"}, one a frame in order; older files hold an object of frame
 * numbers), {@code url} (one exact URL, with its scheme) and {@code raw_text} (the text itself, which is hashed here
 * into our text signal, since a bank keeps sketches, not texts).
 *
 * <p>Going out, only what the field can read is written: a text entry has no text to give back,
 * a URL scope ({@code prefix:}, {@code domain:}) has no field form, and an image's digests are not a
 * video's.
 */
public final class FieldSignals {

  /** A signal in our vocabulary, or the reason the field's signal has none. */
  public record Ours(String type, String value, String error) {
    public static Ours refused(String error) {
      return new Ours(null, null, error);
    }
  }

  /** A signal as the field writes it. */
  public record Field(String type, String signal) {}

  public static final String VIDEO_MD5 = "video_md5";
  public static final String VIDEO_SHA256 = "video_sha256";
  public static final String RAW_TEXT = "raw_text";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KNOWN = "pdq, vpdq, video_md5, video_sha256, url, raw_text";

  private FieldSignals() {}

  /**
   * Whether a row of our own formats names its signal in the field's vocabulary: a type name we do
   * not use ({@code video_md5}, {@code video_sha256}, {@code raw_text}), or a vPDQ signal in the
   * field's JSON form rather than our frame lines.
   */
  public static boolean isAlias(String type, String signal) {
    String name = type.strip().toLowerCase(Locale.ROOT);
    if (name.equals(VpdqType.NAME)) {
      String value = signal.strip();
      return value.startsWith("[") || value.startsWith("{");
    }
    return name.equals(VIDEO_MD5) || name.equals(VIDEO_SHA256) || name.equals(RAW_TEXT);
  }

  /** The field's {@code type} and {@code signal} as one of our signals; its value is checked by the server. */
  public static Ours toOurs(String type, String signal) {
    String name = type == null ? "" : type.strip().toLowerCase(Locale.ROOT);
    return switch (name) {
      case PdqType.NAME -> new Ours(PdqType.NAME, signal.strip(), null);
      case VIDEO_MD5 -> new Ours(DigestSignalType.MD5.name(), signal.strip(), null);
      case VIDEO_SHA256 -> new Ours(DigestSignalType.SHA256.name(), signal.strip(), null);
      case UrlType.NAME -> new Ours(UrlType.NAME, "exact:" + signal.strip(), null);
      case VpdqType.NAME -> vpdq(signal);
      case RAW_TEXT -> rawText(signal);
      case "" -> Ours.refused("signal_type: missing (" + KNOWN + ")");
      default -> Ours.refused("signal_type: '" + type + "' is not a type this service matches (" + KNOWN + ")");
    };
  }

  /**
   * Our signal as the field writes it, or null when the field has no form for it.
   *
   * @param image whether the entry is an image (has a PDQ hash): the field's digests are a
   *     video's, and it has none for an image. A digest alone may be a video's (as one imported
   *     from the field is), and matches only the same bytes whatever it is called, so it goes out.
   */
  public static Field toField(String type, String value, boolean image) {
    if (PdqType.NAME.equals(type)) {
      return new Field(PdqType.NAME, value);
    }
    if (DigestSignalType.MD5.name().equals(type)) {
      return image ? null : new Field(VIDEO_MD5, value);
    }
    if (DigestSignalType.SHA256.name().equals(type)) {
      return image ? null : new Field(VIDEO_SHA256, value);
    }
    if (UrlType.NAME.equals(type)) {
      // Only an exact URL (no scope mark) is a field URL. The field compares URLs as written, with
      // their scheme; ours are canonical without one (http and https alike), written as https.
      return value.startsWith("prefix:") || value.startsWith("domain:") ? null : new Field(UrlType.NAME, "https://" + value);
    }
    if (VpdqType.NAME.equals(type)) {
      return new Field(VpdqType.NAME, vpdqJson(VpdqText.parse(value)));
    }
    return null;
  }

  private static Ours rawText(String text) {
    if (text.isBlank()) {
      return Ours.refused("signal: raw_text is empty");
    }
    try {
      return new Ours(TextType.NAME, TextSignalType.INSTANCE.format(TextSignalType.INSTANCE.hash(text)), null);
    } catch (ContentException e) {
      return Ours.refused("signal: " + e.getMessage());
    }
  }

  /** A field vPDQ signal in the reference text form our import reads. */
  private static Ours vpdq(String signal) {
    JsonNode root;
    try {
      root = JSON.readTree(signal);
    } catch (JsonProcessingException e) {
      return Ours.refused("signal: a vpdq signal is a JSON list of \"pdqhex,quality,seconds\" (" + e.getOriginalMessage() + ")");
    }
    List<VpdqFrame> frames = new ArrayList<>();
    try {
      if (root != null && root.isArray()) {
        for (int i = 0; i < root.size(); i++) {
          frames.add(compactFrame(i, root.get(i).asText()));
        }
      } else if (root != null && root.isObject()) {
        // The older form: {"<frame number>": {"hash": ..., "quality": ..., "timestamp": ...}}.
        Iterator<Map.Entry<String, JsonNode>> fields = root.properties().iterator();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> field = fields.next();
          JsonNode frame = field.getValue();
          frames.add(new VpdqFrame(Integer.parseInt(field.getKey()), PdqHash.fromHex(frame.path("hash").asText()),
              frame.path("quality").asInt(-1), frame.path("timestamp").asDouble(-1)));
        }
      } else {
        return Ours.refused("signal: a vpdq signal is a JSON list of \"pdqhex,quality,seconds\"");
      }
      // The server parses the frames again and checks what a banked video's frames must meet.
      return new Ours(VpdqType.NAME, VpdqText.format(new VpdqSignal(frames)), null);
    } catch (NumberFormatException e) {
      return Ours.refused("signal: vpdq frame: not a number: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      // Also a malformed PDQ hash (MalformedSignalException) and a frame out of range.
      return Ours.refused("signal: vpdq frame: " + e.getMessage());
    }
  }

  private static VpdqFrame compactFrame(int number, String text) {
    String[] parts = text.split(",");
    if (parts.length != 3) {
      throw new IllegalArgumentException("frame " + number + " is '" + text + "', not pdqhex,quality,seconds");
    }
    return new VpdqFrame(number, PdqHash.fromHex(parts[0].strip()), Integer.parseInt(parts[1].strip()),
        Double.parseDouble(parts[2].strip()));
  }

  private static String vpdqJson(VpdqSignal video) {
    List<String> frames = new ArrayList<>(video.frames().size());
    for (VpdqFrame frame : video.frames()) {
      frames.add(frame.hash().toHex() + "," + frame.quality() + "," + String.format(Locale.ROOT, "%.3f", frame.seconds()));
    }
    try {
      return JSON.writeValueAsString(frames);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
