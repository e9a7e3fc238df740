package org.countersignal.server.console;

/**
 * What the incident page shows in its {@code <section id="charts">} ({@code incident-charts.jte}):
 * the incident's charts and its debrief, which the incident report draws on the server.
 * {@link #LINKED} points at the console's report routes
 * ({@code /console/incidents/{id}/charts/matches.png}, {@code /charts/peers.png},
 * {@code /debrief.html}, {@code /debrief.pdf}); a server without those routes uses
 * {@link #NOT_DRAWN}, so that no page shows a broken image.
 */
enum IncidentCharts {
  NOT_DRAWN,
  LINKED
}
