package org.countersignal.server.userreport;

/** A report as the API shows it. */
public record UserReport(long id, long caseId, String reporterId, ReporterKind reporterKind, String reporterCreatedAt, ReportReason reason,
    String details, String contentId, String url, String account, boolean repeatReport, boolean newAccount, boolean possibleCampaign,
    ReportState state, String receivedAt, String decidedAt) {}
