package org.countersignal.server.signal;

import java.util.Optional;
import java.util.function.BiConsumer;
import org.countersignal.signals.vpdq.VpdqSignal;

/**
 * Where a video entry's frames are kept: the change sequence names a video by the digest of its
 * frames, which are too many for it, so the video index reads them from here.
 */
public interface VideoSource {

  /** No videos: for parts that never index any (e.g. rules checking names). */
  VideoSource NONE = new VideoSource() {
    @Override
    public Optional<VpdqSignal> frames(long entryId) {
      return Optional.empty();
    }

    @Override
    public void forEachEnabled(BiConsumer<Long, VpdqSignal> video) {}
  };

  /** The frames of video entry {@code entryId}; empty once it is deleted (its removal follows in the sequence). */
  Optional<VpdqSignal> frames(long entryId);

  /** Every video of an enabled entry, with its entry id. */
  void forEachEnabled(BiConsumer<Long, VpdqSignal> video);
}
