package org.countersignal.index.video;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.countersignal.index.hamming.Hash256;
import org.countersignal.index.hamming.HammingIndex;
import org.countersignal.index.hamming.Match;

/**
 * Finds the bank videos a query video matches, without comparing it with every bank video.
 *
 * <p>Every unique good-quality frame of every bank video sits in one {@link HammingIndex},
 * keyed to its video. A query looks up its own unique frames; the hits name the candidate
 * videos and, because the index returns every frame within the radius, they are also exactly
 * the frame pairs an exhaustive comparison would find. So the shares of matched frames, and
 * the verdict, come out the same as comparing the query with each candidate frame by frame,
 * at the cost of a few hundred index lookups.
 *
 * <p>Thread-safe: videos can be added and removed while lookups run.
 */
public final class VideoIndex implements AutoCloseable {

  /** Frame ids are {@code slot << FRAME_BITS | frame}: room for a million unique frames a video. */
  private static final int FRAME_BITS = 20;
  private static final int MAX_FRAMES = 1 << FRAME_BITS;

  /** What the index keeps of one bank video. */
  private record Video(long videoId, long slot, Hash256[] frames, float[] firstSeconds, float[] lastSeconds) {}

  private final int minQuality;
  private final HammingIndex frames = new HammingIndex();
  private final Map<Long, Video> bySlot = new ConcurrentHashMap<>();
  private final Map<Long, Long> slotByVideo = new ConcurrentHashMap<>();
  private final AtomicLong nextSlot = new AtomicLong();

  /** @param minQuality frames below this quality are not indexed (nor looked up) */
  public VideoIndex(int minQuality) {
    this.minQuality = minQuality;
  }

  public int minQuality() {
    return minQuality;
  }

  /** Number of bank videos. */
  public int size() {
    return bySlot.size();
  }

  /** Number of indexed (unique, good-quality) bank frames. */
  public long frameCount() {
    return frames.size();
  }

  /** Adds a bank video, replacing any earlier one with the same id. */
  public void add(long videoId, List<VideoFrame> videoFrames) {
    Map<Hash256, float[]> unique = uniqueFrames(videoFrames, minQuality);
    if (unique.size() > MAX_FRAMES) {
      throw new IllegalArgumentException("a video may have at most " + MAX_FRAMES + " unique frames");
    }
    remove(videoId);
    long slot = nextSlot.getAndIncrement();
    Hash256[] hashes = unique.keySet().toArray(new Hash256[0]);
    float[] first = new float[hashes.length];
    float[] last = new float[hashes.length];
    for (int i = 0; i < hashes.length; i++) {
      float[] span = unique.get(hashes[i]);
      first[i] = span[0];
      last[i] = span[1];
    }
    // Metadata first: a lookup that finds a frame must find its video.
    bySlot.put(slot, new Video(videoId, slot, hashes, first, last));
    slotByVideo.put(videoId, slot);
    for (int i = 0; i < hashes.length; i++) {
      frames.add(hashes[i], slot << FRAME_BITS | i);
    }
  }

  /** Removes a bank video; returns whether it was there. */
  public boolean remove(long videoId) {
    Long slot = slotByVideo.remove(videoId);
    if (slot == null) {
      return false;
    }
    Video video = bySlot.get(slot);
    for (int i = 0; i < video.frames().length; i++) {
      frames.remove(video.frames()[i], slot << FRAME_BITS | i);
    }
    bySlot.remove(slot);
    return true;
  }

  /** Every bank video the query matches under {@code rules}, best bank share first. */
  public List<VideoMatch> search(List<VideoFrame> query, VideoMatchRules rules) {
    if (rules.minQuality() < minQuality) {
      throw new IllegalArgumentException(
          "the index holds only frames of quality " + minQuality + " or more; cannot match from " + rules.minQuality());
    }
    List<Hash256> queryHashes = new ArrayList<>(uniqueFrames(query, rules.minQuality()).keySet());
    if (queryHashes.isEmpty()) {
      return List.of();
    }
    List<List<Match>> hits = frames.searchBatch(queryHashes, rules.maxDistance());
    Map<Long, Candidate> candidates = new HashMap<>();
    for (int q = 0; q < hits.size(); q++) {
      for (Match hit : hits.get(q)) {
        long slot = hit.id() >>> FRAME_BITS;
        Video video = bySlot.get(slot);
        if (video == null) {
          continue; // removed while this lookup ran
        }
        candidates.computeIfAbsent(slot, s -> new Candidate(video)).hit(q, (int) (hit.id() & (MAX_FRAMES - 1)));
      }
    }
    List<VideoMatch> matches = new ArrayList<>();
    for (Candidate candidate : candidates.values()) {
      VideoMatch match = candidate.toMatch(queryHashes.size());
      if (match.bankMatchedPercent() >= rules.minBankPercent()
          && match.queryMatchedPercent() >= rules.minQueryPercent()) {
        matches.add(match);
      }
    }
    matches.sort(Comparator.comparingDouble(VideoMatch::bankMatchedPercent).reversed()
        .thenComparingLong(VideoMatch::videoId));
    return matches;
  }

  /** Frame pairs found for one bank video during a lookup. */
  private static final class Candidate {
    private final Video video;
    private final BitSet queryFrames = new BitSet();
    private final BitSet bankFrames = new BitSet();

    Candidate(Video video) {
      this.video = video;
    }

    void hit(int queryFrame, int bankFrame) {
      queryFrames.set(queryFrame);
      bankFrames.set(bankFrame);
    }

    VideoMatch toMatch(int queryUnique) {
      double from = Double.POSITIVE_INFINITY;
      double to = Double.NEGATIVE_INFINITY;
      for (int f = bankFrames.nextSetBit(0); f >= 0; f = bankFrames.nextSetBit(f + 1)) {
        from = Math.min(from, video.firstSeconds()[f]);
        to = Math.max(to, video.lastSeconds()[f]);
      }
      return new VideoMatch(video.videoId(),
          100.0 * queryFrames.cardinality() / queryUnique,
          100.0 * bankFrames.cardinality() / video.frames().length,
          from, to);
    }
  }

  /** Unique frames of at least {@code minQuality}, each with the first and last time it shows. */
  static Map<Hash256, float[]> uniqueFrames(List<VideoFrame> videoFrames, int minQuality) {
    Map<Hash256, float[]> unique = new LinkedHashMap<>();
    for (VideoFrame frame : videoFrames) {
      if (frame.quality() < minQuality) {
        continue;
      }
      float seconds = (float) frame.seconds();
      float[] span = unique.computeIfAbsent(frame.hash(), h -> new float[] {seconds, seconds});
      span[0] = Math.min(span[0], seconds);
      span[1] = Math.max(span[1], seconds);
    }
    return unique;
  }

  /**
   * Merges the frame index into one segment; worth calling after a bulk load (such as a bank
   * loaded at start-up), since each segment costs every lookup a few probes.
   *
   * @return whether there was anything to merge
   */
  public boolean compact() throws InterruptedException {
    return frames.compact();
  }

  @Override
  public void close() {
    frames.close();
  }
}
