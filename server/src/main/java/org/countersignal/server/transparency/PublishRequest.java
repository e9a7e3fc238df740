package org.countersignal.server.transparency;

/** A request to publish a report: its title and period, and what the publisher states ({@link Declared}). */
public record PublishRequest(String title, String from, String to, String measures, String reappearance, Long reviewProceedings,
    String reviewOutcomes, Long reinstatedAfterReview) {}
