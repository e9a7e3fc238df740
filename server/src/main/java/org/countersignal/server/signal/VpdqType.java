package org.countersignal.server.signal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.countersignal.index.hamming.Hash256;
import org.countersignal.index.video.VideoFrame;
import org.countersignal.index.video.VideoMatchRules;
import org.countersignal.server.RequestException;
import org.countersignal.signals.ContentType;
import org.countersignal.signals.MalformedSignalException;
import org.countersignal.signals.digest.DigestSignalType;
import org.countersignal.signals.pdq.PdqHash;
import org.countersignal.signals.vpdq.VpdqBinary;
import org.countersignal.signals.vpdq.VpdqFrame;
import org.countersignal.signals.vpdq.VpdqSignal;
import org.countersignal.signals.vpdq.VpdqText;

/**
 * Videos: a value is a video's frame hashes in the reference text format ({@code frame,quality,
 * pdq,seconds} a line), matched as a whole against whole banked videos in a
 * {@link VideoSignalIndex}. A bank entry keeps the frames in their own table; its signal text is
 * their SHA-256 ({@link #identity}), which is what the change sequence carries.
 *
 * <p>The {@code vpdq} threshold is the share (%) of the bank video's distinct good frames the
 * query may leave unmatched (20: the reference's "80 % matched"); beside it a bank sets the frame
 * distance ({@code vpdq_frame}) and the share of the query's frames that must match
 * ({@code vpdq_query_percent}), with the reference's defaults.
 */
public final class VpdqType implements ServerSignalType {

  public static final String NAME = "vpdq";
  public static final BankSetting FRAME =
      new BankSetting("vpdq_frame", VideoMatchRules.DEFAULT.maxDistance(), PdqHash.BITS,
      "the largest distance at which two video frames match");
  public static final BankSetting QUERY_PERCENT =
      new BankSetting("vpdq_query_percent", (int) VideoMatchRules.DEFAULT.minQueryPercent(), 100,
      "the share (%) of the query video's distinct good frames that must match");

  private final VideoSource source;

  public VpdqType(VideoSource source) {
    this.source = source;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String canonical(String text, String field) {
    return identity(parse(text, field));
  }

  /** The video {@code text} holds; at least one frame. */
  public VpdqSignal parse(String text, String field) {
    try {
      VpdqSignal video = VpdqText.parse(text == null ? "" : text);
      if (video.frames().isEmpty()) {
        throw RequestException.invalid(field, "a vpdq signal needs at least one frame");
      }
      return video;
    } catch (MalformedSignalException e) {
      throw RequestException.invalid(field, e.getMessage());
    }
  }

  /** The text a video entry's vpdq signal is stored and compared by: the SHA-256 of its frames' binary form. */
  public static String identity(VpdqSignal video) {
    return DigestSignalType.SHA256.format(DigestSignalType.SHA256.digest(VpdqBinary.encode(video)));
  }

  /** A video's frames as the video index takes them. */
  public static List<VideoFrame> frames(VpdqSignal video) {
    List<VideoFrame> frames = new ArrayList<>(video.frames().size());
    for (VpdqFrame frame : video.frames()) {
      PdqHash hash = frame.hash();
      // Hash256 holds the words in the order of the hex form, highest bits first.
      frames.add(new VideoFrame(new Hash256(hash.bits3(), hash.bits2(), hash.bits1(), hash.bits0()), frame.quality(),
          frame.seconds()));
    }
    return frames;
  }

  @Override
  public int maxThreshold() {
    return 100;
  }

  @Override
  public int defaultThreshold() {
    return 100 - (int) VideoMatchRules.DEFAULT.minBankPercent();
  }

  @Override
  public List<BankSetting> settings() {
    return List.of(FRAME, QUERY_PERCENT);
  }

  @Override
  public Set<ContentType> hashedFrom() {
    return Set.of(ContentType.VIDEO);
  }

  @Override
  public String contentKind() {
    return "video";
  }

  @Override
  public boolean matchedByValue() {
    return false;
  }

  @Override
  public SignalIndex newIndex() {
    return new VideoSignalIndex(source);
  }

  @Override
  public SignalIndex readIndex(Path file) {
    return VideoSignalIndex.loaded(source);
  }
}
