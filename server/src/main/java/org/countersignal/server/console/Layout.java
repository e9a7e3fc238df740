package org.countersignal.server.console;

import java.util.List;
import java.util.Set;
import org.countersignal.server.auth.Role;

/**
 * The frame of every console page ({@code layout.jte}): which links a role's header shows and
 * where a role starts. Styles and scripts come only from the console's own files (the
 * Content-Security-Policy forbids inline ones); the wellness settings become classes on the
 * body, which the stylesheet turns into the media filter.
 */
final class Layout {

  /** A header link, shown to {@code roles}; {@code text} is also the name pages mark as current. */
  record NavLink(String href, String text, Set<Role> roles) {}

  private static final Set<Role> ALL = ConsoleRoutes.CONSOLE_ROLES;
  private static final Set<Role> NOT_REVIEWERS = Set.of(Role.ADMIN, Role.CURATOR, Role.AUDITOR, Role.COORDINATOR);

  private static final List<NavLink> LINKS = List.of(
      new NavLink("/console/dashboard", "Dashboard", DashboardPages.READERS),
      new NavLink("/console/queue", "Queue", ReviewPages.READERS),
      new NavLink("/console/incidents", "Incidents", IncidentPages.READERS),
      new NavLink("/console/streams", "Streams", StreamPages.READERS),
      new NavLink("/console/orders", "Orders", OrderPages.READERS),
      new NavLink("/console/banks", "Banks", ALL),
      new NavLink("/console/floods", "Floods", FloodPages.READERS),
      new NavLink("/console/proposals", "Proposals", ProposalPages.READERS),
      new NavLink("/console/rules", "Rules", NOT_REVIEWERS),
      new NavLink("/console/exchanges", "Exchanges", NOT_REVIEWERS),
      new NavLink("/console/match", "Match tester", MatchTestPages.USERS),
      new NavLink("/console/audit", "Audit log", AuditPages.READERS),
      new NavLink(TransparencyPages.PATH, "Transparency", TransparencyPages.READERS),
      new NavLink("/console/keys", "Keys", KeyPages.READERS),
      new NavLink("/console/users", "Users", Set.of(Role.ADMIN, Role.AUDITOR)),
      new NavLink("/console/settings", "Settings", ALL));

  private Layout() {}

  /** The header links {@code role} may follow, in the header's order. */
  static List<NavLink> links(Role role) {
    return LINKS.stream().filter(link -> link.roles().contains(role)).toList();
  }

  /** A page: {@code content} framed by the header, for {@code viewer} (null before sign-in). */
  static String page(String title, Viewer viewer, String active, gg.jte.Content content) {
    java.util.Map<String, Object> params = new java.util.HashMap<>();
    params.put("title", title);
    params.put("viewer", viewer);
    params.put("active", active);
    params.put("content", content);
    return Templates.render("layout", params);
  }

  /** Where a role starts: the queue, or for a coordinator, who works no cases, the incidents. */
  static String home(Role role) {
    return role == Role.COORDINATOR ? "/console/incidents" : "/console/queue";
  }

  static String wellnessClasses(WellnessSettings settings) {
    return (settings.blur() ? "wellness-blur " : "") + (settings.greyscale() ? "wellness-grey " : "") + "blur-" + settings.blurStrength();
  }
}
