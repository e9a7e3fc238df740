package org.countersignal.server.transparency;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.countersignal.server.store.JsonText;
import org.jdbi.v3.core.Handle;

/**
 * Counts a period's figures. The ledger is grouped in the database on every column a figure splits
 * by (a year holds a few hundred distinct groups however many rows), and the groups are split and
 * summed here. Items are counted once because the ledger marks the row that counts each (its first
 * removal, the report that opened its case). The medians take one query more, the submissions
 * two. Only rows up to the ids given are counted, so counting again later gives the same figures.
 */
final class FigureCounter {

  /** Every column a breakdown reads, so that one grouped scan serves them all. */
  private static final String COLUMNS = "kind, action, source, automated, content_type, outcome, category, threat_to_life, labels, signal_types, "
      + "counts_item";
  private static final String IN_PERIOD = "occurred_at >= :from AND occurred_at < :to AND id <= :through";
  private static final String NONE = "none";
  /** How many reported posts' submissions one statement reads by id. */
  private static final int REPORTED_BATCH = 5000;

  private FigureCounter() {}

  /** A group of ledger rows alike in every column a figure splits by, and how many there are. */
  private record Group(LedgerKind kind, String action, String source, Boolean automated, String contentType, String outcome,
      String category, Boolean threatToLife, String labels, String signalTypes, boolean countsItem, long count) {}

  static List<Figure> count(Handle h, OffsetDateTime from, OffsetDateTime to, long eventsThrough, long submissionsThrough) {
    Map<LedgerKind, List<Group>> groups = groups(h, from, to, eventsThrough);
    Map<String, Long> medians = medians(h, from, to, eventsThrough);
    List<Figure> figures = new ArrayList<>();
    figures.addAll(checked(h, from, to, submissionsThrough));
    List<Group> decisions = of(groups, LedgerKind.DECISION);
    figures.add(figure("actions", "Actions taken",
        "actions: each action told to the platform (a removal, a suspension, a label), and each finding by a reviewer that content "
            + "breaks policy where no action of ours followed; one item of content can draw several",
        decisions, null,
        split("action", "By action", Group::action),
        split("decided_by", "Automated or human", g -> Boolean.TRUE.equals(g.automated()) ? "automated" : "human"),
        split("source", "By source", Group::source),
        labels("label", "By label", Group::labels),
        labels("signal_type", "By signal type", Group::signalTypes),
        split("content_type", "By content type", Group::contentType)));
    List<Group> removals = new ArrayList<>(of(groups, LedgerKind.ORDER_ACTED));
    decisions.stream().filter(g -> "remove".equals(g.action())).forEach(removals::add);
    figures.add(figure("items_removed", "Items of content removed or disabled",
        "items of content: each counted once, on its first removal, however many actions removed it",
        removals.stream().filter(Group::countsItem).toList(), null, split("source", "By source of the first removal", Group::source)));
    figures.add(figure("appeals_filed", "Appeals filed", "appeals against removals", of(groups, LedgerKind.APPEAL_FILED), null,
        split("content_type", "By content type", Group::contentType)));
    figures.add(figure("appeals_decided", "Appeals decided", "appeals decided", of(groups, LedgerKind.APPEAL_DECIDED),
        medians.get(LedgerKind.APPEAL_DECIDED.wire()), split("outcome", "By outcome", Group::outcome)));
    figures.add(figure("content_reinstated", "Content reinstated", "items of content restored", of(groups, LedgerKind.CONTENT_REINSTATED),
        null, split("reason", "After", Group::outcome)));
    figures.add(figure("orders_received", "Removal orders received", "removal orders (TCO Art. 3)", of(groups, LedgerKind.ORDER_RECEIVED),
        null, split("member_state", "By issuing member state", Group::category),
        split("threat_to_life", "Imminent threat to life", g -> Boolean.TRUE.equals(g.threatToLife()) ? "yes" : "no")));
    figures.add(figure("orders_acted", "Removal orders acted on", "removal orders whose content was removed or disabled",
        of(groups, LedgerKind.ORDER_ACTED), medians.get(LedgerKind.ORDER_ACTED.wire()),
        split("action", "By action", Group::action), split("timeliness", "Within the hour", Group::outcome),
        split("member_state", "By issuing member state", Group::category).timed(medians, LedgerKind.ORDER_ACTED, "category")));
    figures.add(figure("orders_not_complied", "Removal orders not complied with",
        "removal orders not complied with, for a reason TCO Art. 3(7) or 3(8) allows", of(groups, LedgerKind.ORDER_NOT_COMPLIED), null,
        split("reason", "By reason", Group::outcome)));
    figures.add(figure("complaints_filed", "Complaints about removal orders", "complaints by content providers (TCO Art. 10)",
        of(groups, LedgerKind.COMPLAINT_FILED), null));
    figures.add(figure("complaints_decided", "Complaints decided", "complaints decided (TCO Art. 10)", of(groups, LedgerKind.COMPLAINT_DECIDED),
        medians.get(LedgerKind.COMPLAINT_DECIDED.wire()), split("outcome", "By outcome", Group::outcome)));
    figures.add(figure("reports_received", "User reports received",
        "reports, each as sent (a reporter who reports the same content again is counted again, and shown as a repeat)",
        of(groups, LedgerKind.REPORT_RECEIVED), null,
        split("reporter", "By reporter", Group::source), split("reason", "By reason", Group::category),
        split("repeat", "First or repeat", g -> g.outcome() == null ? "first" : g.outcome())));
    figures.add(figure("reports_decided", "User reports decided", "reports whose content a reviewer decided on",
        of(groups, LedgerKind.REPORT_DECIDED), medians.get(LedgerKind.REPORT_DECIDED.wire()),
        split("outcome", "By outcome", Group::outcome),
        split("reporter", "By reporter", Group::source).timed(medians, LedgerKind.REPORT_DECIDED, "source")));
    figures.add(figure("items_reported", "Items of content reported", "items of content: each counted once, by the report that opened its case",
        of(groups, LedgerKind.REPORT_RECEIVED).stream().filter(Group::countsItem).toList(), null,
        split("reporter", "By the reporter who opened the case", Group::source)));
    return figures;
  }

