package org.countersignal.index.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.countersignal.index.hamming.Hash256;
import org.countersignal.index.hamming.HammingIndex;

/**
 * Groups 256-bit hashes (PDQ) into clusters of near-identical ones: each cluster is a leader
 * hash and every hash within {@code radius} of it that no earlier cluster took. A new edit of a
 * picture going viral shows up as one large cluster of uploads.
 *
 * <p>Greedy leader clustering over a {@link HammingIndex} of the distinct hashes. Leaders are
 * taken most-repeated first, so a cluster's leader is its most uploaded variant, and banking the
 * leader at the same threshold matches every member. A leader costs one lookup and a member none,
 * so clustered data (copies and edits of a few thousand originals, the index's worst case for a
 * single lookup) costs about one lookup per cluster, and data without clusters one per distinct
 * hash. Lookups run in parallel, for the next {@link #BATCH} leaders at once; a leader that a
 * batch-mate took is dropped and its lookup wasted.
 *
 * <p>Membership depends on the leader: two members of a cluster may be up to twice
 * {@code radius} apart, and a hash within {@code radius} of two leaders joins the first. An
 * original with edits spread wider than the radius makes more than one cluster.
 *
 * <p>Thread safety: a pure function of its arguments; it uses the common fork-join pool.
 */
public final class NearDuplicateClusters {

  /** Leaders looked up at once: enough to keep two cores busy, few enough to waste little. */
  static final int BATCH = 256;

  /**
   * One cluster: rows of the input.
   *
   * @param leader the row of the leader hash (its first row, when repeated)
   * @param members every row of the cluster, the leader's among them, in input order
   */
  public record Cluster(int leader, int[] members) {
    public int size() {
      return members.length;
    }
  }

  private NearDuplicateClusters() {}

  /**
   * The clusters of at least {@code minSize} rows among the first {@code count} hashes of
   * {@code words} (four words a hash, see {@link Hash256}), largest first (ties by leader row).
   */
  public static List<Cluster> find(long[] words, int count, int radius, int minSize) {
    if (count < 0 || words.length < (long) count * 4) {
      throw new IllegalArgumentException("need four words for each of " + count + " hashes");
    }
    if (radius < 0 || radius > HammingIndex.MAX_RADIUS) {
      throw new IllegalArgumentException("radius must be 0.." + HammingIndex.MAX_RADIUS + ", got " + radius);
    }
    Distinct distinct = Distinct.of(words, count);
    int[] owner = leaders(distinct, radius);
    return clusters(distinct, owner, Math.max(1, minSize));
  }

  /** The hashes once each, with how many rows carry each and the first of them. */
  private record Distinct(long[] words, int[] weight, int[] firstRow, int[] ofRow, int count) {

    static Distinct of(long[] words, int count) {
      Map<Hash256, Integer> seen = new HashMap<>(Math.max(16, count * 2));
      long[] distinctWords = new long[count * 4];
      int[] weight = new int[count];
      int[] firstRow = new int[count];
      int[] ofRow = new int[count];
      int n = 0;
      for (int row = 0; row < count; row++) {
        int b = row * 4;
        Integer known = seen.putIfAbsent(new Hash256(words[b], words[b + 1], words[b + 2], words[b + 3]), n);
        int d = known != null ? known : n;
        if (known == null) {
          System.arraycopy(words, b, distinctWords, n * 4, 4);
          firstRow[n] = row;
          n++;
        }
        weight[d]++;
        ofRow[row] = d;
      }
      return new Distinct(Arrays.copyOf(distinctWords, n * 4), weight, firstRow, ofRow, n);
    }
  }

  /** For each distinct hash, the distinct hash that leads its cluster. */
  private static int[] leaders(Distinct distinct, int radius) {
    int n = distinct.count();
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
    }
    // build() takes over its arrays, and the words are read again below.
    HammingIndex index = HammingIndex.build(distinct.words().clone(), ids);
    int[] order = mostRepeatedFirst(distinct);
    int[] owner = new int[n];
    Arrays.fill(owner, -1);
    int next = 0;
    int[] batch = new int[BATCH];
    while (true) {
      int size = 0;
      while (size < BATCH && next < n) {
        int candidate = order[next++];
        if (owner[candidate] < 0) {
          batch[size++] = candidate;
        }
      }
      if (size == 0) {
        break;
      }
      int[] leaders = Arrays.copyOf(batch, size);
      int[][] near = new int[size][];
      IntStream.range(0, size).parallel().forEach(i -> near[i] = within(index, distinct.words(), leaders[i], radius));
      for (int i = 0; i < size; i++) {
        if (owner[leaders[i]] >= 0) {
          continue;
        }
        for (int member : near[i]) {
          if (owner[member] < 0) {
            owner[member] = leaders[i];
          }
        }
      }
    }
    index.close();
    return owner;
  }

  /** Distinct hashes by how many rows carry them, most first; ties in input order. */
  private static int[] mostRepeatedFirst(Distinct distinct) {
    int n = distinct.count();
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = ((long) (Integer.MAX_VALUE - distinct.weight()[i]) << 32) | i;
    }
    Arrays.sort(keys);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = (int) keys[i];
    }
    return order;
  }

  private static int[] within(HammingIndex index, long[] words, int row, int radius) {
    int b = row * 4;
    Hash256 query = new Hash256(words[b], words[b + 1], words[b + 2], words[b + 3]);
    int[][] found = {new int[16]};
    int[] size = {0};
    index.search(query, radius, (id, distance) -> {
      if (size[0] == found[0].length) {
        found[0] = Arrays.copyOf(found[0], size[0] * 2);
      }
      found[0][size[0]++] = (int) id;
    });
    return Arrays.copyOf(found[0], size[0]);
  }

  private static List<Cluster> clusters(Distinct distinct, int[] owner, int minSize) {
    int[] rowsOf = new int[distinct.count()];
    for (int d = 0; d < distinct.count(); d++) {
      rowsOf[owner[d]] += distinct.weight()[d];
    }
    int[][] members = new int[distinct.count()][];
    int[] filled = new int[distinct.count()];
    int[] ofRow = distinct.ofRow();
    for (int row = 0; row < ofRow.length; row++) {
      int leader = owner[ofRow[row]];
      if (rowsOf[leader] < minSize) {
        continue;
      }
      if (members[leader] == null) {
        members[leader] = new int[rowsOf[leader]];
      }
      members[leader][filled[leader]++] = row;
    }
    List<Cluster> out = new ArrayList<>();
    for (int leader = 0; leader < members.length; leader++) {
      if (members[leader] != null) {
        out.add(new Cluster(distinct.firstRow()[leader], members[leader]));
      }
    }
    out.sort((a, b) -> a.size() != b.size() ? Integer.compare(b.size(), a.size()) : Integer.compare(a.leader(), b.leader()));
    return out;
  }
}
