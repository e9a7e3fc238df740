package org.countersignal.signals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.countersignal.signals.ContentException.Reason;
import org.countersignal.signals.digest.Digest;
import org.countersignal.signals.digest.DigestSignalType;
import org.countersignal.signals.image.ImageDecoder;
import org.countersignal.signals.image.ImageFormat;
import org.countersignal.signals.pdq.Dihedral;
import org.countersignal.signals.pdq.PdqHash;
import org.countersignal.signals.pdq.PdqHasher;
import org.countersignal.signals.pdq.PdqSignalType;
import org.countersignal.signals.vpdq.VideoFormat;
import org.countersignal.signals.vpdq.VideoLimits;
import org.countersignal.signals.vpdq.VpdqSignal;
import org.countersignal.signals.vpdq.VpdqSignalType;

/**
 * Computes every signal that applies to a piece of content: what the command line's
 * {@code hash} and the service's hash and match calls share. Thread-safe.
 */
public final class ContentHasher {

  /** One computed signal, kept with its type so it can be formatted and compared. */
  public record Computed<S>(SignalType<S> type, S value) {
    public String text() {
      return type.format(value);
    }
  }

  /** All signals of one piece of content; {@code pdqVariants} only when asked for. */
  public record Result(ContentType contentType, List<Computed<?>> signals, Map<Dihedral, PdqHash> pdqVariants) {}

  private final PdqSignalType pdq;
  private final VpdqSignalType vpdq;

  public ContentHasher(ImageDecoder decoder) {
    this(decoder, VideoLimits.DEFAULT);
  }

  public ContentHasher(ImageDecoder decoder, VideoLimits videoLimits) {
    this.pdq = new PdqSignalType(decoder);
    this.vpdq = new VpdqSignalType(videoLimits);
  }

  public PdqSignalType pdq() {
    return pdq;
  }

  /** Recognises the content type from the bytes themselves, never from a name. */
  public static ContentType detect(byte[] bytes) throws ContentException {
    if (ImageFormat.sniff(bytes).isPresent()) {
      return ContentType.PHOTO;
    }
    if (VideoFormat.looksLikeVideo(bytes)) {
      return ContentType.VIDEO;
    }
    throw new ContentException(Reason.UNSUPPORTED_FORMAT,
        "unsupported content: not a recognised image (JPEG, PNG, GIF, BMP, WebP, TIFF) or video (MP4, MOV, MKV, WebM, AVI, FLV, MPEG)");
  }

  public Result hash(byte[] bytes, boolean withDihedralVariants) throws ContentException {
    ContentType type = detect(bytes);
    List<Computed<?>> signals = new ArrayList<>(3);
    Map<Dihedral, PdqHash> variants = null;
    if (pdq.appliesTo(type)) {
      PdqHasher.Result result = pdq.hashWithVariants(bytes);
      signals.add(new Computed<>(pdq, result.signal()));
      if (withDihedralVariants) {
        variants = result.variants();
      }
    }
    if (vpdq.appliesTo(type)) {
      signals.add(new Computed<>(vpdq, vpdq.hash(new Content(type, bytes))));
    }
    signals.add(new Computed<Digest>(DigestSignalType.MD5, DigestSignalType.MD5.digest(bytes)));
    signals.add(new Computed<Digest>(DigestSignalType.SHA256, DigestSignalType.SHA256.digest(bytes)));
    return new Result(type, List.copyOf(signals), variants);
  }

  /**
   * Hashes a video straight from its file, however large: FFmpeg reads the file itself and the
   * digests stream it, so the video never sits in memory whole.
   *
   * @param secondsPerFrame 0 hashes every frame; otherwise one frame per that many seconds
   */
  public Result hashVideoFile(Path file, double secondsPerFrame) throws ContentException {
    VpdqSignal signal = vpdq.hasher().hash(file, secondsPerFrame);
    return new Result(ContentType.VIDEO, List.of(
        new Computed<>(vpdq, signal),
        new Computed<Digest>(DigestSignalType.MD5, DigestSignalType.MD5.digest(file)),
        new Computed<Digest>(DigestSignalType.SHA256, DigestSignalType.SHA256.digest(file))), null);
  }
}
