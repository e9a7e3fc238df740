package org.countersignal.signals.vpdq;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.testing.ConformanceData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The vPDQ rules of the shared conformance README, against the reference hasher's outputs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VpdqConformanceTest {

  private final Map<String, VpdqSignal> ours = new LinkedHashMap<>();
  private final Map<String, VpdqSignal> reference = new LinkedHashMap<>();

  @BeforeAll
  void hashEverySampleVideo() throws IOException, ContentException {
    Path dir = ConformanceData.directory("vpdq");
    VpdqHasher hasher = new VpdqHasher(VideoLimits.DEFAULT);
    try (Stream<Path> videos = Files.list(dir.resolve("videos"))) {
      for (Path video : videos.sorted().toList()) {
        String name = video.getFileName().toString().replaceFirst("\\.mp4$", "");
        ours.put(name, hasher.hash(video));
        reference.put(name, VpdqText.parse(Files.readString(dir.resolve("reference").resolve(name + ".txt"))));
      }
    }
    assertThat(ours).hasSizeGreaterThanOrEqualTo(8);
  }

  @Test
  void everyFrameIsHashedAndAgreesWithTheReference() {
    int counted = 0;
    int within4 = 0;
    for (String name : ours.keySet()) {
      List<VpdqFrame> mine = ours.get(name).frames();
      List<VpdqFrame> theirs = reference.get(name).frames();
      assertThat(mine).as("frame count of %s", name).hasSameSizeAs(theirs);
      int videoCounted = 0;
      int videoWithin8 = 0;
      for (int i = 0; i < theirs.size(); i++) {
        VpdqFrame expected = theirs.get(i);
        assertThat(mine.get(i).frameNumber()).isEqualTo(expected.frameNumber());
        assertThat(mine.get(i).seconds()).as("time of frame %d of %s", i, name)
            .isCloseTo(expected.seconds(), org.assertj.core.data.Offset.offset(0.0015));
        if (expected.quality() < 50) {
          continue;
        }
        int distance = mine.get(i).hash().distance(expected.hash());
        assertThat(distance).as("frame %d of %s", i, name).isLessThanOrEqualTo(32);
        videoCounted++;
        videoWithin8 += distance <= 8 ? 1 : 0;
        within4 += distance <= 4 ? 1 : 0;
      }
      counted += videoCounted;
      assertThat(videoWithin8).as("frames of %s within 8 bits", name).isGreaterThanOrEqualTo((int) Math.ceil(0.8 * videoCounted));
    }
    assertThat(within4).as("frames within 4 bits over all videos").isGreaterThanOrEqualTo((int) Math.ceil(0.95 * counted));
  }

  @Test
  void matchMatrixIsTheSameAsTheReferenceHashes() {
    List<String> names = new ArrayList<>(ours.keySet());
    int matches = 0;
    for (String query : names) {
      for (String bank : names) {
        if (query.equals(bank)) {
          continue;
        }
        boolean mine = VpdqMatcher.compare(ours.get(query), ours.get(bank), VpdqMatchOptions.DEFAULT).matched();
        boolean theirs = VpdqMatcher.compare(reference.get(query), reference.get(bank), VpdqMatchOptions.DEFAULT).matched();
        assertThat(mine).as("%s against %s", query, bank).isEqualTo(theirs);
        matches += mine ? 1 : 0;
      }
    }
    // The examples the README gives, so the matrix cannot pass by being all-false.
    assertThat(matched("chair-19-sd-bar", "chair-20-sd-bar")).isTrue();
    assertThat(matched("chair-22-sd-grey-bar", "chair-19-sd-bar")).isTrue();
    for (String chair : List.of("chair-19-sd-bar", "chair-20-sd-bar", "chair-22-sd-grey-bar")) {
      assertThat(matched("chair-22-with-large-logo-bar", chair)).isFalse();
      assertThat(matched(chair, "chair-22-with-large-logo-bar")).isFalse();
      assertThat(matched(chair, "pattern-sd-grey-bar")).isFalse();
    }
    assertThat(matches).isPositive();
  }

  @Test
  void aMatchReportsTheStretchOfTheBankVideoItCovers() {
    VpdqSignal bank = ours.get("chair-20-sd-bar");
    List<VpdqFrame> middle = bank.frames().subList(200, 400);
    VpdqComparison clip = VpdqMatcher.compare(new VpdqSignal(middle), bank, new VpdqMatchOptions(50, 31, 0, 0));
    assertThat(clip.queryMatchedPercent()).isEqualTo(100.0);
    assertThat(clip.bankFromSeconds()).isLessThanOrEqualTo(middle.getFirst().seconds());
    assertThat(clip.bankToSeconds()).isGreaterThanOrEqualTo(middle.getLast().seconds());
    assertThat(clip.bankToSeconds() - clip.bankFromSeconds()).isLessThan(bank.lastFrameSeconds());
  }

  @Test
  void sampledFramesAreASubsetAtTheRequestedRate() throws ContentException {
    Path video = ConformanceData.directory("vpdq").resolve("videos/chair-20-sd-bar.mp4");
    VpdqSignal everyFrame = ours.get("chair-20-sd-bar");
    VpdqSignal onePerSecond = new VpdqHasher(VideoLimits.DEFAULT).hash(video, 1.0);
    assertThat(onePerSecond.frames()).hasSize((everyFrame.frames().size() + 29) / 30);
    for (VpdqFrame frame : onePerSecond.frames()) {
      assertThat(frame.frameNumber() % 30).isZero();
      assertThat(frame).isEqualTo(everyFrame.frames().get(frame.frameNumber()));
    }
  }

  private boolean matched(String query, String bank) {
    return VpdqMatcher.compare(ours.get(query), ours.get(bank), VpdqMatchOptions.DEFAULT).matched();
  }
}
