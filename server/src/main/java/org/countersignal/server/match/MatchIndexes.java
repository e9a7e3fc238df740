package org.countersignal.server.match;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.countersignal.index.exact.ExactIndex;
import org.countersignal.index.hamming.Hash256;
import org.countersignal.index.hamming.HammingIndex;
import org.countersignal.index.hamming.Match;
import org.countersignal.server.bank.SignalCatalog;
import org.countersignal.server.store.ChangeLog;
import org.countersignal.index.video.VideoFrame;
import org.countersignal.index.video.VideoIndex;
import org.countersignal.index.video.VideoMatch;
import org.countersignal.index.video.VideoMatchRules;
import org.countersignal.signals.pdq.PdqHash;
import org.countersignal.signals.vpdq.VpdqFrame;
import org.countersignal.signals.vpdq.VpdqSignal;

/**
 * The in-memory indexes, keyed by entry id: a Hamming index for PDQ and an exact index per
 * digest. They hold every matchable signal of every entry (whatever its bank's state: banks are
 * checked at match time) and change only by {@link #apply}.
 */
public final class MatchIndexes implements AutoCloseable {

  private static final String PDQ_FILE = "pdq.snapshot";
  private static final String MD5_FILE = "md5.snapshot";
  private static final String SHA256_FILE = "sha256.snapshot";

  // Replaced only by restore, before any change is applied or any lookup is made.
  private volatile HammingIndex pdq = new HammingIndex();
  private volatile ExactIndex md5 = new ExactIndex();
  private volatile ExactIndex sha256 = new ExactIndex();
  /**
   * Video entries' distinct good frames, keyed to their entry. Not in the snapshot files: after a
   * snapshot is loaded the follower adds the enabled videos from the database (few, compared with
   * images), and replaying later changes over them is harmless because adding and removing a
   * video are idempotent.
   */
  private final VideoIndex videos = new VideoIndex(VideoMatchRules.DEFAULT.minQuality());

  /**
   * Writes every index into {@code folder}. The caller keeps changes from being applied
   * meanwhile, so the files agree with one position in the change sequence.
   */
  void save(Path folder) throws IOException {
    pdq.writeSnapshot(folder.resolve(PDQ_FILE));
    md5.writeSnapshot(folder.resolve(MD5_FILE));
    sha256.writeSnapshot(folder.resolve(SHA256_FILE));
  }

  /** Replaces the (still empty) indexes with those saved in {@code folder}; each file is verified first. */
  void restore(Path folder) throws IOException {
    HammingIndex loadedPdq = HammingIndex.readSnapshot(folder.resolve(PDQ_FILE));
    ExactIndex loadedMd5;
    ExactIndex loadedSha256;
    try {
      loadedMd5 = ExactIndex.readSnapshot(folder.resolve(MD5_FILE));
      loadedSha256 = ExactIndex.readSnapshot(folder.resolve(SHA256_FILE));
    } catch (IOException | RuntimeException e) {
      loadedPdq.close();
      throw e;
    }
    HammingIndex empty = pdq;
    pdq = loadedPdq;
    md5 = loadedMd5;
    sha256 = loadedSha256;
    empty.close();
  }

  /**
   * Applies one change of the sequence. Values are canonical text, as the stores wrote them. A
   * video's addition carries its frames, read by the caller ({@code video}, null for other types
   * or when the entry no longer exists, in which case a later removal is in the sequence too).
   */
  public void apply(ChangeLog.Change change, VpdqSignal video) {
    String value = change.signalValue();
    long id = change.entryId();
    switch (change.signalType()) {
      case SignalCatalog.VPDQ -> {
        if (change.op() == ChangeLog.Op.REMOVE) {
          videos.remove(id);
        } else if (video != null) {
          addVideo(id, video);
        }
      }
      case SignalCatalog.PDQ -> {
        Hash256 hash = Hash256.fromHex(value);
        if (change.op() == ChangeLog.Op.ADD) {
          pdq.add(hash, id);
        } else {
          pdq.remove(hash, id);
        }
      }
      case SignalCatalog.MD5 -> applyExact(md5, change.op(), value, id);
      case SignalCatalog.SHA256 -> applyExact(sha256, change.op(), value, id);
      // A type this build does not index (written by a newer replica): nothing to do here.
      default -> { }
    }
  }

  private static void applyExact(ExactIndex index, ChangeLog.Op op, String hex, long id) {
    byte[] key = HexFormat.of().parseHex(hex);
    if (op == ChangeLog.Op.ADD) {
      index.add(key, id);
    } else {
      index.remove(key, id);
    }
  }

  /** Adds (or replaces) the frames of video entry {@code id}. */
  void addVideo(long id, VpdqSignal video) {
    videos.add(id, frames(video));
  }

  static List<VideoFrame> frames(VpdqSignal video) {
    List<VideoFrame> frames = new java.util.ArrayList<>(video.frames().size());
    for (VpdqFrame frame : video.frames()) {
      PdqHash hash = frame.hash();
      // Hash256 holds the words in the order of the hex form, highest bits first.
      frames.add(new VideoFrame(new Hash256(hash.bits3(), hash.bits2(), hash.bits1(), hash.bits0()), frame.quality(),
          frame.seconds()));
    }
    return frames;
  }

  /** Video entries the query video matches under {@code rules}. */
  public List<VideoMatch> searchVideo(List<VideoFrame> query, VideoMatchRules rules) {
    return videos.search(query, rules);
  }

  /** Entries whose PDQ hash is within {@code radius} of {@code hex}, nearest first. */
  public List<Match> searchPdq(String hex, int radius) {
    return pdq.search(Hash256.fromHex(hex), radius);
  }

  /**
   * The {@code limit} entries nearest to {@code hex} within {@code radius}. The index still
   * visits every entry in the radius, but only the nearest {@code limit} are kept.
   */
  Nearest searchPdq(String hex, int radius, int limit) {
    Nearest nearest = new Nearest(limit);
    pdq.search(Hash256.fromHex(hex), radius, nearest);
    return nearest;
  }

  /** The {@code limit} lowest entry ids holding exactly this digest. */
  Nearest lookupExact(String type, String hex, int limit) {
    Nearest nearest = new Nearest(limit);
    for (long id : lookupExact(type, hex)) {
      nearest.accept(id, 0);
    }
    return nearest;
  }

  /** Entry ids holding exactly this digest. */
  public long[] lookupExact(String type, String hex) {
    ExactIndex index = switch (type) {
      case SignalCatalog.MD5 -> md5;
      case SignalCatalog.SHA256 -> sha256;
      default -> throw new IllegalArgumentException("not an exact signal type: " + type);
    };
    return index.lookup(HexFormat.of().parseHex(hex));
  }

  public long size(String type) {
    return switch (type) {
      case SignalCatalog.PDQ -> pdq.size();
      case SignalCatalog.MD5 -> md5.size();
      case SignalCatalog.SHA256 -> sha256.size();
      case SignalCatalog.VPDQ -> videos.size();
      default -> 0;
    };
  }

  @Override
  public void close() {
    videos.close();
    pdq.close();
  }
}
