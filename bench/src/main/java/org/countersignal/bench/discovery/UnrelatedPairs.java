package org.countersignal.bench.discovery;

import java.util.ArrayList;
import java.util.List;
import org.countersignal.bench.discovery.Originals.Original;
import org.countersignal.bench.discovery.VariantPrecision.Upload;
import org.countersignal.signals.pdq.PdqHash;

/**
 * How near PDQ puts pictures that have nothing to do with each other. The precision measured
 * against a bank of a few dozen pictures says little about a bank of millions, where an unmatched
 * upload meets every banked hash; the share of unrelated pairs that fall within the band is what
 * scales with the bank: an upload against a bank of B unrelated pictures gets about B times that
 * share of false proposals.
 */
final class UnrelatedPairs {

  private static final int SHOWN = 10;

  private UnrelatedPairs() {}

  /**
   * Every pair of hashes (originals and their edits) made from two different originals; the
   * pairs within the middle band's reach are named.
   */
  static void report(List<Original> originals, List<Upload> uploads, List<Band> bands) {
    List<PdqHash> hashes = new ArrayList<>();
    List<Integer> from = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (int o = 0; o < originals.size(); o++) {
      hashes.add(originals.get(o).hash().hash());
      from.add(o);
      labels.add(originals.get(o).name());
    }
    for (Upload u : uploads) {
      if (u.edit() != null) {
        hashes.add(u.hash().hash());
        from.add(u.original());
        labels.add(originals.get(u.original()).name() + " " + u.editName());
      }
    }
    int[] origin = from.stream().mapToInt(Integer::intValue).toArray();
    int threshold = bands.get(0).threshold();
    int widest = bands.stream().mapToInt(Band::upper).max().orElseThrow();
    long[] within = new long[widest + 1];
    long pairs = 0;
    int closest = Integer.MAX_VALUE;
    double sum = 0;
    List<String> nearest = new ArrayList<>();
    for (int i = 0; i < hashes.size(); i++) {
      for (int j = i + 1; j < hashes.size(); j++) {
        if (origin[i] == origin[j]) {
          continue;
        }
        int d = hashes.get(i).distance(hashes.get(j));
        pairs++;
        sum += d;
        closest = Math.min(closest, d);
        if (d <= widest) {
          within[d]++;
        }
        if (d <= bands.get(bands.size() / 2).upper() && nearest.size() < SHOWN) {
          nearest.add(labels.get(i) + " / " + labels.get(j) + ": " + d);
        }
      }
    }
    StringBuilder counts = new StringBuilder("within " + threshold + ": " + cumulative(within, threshold));
    for (Band band : bands) {
      counts.append(", within ").append(band.upper()).append(": ").append(cumulative(within, band.upper()));
    }
    VariantPrecision.say("unrelated pairs (hashes of two different originals, edits included): %,d from %,d pairs of originals;"
        + " mean %.1f bits, closest %d; %s", pairs, (long) originals.size() * (originals.size() - 1) / 2, sum / pairs, closest,
        counts);
    if (!nearest.isEmpty()) {
      VariantPrecision.say("unrelated pairs within %d: %s", bands.get(bands.size() / 2).upper(), String.join("; ", nearest));
    }
  }

  private static long cumulative(long[] within, int upTo) {
    long n = 0;
    for (int d = 0; d <= upTo; d++) {
      n += within[d];
    }
    return n;
  }
}
