package org.countersignal.server.transparency;

/**
 * A published report as listed: the SHA-256 of its document as stored (what a reader who
 * downloads it can check) and of its figures (what a verification counts again).
 */
public record PublishedReport(long id, String title, String periodFrom, String periodTo, String publishedAt, Long publishedBy,
    String sha256, String figuresSha256) {}
