package org.countersignal.server.userreport;

import java.util.Map;

/**
 * A report as the platform relays it ({@code POST /api/v1/reports}).
 *
 * @param reporterId the reporter, in the platform's ids
 * @param reporterKind {@code user} or {@code trusted_flagger}
 * @param reporterCreatedAt when the reporter's account was made (ISO 8601), if the platform says so
 * @param reporterAccountAgeDays the same as an age in days, when that is what the platform knows
 * @param reason one of the {@link ReportReason} words
 * @param details the reporter's own words, optional
 * @param contentId the platform's id of the content reported
 * @param url the content's URL (at least one of {@code contentId} and {@code url})
 * @param account the account that posted the content, optional
 * @param signals the content's signals (e.g. {@code pdq}, {@code md5}) kept for the reviewer, optional
 */
public record NewReport(String reporterId, String reporterKind, String reporterCreatedAt, Integer reporterAccountAgeDays, String reason,
    String details, String contentId, String url, String account, Map<String, String> signals) {}
