package org.countersignal.signals.vpdq;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.countersignal.signals.MalformedSignalException;
import org.countersignal.signals.pdq.PdqHash;

/**
 * The text form the reference tools read and write: one frame per line,
 * {@code frame_number,quality,pdq_hex,seconds}. The older sample files put the hash before the
 * quality ({@code frame_number,pdq_hex,quality,seconds}); both are read, the first is written.
 */
public final class VpdqText {

  private VpdqText() {}

  public static String format(VpdqSignal signal) {
    StringBuilder out = new StringBuilder(signal.frames().size() * 80);
    for (VpdqFrame frame : signal.frames()) {
      out.append(frame.frameNumber()).append(',')
          .append(frame.quality()).append(',')
          .append(frame.hash().toHex()).append(',')
          .append(String.format(Locale.ROOT, "%.3f", frame.seconds())).append('\n');
    }
    return out.toString();
  }

  public static VpdqSignal parse(String text) {
    List<VpdqFrame> frames = new ArrayList<>();
    String[] lines = text.split("\r?\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      frames.add(parseLine(line, i + 1));
    }
    return new VpdqSignal(frames);
  }

  private static VpdqFrame parseLine(String line, int lineNumber) {
    String[] f = line.split(",");
    if (f.length != 4) {
      throw malformed(lineNumber, "expected 4 comma-separated fields, got " + f.length);
    }
    boolean hashSecond = f[1].strip().length() == PdqHash.HEX_LENGTH;
    try {
      int frame = Integer.parseInt(f[0].strip());
      PdqHash hash = PdqHash.fromHex(hashSecond ? f[1] : f[2]);
      int quality = Integer.parseInt((hashSecond ? f[2] : f[1]).strip());
      double seconds = Double.parseDouble(f[3].strip());
      if (frame < 0 || quality < 0 || quality > 100 || !(seconds >= 0) || Double.isInfinite(seconds)) {
        throw malformed(lineNumber, "frame number, quality (0-100) or seconds out of range");
      }
      return new VpdqFrame(frame, hash, quality, seconds);
    } catch (NumberFormatException e) {
      throw malformed(lineNumber, "not a number: " + e.getMessage());
    } catch (MalformedSignalException e) {
      throw malformed(lineNumber, e.getMessage());
    }
  }

  private static MalformedSignalException malformed(int line, String problem) {
    return new MalformedSignalException("vpdq", "line " + line + ": " + problem);
  }
}
