package org.countersignal.signals.vpdq;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.countersignal.signals.Content;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.ContentException.Reason;
import org.countersignal.signals.ContentType;
import org.countersignal.signals.SignalType;

/**
 * vPDQ as a signal type. Its distance is the share of the second (bank) video's unique frames
 * that the first (query) video does not match, in percent, so the default threshold of 20 is
 * the reference's "80 % of the bank video's frames".
 */
public final class VpdqSignalType implements SignalType<VpdqSignal> {

  public static final int DEFAULT_THRESHOLD = 20;

  private final VpdqHasher hasher;

  public VpdqSignalType(VideoLimits limits) {
    this.hasher = new VpdqHasher(limits);
  }

  public VpdqHasher hasher() {
    return hasher;
  }

  @Override
  public String name() {
    return "vpdq";
  }

  @Override
  public Set<ContentType> contentTypes() {
    return EnumSet.of(ContentType.VIDEO);
  }

  /** FFmpeg reads from files, so submitted bytes pass through a private temporary file. */
  @Override
  public VpdqSignal hash(Content content) throws ContentException {
    Path temp = null;
    try {
      temp = Files.createTempFile("countersignal-video-", ".bin");
      Files.write(temp, content.bytes());
      return hasher.hash(temp);
    } catch (IOException e) {
      throw new ContentException(Reason.UNREADABLE, "cannot stage the video for decoding: " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // A leftover temporary file is harmless; the result stands.
        }
      }
    }
  }

  @Override
  public VpdqSignal parse(String text) {
    return VpdqText.parse(text);
  }

  @Override
  public String format(VpdqSignal signal) {
    return VpdqText.format(signal);
  }

  @Override
  public int distance(VpdqSignal query, VpdqSignal bank) {
    VpdqComparison comparison = VpdqMatcher.compare(query, bank, VpdqMatchOptions.DEFAULT);
    return (int) Math.ceil(100 - comparison.bankMatchedPercent());
  }

  @Override
  public int defaultThreshold() {
    return DEFAULT_THRESHOLD;
  }
}
