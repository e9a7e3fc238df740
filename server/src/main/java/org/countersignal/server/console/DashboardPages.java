package org.countersignal.server.console;

import java.util.Set;
import org.countersignal.server.auth.Role;

final class DashboardPages {

  static final Set<Role> READERS = Set.of(Role.ADMIN, Role.CURATOR, Role.AUDITOR, Role.COORDINATOR, Role.REVIEWER);

  private DashboardPages() {}
}
