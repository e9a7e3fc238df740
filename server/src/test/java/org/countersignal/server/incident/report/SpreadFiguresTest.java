package org.countersignal.server.incident.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Hourly counts put into spans, and the charts drawn from them, without a database. */
class SpreadFiguresTest {

  static final Instant T0 = Instant.parse("2026-03-15T10:20:00Z");

  static SortedMap<Instant, Long> hours(Object... hourAndCount) {
    SortedMap<Instant, Long> map = new TreeMap<>();
    for (int i = 0; i < hourAndCount.length; i += 2) {
      map.put((Instant) hourAndCount[i], ((Number) hourAndCount[i + 1]).longValue());
    }
    return map;
  }

  static Instant hour(String text) {
    return Instant.parse(text);
  }

  static IncidentFigures figures(Instant started, Instant end, SortedMap<Instant, Long> matches, SortedMap<Instant, Long> stopped,
      Map<String, SortedMap<Instant, Long>> peers) {
    return IncidentFigures.of(7, new IncidentFigures.Raw(T0, started, end, matches, stopped, peers, null, null, Map.of(), 0, 0));
  }

  @Test
  void hoursRunFromTheEarliestStartToTheHourOfTheEndAndLeaveOutWhatCameAfter() {
    IncidentFigures figures = figures(hour("2026-03-15T09:50:00Z"), hour("2026-03-15T13:05:00Z"),
        hours(hour("2026-03-15T10:00:00Z"), 3, hour("2026-03-15T12:00:00Z"), 2, hour("2026-03-15T14:00:00Z"), 9),
        hours(hour("2026-03-15T10:00:00Z"), 1),
        Map.of("hub", hours(hour("2026-03-15T08:00:00Z"), 4, hour("2026-03-15T11:00:00Z"), 6),
            "other", hours(hour("2026-03-15T11:00:00Z"), 6, hour("2026-03-15T13:00:00Z"), 1)));
    assertThat(figures.bucket()).isEqualTo("hour");
    // A peer's report before the start moves the start back: nothing reported is dropped.
    assertThat(figures.from()).isEqualTo("2026-03-15T08:00:00Z");
    assertThat(figures.buckets()).extracting(IncidentFigures.Bucket::start).containsExactly("2026-03-15T08:00:00Z",
        "2026-03-15T09:00:00Z", "2026-03-15T10:00:00Z", "2026-03-15T11:00:00Z", "2026-03-15T12:00:00Z", "2026-03-15T13:00:00Z");
    assertThat(figures.buckets()).extracting(IncidentFigures.Bucket::matches).containsExactly(0L, 0L, 3L, 0L, 2L, 0L);
    assertThat(figures.buckets()).extracting(IncidentFigures.Bucket::uploadsStopped).containsExactly(0L, 0L, 1L, 0L, 0L, 0L);
    assertThat(figures.buckets().get(3).peerMatches()).containsExactly(Map.entry("hub", 6L), Map.entry("other", 6L));
    assertThat(figures.matches()).as("the 14:00 matches came after the end").isEqualTo(5);
    assertThat(figures.peerMatches()).isEqualTo(17);
    // The busiest first; equal totals by name. The first of equal spans is the busiest.
    assertThat(figures.peers()).containsExactly(
        new IncidentFigures.Peer("hub", 10, "2026-03-15T08:00:00Z", "2026-03-15T11:00:00Z"),
        new IncidentFigures.Peer("other", 7, "2026-03-15T11:00:00Z", "2026-03-15T11:00:00Z"));
  }

  @Test
  void aLongIncidentIsCountedByTheDayAndALongerOneByTheWeek() throws java.io.IOException {
    Instant end = T0.plus(Duration.ofDays(20));
    IncidentFigures daily = figures(T0, end, hours(hour("2026-03-15T23:00:00Z"), 2, hour("2026-03-16T01:00:00Z"), 3), hours(), Map.of());
    assertThat(daily.bucket()).isEqualTo("day");
    assertThat(daily.buckets()).hasSize(21);
    assertThat(daily.buckets().get(0)).isEqualTo(new IncidentFigures.Bucket("2026-03-15T00:00:00Z", 2, 0, Map.of()));
    assertThat(daily.buckets().get(1).matches()).isEqualTo(3);

    IncidentFigures weekly = figures(T0, T0.plus(Duration.ofDays(500)), hours(hour("2026-03-18T05:00:00Z"), 4), hours(), Map.of());
    assertThat(weekly.bucket()).isEqualTo("week");
    // 2026-03-15 is a Sunday: its week began on Monday the 9th.
    assertThat(weekly.from()).isEqualTo("2026-03-09T00:00:00Z");
    assertThat(weekly.buckets().get(1)).isEqualTo(new IncidentFigures.Bucket("2026-03-16T00:00:00Z", 4, 0, Map.of()));
    assertThat(weekly.buckets().size()).isBetween(72, 73);

    java.nio.file.Path folder = java.nio.file.Path.of("target", "debrief-pages");
    java.nio.file.Files.createDirectories(folder);
    java.nio.file.Files.write(folder.resolve("sample-daily-matches.png"), SpreadCharts.matchesPng(daily));
    java.nio.file.Files.write(folder.resolve("sample-weekly-matches.png"), SpreadCharts.matchesPng(weekly));

    IncidentFigures fortnight = figures(T0, T0.plus(Duration.ofDays(14)).minusSeconds(1260), hours(), hours(), Map.of());
    assertThat(fortnight.bucket()).as("14 days are still counted by the hour").isEqualTo("hour");
    assertThat(fortnight.buckets()).hasSize(14 * 24);
  }

