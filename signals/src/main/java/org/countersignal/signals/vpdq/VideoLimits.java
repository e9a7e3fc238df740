package org.countersignal.signals.vpdq;

/**
 * What a video may cost before it is refused: its length (declared and decoded), the pixels of
 * one frame, and the number of frames hashed. Checked before decoding where the container says
 * enough, and again while decoding, since containers can lie.
 */
public record VideoLimits(double maxSeconds, long maxFramePixels, int maxFrames) {

  /** Three hours, 8K frames, and a frame budget for three hours at 60 frames per second. */
  public static final VideoLimits DEFAULT = new VideoLimits(3 * 3600, 7680L * 4320, 3 * 3600 * 60);

  public VideoLimits {
    if (maxSeconds <= 0 || maxFramePixels <= 0 || maxFrames <= 0) {
      throw new IllegalArgumentException("video limits must be positive");
    }
  }
}
