package org.countersignal.index.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.countersignal.index.hamming.TestHashes;
import org.junit.jupiter.api.Test;

/**
 * Clusters are what a curator acts on: a cluster must hold exactly the uploads of one new variant,
 * every member within the radius of the leader that would be banked, and nothing near an earlier
 * leader may start a cluster of its own.
 */
class NearDuplicateClustersTest {

  @Test
  void findsEachPlantedVariantWithExactlyItsUploads() {
    SplittableRandom random = new SplittableRandom(11);
    List<long[]> rows = new ArrayList<>();
    List<Set<Integer>> planted = new ArrayList<>();
    for (int c = 0; c < 30; c++) {
      long[] centre = randomHash(random);
      Set<Integer> members = new HashSet<>();
      // The centre is uploaded most often, so it leads; edits lie within 12 bits of it.
      for (int copy = 0; copy < 3; copy++) {
        members.add(rows.size());
        rows.add(centre);
      }
      for (int edit = 0; edit < 5 + c; edit++) {
        members.add(rows.size());
        rows.add(flip(random, centre, 1 + random.nextInt(12)));
      }
      planted.add(members);
    }
    for (int noise = 0; noise < 2_000; noise++) {
      rows.add(randomHash(random));
    }
    List<NearDuplicateClusters.Cluster> found = NearDuplicateClusters.find(words(rows), rows.size(), 31, 2);

    assertThat(found).hasSize(30);
    Set<Set<Integer>> foundMembers = new HashSet<>();
    for (NearDuplicateClusters.Cluster cluster : found) {
      Set<Integer> members = new HashSet<>();
      Arrays.stream(cluster.members()).forEach(members::add);
      foundMembers.add(members);
    }
    assertThat(foundMembers).containsExactlyInAnyOrderElementsOf(planted);
    assertThat(found.get(0).size()).isEqualTo(3 + 5 + 29);
  }

  @Test
  void everyMemberIsWithinTheRadiusOfItsLeaderAndNoLeaderIsNearAnEarlierOne() {
    SplittableRandom random = new SplittableRandom(12);
    // Edits spread past the radius, so originals split into several clusters.
    List<long[]> rows = new ArrayList<>();
    for (int c = 0; c < 40; c++) {
      long[] centre = randomHash(random);
      for (int edit = 0; edit < 100; edit++) {
        rows.add(flip(random, centre, random.nextInt(40)));
      }
    }
    int radius = 20;
    List<NearDuplicateClusters.Cluster> found = NearDuplicateClusters.find(words(rows), rows.size(), radius, 1);

    assertThat(found.stream().mapToInt(NearDuplicateClusters.Cluster::size).sum()).isEqualTo(rows.size());
    for (NearDuplicateClusters.Cluster cluster : found) {
      for (int member : cluster.members()) {
        assertThat(distance(rows.get(cluster.leader()), rows.get(member))).isLessThanOrEqualTo(radius);
      }
    }
    // A hash within the radius of a leader is never a leader itself: it was taken.
    for (int i = 0; i < found.size(); i++) {
      for (int j = i + 1; j < found.size(); j++) {
        assertThat(distance(rows.get(found.get(i).leader()), rows.get(found.get(j).leader()))).isGreaterThan(radius);
      }
    }
  }

  @Test
  void smallClustersAreLeftOutAndRepeatsCountAsUploads() {
    SplittableRandom random = new SplittableRandom(13);
    long[] viral = randomHash(random);
    long[] rare = randomHash(random);
    List<long[]> rows = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      rows.add(viral);
    }
    rows.add(rare);
    rows.add(flip(random, rare, 3));

    List<NearDuplicateClusters.Cluster> found = NearDuplicateClusters.find(words(rows), rows.size(), 31, 20);

    assertThat(found).singleElement().satisfies(cluster -> {
      assertThat(cluster.size()).isEqualTo(25);
      assertThat(cluster.leader()).isZero();
    });
  }

  private static long[] randomHash(SplittableRandom random) {
    return TestHashes.randomWords(random, 1);
  }

  private static long[] flip(SplittableRandom random, long[] hash, int bits) {
    return TestHashes.flip(random, hash, bits);
  }

  private static long[] words(List<long[]> rows) {
    long[] words = new long[rows.size() * 4];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, words, i * 4, 4);
    }
    return words;
  }

  private static int distance(long[] a, long[] b) {
    int d = 0;
    for (int i = 0; i < 4; i++) {
      d += Long.bitCount(a[i] ^ b[i]);
    }
    return d;
  }
}