  @Test
  void theFirstBlockIsTimedFromTheDeclaration() {
    IncidentFigures figures = IncidentFigures.of(7, new IncidentFigures.Raw(T0, T0, T0.plusSeconds(7200), hours(), hours(), Map.of(),
        T0.plusSeconds(30), T0.plusSeconds(95), Map.of("pdq", 2L), 2, 1));
    assertThat(figures.secondsToFirstBlock()).isEqualTo(95);
    assertThat(figures.firstMatchAt()).isEqualTo("2026-03-15T10:20:30Z");
    assertThat(figures.entriesBySignalType()).containsExactly(Map.entry("pdq", 2L));
    IncidentFigures none = figures(T0, T0.plusSeconds(60), hours(), hours(), Map.of());
    assertThat(none.secondsToFirstBlock()).isNull();
    assertThat(none.buckets()).hasSize(1);
  }

  @Test
  void chartsAreTheSameForTheSameFiguresAndDrawEachSeriesInItsColour() throws java.io.IOException {
    Map<String, SortedMap<Instant, Long>> peers = new TreeMap<>();
    for (int p = 0; p < 9; p++) {
      peers.put("peer-" + p, hours(hour("2026-03-15T11:00:00Z"), 10 + p, hour("2026-03-15T12:00:00Z"), 20 - p));
    }
    IncidentFigures figures = figures(T0, T0.plus(Duration.ofHours(30)),
        hours(hour("2026-03-15T10:00:00Z"), 12, hour("2026-03-15T11:00:00Z"), 30, hour("2026-03-15T15:00:00Z"), 4),
        hours(hour("2026-03-15T10:00:00Z"), 10, hour("2026-03-15T11:00:00Z"), 25), peers);
    assertThat(SpreadCharts.matchesPng(figures)).isEqualTo(SpreadCharts.matchesPng(figures));
    assertThat(SpreadCharts.peersPng(figures)).isEqualTo(SpreadCharts.peersPng(figures));

    // Kept for a person to look at, beside the debrief's pages.
    java.nio.file.Path folder = java.nio.file.Path.of("target", "debrief-pages");
    java.nio.file.Files.createDirectories(folder);
    java.nio.file.Files.write(folder.resolve("sample-matches.png"), SpreadCharts.matchesPng(figures));
    java.nio.file.Files.write(folder.resolve("sample-peers.png"), SpreadCharts.peersPng(figures));

    BufferedImage matches = SpreadCharts.matches(figures, 1);
    assertThat(matches.getWidth()).isEqualTo(900);
    assertThat(matches.getHeight()).isEqualTo(300);
    assertThat(pixels(matches, SpreadCharts.MATCHES)).isGreaterThan(500);
    assertThat(pixels(matches, SpreadCharts.STOPPED)).isGreaterThan(50);
    BufferedImage byPeer = SpreadCharts.peers(figures, 1);
    // Nine peers: the six busiest named, each in its colour, and the other three summed in grey.
    for (Color colour : SpreadCharts.PEER_COLOURS.subList(0, 6)) {
      assertThat(pixels(byPeer, colour)).as("%s", colour).isGreaterThan(20);
    }
    assertThat(pixels(byPeer, SpreadCharts.OTHER_PEERS)).isGreaterThan(20);

    IncidentFigures empty = figures(T0, T0.plusSeconds(60), hours(), hours(), Map.of());
    assertThat(pixels(SpreadCharts.matches(empty, 1), SpreadCharts.MATCHES)).as("only the legend's box").isLessThan(200);
    assertThat(pixels(SpreadCharts.peers(empty, 2), SpreadCharts.PEER_COLOURS.getFirst())).isZero();
  }

  /** Pixels of {@code image} within a small distance of {@code colour}. */
  static int pixels(BufferedImage image, Color colour) {
    int count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int dr = ((rgb >> 16) & 0xff) - colour.getRed();
        int dg = ((rgb >> 8) & 0xff) - colour.getGreen();
        int db = (rgb & 0xff) - colour.getBlue();
        if (Math.abs(dr) + Math.abs(dg) + Math.abs(db) <= 24) {
          count++;
        }
      }
    }
    return count;
  }
}
