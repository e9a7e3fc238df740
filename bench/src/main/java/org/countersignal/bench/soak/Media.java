package org.countersignal.bench.soak;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;

/** The content the soak sends, made here so that nothing large is kept in the repository. */
final class Media {

  private Media() {}

  /** A random PDQ hash (random bits are never one of the degenerate hashes banks refuse). */
  static byte[] randomPdq(Random random) {
    byte[] hash = new byte[32];
    random.nextBytes(hash);
    return hash;
  }

  /** {@code hash} with 1 to 16 of its bits flipped: a re-encoded copy of banked content. */
  static String nearby(byte[] hash, Random random) {
    byte[] copy = hash.clone();
    int flips = 1 + random.nextInt(16);
    for (int i = 0; i < flips; i++) {
      int bit = random.nextInt(256);
      copy[bit / 8] ^= (byte) (1 << (bit % 8));
    }
    return HexFormat.of().formatHex(copy);
  }

  static String hex(byte[] hash) {
    return HexFormat.of().formatHex(hash);
  }

  /** A picture with enough structure for a PDQ hash of good quality: a gradient under random blocks. */
  static BufferedImage picture(Random random, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    for (int y = 0; y < height; y += 4) {
      g.setColor(new Color((y * 255 / height), 90, 255 - y * 255 / height));
      g.fillRect(0, y, width, 4);
    }
    for (int i = 0; i < 12; i++) {
      g.setColor(new Color(random.nextInt(0x1000000)));
      g.fillRect(random.nextInt(width), random.nextInt(height), 10 + random.nextInt(width / 2), 10 + random.nextInt(height / 2));
    }
    g.dispose();
    return image;
  }

  static byte[] encode(BufferedImage image, String format) {
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

  /** A 2000x2000 grey gradient as PNG: 4 megapixels, within every limit, slow to decode. */
  static byte[] largePng() {
    BufferedImage image = new BufferedImage(2000, 2000, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 2000; y++) {
      for (int x = 0; x < 2000; x++) {
        image.getRaster().setSample(x, y, 0, (x / 7 + y / 11) & 0xff);
      }
    }
    return encode(image, "png");
  }

  /**
   * A whole decompression bomb: a valid PNG of width x height 16-bit RGBA pixels, all zero, which
   * deflate to a few hundred kilobytes (10000x10000: 800 MB of raster in about 780 KB).
   */
  static byte[] pngBomb(int width, int height) {
    try {
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
      ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 16).put((byte) 6)
          .put((byte) 0).put((byte) 0).put((byte) 0);
      chunk(png, "IHDR", header.array());
      ByteArrayOutputStream compressed = new ByteArrayOutputStream();
      try (DeflaterOutputStream deflater = new DeflaterOutputStream(compressed, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
        byte[] row = new byte[1 + width * 8]; // filter byte "none", then the pixels
        for (int y = 0; y < height; y++) {
          deflater.write(row);
        }
      }
      chunk(png, "IDAT", compressed.toByteArray());
      chunk(png, "IEND", new byte[0]);
      return png.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
    DataOutputStream out = new DataOutputStream(png);
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    out.writeInt(data.length);
    out.write(name);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.writeInt((int) crc.getValue());
  }

  /**
   * A short video: {@code frames} frames of 320x240 at 10 frames a second, Motion JPEG in an AVI
   * file (what FFmpeg reads without any encoder here), blocks drifting over a gradient so that
   * successive frames differ; {@code seed} makes each clip its own file.
   */
  static byte[] clip(long seed, int frames) {
    int width = 320;
    int height = 240;
    int fps = 10;
    Random random = new Random(seed);
    BufferedImage background = picture(random, width, height);
    List<byte[]> jpegs = new ArrayList<>();
    for (int f = 0; f < frames; f++) {
      BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = frame.createGraphics();
      g.drawImage(background, 0, 0, null);
      g.setColor(Color.WHITE);
      g.fillRect((f * 8) % width, 40, 60, 60);
      g.setColor(Color.BLACK);
      g.fillOval(width - (f * 5) % width, 140, 50, 50);
      g.dispose();
      jpegs.add(encode(frame, "jpg"));
    }
    return avi(jpegs, width, height, fps);
  }

  /** RIFF AVI with one Motion JPEG stream and an idx1 index: the layout FFmpeg's AVI demuxer expects. */
  private static byte[] avi(List<byte[]> jpegs, int width, int height, int fps) {
    int largest = jpegs.stream().mapToInt(j -> j.length).max().orElse(0);
    Riff avih = new Riff().ints(1_000_000 / fps, largest * fps, 0, 0x10, jpegs.size(), 0, 1, largest, width, height, 0, 0, 0, 0);
    Riff strh = new Riff().fourcc("vids").fourcc("MJPG").ints(0, 0, 0, 1, fps, 0, jpegs.size(), largest, -1, 0)
        .shorts(0, 0, width, height);
    Riff strf = new Riff().ints(40, width, height).shorts(1, 24).fourcc("MJPG").ints(width * height * 3, 0, 0, 0, 0);
    Riff strl = new Riff().fourcc("strl").chunk("strh", strh).chunk("strf", strf);
    Riff hdrl = new Riff().fourcc("hdrl").chunk("avih", avih).list(strl);
    Riff movi = new Riff().fourcc("movi");
    Riff idx1 = new Riff();
    for (byte[] jpeg : jpegs) {
      int offset = movi.size(); // from the "movi" four-character code, as AVI indexes count
      movi.chunk("00dc", new Riff().bytes(jpeg));
      idx1.fourcc("00dc").ints(0x10, offset, jpeg.length);
    }
    Riff avi = new Riff().fourcc("AVI ").list(hdrl).list(movi).chunk("idx1", idx1);
    return new Riff().chunk("RIFF", avi).toByteArray();
  }

  /** Little-endian RIFF writing: chunks of a four-character code, a length and data padded to even. */
  private static final class Riff {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Riff fourcc(String code) {
      out.writeBytes(code.getBytes(StandardCharsets.US_ASCII));
      return this;
    }

    Riff ints(int... values) {
      ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
      for (int value : values) {
        buffer.putInt(value);
      }
      out.writeBytes(buffer.array());
      return this;
    }

    Riff shorts(int... values) {
      ByteBuffer buffer = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
      for (int value : values) {
        buffer.putShort((short) value);
      }
      out.writeBytes(buffer.array());
      return this;
    }

    Riff bytes(byte[] data) {
      out.writeBytes(data);
      return this;
    }

    Riff chunk(String code, Riff data) {
      byte[] body = data.toByteArray();
      fourcc(code).ints(body.length).bytes(body);
      if (body.length % 2 == 1) {
        out.write(0);
      }
      return this;
    }

    Riff list(Riff data) {
      return chunk("LIST", data);
    }

    int size() {
      return out.size();
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }
}
