package org.countersignal.bench.discovery;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.image.ImageDecoder;
import org.countersignal.signals.image.LumaImage;

/**
 * The edits that turn a banned picture into a variant that escapes an exact-threshold match:
 * the ones re-uploaders make (crops, captions, watermarks, mirroring, letterboxing, colour
 * filters) and the ones platforms make on the way (re-encoding, downscaling). Each is made with
 * java.awt and ImageIO alone. Crops take a share of the width and of the height, each split at
 * random between the two opposite sides, since a hand-made crop is rarely centred; the 2 % crop
 * is there to show where PDQ's tolerance of crops ends.
 *
 * <p>Lossless edits are hashed from their pixels; re-encodes go through their JPEG bytes and
 * the service's own decoder, as an upload would.
 */
enum ImageEdit {
  CROP_2("crop 2 %"),
  CROP_5("crop 5 %"),
  CROP_10("crop 10 %"),
  CROP_20("crop 20 %"),
  CAPTION("caption bar, bottom 15 %"),
  LOGO("logo box in a corner"),
  JPEG_30("JPEG quality 30"),
  JPEG_10("JPEG quality 10"),
  HALF_JPEG("50 % size, then JPEG 75"),
  MIRROR("mirrored left-right"),
  LETTERBOX_WIDE("black bars to 16:9"),
  LETTERBOX_SQUARE("black bars to square"),
  BRIGHTER("brightness +30"),
  HUE_SATURATION("hue +30°, saturation x1.3"),
  GREYSCALE("greyscale");

  private static final String CAPTION_TEXT = "THEY DON'T WANT YOU TO SEE THIS";

  final String description;

  ImageEdit(String description) {
    this.description = description;
  }

  /** The edited picture's luminance, as the service would decode an upload of it. */
  LumaImage apply(BufferedImage source, ImageDecoder decoder, Random random) throws ContentException {
    return switch (this) {
      case CROP_2 -> luma(crop(source, 0.02, random));
      case CROP_5 -> luma(crop(source, 0.05, random));
      case CROP_10 -> luma(crop(source, 0.10, random));
      case CROP_20 -> luma(crop(source, 0.20, random));
      case CAPTION -> luma(caption(source));
      case LOGO -> luma(logo(source));
      case JPEG_30 -> decoder.decode(jpeg(source, 0.30f));
      case JPEG_10 -> decoder.decode(jpeg(source, 0.10f));
      case HALF_JPEG -> decoder.decode(jpeg(scaled(source, 0.5), 0.75f));
      case MIRROR -> luma(mirrored(source));
      case LETTERBOX_WIDE -> luma(letterboxed(source, 16, 9));
      case LETTERBOX_SQUARE -> luma(letterboxed(source, 1, 1));
      case BRIGHTER -> luma(mapped(source, ImageEdit::brighter));
      case HUE_SATURATION -> luma(mapped(source, ImageEdit::hueSaturation));
      case GREYSCALE -> luma(mapped(source, ImageEdit::grey));
    };
  }

  /** False for letterboxing a picture that has the aspect already: there would be no bars. */
  boolean changes(BufferedImage source) {
    return switch (this) {
      case LETTERBOX_WIDE -> !sameSize(letterboxSize(source, 16, 9), source);
      case LETTERBOX_SQUARE -> !sameSize(letterboxSize(source, 1, 1), source);
      default -> true;
    };
  }

  private static boolean sameSize(int[] size, BufferedImage image) {
    return size[0] == image.getWidth() && size[1] == image.getHeight();
  }

  /** Luminance straight from an RGB raster, as the decoder computes it. */
  static LumaImage luma(BufferedImage image) {
    int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    return LumaImage.fromPackedRgb(pixels, image.getWidth(), image.getHeight());
  }

