package org.countersignal.signals.vpdq;

import java.util.List;

/**
 * A video's vPDQ signal: its hashed frames, in order. Matching treats them as a bag of frames,
 * so a clip, a re-encode or a re-ordered edit still matches.
 */
public record VpdqSignal(List<VpdqFrame> frames) {

  public VpdqSignal {
    frames = List.copyOf(frames);
  }

  /** Time of the last hashed frame, in seconds (0 for an empty signal). */
  public double lastFrameSeconds() {
    return frames.isEmpty() ? 0 : frames.getLast().seconds();
  }
}