  private static List<Group> of(Map<LedgerKind, List<Group>> groups, LedgerKind kind) {
    return groups.getOrDefault(kind, List.of());
  }

  private static Map<LedgerKind, List<Group>> groups(Handle h, OffsetDateTime from, OffsetDateTime to, long through) {
    Map<LedgerKind, List<Group>> groups = new HashMap<>();
    h.createQuery("SELECT " + COLUMNS + ", COUNT(*) AS n FROM transparency_events WHERE " + IN_PERIOD + " GROUP BY " + COLUMNS)
        .bind("from", from).bind("to", to).bind("through", through)
        .map((rs, ctx) -> new Group(LedgerKind.valueOf(rs.getString("kind").toUpperCase(java.util.Locale.ROOT)), rs.getString("action"),
            rs.getString("source"), (Boolean) rs.getObject("automated"), rs.getString("content_type"), rs.getString("outcome"),
            rs.getString("category"), (Boolean) rs.getObject("threat_to_life"), rs.getString("labels"), rs.getString("signal_types"),
            Boolean.TRUE.equals(rs.getObject("counts_item")), rs.getLong("n")))
        .forEach(g -> groups.computeIfAbsent(g.kind(), k -> new ArrayList<>()).add(g));
    return groups;
  }

  /**
   * The median time to decide, in whole seconds (the middle value, not an average of two): per
   * kind of decision under the kind's word, and per kind and category or source under
   * "kind/column/value". One query reads how many decisions took each time, by kind, category and
   * source; the medians of every grouping are found here from those counts.
   */
  private static Map<String, Long> medians(Handle h, OffsetDateTime from, OffsetDateTime to, long through) {
    Map<String, TreeMap<Long, Long>> durations = new HashMap<>();
    h.createQuery("SELECT kind, category, source, duration_s, COUNT(*) AS n FROM transparency_events "
            + "WHERE duration_s IS NOT NULL AND " + IN_PERIOD + " GROUP BY kind, category, source, duration_s")
        .bind("from", from).bind("to", to).bind("through", through)
        .map((rs, ctx) -> new Took(rs.getString("kind"), word(rs.getString("category")), word(rs.getString("source")),
            rs.getLong("duration_s"), rs.getLong("n")))
        .forEach(took -> {
          for (String key : List.of(took.kind(), took.kind() + "/category/" + took.category(), took.kind() + "/source/" + took.source())) {
            durations.computeIfAbsent(key, k -> new TreeMap<>()).merge(took.seconds(), took.count(), Long::sum);
          }
        });
    Map<String, Long> medians = new HashMap<>();
    durations.forEach((key, counts) -> medians.put(key, median(counts)));
    return medians;
  }

  /** How many decisions of a kind, category and source took {@code seconds}. */
  private record Took(String kind, String category, String source, long seconds, long count) {}

  /** The lower middle value of a distribution given as value to count, as PERCENTILE_DISC(0.5) gives it. */
  static long median(TreeMap<Long, Long> counts) {
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    long half = (total + 1) / 2;
    long seen = 0;
    for (Map.Entry<Long, Long> e : counts.entrySet()) {
      seen += e.getValue();
      if (seen >= half) {
        return e.getKey();
      }
    }
    throw new IllegalArgumentException("no values");
  }

