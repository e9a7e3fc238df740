package org.countersignal.server.userreport;

import java.util.List;

/**
 * The review case that reports of one piece of content share, as its reporters' view of it: how
 * many reporters (each counted once), how many of them trusted flaggers, whether it looks like a
 * mass-report campaign and why, and its reports.
 *
 * @param status the case's status in the review queue ({@code open}, {@code escalated}, {@code confirmed}, {@code rejected})
 */
public record ReportCase(long caseId, long submissionId, String status, int priority, String contentId, String canonicalUrl, String account,
    int reporters, int trustedFlaggers, boolean possibleCampaign, String campaignReason, String createdAt, List<UserReport> reports) {}
