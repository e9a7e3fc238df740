package org.countersignal.server.exchange;

/**
 * What this instance holds of one signal an exchange brought, as a report tells its source: the
 * opinion its reviewers' decisions add up to and how many of its submissions the signal matched.
 * The signal's type and value are all that name it: never the content, the account or the
 * submission behind the count.
 *
 * @param opinion {@link Opinion#POSITIVE_CLASS} (a case with a match of it was confirmed),
 *     {@link Opinion#NEGATIVE_CLASS} (one was rejected as a false positive),
 *     {@link Opinion#DISPUTED} (both); null for none yet
 * @param seen how many distinct submissions matched it
 */
public record SignalOpinion(SignalKey signal, Opinion opinion, long seen) {}
