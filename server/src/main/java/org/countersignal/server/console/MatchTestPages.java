package org.countersignal.server.console;

import java.util.Set;
import org.countersignal.server.auth.Role;

final class MatchTestPages {

  static final Set<Role> USERS = Set.of(Role.ADMIN, Role.CURATOR, Role.AUDITOR, Role.COORDINATOR, Role.REVIEWER);

  private MatchTestPages() {}
}
