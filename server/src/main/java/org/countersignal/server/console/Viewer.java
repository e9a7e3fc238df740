package org.countersignal.server.console;

import org.countersignal.server.auth.Principal;
import org.countersignal.server.auth.Role;

/** Who is looking at a page: the session's caller, as shown in the header, and its settings. */
record Viewer(Principal principal, String displayName, String csrf, WellnessSettings wellness) {

  Role role() {
    return principal.role();
  }

  /** Admins and reviewers work cases; curators and auditors may look but not act. */
  boolean mayDecide() {
    return role() == Role.ADMIN || role() == Role.REVIEWER;
  }
}
