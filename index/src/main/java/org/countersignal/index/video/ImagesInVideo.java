package org.countersignal.index.video;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.countersignal.index.hamming.Hash256;
import org.countersignal.index.hamming.HammingIndex;
import org.countersignal.index.hamming.Match;

/**
 * Finds known images inside a video: each unique good-quality frame is looked up in an image
 * (PDQ) index, so a video that shows a banked photo for a few seconds is caught even when the
 * video as a whole is new.
 */
public final class ImagesInVideo {

  /** A banked image seen in the video: first and last time it shows, and the closest distance. */
  public record Sighting(long imageId, double fromSeconds, double toSeconds, int distance) {}

  private ImagesInVideo() {}

  public static List<Sighting> find(HammingIndex images, List<VideoFrame> video, int minQuality, int radius) {
    Map<Hash256, float[]> unique = VideoIndex.uniqueFrames(video, minQuality);
    List<Hash256> hashes = new ArrayList<>(unique.keySet());
    List<List<Match>> hits = images.searchBatch(hashes, radius);
    Map<Long, Sighting> byImage = new java.util.HashMap<>();
    for (int i = 0; i < hashes.size(); i++) {
      float[] span = unique.get(hashes.get(i));
      for (Match hit : hits.get(i)) {
        byImage.merge(hit.id(), new Sighting(hit.id(), span[0], span[1], hit.distance()),
            (a, b) -> new Sighting(a.imageId(), Math.min(a.fromSeconds(), b.fromSeconds()),
                Math.max(a.toSeconds(), b.toSeconds()), Math.min(a.distance(), b.distance())));
      }
    }
    List<Sighting> sightings = new ArrayList<>(byImage.values());
    sightings.sort(Comparator.comparingDouble(Sighting::fromSeconds).thenComparingLong(Sighting::imageId));
    return sightings;
  }
}
