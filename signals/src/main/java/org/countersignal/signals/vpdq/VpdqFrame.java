package org.countersignal.signals.vpdq;

import org.countersignal.signals.pdq.PdqHash;

/** One hashed video frame: its number in decoding order (from 0), PDQ hash, quality and time. */
public record VpdqFrame(int frameNumber, PdqHash hash, int quality, double seconds) {

  public VpdqFrame {
    if (frameNumber < 0) {
      throw new IllegalArgumentException("frame number must not be negative");
    }
    if (quality < 0 || quality > 100) {
      throw new IllegalArgumentException("quality must be 0..100");
    }
  }
}
