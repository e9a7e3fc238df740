package org.countersignal.bench.discovery;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.countersignal.bench.discovery.VariantPrecision.Upload;
import org.countersignal.index.cluster.NearDuplicateClusters;
import org.countersignal.index.cluster.NearDuplicateClusters.Cluster;
import org.countersignal.signals.pdq.PdqHash;

/**
 * How the edits of each original cluster when they arrive as unmatched uploads: whether a
 * cluster holds one picture's variants only (purity), and whether one picture's variants stay
 * together or split into several clusters, each of which a reviewer would see separately.
 */
final class VariantClusters {

  private VariantClusters() {}

  /** Clusters every edit of every original (banked or not), in a shuffled arrival order. */
  static void report(List<Upload> uploads, int originals, int radius, int minSize, long seed) {
    List<Upload> edits = new ArrayList<>(uploads.stream().filter(u -> u.edit() != null).toList());
    Collections.shuffle(edits, new Random(seed));
    long[] words = new long[edits.size() * 4];
    for (int i = 0; i < edits.size(); i++) {
      PdqHash hash = edits.get(i).hash().hash();
      for (int w = 0; w < 4; w++) {
        words[i * 4 + w] = hash.word(w);
      }
    }
    List<Cluster> clusters = NearDuplicateClusters.find(words, edits.size(), radius, minSize);
    long clustered = 0;
    long pure = 0;
    List<Set<Integer>> clustersOf = new ArrayList<>();
    for (int o = 0; o < originals; o++) {
      clustersOf.add(new HashSet<>());
    }
    int mixed = 0;
    for (int c = 0; c < clusters.size(); c++) {
      Cluster cluster = clusters.get(c);
      int home = edits.get(cluster.leader()).original();
      boolean mixedHere = false;
      for (int member : cluster.members()) {
        int from = edits.get(member).original();
        clustered++;
        pure += from == home ? 1 : 0;
        mixedHere |= from != home;
        clustersOf.get(from).add(c);
      }
      mixed += mixedHere ? 1 : 0;
    }
    int[] split = new int[4];
    for (Set<Integer> set : clustersOf) {
      split[Math.min(3, set.size())]++;
    }
    Set<Integer> inCluster = new HashSet<>();
    clusters.forEach(c -> {
      for (int member : c.members()) {
        inCluster.add(member);
      }
    });
    long mirroredAlone = 0;
    for (int i = 0; i < edits.size(); i++) {
      mirroredAlone += !inCluster.contains(i) && edits.get(i).edit() == ImageEdit.MIRROR ? 1 : 0;
    }
    VariantPrecision.say("clusters (radius %d, at least %d uploads) of all %,d edits of the %d originals, banked or not, shuffled:",
        radius, minSize, edits.size(), originals);
    VariantPrecision.say("clusters: %d, holding %,d edits (%.1f %%); %,d edits alone, %d of them mirrored", clusters.size(),
        clustered, 100.0 * clustered / edits.size(), edits.size() - clustered, mirroredAlone);
    VariantPrecision.say("clusters: purity (clustered edits whose cluster's leader is from the same original) %.4f; %d clusters mix originals",
        pure / (double) Math.max(1, clustered), mixed);
    VariantPrecision.say("clusters: originals whose clustered edits are in no cluster %d, one %d, two %d, three or more %d",
        split[0], split[1], split[2], split[3]);
  }
}
