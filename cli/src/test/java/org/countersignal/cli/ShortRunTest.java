package org.countersignal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's choice of a short run ({@code scripts/short-run.sh}), which starts the JVM with
 * its quick compiler alone: the help, {@code compare} and {@code hash} of a text or of one image
 * file of at most 8 MB are short; a larger image, a video, a folder, several files or
 * {@code --frames} are not, whatever the file is named.
 */
class ShortRunTest {

  private static final Path SCRIPT = Path.of("..", "scripts", "short-run.sh").toAbsolutePath().normalize();

  @TempDir static Path dir;
  static Path jpeg;
  static Path png;
  static Path video;
  static Path large;

  @BeforeAll
  static void files() throws IOException {
    BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    jpeg = dir.resolve("photo.jpg");
    ImageIO.write(image, "jpg", jpeg.toFile());
    png = dir.resolve("picture.png");
    ImageIO.write(image, "png", png.toFile());
    // An MP4's first box, named like a photo: the name is not what counts.
    video = Files.write(dir.resolve("clip.jpg"),
        new byte[] {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0});
    // A JPEG's first bytes and then 9 MB: its many megapixels hash faster with both compilers.
    large = dir.resolve("large.jpg");
    Files.copy(jpeg, large);
    try (RandomAccessFile file = new RandomAccessFile(large.toFile(), "rw")) {
      file.setLength(9_000_000);
    }
  }

  @Test
  void theHelpTheVersionAndComparingTwoHashesAreShort() throws Exception {
    assertThat(shortRun()).isTrue();
    assertThat(shortRun("--help")).isTrue();
    assertThat(shortRun("--version")).isTrue();
    assertThat(shortRun("help", "hash")).isTrue();
    assertThat(shortRun("compare", "f8f8f0ce" + "0".repeat(56), "d8f8f0ce" + "0".repeat(56))).isTrue();
  }

  @Test
  void hashingOneImageOrATextIsShort() throws Exception {
    assertThat(shortRun("hash", jpeg.toString())).isTrue();
    assertThat(shortRun("hash", "--threads", "1", png.toString())).isTrue();
    assertThat(shortRun("hash", "--text", "a few words", "--url", "https://example.com/")).isTrue();
  }

  @Test
  void largeImagesVideosFoldersAndSeveralFilesAreNot() throws Exception {
    assertThat(shortRun("hash", video.toString())).isFalse();
    assertThat(shortRun("hash", large.toString())).isFalse();
    assertThat(shortRun("hash", dir.toString())).isFalse();
    assertThat(shortRun("hash", jpeg.toString(), png.toString())).isFalse();
    assertThat(shortRun("hash", "--frames", dir.resolve("frames").toString(), jpeg.toString())).isFalse();
    assertThat(shortRun("hash", dir.resolve("missing.jpg").toString())).isFalse();
  }

  @Test
  void otherCommandsAreNot() throws Exception {
    assertThat(shortRun("serve")).isFalse();
    assertThat(shortRun("index", "query", jpeg.toString())).isFalse();
    assertThat(shortRun("bank", "import", "bench", jpeg.toString())).isFalse();
  }

  private static boolean shortRun(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", "-c", ". \"$0\" && countersignal_short_run \"$@\"",
        SCRIPT.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return process.exitValue() == 0;
  }
}
