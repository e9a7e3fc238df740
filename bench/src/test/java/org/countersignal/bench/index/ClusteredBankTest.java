package org.countersignal.bench.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The synthetic bank is reproducible and has the structure it was calibrated to have. */
class ClusteredBankTest {

  private static final int N = 50_000;

  @Test
  void sameSeedGivesTheSameBankAndQueries() {
    ClusteredBank a = ClusteredBank.generate(N, 200, 7, true);
    ClusteredBank b = ClusteredBank.generate(N, 200, 7, true);
    ClusteredBank c = ClusteredBank.generate(N, 200, 8, true);
    assertThat(a.data.words).isEqualTo(b.data.words);
    assertThat(a.data.queries).isDeepEqualTo(b.data.queries);
    assertThat(a.data.plantedRow).isEqualTo(b.data.plantedRow);
    assertThat(a.data.words).isNotEqualTo(c.data.words);
  }

  @Test
  void everyHashHasAsManyOnesAsZerosAndPlantedQueriesAreNearTheirSource() {
    ClusteredBank bank = ClusteredBank.generate(N, 500, 1, true);
    long[] w = bank.data.words;
    for (int row = 0; row < N; row++) {
      int b = row * 4;
      assertThat(Long.bitCount(w[b]) + Long.bitCount(w[b + 1]) + Long.bitCount(w[b + 2])
          + Long.bitCount(w[b + 3])).isEqualTo(128);
    }
    int planted = 0;
    for (int i = 0; i < bank.data.queries.length; i++) {
      int source = bank.data.plantedRow[i];
      if (source >= 0) {
        planted++;
        long[] row = Arrays.copyOfRange(w, source * 4, source * 4 + 4);
        assertThat(ClusterCalibration.distance(bank.data.queries[i], row)).isBetween(2, 31);
      }
    }
    assertThat(planted).isBetween(200, 300);
    assertThat(bank.composition.values().stream().mapToLong(v -> v[0]).sum()).isEqualTo(N);
  }

  @Test
  void videoWalksStepAndDriftAsMeasured() {
    ClusteredBank.Calibration calibration = ClusteredBank.Calibration.load();
    ClusteredBank.Synthesiser synth = new ClusteredBank.Synthesiser(calibration, true);
    SplittableRandom random = new SplittableRandom(3);
    long[][] walk = synth.walk(random, 5000, calibration.footageSteps());
    int[] steps = new int[walk.length - 1];
    double far = 0;
    for (int i = 0; i + 1 < walk.length; i++) {
      steps[i] = ClusterCalibration.distance(walk[i], walk[i + 1]);
      if (i + 200 < walk.length) {
        far += ClusterCalibration.distance(walk[i], walk[i + 200]);
      }
    }
    Arrays.sort(steps);
    int measuredMedian = calibration.footageSteps().percentiles()[50];
    assertThat(steps[steps.length / 2]).isBetween(measuredMedian - 2, measuredMedian + 2);
    // Frames 200 apart are about as far apart as unrelated content (measured: 120-130).
    assertThat(far / (walk.length - 200)).isBetween(100.0, 135.0);
  }

  @Test
  void biasedBitsAreSetAboutAsOftenAsMeasured() {
    ClusteredBank.Calibration calibration = ClusteredBank.Calibration.load();
    ClusteredBank.Synthesiser synth = new ClusteredBank.Synthesiser(calibration, true);
    SplittableRandom random = new SplittableRandom(4);
    int samples = 20_000;
    int[] ones = new int[256];
    for (int i = 0; i < samples; i++) {
      long[] h = synth.balancedRandom(random);
      for (int bit = 0; bit < 256; bit++) {
        ones[bit] += (int) (h[bit >>> 6] >>> (bit & 63) & 1);
      }
    }
    for (int bit = 0; bit < 256; bit++) {
      assertThat(ones[bit] / (double) samples).as("bit %d", bit)
          .isCloseTo(calibration.bitOnes()[bit], org.assertj.core.data.Offset.offset(0.05));
    }
  }
}
