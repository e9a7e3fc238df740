package org.countersignal.server.incident.report;

import org.countersignal.server.HtmlTemplates;

/**
 * A debrief as one self-contained HTML page: styles inline, charts as {@code data:} images, so it
 * can be saved, mailed or printed as it is. The markup is in
 * {@code src/main/jte/incident/report/debrief.jte}, which escapes every value; names, descriptions
 * and signals come from users and peers.
 */
public final class DebriefHtml {

  /** The page needs nothing but its own styles and images: a name that slipped past escaping could run nothing. */
  public static final String POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

  private DebriefHtml() {}

  public static String render(Debrief debrief) {
    return HtmlTemplates.render("incident/report/debrief.jte", DebriefPage.of(debrief));
  }

  static String sharedIntro(Debrief debrief) {
    int count = debrief.shared().size();
    String sharing = debrief.incident().sharing();
    return (count == 0 ? "No signals were" : count == 1 ? "1 signal was" : count + " signals were") + " added to the incident's bank"
        + (sharing == null ? "." : "; its sharing is " + sharing + " (" + DebriefText.sharing(sharing) + ").");
  }
}
