package org.countersignal.server.transparency;

import java.util.List;

/**
 * A transparency report: the figures of a period, counted from the ledger rows up to
 * {@code eventsThrough} and the submissions up to {@code submissionsThrough}, which is what makes
 * it reproducible; TCO Art. 7(3)'s points answered from them; and {@code figuresSha256}, the
 * checksum of the counted part, which a verification compares with the figures counted again.
 * A preview has no id and is not kept; a published report is stored as it is and never changes.
 */
public record TransparencyReport(Long id, String title, String periodFrom, String periodTo, String generatedAt, Long publishedBy,
    long eventsThrough, long submissionsThrough, List<Figure> figures, List<Article7> tco, Declared declared, String figuresSha256) {}