  /**
   * Content checked against the banks, and how much of it matched: the submissions of the period
   * (read from the index on their time alone), less the submissions made for reported posts (a
   * few, read through the reports' cases).
   */
  private static List<Figure> checked(Handle h, OffsetDateTime from, OffsetDateTime to, long through) {
    Map<String, long[]> byType = new TreeMap<>();
    String counts = "SELECT s.content_type, COUNT(*) AS n, SUM(CASE WHEN s.status = 'clean' THEN 0 ELSE 1 END) AS matched FROM ";
    String period = "s.submitted_at >= :from AND s.submitted_at < :to AND s.id <= :through GROUP BY s.content_type";
    h.createQuery(counts + "submissions s WHERE " + period)
        .bind("from", from).bind("to", to).bind("through", through)
        .map((rs, ctx) -> Map.entry(rs.getString("content_type"), new long[] {rs.getLong("n"), rs.getLong("matched")}))
        .forEach(e -> byType.put(e.getKey(), e.getValue()));
    // The reported posts' submissions are found through their cases, then by id: a join would
    // have the planner scan every submission of the period to find a few.
    List<Long> reported = h.createQuery("SELECT submission_id FROM user_report_cases WHERE created_at >= :from AND created_at < :to "
            + "AND submission_id <= :through").bind("from", from).bind("to", to).bind("through", through).mapTo(Long.class).list();
    for (int i = 0; i < reported.size(); i += REPORTED_BATCH) {
      h.createQuery(counts + "submissions s WHERE s.id IN (<ids>) AND " + period)
          .bindList("ids", reported.subList(i, Math.min(reported.size(), i + REPORTED_BATCH)))
          .bind("from", from).bind("to", to).bind("through", through)
          .map((rs, ctx) -> Map.entry(rs.getString("content_type"), new long[] {rs.getLong("n"), rs.getLong("matched")}))
          .forEach(e -> {
            long[] all = byType.get(e.getKey());
            all[0] -= e.getValue()[0];
            all[1] -= e.getValue()[1];
            if (all[0] == 0) {
              byType.remove(e.getKey());
            }
          });
    }
    List<Figure.Count> checked = new ArrayList<>();
    List<Figure.Count> matched = new ArrayList<>();
    byType.forEach((type, n) -> {
      checked.add(new Figure.Count(type, n[0]));
      if (n[1] > 0) {
        matched.add(new Figure.Count(type, n[1]));
      }
    });
    return List.of(
        new Figure("content_checked", "Content checked against the banks", "items of content the platform submitted for matching",
            total(checked), null, List.of(new Figure.Breakdown("content_type", "By content type", null, sorted(checked)))),
        new Figure("content_matched", "Content that matched a bank entry", "items of content that matched at least one bank entry",
            total(matched), null, List.of(new Figure.Breakdown("content_type", "By content type", null, sorted(matched)))));
  }

  /**
   * One way to split a figure: the breakdown's key, title, the word each group goes under, and,
   * for a figure of decisions, each row's median time to decide.
   */
  private record Split(String by, String title, Function<Group, List<String>> words, boolean multi, Function<String, Long> median) {

    /** The same split, each row with the median of {@code kind}'s events of its {@code column} value. */
    Split timed(Map<String, Long> medians, LedgerKind kind, String column) {
      return new Split(by, title, words, multi, value -> medians.get(kind.wire() + "/" + column + "/" + value));
    }
  }

  private static Split split(String by, String title, Function<Group, String> word) {
    return new Split(by, title, g -> List.of(word(word.apply(g))), false, value -> null);
  }

  /** A split on a JSON list: a group counts under each word of its list (or "none"). */
  private static Split labels(String by, String title, Function<Group, String> list) {
    return new Split(by, title, g -> {
      String json = list.apply(g);
      List<String> words = json == null ? List.of() : JsonText.stringList(json);
      return words.isEmpty() ? List.of(NONE) : words;
    }, true, value -> null);
  }

  private static Figure figure(String key, String title, String counts, List<Group> groups, Long median, Split... splits) {
    long total = groups.stream().mapToLong(Group::count).sum();
    List<Figure.Breakdown> breakdowns = new ArrayList<>();
    for (Split split : splits) {
      Map<String, Long> tally = new HashMap<>();
      for (Group g : groups) {
        for (String word : split.words().apply(g)) {
          tally.merge(word, g.count(), Long::sum);
        }
      }
      List<Figure.Count> rows = new ArrayList<>();
      tally.forEach((word, n) -> rows.add(new Figure.Count(word, n, split.median().apply(word))));
      breakdowns.add(new Figure.Breakdown(split.by(), split.title(),
          split.multi() ? "an action counts under each of its " + split.by().replace('_', ' ') + "s" : null, sorted(rows)));
    }
    return new Figure(key, title, counts, total, total == 0 ? null : median, breakdowns);
  }

  private static String word(String value) {
    return value == null ? NONE : value;
  }

  private static long total(List<Figure.Count> counts) {
    return counts.stream().mapToLong(Figure.Count::count).sum();
  }

  /** Largest first, then by word: the same counts always list the same way, so the same figures give the same checksum. */
  private static List<Figure.Count> sorted(List<Figure.Count> rows) {
    return rows.stream().sorted(Comparator.comparingLong(Figure.Count::count).reversed().thenComparing(Figure.Count::value)).toList();
  }
}
