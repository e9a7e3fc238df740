package org.countersignal.server.console;

/** How an exchange's fetching stands, as the dashboard sums it up in a word. */
enum DashboardExchangeState {
  /** Switched off: nothing is fetched, whatever the last fetch did. */
  DISABLED("disabled"),
  /** No fetch has ended yet. */
  NOT_YET_FETCHED("not fetched yet"),
  /** The last fetch failed. */
  FAILING("failing"),
  /** The last fetch succeeded. */
  HEALTHY("working");

  private final String words;

  DashboardExchangeState(String words) {
    this.words = words;
  }

  String words() {
    return words;
  }

  /** The class the page marks it with: a failure stands out. */
  String cssClass() {
    return "exchange-state-" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  static DashboardExchangeState of(DashboardCounts.Exchange exchange) {
    if (!exchange.enabled()) {
      return DISABLED;
    }
    if (exchange.succeeded() == null) {
      return NOT_YET_FETCHED;
    }
    return exchange.succeeded() ? HEALTHY : FAILING;
  }
}
