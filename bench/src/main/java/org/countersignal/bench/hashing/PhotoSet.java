package org.countersignal.bench.hashing;

import java.awt.RenderingHints;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Makes a reproducible benchmark set of photo-like JPEGs of 1200x900 (about 1 MP) from the
 * conformance images: random crops, rescaled, with sensor-like noise and varied JPEG quality.
 * Usage: {@code PhotoSet SOURCE_DIR OUT_DIR [COUNT]}.
 */
public final class PhotoSet {

  private static final int WIDTH = 1200;
  private static final int HEIGHT = 900;

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: PhotoSet SOURCE_DIR OUT_DIR [COUNT]");
      System.exit(2);
    }
    Path sources = Path.of(args[0]);
    Path out = Path.of(args[1]);
    int count = args.length > 2 ? Integer.parseInt(args[2]) : 300;
    Files.createDirectories(out);
    List<BufferedImage> photos = loadPhotos(sources);
    Random random = new Random(20190315L);
    for (int i = 0; i < count; i++) {
      BufferedImage source = photos.get(i % photos.size());
      BufferedImage photo = noisy(cropAndScale(source, random), random);
      write(photo, out.resolve(String.format("photo-%03d.jpg", i)), 0.80f + random.nextFloat() * 0.15f);
    }
    System.err.printf("wrote %d photos of %dx%d from %d sources to %s%n", count, WIDTH, HEIGHT, photos.size(), out);
  }

  /** The sources large enough to crop a photo from, in name order. */
  private static List<BufferedImage> loadPhotos(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".jpg")).sorted().map(f -> {
        try {
          return ImageIO.read(f.toFile());
        } catch (IOException e) {
          return null;
        }
      }).filter(img -> img != null && img.getWidth() >= 600 && img.getHeight() >= 600).toList();
    }
  }

  private static BufferedImage cropAndScale(BufferedImage source, Random random) {
    double share = 0.6 + random.nextDouble() * 0.4;
    int cropWidth = (int) (source.getWidth() * share);
    int cropHeight = Math.min(source.getHeight(), cropWidth * HEIGHT / WIDTH);
    int x = random.nextInt(source.getWidth() - cropWidth + 1);
    int y = random.nextInt(source.getHeight() - cropHeight + 1);
    BufferedImage photo = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = photo.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(source, 0, 0, WIDTH, HEIGHT, x, y, x + cropWidth, y + cropHeight, null);
    g.dispose();
    return photo;
  }

  private static BufferedImage noisy(BufferedImage photo, Random random) {
    byte[] data = ((java.awt.image.DataBufferByte) photo.getRaster().getDataBuffer()).getData();
    double sigma = 1 + random.nextDouble() * 4;
    for (int i = 0; i < data.length; i++) {
      int v = (data[i] & 0xff) + (int) Math.round(random.nextGaussian() * sigma);
      data[i] = (byte) Math.max(0, Math.min(255, v));
    }
    return photo;
  }

  private static void write(BufferedImage photo, Path file, float quality) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(quality);
    Files.deleteIfExists(file);
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(photo, null, null), param);
    } finally {
      writer.dispose();
    }
  }
}