  /** A copy as packed RGB, so every edit works on the same raster type. */
  static BufferedImage rgb(BufferedImage image) {
    BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    int[] pixels = ((DataBufferInt) copy.getRaster().getDataBuffer()).getData();
    image.getRGB(0, 0, image.getWidth(), image.getHeight(), pixels, 0, image.getWidth());
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] &= 0xffffff;
    }
    return copy;
  }

  /** {@code share} of the width and of the height cut away, split between the two sides at random. */
  private static BufferedImage crop(BufferedImage source, double share, Random random) {
    int cutX = (int) Math.round(source.getWidth() * share);
    int cutY = (int) Math.round(source.getHeight() * share);
    int left = (int) Math.round(cutX * random.nextDouble());
    int top = (int) Math.round(cutY * random.nextDouble());
    return rgb(source.getSubimage(left, top, source.getWidth() - cutX, source.getHeight() - cutY));
  }

  private static BufferedImage caption(BufferedImage source) {
    BufferedImage out = rgb(source);
    int width = out.getWidth();
    int bar = Math.max(1, (int) Math.round(out.getHeight() * 0.15));
    Graphics2D g = out.createGraphics();
    g.setColor(Color.BLACK);
    g.fillRect(0, out.getHeight() - bar, width, bar);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    Font font = fitted(g, new Font(Font.SANS_SERIF, Font.BOLD, Math.max(1, bar * 6 / 10)), CAPTION_TEXT, width * 0.9);
    g.setFont(font);
    FontMetrics metrics = g.getFontMetrics();
    g.setColor(Color.WHITE);
    g.drawString(CAPTION_TEXT, (width - metrics.stringWidth(CAPTION_TEXT)) / 2,
        out.getHeight() - bar / 2 + (metrics.getAscent() - metrics.getDescent()) / 2);
    g.dispose();
    return out;
  }

  /** A channel's badge: a light box a fifth of the width, 2 % in from the bottom-right corner. */
  private static BufferedImage logo(BufferedImage source) {
    BufferedImage out = rgb(source);
    int w = Math.max(1, out.getWidth() / 5);
    int h = Math.max(1, out.getHeight() / 10);
    int x = out.getWidth() - w - out.getWidth() / 50;
    int y = out.getHeight() - h - out.getHeight() / 50;
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.8f));
    g.setColor(Color.WHITE);
    g.fillRoundRect(x, y, w, h, h / 3, h / 3);
    g.setComposite(AlphaComposite.SrcOver);
    g.setColor(new Color(200, 30, 30));
    g.fillOval(x + h / 6, y + h / 6, h * 2 / 3, h * 2 / 3);
    String name = "@newsdrop";
    g.setFont(fitted(g, new Font(Font.SANS_SERIF, Font.BOLD, Math.max(1, h / 2)), name, w - h));
    g.setColor(new Color(30, 30, 30));
    FontMetrics metrics = g.getFontMetrics();
    g.drawString(name, x + h, y + h / 2 + (metrics.getAscent() - metrics.getDescent()) / 2);
    g.dispose();
    return out;
  }

  private static Font fitted(Graphics2D g, Font font, String text, double width) {
    int textWidth = g.getFontMetrics(font).stringWidth(text);
    return textWidth <= width ? font : font.deriveFont((float) (font.getSize2D() * width / textWidth));
  }

  private static BufferedImage scaled(BufferedImage source, double factor) {
    int width = Math.max(1, (int) Math.round(source.getWidth() * factor));
    int height = Math.max(1, (int) Math.round(source.getHeight() * factor));
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    g.drawImage(source, 0, 0, width, height, null);
    g.dispose();
    return out;
  }

  private static BufferedImage mirrored(BufferedImage source) {
    BufferedImage out = rgb(source);
    int width = out.getWidth();
    int[] pixels = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    for (int row = 0; row < out.getHeight(); row++) {
      for (int a = row * width, b = a + width - 1; a < b; a++, b--) {
        int t = pixels[a];
        pixels[a] = pixels[b];
        pixels[b] = t;
      }
    }
    return out;
  }

  /** The picture centred on black, padded on the short side to the aspect {@code across:down}. */
  private static BufferedImage letterboxed(BufferedImage source, int across, int down) {
    int[] size = letterboxSize(source, across, down);
    int width = size[0];
    int height = size[1];
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.drawImage(source, (width - source.getWidth()) / 2, (height - source.getHeight()) / 2, null);
    g.dispose();
    return out;
  }

  private static int[] letterboxSize(BufferedImage source, int across, int down) {
    int width = source.getWidth();
    int height = source.getHeight();
    if ((long) width * down < (long) height * across) {
      width = (int) Math.round(height * (double) across / down);
    } else {
      height = (int) Math.round(width * (double) down / across);
    }
    return new int[] {width, height};
  }

  private interface PixelMap {
    int apply(int rgb);
  }

  private static BufferedImage mapped(BufferedImage source, PixelMap map) {
    BufferedImage out = rgb(source);
    int[] pixels = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = map.apply(pixels[i]);
    }
    return out;
  }

  private static int brighter(int rgb) {
    return pack(((rgb >>> 16) & 0xff) + 30, ((rgb >>> 8) & 0xff) + 30, (rgb & 0xff) + 30);
  }

  private static int hueSaturation(int rgb) {
    float[] hsb = Color.RGBtoHSB((rgb >>> 16) & 0xff, (rgb >>> 8) & 0xff, rgb & 0xff, null);
    return Color.HSBtoRGB(hsb[0] + 30f / 360f, Math.min(1f, hsb[1] * 1.3f), hsb[2]) & 0xffffff;
  }

  private static int grey(int rgb) {
    int y = (int) Math.round(0.299 * ((rgb >>> 16) & 0xff) + 0.587 * ((rgb >>> 8) & 0xff) + 0.114 * (rgb & 0xff));
    return pack(y, y, y);
  }

  private static int pack(int r, int g, int b) {
    return (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  static byte[] jpeg(BufferedImage image, float quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
         ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
  }
}
