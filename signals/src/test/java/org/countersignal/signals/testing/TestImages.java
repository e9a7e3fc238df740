package org.countersignal.signals.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/** Images made on the fly for tests: smooth random structure, so PDQ has something to see. */
public final class TestImages {

  private TestImages() {}

  /**
   * A picture of overlapping flat-coloured rectangles and ellipses, deterministic for a seed:
   * strong low-frequency structure (so PDQ bits are stable under re-encoding) in few enough
   * colours that GIF stores it exactly.
   */
  public static BufferedImage shapes(int width, int height, long seed) {
    Random random = new Random(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(random.nextInt(0x1000000)));
    g.fillRect(0, 0, width, height);
    for (int i = 0; i < 12; i++) {
      g.setColor(new Color(random.nextInt(0x1000000)));
      int w = width / 8 + random.nextInt(width / 2);
      int h = height / 8 + random.nextInt(height / 2);
      int x = random.nextInt(width - w / 2);
      int y = random.nextInt(height - h / 2);
      if (random.nextBoolean()) {
        g.fillRect(x, y, w, h);
      } else {
        g.fillOval(x, y, w, h);
      }
    }
    g.dispose();
    return image;
  }

  /** {@link #shapes} softened by a box blur, closer to a photo's gradual edges. */
  public static BufferedImage softShapes(int width, int height, long seed, int blurRadius) {
    int size = 2 * blurRadius + 1;
    float[] kernel = new float[size * size];
    java.util.Arrays.fill(kernel, 1f / kernel.length);
    BufferedImage sharp = shapes(width, height, seed);
    BufferedImage soft = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    new ConvolveOp(new Kernel(size, size, kernel), ConvolveOp.EDGE_NO_OP, null).filter(sharp, soft);
    return soft;
  }

  public static byte[] encode(BufferedImage image, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no ImageIO writer for " + format);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }


  /**
   * A PNG signature and header alone, declaring {@code width} x {@code height} pixels of
   * {@code bitDepth} bits in {@code colourType} (0 grey, 2 RGB, 6 RGBA): enough for a decoder to
   * know what the image would cost, with no pixel data behind it.
   */
  public static byte[] pngHeader(int width, int height, int bitDepth, int colourType) {
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17);
    ihdr.put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(width).putInt(height)
        .put((byte) bitDepth).put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(ihdr.array());
    java.nio.ByteBuffer png = java.nio.ByteBuffer.allocate(8 + 4 + 17 + 4);
    png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    png.putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
    return png.array();
  }
}
