package org.countersignal.signals.vpdq;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.countersignal.signals.ContentException;

/**
 * Bytes as an uploaded video file (the container is sniffed from the bytes, as for an upload),
 * decoded frame by frame by FFmpeg through its Java bindings under small limits. The only
 * accepted failure is a {@link ContentException}; anything else, a hang or running out of memory
 * is a finding, and so is a crash in FFmpeg's native code, which ends the JVM itself.
 *
 * <p>FFmpeg's C code is not instrumented: the fuzzer sees only the paths this decoder takes
 * around it, so it is guided less here than in the Java parsers, and mutates the seeds mostly
 * blind.
 */
class VideoDecoderFuzzTest {

  // Small frames, a few seconds and a few hundred frames: every container and codec FFmpeg
  // sniffs is still opened and decoded, but a few bytes cannot buy minutes of decoding.
  private static final VideoLimits LIMITS = new VideoLimits(10, 320 * 240, 300);
  private static final VideoDecoder DECODER = new VideoDecoder(LIMITS);
  private static final Path FILE = scratchFile();

  @FuzzTest(maxDuration = "5m")
  void decode(byte[] data) throws IOException {
    Files.write(FILE, data);
    int[] frames = {0};
    try {
      VideoDecoder.StreamInfo info = DECODER.decode(FILE, 0, (number, seconds, frame) -> {
        assertThat(number).isEqualTo(frames[0]++);
        assertThat(seconds).isBetween(0.0, LIMITS.maxSeconds());
        assertThat((long) frame.width() * frame.height()).isBetween(1L, LIMITS.maxFramePixels());
      });
      assertThat(frames[0]).isBetween(1, LIMITS.maxFrames());
      assertThat((long) info.width() * info.height()).isBetween(1L, LIMITS.maxFramePixels());
    } catch (ContentException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  private static Path scratchFile() {
    try {
      Path dir = Files.createTempDirectory("countersignal-video-fuzz");
      dir.toFile().deleteOnExit();
      // The name the upload route gives a video: nothing for FFmpeg to guess the format from.
      Path file = dir.resolve("upload.video");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
