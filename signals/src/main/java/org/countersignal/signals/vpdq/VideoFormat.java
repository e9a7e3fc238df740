package org.countersignal.signals.vpdq;

/** Recognises common video containers from their first bytes (never from a file name). */
public final class VideoFormat {

  private VideoFormat() {}

  public static boolean looksLikeVideo(byte[] data) {
    return isIsoMedia(data) || isMatroska(data) || isAvi(data) || isFlv(data) || isMpegTransport(data)
        || isMpegProgram(data);
  }

  /** MP4, MOV, 3GP, M4V: an "ftyp" box first. */
  private static boolean isIsoMedia(byte[] d) {
    return d.length >= 12 && d[4] == 'f' && d[5] == 't' && d[6] == 'y' && d[7] == 'p'
        && !(d[8] == 'h' && d[9] == 'e' && d[10] == 'i') // HEIF/HEIC stills share the box
        && !(d[8] == 'a' && d[9] == 'v' && d[10] == 'i' && d[11] == 'f');
  }

  private static boolean isMatroska(byte[] d) {
    return d.length >= 4 && (d[0] & 0xff) == 0x1A && (d[1] & 0xff) == 0x45 && (d[2] & 0xff) == 0xDF
        && (d[3] & 0xff) == 0xA3;
  }

  private static boolean isAvi(byte[] d) {
    return d.length >= 12 && d[0] == 'R' && d[1] == 'I' && d[2] == 'F' && d[3] == 'F'
        && d[8] == 'A' && d[9] == 'V' && d[10] == 'I';
  }

  private static boolean isFlv(byte[] d) {
    return d.length >= 3 && d[0] == 'F' && d[1] == 'L' && d[2] == 'V';
  }

  private static boolean isMpegTransport(byte[] d) {
    return d.length >= 188 * 3 && d[0] == 0x47 && d[188] == 0x47 && d[376] == 0x47;
  }

  private static boolean isMpegProgram(byte[] d) {
    return d.length >= 4 && d[0] == 0 && d[1] == 0 && d[2] == 1 && (d[3] & 0xff) == 0xBA;
  }
}
