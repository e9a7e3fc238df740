package org.countersignal.signals.vpdq;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.pdq.PdqHasher;

/**
 * vPDQ: PDQ of every frame of a video (the default, as the reference does) or of one frame every
 * {@code secondsPerHash} seconds, a speed option that lowers how many frames two videos share.
 */
public final class VpdqHasher {

  private final VideoDecoder decoder;
  private final PdqHasher pdq = new PdqHasher();

  public VpdqHasher(VideoLimits limits) {
    this.decoder = new VideoDecoder(limits);
  }

  /** Hashes every frame. */
  public VpdqSignal hash(Path video) throws ContentException {
    return hash(video, 0);
  }

  /**
   * Hashes one frame every {@code secondsPerHash} seconds (0: every frame), stepping by whole
   * frames as the reference does: the step is {@code floor(secondsPerHash * frameRate)}, at
   * least 1.
   */
  public VpdqSignal hash(Path video, double secondsPerHash) throws ContentException {
    List<VpdqFrame> frames = new ArrayList<>();
    decoder.decode(video, secondsPerHash, (number, seconds, image) -> {
      PdqHasher.Result result = pdq.hash(image);
      frames.add(new VpdqFrame(number, result.hash(), result.quality(), seconds));
    });
    return new VpdqSignal(frames);
  }
}
