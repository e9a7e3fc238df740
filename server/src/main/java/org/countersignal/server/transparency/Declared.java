package org.countersignal.server.transparency;

/**
 * What the publisher states in a report that no record here holds: the measures taken (TCO Art.
 * 7(3)(a), (b)) in their own words, and the administrative or judicial review proceedings the
 * provider brought, with their outcome ((e), (f)). Every field may be left out.
 */
public record Declared(String measures, String reappearance, Long reviewProceedings, String reviewOutcomes, Long reinstatedAfterReview) {

  static final Declared NONE = new Declared(null, null, null, null, null);
}
