package org.countersignal.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.countersignal.server.CountersignalServer;
import org.countersignal.server.config.ServerConfig;

/**
 * The runs the launcher records its start-up caches from ({@code java -XX:AOTCacheOutput=...}):
 * {@code commands}, what {@code countersignal --help} and {@code hash} of a photo and of a text load
 * and link; {@code serve}, what a {@code serve} start on an empty data directory does. Two caches,
 * not one: a JVM loads every class of its cache as it starts, and the service's ten thousand made
 * {@code hash} slower to start than the few it needs. Works in a temporary folder it deletes;
 * exits 0 only if every step did what a user would have seen it do.
 */
public final class StartupTraining {

  private StartupTraining() {}

  public static void main(String[] args) throws Exception {
    boolean serve = args.length == 1 && args[0].equals("serve");
    if (!serve && !(args.length == 1 && args[0].equals("commands"))) {
      System.err.println("usage: StartupTraining commands|serve");
      System.exit(2);
    }
    Path scratch = Files.createTempDirectory("countersignal-training");
    int code;
    try {
      code = serve ? trainServe(scratch) : trainCommands(scratch);
    } finally {
      deleteTree(scratch);
    }
    System.exit(code);
  }

  /** The short commands: the help, which builds every command, and {@code hash} of a photo and of a text. */
  static int trainCommands(Path scratch) throws IOException {
    PrintWriter discard = new PrintWriter(Writer.nullWriter());
    Path photo = scratch.resolve("photo.jpg");
    ImageIO.write(noisyPicture(), "jpg", photo.toFile());
    return Main.run(discard, discard, "--help") == 0
        && Main.run(discard, discard, "hash", photo.toString()) == 0
        && Main.run(discard, discard, "hash", "--text", "Read the whole text at https://www.example.com/part2 and share it.") == 0
        ? 0 : 1;
  }

  /** {@code serve}: a start on an empty data directory until ready, a first match, a stop. */
  static int trainServe(Path scratch) throws IOException, InterruptedException {
    ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(scratch.resolve("data"));
    try (CountersignalServer server = CountersignalServer.builder(config).start()) {
      if (!server.awaitReady(Duration.ofSeconds(60))) {
        return 1;
      }
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.port();
      HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
      // A first match too: the path of every request after start (authentication, JSON both ways).
      HttpResponse<String> match = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/match"))
              .header("Authorization", "Bearer " + server.initialAdminKey().orElseThrow())
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(
                  "{\"signals\":{\"pdq\":\"f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22\"}}"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      return ready.statusCode() == 200 && match.statusCode() == 200 ? 0 : 1;
    }
  }

  /** A photo-like picture: smooth shapes with grain, so the JPEG decoder and PDQ do their usual work. */
  private static BufferedImage noisyPicture() {
    BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
    SplittableRandom random = new SplittableRandom(483);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int grain = random.nextInt(32);
        int r = (x * 255 / image.getWidth() + grain) & 0xff;
        int g = (y * 255 / image.getHeight() + grain) & 0xff;
        int b = ((x ^ y) & 0x80) + grain;
        image.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    return image;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    }
  }
}
