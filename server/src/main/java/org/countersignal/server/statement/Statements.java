package org.countersignal.server.statement;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.countersignal.server.RequestException;
import org.countersignal.server.action.DecisionState;
import org.countersignal.server.review.CaseStatus;
import org.countersignal.server.statement.StatementRecords.Background;
import org.countersignal.server.statement.StatementRecords.DecisionRow;
import org.countersignal.server.statement.StatementRecords.OrderRow;
import org.countersignal.server.statement.StatementRecords.ReportCaseRow;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Statements of reasons (DSA Art. 17) made from the records, one per restriction applied: a
 * restrictive decision (removal by a rule, confirmed by a reviewer, or in response to a hijacked
 * account; an account suspension), a report case a reviewer confirmed, a removal order acted on.
 * Nothing is stored: a statement is made when asked for, so it always says what the records say
 * now (a reinstatement shows as its end). Sending them to the Commission is left to the platform.
 */
public final class Statements {

  /** Records read per query of an export. */
  static final int PAGE = 500;

  /** Receives the statements of an export one at a time, so a long period never sits in memory. */
  @FunctionalInterface
  public interface Sink {
    void accept(StatementOfReasons statement);
  }

  private final Jdbi jdbi;
  private final StatementMapper mapper;

  public Statements(Jdbi jdbi, StatementSettings settings) {
    this.jdbi = jdbi;
    this.mapper = new StatementMapper(settings);
  }

  public StatementOfReasons forDecision(long id) {
    return jdbi.withHandle(h -> {
      DecisionRow d = StatementRecords.decision(h, id).orElseThrow(() -> RequestException.notFound("decision", id));
      if (!StatementRecords.RESTRICTIVE_ACTIONS.contains(d.action())) {
        throw conflict("decision " + id + " is '" + d.action() + "', not a restriction of content or of an account: it has no statement of reasons");
      }
      if (d.state() == DecisionState.PENDING_REVIEW) {
        throw conflict("decision " + id + " waits for a reviewer: nothing is restricted yet, so there is no statement of reasons");
      }
      if (d.state() == DecisionState.REJECTED) {
        throw conflict("a reviewer rejected decision " + id + ": nothing was restricted, so there is no statement of reasons");
      }
      return mapper.decision(d, background(h, d.submissionId()));
    });
  }

  public StatementOfReasons forReportCase(long id) {
    return jdbi.withHandle(h -> {
      ReportCaseRow c = StatementRecords.reportCase(h, id).orElseThrow(() -> RequestException.notFound("report case", id));
      if (c.status() != CaseStatus.CONFIRMED) {
        throw conflict("report case " + id + " is " + c.status().wire() + ": only a report a reviewer confirmed restricts the content");
      }
      return mapper.reportCase(c, background(h, c.submissionId()));
    });
  }

  public StatementOfReasons forOrder(long id) {
    return jdbi.withHandle(h -> {
      OrderRow o = StatementRecords.order(h, id).orElseThrow(() -> RequestException.notFound("order", id));
      if (o.actedAt() == null) {
        throw conflict("order " + id + " is " + o.state() + ": the content was not removed or disabled under it, so there is no statement of reasons");
      }
      return mapper.order(o);
    });
  }

  /**
   * Every statement whose restriction applied in [from, to): decisions, then report cases, then
   * orders, each oldest record first. Each page is read on a connection of its own, given back
   * before the page is written, so a long export holds no connection while the client reads.
   */
  public void export(OffsetDateTime from, OffsetDateTime to, Sink sink) {
    if (!from.isBefore(to)) {
      throw RequestException.invalid("to", "the period's end must come after its start");
    }
    pages(sink, (h, after) -> {
      List<DecisionRow> rows = StatementRecords.decisions(h, after, to, PAGE);
      Map<Long, Background> backgrounds = StatementRecords.backgrounds(h, rows.stream().map(DecisionRow::submissionId).toList());
      List<StatementOfReasons> statements = rows.stream()
          .filter(d -> within(StatementMapper.applied(d, backgrounds.get(d.submissionId())), from, to))
          .map(d -> mapper.decision(d, backgrounds.get(d.submissionId())))
          .toList();
      return new Page(rows.size(), rows.isEmpty() ? after : rows.get(rows.size() - 1).id(), statements);
    });
    pages(sink, (h, after) -> {
      List<ReportCaseRow> rows = StatementRecords.reportCases(h, after, from, to, PAGE);
      Map<Long, Background> backgrounds = StatementRecords.backgrounds(h, rows.stream().map(ReportCaseRow::submissionId).toList());
      return new Page(rows.size(), rows.isEmpty() ? after : rows.get(rows.size() - 1).id(),
          rows.stream().map(c -> mapper.reportCase(c, backgrounds.get(c.submissionId()))).toList());
    });
    pages(sink, (h, after) -> {
      List<OrderRow> rows = StatementRecords.orders(h, after, from, to, PAGE);
      return new Page(rows.size(), rows.isEmpty() ? after : rows.get(rows.size() - 1).id(), rows.stream().map(mapper::order).toList());
    });
  }

  /** One page of an export: how many records it read, the last one's id, and the statements among them. */
  private record Page(int read, long last, List<StatementOfReasons> statements) {}

  private interface PageReader {
    Page read(Handle h, long after);
  }

  private void pages(Sink sink, PageReader reader) {
    long after = 0;
    Page page;
    do {
      long cursor = after;
      page = jdbi.withHandle(h -> reader.read(h, cursor));
      page.statements().forEach(sink::accept);
      after = page.last();
    } while (page.read() == PAGE);
  }

  private static boolean within(OffsetDateTime time, OffsetDateTime from, OffsetDateTime to) {
    return !time.isBefore(from) && time.isBefore(to);
  }

  private static Background background(Handle h, long submissionId) {
    return StatementRecords.backgrounds(h, List.of(submissionId)).get(submissionId);
  }

  private static RequestException conflict(String detail) {
    return new RequestException(RequestException.Kind.CONFLICT, detail);
  }
}
