package org.countersignal.cli.hash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.countersignal.cli.CliRun;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoHashCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static Path videos() {
    Path videos = Path.of(System.getProperty("countersignal.conformance.dir", "../../shared/conformance"))
        .resolve("vpdq/videos");
    Assumptions.assumeTrue(Files.isDirectory(videos), "sample videos not found at " + videos);
    return videos;
  }

  @Test
  void videosGetAVpdqSummaryAndTheirFrameListInTheReferenceFormat() throws Exception {
    Path video = videos().resolve("pattern-sd-grey-bar.mp4");
    Path frames = dir.resolve("frames.txt");
    CliRun run = CliRun.of("hash", "--frames", frames.toString(), video.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode line = JSON.readTree(run.out());
    assertThat(line.get("content_type").asText()).isEqualTo("video");
    assertThat(line.at("/video/frames").asInt()).isEqualTo(206);
    assertThat(line.at("/video/distinct_frames").asInt()).isBetween(1, 206);
    // The frames are no text to print: the signals are the file's digests, as a match takes them.
    assertThat(line.get("signals").fieldNames()).toIterable().containsExactly("md5", "sha256");
    assertThat(line.at("/signals/md5").asText()).matches("[0-9a-f]{32}");
    List<String> written = Files.readAllLines(frames);
    List<String> reference = Files.readAllLines(
        videos().resolveSibling("reference").resolve("pattern-sd-grey-bar.txt"));
    assertThat(written).hasSameSizeAs(reference);
    // Same frame numbers, qualities and times as the reference tool writes.
    for (int i = 0; i < written.size(); i++) {
      String[] ours = written.get(i).split(",");
      String[] theirs = reference.get(i).split(",");
      assertThat(ours[0]).isEqualTo(theirs[0]);
      assertThat(ours[3]).isEqualTo(theirs[3]);
    }
  }

  @Test
  void samplingOneFramePerSecondHashesFewerFrames() throws Exception {
    Path video = videos().resolve("pattern-sd-grey-bar.mp4");
    JsonNode line = JSON.readTree(CliRun.of("hash", "--seconds-per-frame", "1", video.toString()).out());
    assertThat(line.at("/video/frames").asInt()).isEqualTo(7);
  }

  @Test
  void aVideoOverTheLengthLimitIsReportedAndTheExitCodeSaysSo() throws Exception {
    Path video = videos().resolve("chair-19-sd-bar.mp4");
    CliRun run = CliRun.of("hash", "--max-video-seconds", "5", video.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    JsonNode line = JSON.readTree(run.out());
    assertThat(line.get("reason").asText()).isEqualTo("too_large");
  }
}
