package org.countersignal.index.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.countersignal.index.hamming.Hash256;
import org.countersignal.index.hamming.HammingIndex;
import org.junit.jupiter.api.Test;

class VideoIndexTest {

  /** Frames that drift through a few scenes, as real footage does: near-duplicates in runs. */
  static List<VideoFrame> video(Random random, int frames) {
    List<VideoFrame> list = new ArrayList<>();
    Hash256 scene = randomHash(random);
    for (int i = 0; i < frames; i++) {
      if (random.nextInt(40) == 0) {
        scene = randomHash(random);
      }
      list.add(new VideoFrame(flip(scene, random, random.nextInt(12)), 30 + random.nextInt(71), i / 30.0));
    }
    return list;
  }

  static Hash256 randomHash(Random random) {
    return new Hash256(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
  }

  static Hash256 flip(Hash256 h, Random random, int bits) {
    long[] w = {h.w0(), h.w1(), h.w2(), h.w3()};
    for (int i = 0; i < bits; i++) {
      int b = random.nextInt(256);
      w[b >>> 6] ^= 1L << (b & 63);
    }
    return new Hash256(w[0], w[1], w[2], w[3]);
  }

  static int distance(Hash256 a, Hash256 b) {
    return Long.bitCount(a.w0() ^ b.w0()) + Long.bitCount(a.w1() ^ b.w1())
        + Long.bitCount(a.w2() ^ b.w2()) + Long.bitCount(a.w3() ^ b.w3());
  }

  /** The exhaustive comparison, written from the rules alone. */
  static double[] bruteForce(List<VideoFrame> query, List<VideoFrame> bank, VideoMatchRules rules) {
    Set<Hash256> q = new LinkedHashSet<>();
    Set<Hash256> b = new LinkedHashSet<>();
    query.stream().filter(f -> f.quality() >= rules.minQuality()).forEach(f -> q.add(f.hash()));
    bank.stream().filter(f -> f.quality() >= rules.minQuality()).forEach(f -> b.add(f.hash()));
    long qMatched = q.stream().filter(x -> b.stream().anyMatch(y -> distance(x, y) <= rules.maxDistance())).count();
    long bMatched = b.stream().filter(y -> q.stream().anyMatch(x -> distance(x, y) <= rules.maxDistance())).count();
    return new double[] {q.isEmpty() ? 0 : 100.0 * qMatched / q.size(), b.isEmpty() ? 0 : 100.0 * bMatched / b.size()};
  }

  @Test
  void findsExactlyTheVideosAnExhaustiveComparisonFinds() {
    Random random = new Random(42);
    List<List<VideoFrame>> bank = new ArrayList<>();
    try (VideoIndex index = new VideoIndex(50)) {
      for (int v = 0; v < 60; v++) {
        List<VideoFrame> frames = video(random, 60 + random.nextInt(200));
        bank.add(frames);
        index.add(1000 + v, frames);
      }
      VideoMatchRules rules = new VideoMatchRules(50, 31, 40, 0);
      int matchesSeen = 0;
      for (int trial = 0; trial < 20; trial++) {
        List<VideoFrame> query = new ArrayList<>();
        // A clip of one bank video, re-encoded (a few bits flipped), padded with new footage.
        List<VideoFrame> source = bank.get(random.nextInt(bank.size()));
        int from = random.nextInt(source.size() / 2);
        for (VideoFrame f : source.subList(from, from + source.size() / 2)) {
          query.add(new VideoFrame(flip(f.hash(), random, random.nextInt(8)), f.quality(), f.seconds()));
        }
        query.addAll(video(random, random.nextInt(100)));
        List<VideoMatch> found = index.search(query, rules);
        List<Long> expected = new ArrayList<>();
        for (int v = 0; v < bank.size(); v++) {
          double[] shares = bruteForce(query, bank.get(v), rules);
          if (shares[1] >= rules.minBankPercent() && shares[1] > 0 && shares[0] >= rules.minQueryPercent()) {
            expected.add(1000L + v);
          }
        }
        assertThat(found).extracting(VideoMatch::videoId).containsExactlyInAnyOrderElementsOf(expected);
        matchesSeen += found.size();
        for (VideoMatch match : found) {
          double[] shares = bruteForce(query, bank.get((int) match.videoId() - 1000), rules);
          assertThat(match.queryMatchedPercent()).isCloseTo(shares[0], org.assertj.core.data.Offset.offset(1e-9));
          assertThat(match.bankMatchedPercent()).isCloseTo(shares[1], org.assertj.core.data.Offset.offset(1e-9));
        }
      }
      assertThat(matchesSeen).as("the trials must exercise matches, not only misses").isGreaterThanOrEqualTo(10);
    }
  }

  @Test
  void aClipReportsTheStretchOfTheBankVideoItCovers() {
    Random random = new Random(7);
    List<VideoFrame> bank = video(random, 600);
    try (VideoIndex index = new VideoIndex(0)) {
      index.add(1, bank);
      List<VideoFrame> clip = bank.subList(300, 450);
      List<VideoMatch> found = index.search(clip, new VideoMatchRules(0, 0, 0, 100));
      assertThat(found).hasSize(1);
      VideoMatch match = found.getFirst();
      assertThat(match.queryMatchedPercent()).isEqualTo(100.0);
      assertThat(match.bankFromSeconds()).isLessThanOrEqualTo(300 / 30.0);
      assertThat(match.bankToSeconds()).isGreaterThanOrEqualTo(449 / 30.0 - 1e-6);
    }
  }

  @Test
  void removedAndReplacedVideosStopMatching() {
    Random random = new Random(3);
    List<VideoFrame> first = video(random, 100);
    List<VideoFrame> second = video(random, 100);
    try (VideoIndex index = new VideoIndex(0)) {
      index.add(1, first);
      assertThat(index.search(first, new VideoMatchRules(0, 31, 80, 0))).extracting(VideoMatch::videoId).containsExactly(1L);
      index.add(1, second);
      assertThat(index.search(first, new VideoMatchRules(0, 31, 80, 0))).isEmpty();
      assertThat(index.remove(1)).isTrue();
      assertThat(index.search(second, new VideoMatchRules(0, 31, 80, 0))).isEmpty();
      assertThat(index.size()).isZero();
      assertThat(index.frameCount()).isZero();
    }
  }

  @Test
  void lowQualityFramesNeitherMatchNorCount() {
    Random random = new Random(5);
    List<VideoFrame> flat = video(random, 50).stream()
        .map(f -> new VideoFrame(f.hash(), 10, f.seconds())).toList();
    try (VideoIndex index = new VideoIndex(50)) {
      index.add(1, flat);
      assertThat(index.frameCount()).isZero();
      assertThat(index.search(flat, VideoMatchRules.DEFAULT)).isEmpty();
    }
  }

  @Test
  void knownImagesAreFoundInsideAVideo() {
    Random random = new Random(11);
    List<VideoFrame> video = new ArrayList<>(video(random, 300));
    Hash256 banned = randomHash(random);
    // The banned image appears, slightly altered, between 4 and 5 seconds in.
    for (int i = 120; i < 150; i++) {
      video.set(i, new VideoFrame(flip(banned, random, 6), 90, i / 30.0));
    }
    try (HammingIndex images = new HammingIndex()) {
      images.add(banned, 77);
      images.add(randomHash(random), 78);
      List<ImagesInVideo.Sighting> sightings = ImagesInVideo.find(images, video, 50, 31);
      assertThat(sightings).extracting(ImagesInVideo.Sighting::imageId).containsExactly(77L);
      assertThat(sightings.getFirst().fromSeconds()).isCloseTo(4.0, org.assertj.core.data.Offset.offset(0.01));
      assertThat(sightings.getFirst().toSeconds()).isCloseTo(149 / 30.0, org.assertj.core.data.Offset.offset(0.01));
    }
  }
}
