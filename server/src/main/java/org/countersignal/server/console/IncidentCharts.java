package org.countersignal.server.console;

import org.countersignal.server.incident.Incident;

/**
 * What the incident page shows in its {@code <section id="charts">}: the incident's charts and
 * its debrief, which the incident report draws on the server. {@link #LINKED} points at the
 * console's report routes ({@code /console/incidents/{id}/charts/matches.png},
 * {@code /charts/peers.png}, {@code /debrief.html}, {@code /debrief.pdf}); a server without those
 * routes uses {@link #NOT_DRAWN}, so that no page shows a broken image.
 */
interface IncidentCharts {

  /** The section's content (HTML) for {@code incident}. */
  String section(Incident incident);

  IncidentCharts NOT_DRAWN = incident -> "<p class=\"muted\">Charts of matches and peers, and the debrief, are not drawn on this "
      + "server.</p>";

  IncidentCharts LINKED = incident -> {
    String base = "/console/incidents/" + incident.id();
    return "<div class=\"charts\">"
        + "<figure><img src=\"" + base + "/charts/matches.png\" alt=\"Matches of the incident's bank over time\" width=\"900\" "
        + "height=\"300\"><figcaption>Matches over time</figcaption></figure>"
        + "<figure><img src=\"" + base + "/charts/peers.png\" alt=\"Peers that reported a match, over time\" width=\"900\" "
        + "height=\"300\"><figcaption>Peers reporting matches</figcaption></figure></div>"
        + "<p><a href=\"" + base + "/debrief.html\">Debrief</a> · <a href=\"" + base + "/debrief.pdf\">Debrief (PDF)</a></p>";
  };
}
