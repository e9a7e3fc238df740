package org.countersignal.server.userreport;

/** The answer to a report taken in: the report, and the case it joined or opened. */
public record ReceivedReport(UserReport report, boolean caseOpened, ReportCase reportCase) {}
