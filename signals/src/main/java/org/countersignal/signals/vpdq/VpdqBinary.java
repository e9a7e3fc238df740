package org.countersignal.signals.vpdq;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.countersignal.signals.MalformedSignalException;
import org.countersignal.signals.pdq.PdqHash;

/**
 * Compact storage form: "VPDQ", a version byte, the frame count, then per frame its number
 * (int), quality (byte), hash (four longs, bits 0..63 first) and time (float seconds):
 * 45 bytes a frame against about 80 in text.
 */
public final class VpdqBinary {

  private static final int MAGIC = 0x56504451; // "VPDQ"
  private static final byte VERSION = 1;
  private static final int HEADER = 4 + 1 + 4;
  private static final int FRAME = 4 + 1 + 32 + 4;

  private VpdqBinary() {}

  public static byte[] encode(VpdqSignal signal) {
    ByteBuffer out = ByteBuffer.allocate(HEADER + FRAME * signal.frames().size());
    out.putInt(MAGIC).put(VERSION).putInt(signal.frames().size());
    for (VpdqFrame frame : signal.frames()) {
      PdqHash h = frame.hash();
      out.putInt(frame.frameNumber()).put((byte) frame.quality())
          .putLong(h.bits0()).putLong(h.bits1()).putLong(h.bits2()).putLong(h.bits3())
          .putFloat((float) frame.seconds());
    }
    return out.array();
  }

  public static VpdqSignal decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      if (in.getInt() != MAGIC) {
        throw new MalformedSignalException("vpdq", "not a binary vPDQ signal");
      }
      byte version = in.get();
      if (version != VERSION) {
        throw new MalformedSignalException("vpdq", "unsupported binary version " + version);
      }
      int count = in.getInt();
      if (count < 0 || (long) count * FRAME != in.remaining()) {
        throw new MalformedSignalException("vpdq", "declares " + count + " frames but holds " + in.remaining() + " bytes");
      }
      List<VpdqFrame> frames = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int number = in.getInt();
        int quality = in.get();
        PdqHash hash = new PdqHash(in.getLong(), in.getLong(), in.getLong(), in.getLong());
        float seconds = in.getFloat();
        frames.add(new VpdqFrame(number, hash, quality, seconds));
      }
      return new VpdqSignal(frames);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      if (e instanceof MalformedSignalException m) {
        throw m;
      }
      throw new MalformedSignalException("vpdq", "truncated or inconsistent binary signal: " + e.getMessage());
    }
  }
}
