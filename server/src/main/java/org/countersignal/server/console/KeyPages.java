package org.countersignal.server.console;

import java.util.Set;
import org.countersignal.server.auth.Role;

final class KeyPages {

  static final Set<Role> READERS = Set.of(Role.ADMIN, Role.AUDITOR);

  private KeyPages() {}
}
