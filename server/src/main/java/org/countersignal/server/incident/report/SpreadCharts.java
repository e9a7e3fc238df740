package org.countersignal.server.incident.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * An incident's figures drawn as charts, PNG images made here with Java2D (no display, no outside
 * service): the matches here by span with the uploads stopped over them, and the matches each peer
 * reported, a line a peer. The same figures always give the same image; time runs along the
 * bottom in UTC.
 */
public final class SpreadCharts {

  static {
    // Charts are drawn on servers without a display; set before AWT first looks, if nobody chose.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  public static final int WIDTH = 900;
  public static final int HEIGHT = 300;
  /** The bars of matches here. */
  public static final Color MATCHES = new Color(0x0072B2);
  /** The line of uploads stopped. */
  public static final Color STOPPED = new Color(0xD55E00);
  /** The peers' lines, in order of their totals (Okabe and Ito's colours, told apart by most colour-blind readers). */
  public static final List<Color> PEER_COLOURS = List.of(new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73),
      new Color(0xCC79A7), new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000));
  /** The line of every peer beyond the named ones, summed. */
  public static final Color OTHER_PEERS = new Color(0x999999);

  private static final Color INK = new Color(0x222222);
  private static final Color MUTED = new Color(0x666666);
  private static final Color GRID = new Color(0xE2E2E2);
  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
  private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
  private static final int LEFT = 56;
  private static final int TOP = 40;
  private static final int BOTTOM = 52;
  private static final int MAX_PEER_NAME = 22;
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm");
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("MMM d", java.util.Locale.ENGLISH);

  private SpreadCharts() {}

  public static byte[] matchesPng(IncidentFigures figures) {
    return png(matches(figures, 1));
  }

  public static byte[] peersPng(IncidentFigures figures) {
    return png(peers(figures, 1));
  }

  /** Matches here as bars, uploads stopped as a line over them; {@code scale} 2 draws twice as sharp for print. */
  public static BufferedImage matches(IncidentFigures figures, int scale) {
    List<IncidentFigures.Bucket> buckets = figures.buckets();
    long[] matches = new long[buckets.size()];
    long[] stopped = new long[buckets.size()];
    for (int i = 0; i < buckets.size(); i++) {
      matches[i] = buckets.get(i).matches();
      stopped[i] = buckets.get(i).uploadsStopped();
    }
    Canvas canvas = new Canvas(figures, scale, 20, "Matches here and uploads stopped, per " + figures.bucket() + " (UTC)",
        Math.max(max(matches), max(stopped)));
    Graphics2D g = canvas.g;
    double slot = canvas.plotWidth / (double) buckets.size();
    double barWidth = Math.max(1, slot * 0.7);
    g.setColor(MATCHES);
    for (int i = 0; i < matches.length; i++) {
      if (matches[i] > 0) {
        double top = canvas.y(matches[i]);
        g.fill(new Rectangle2D.Double(canvas.left + slot * i + (slot - barWidth) / 2, top, barWidth, canvas.bottom - top));
      }
    }
    canvas.line(stopped, STOPPED);
    // The legend, top right: a box for the bars, a line for the stops.
    g.setFont(LABEL);
    FontMetrics fm = g.getFontMetrics();
    String stopLabel = "uploads stopped (" + figures.uploadsStopped() + ")";
    String matchLabel = "matches here (" + figures.matches() + ")";
    int x = WIDTH - 20 - fm.stringWidth(stopLabel);
    g.setColor(STOPPED);
    g.setStroke(new BasicStroke(2.5f));
    g.draw(new Line2D.Double(x - 24, 19, x - 6, 19));
    g.setColor(INK);
    g.drawString(stopLabel, x, 23);
    x -= 40 + fm.stringWidth(matchLabel);
    g.setColor(MATCHES);
    g.fillRect(x - 20, 13, 12, 12);
    g.setColor(INK);
    g.drawString(matchLabel, x, 23);
    if (figures.matches() == 0 && figures.uploadsStopped() == 0) {
      canvas.note("No matches recorded here");
    }
    return canvas.done();
  }

  /** A line for each peer that reported matches: the seven busiest by name, the rest summed as "other peers". */
  public static BufferedImage peers(IncidentFigures figures, int scale) {
    List<IncidentFigures.Bucket> buckets = figures.buckets();
    Map<String, long[]> series = new LinkedHashMap<>();
    List<IncidentFigures.Peer> peers = figures.peers();
    int named = peers.size() <= PEER_COLOURS.size() ? peers.size() : PEER_COLOURS.size() - 1;
    for (int p = 0; p < named; p++) {
      series.put(peers.get(p).peer(), new long[buckets.size()]);
    }
    long[] others = peers.size() > named ? new long[buckets.size()] : null;
    long top = 0;
    for (int i = 0; i < buckets.size(); i++) {
      for (Map.Entry<String, Long> count : buckets.get(i).peerMatches().entrySet()) {
        long[] line = series.get(count.getKey());
        (line != null ? line : others)[i] += count.getValue();
      }
    }
    for (long[] line : series.values()) {
      top = Math.max(top, max(line));
    }
    if (others != null) {
      top = Math.max(top, max(others));
    }
    int legendWidth = 190;
    Canvas canvas = new Canvas(figures, scale, legendWidth, "Matches peers reported, per " + figures.bucket() + " (UTC)", top);
    Graphics2D g = canvas.g;
    List<String> names = new ArrayList<>(series.keySet());
    List<Color> colours = new ArrayList<>();
    List<long[]> lines = new ArrayList<>(series.values());
    for (int p = 0; p < names.size(); p++) {
      colours.add(PEER_COLOURS.get(p));
    }
    if (others != null) {
      names.add((peers.size() - named) + " other peers");
      colours.add(OTHER_PEERS);
      lines.add(others);
    }
    // Drawn busiest last, so it is on top.
    for (int p = lines.size() - 1; p >= 0; p--) {
      canvas.line(lines.get(p), colours.get(p));
    }
    g.setFont(LABEL);
    int x = WIDTH - legendWidth + 16;
    int y = TOP + 6;
    for (int p = 0; p < names.size(); p++) {
      g.setColor(colours.get(p));
      g.setStroke(new BasicStroke(2.5f));
      g.draw(new Line2D.Double(x, y - 4, x + 18, y - 4));
      g.setColor(INK);
      long total = p < named ? peers.get(p).matches() : sum(others);
      g.drawString(shorten(names.get(p)) + " (" + total + ")", x + 24, y);
      y += 18;
    }
    if (peers.isEmpty()) {
      canvas.note("No peer has reported matches");
    }
    return canvas.done();
  }

  static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // In memory, whatever ImageIO's process-wide cache setting: it would buffer through a temporary file.
    try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      ImageIO.write(image, "png", stream);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String shorten(String name) {
    return name.length() <= MAX_PEER_NAME ? name : name.substring(0, MAX_PEER_NAME - 1) + "\u2026";
  }

  private static long max(long[] values) {
    long max = 0;
    for (long value : values) {
      max = Math.max(max, value);
    }
    return max;
  }

  private static long sum(long[] values) {
    long sum = 0;
    for (long value : values) {
      sum += value;
    }
    return sum;
  }

  /** The frame both charts share: a white image, a title, a value axis from 0 and a time axis of the figures' spans. */
  private static final class Canvas {

    final BufferedImage image;
    final Graphics2D g;
    final int left = LEFT;
    final int right;
    final int bottom = HEIGHT - BOTTOM;
    final double plotWidth;
    final long axisTop;
    final List<IncidentFigures.Bucket> buckets;

    Canvas(IncidentFigures figures, int scale, int rightMargin, String title, long max) {
      this.buckets = figures.buckets();
      this.right = WIDTH - rightMargin;
      this.plotWidth = right - left;
      image = new BufferedImage(WIDTH * scale, HEIGHT * scale, BufferedImage.TYPE_INT_RGB);
      g = image.createGraphics();
      g.scale(scale, scale);
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      g.setColor(INK);
      g.setFont(TITLE);
      g.drawString(title, left, 23);
      long step = step(max);
      axisTop = Math.max(step, ((max + step - 1) / step) * step);
      valueAxis(step);
      timeAxis(Granularity.fromWire(figures.bucket()));
    }

    double y(long value) {
      return bottom - (bottom - TOP) * (value / (double) axisTop);
    }

    double x(int bucket) {
      return left + plotWidth / buckets.size() * (bucket + 0.5);
    }

    private void valueAxis(long step) {
      g.setFont(LABEL);
      FontMetrics fm = g.getFontMetrics();
      g.setStroke(new BasicStroke(1f));
      for (long value = 0; value <= axisTop; value += step) {
        double y = y(value);
        g.setColor(value == 0 ? MUTED : GRID);
        g.draw(new Line2D.Double(left, y, right, y));
        String label = Long.toString(value);
        g.setColor(MUTED);
        g.drawString(label, left - 8 - fm.stringWidth(label), (float) (y + fm.getAscent() / 2.0 - 1));
      }
    }

    /** A tick at each span; a label where it falls on a round hour, day or week far enough from the last. */
    private void timeAxis(Granularity unit) {
      g.setFont(LABEL);
      FontMetrics fm = g.getFontMetrics();
      double slot = plotWidth / buckets.size();
      int every = labelEvery(unit, slot);
      String lastDate = null;
      g.setStroke(new BasicStroke(1f));
      for (int i = 0; i < buckets.size(); i++) {
        Instant start = Instant.parse(buckets.get(i).start());
        ZonedDateTime at = start.atZone(ZoneOffset.UTC);
        long ordinal = switch (unit) {
          case HOUR -> start.getEpochSecond() / 3600;
          case DAY -> start.getEpochSecond() / 86_400;
          case WEEK -> start.getEpochSecond() / (7 * 86_400);
        };
        double x = unit == Granularity.HOUR ? left + slot * i : x(i);
        if (ordinal % every != 0) {
          continue;
        }
        g.setColor(MUTED);
        g.draw(new Line2D.Double(x, bottom, x, bottom + 4));
        String first = unit == Granularity.HOUR ? HOUR.format(at) : DATE.format(at);
        g.drawString(first, (float) (x - fm.stringWidth(first) / 2.0), bottom + 17);
        // The day under an hour, the year under a day or week: at the first label and wherever it changes.
        String second = unit == Granularity.HOUR ? DATE.format(at) : Integer.toString(at.getYear());
        if (!second.equals(lastDate)) {
          g.drawString(second, (float) (x - fm.stringWidth(second) / 2.0), bottom + 31);
          lastDate = second;
        }
      }
      String axis = switch (unit) {
        case HOUR -> "hour starting (UTC)";
        case DAY -> "day (UTC)";
        case WEEK -> "week starting Monday (UTC)";
      };
      g.setColor(MUTED);
      g.drawString(axis, (float) (left + plotWidth / 2 - fm.stringWidth(axis) / 2.0), HEIGHT - 6);
    }

    /** Labels every so many spans, the fewest that leave about 64 pixels between them. */
    private static int labelEvery(Granularity unit, double slot) {
      int[] choices = switch (unit) {
        case HOUR -> new int[] {1, 2, 3, 6, 12, 24, 48, 72, 168};
        case DAY -> new int[] {1, 2, 7, 14, 28, 56, 91, 182};
        case WEEK -> new int[] {1, 2, 4, 8, 13, 26, 52, 104};
      };
      for (int every : choices) {
        if (slot * every >= 64) {
          return every;
        }
      }
      return choices[choices.length - 1];
    }

    void line(long[] values, Color colour) {
      Path2D.Double path = new Path2D.Double();
      for (int i = 0; i < values.length; i++) {
        if (i == 0) {
          path.moveTo(x(i), y(values[i]));
        } else {
          path.lineTo(x(i), y(values[i]));
        }
      }
      g.setColor(colour);
      g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      if (values.length == 1) {
        // One span: a dot, as a line needs two (and none for nothing).
        if (values[0] > 0) {
          g.fill(new java.awt.geom.Ellipse2D.Double(x(0) - 4, y(values[0]) - 4, 8, 8));
        }
        return;
      }
      g.draw(path);
      if (plotWidth / values.length >= 8) {
        for (int i = 0; i < values.length; i++) {
          if (values[i] > 0) {
            g.fill(new java.awt.geom.Ellipse2D.Double(x(i) - 3, y(values[i]) - 3, 6, 6));
          }
        }
      }
    }

    void note(String text) {
      g.setFont(LABEL.deriveFont(Font.ITALIC, 13f));
      g.setColor(MUTED);
      FontMetrics fm = g.getFontMetrics();
      g.drawString(text, (float) (left + plotWidth / 2 - fm.stringWidth(text) / 2.0), (TOP + bottom) / 2f);
    }

    BufferedImage done() {
      g.dispose();
      return image;
    }

    /** A round step (1, 2 or 5 times a power of ten) that gives at most five lines up to {@code max}. */
    private static long step(long max) {
      long step = 1;
      while (true) {
        for (long factor : new long[] {1, 2, 5}) {
          if (max <= step * factor * 5) {
            return step * factor;
          }
        }
        step *= 10;
      }
    }
  }
}
