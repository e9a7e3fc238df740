package org.countersignal.bench.discovery;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Random;

/**
 * Photo-like pictures made from a seed, for more originals than the conformance set has. Each
 * is a scene no other shares: a background of 1/f noise in luminance and colour (the power
 * spectrum of natural images, which is what PDQ's low frequencies see), a light-to-dark
 * gradient as between sky and ground, a few solid objects with shading and hard edges, and
 * sensor noise. Two such pictures are as far apart in PDQ as two unrelated photos.
 */
final class SyntheticPhotos {

  private static final int[][] SIZES = {{1200, 900}, {1024, 768}, {1280, 720}, {900, 1200}, {1000, 1000}, {1500, 1000}};
  /** The noise is drawn at a quarter of the size and scaled up: PDQ looks at 64x64 anyway. */
  private static final int NOISE_SCALE = 4;
  private static final int OCTAVES = 6;
  /** Amplitude from one octave to the next, a little over 1/2: photos have more fine detail than pure 1/f. */
  private static final float PERSISTENCE = 0.6f;

  private SyntheticPhotos() {}

  static BufferedImage make(long seed) {
    Random random = new Random(seed);
    int[] size = SIZES[random.nextInt(SIZES.length)];
    int width = size[0];
    int height = size[1];
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.drawImage(background(width / NOISE_SCALE, height / NOISE_SCALE, random), 0, 0, width, height, null);
    int objects = 4 + random.nextInt(9);
    for (int i = 0; i < objects; i++) {
      object(g, width, height, random);
    }
    g.dispose();
    addNoise(image, 1.5 + random.nextDouble() * 3, random);
    return image;
  }

  private static BufferedImage background(int width, int height, Random random) {
    float[] luma = fractalNoise(width, height, random);
    float[] red = fractalNoise(width, height, random);
    float[] blue = fractalNoise(width, height, random);
    float baseRed = 0.7f + random.nextFloat() * 0.6f;
    float baseBlue = 0.7f + random.nextFloat() * 0.6f;
    float slope = (random.nextFloat() - 0.3f) * 140;
    BufferedImage small = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] pixels = ((DataBufferInt) small.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < height; y++) {
      float gradient = slope * (0.5f - y / (float) height);
      for (int x = 0; x < width; x++) {
        int p = y * width + x;
        float l = 125 + gradient + 150 * luma[p];
        float r = l * baseRed + 40 * red[p];
        float b = l * baseBlue + 40 * blue[p];
        float gr = (l - 0.299f * r - 0.114f * b) / 0.587f;
        pixels[p] = (clamp(r) << 16) | (clamp(gr) << 8) | clamp(b);
      }
    }
    return small;
  }

  /** Value noise summed over octaves with amplitude halving as frequency doubles; about -1..1. */
  private static float[] fractalNoise(int width, int height, Random random) {
    float[] out = new float[width * height];
    float amplitude = 1;
    float total = 0;
    for (int octave = 0; octave < OCTAVES; octave++) {
      int cells = 2 << octave;
      float[] grid = new float[(cells + 1) * (cells + 1)];
      for (int i = 0; i < grid.length; i++) {
        grid[i] = random.nextFloat() * 2 - 1;
      }
      for (int y = 0; y < height; y++) {
        float gy = y * cells / (float) height;
        int y0 = (int) gy;
        float ty = smooth(gy - y0);
        for (int x = 0; x < width; x++) {
          float gx = x * cells / (float) width;
          int x0 = (int) gx;
          float tx = smooth(gx - x0);
          float top = lerp(grid[y0 * (cells + 1) + x0], grid[y0 * (cells + 1) + x0 + 1], tx);
          float bottom = lerp(grid[(y0 + 1) * (cells + 1) + x0], grid[(y0 + 1) * (cells + 1) + x0 + 1], tx);
          out[y * width + x] += amplitude * lerp(top, bottom, ty);
        }
      }
      total += amplitude;
      amplitude *= PERSISTENCE;
    }
    for (int i = 0; i < out.length; i++) {
      out[i] /= total;
    }
    return out;
  }

  private static void object(Graphics2D g, int width, int height, Random random) {
    double w = width * (0.08 + random.nextDouble() * 0.35);
    double h = height * (0.08 + random.nextDouble() * 0.35);
    double x = random.nextDouble() * (width - w * 0.5) - w * 0.25;
    double y = random.nextDouble() * (height - h * 0.5) - h * 0.25;
    Color light = new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
    Color dark = light.darker().darker();
    g.setPaint(new GradientPaint((float) x, (float) y, light, (float) (x + w), (float) (y + h), dark));
    switch (random.nextInt(3)) {
      case 0 -> g.fill(new Ellipse2D.Double(x, y, w, h));
      case 1 -> g.fill(new RoundRectangle2D.Double(x, y, w, h, w * 0.2, h * 0.2));
      default -> {
        Polygon polygon = new Polygon();
        int corners = 3 + random.nextInt(4);
        for (int i = 0; i < corners; i++) {
          polygon.addPoint((int) (x + random.nextDouble() * w), (int) (y + random.nextDouble() * h));
        }
        g.fill(polygon);
      }
    }
    if (random.nextBoolean()) {
      g.setStroke(new BasicStroke((float) (2 + random.nextDouble() * 6)));
      g.setColor(dark.darker());
      g.draw(new Ellipse2D.Double(x + w * 0.2, y + h * 0.2, w * 0.6, h * 0.6));
    }
  }

  private static void addNoise(BufferedImage image, double sigma, Random random) {
    int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    for (int p = 0; p < pixels.length; p++) {
      int v = pixels[p];
      int n = (int) Math.round(random.nextGaussian() * sigma);
      pixels[p] = (clamp(((v >>> 16) & 0xff) + n) << 16) | (clamp(((v >>> 8) & 0xff) + n) << 8) | clamp((v & 0xff) + n);
    }
  }

  private static float smooth(float t) {
    return t * t * (3 - 2 * t);
  }

  private static float lerp(float a, float b, float t) {
    return a + (b - a) * t;
  }

  private static int clamp(float v) {
    return Math.max(0, Math.min(255, Math.round(v)));
  }
}
