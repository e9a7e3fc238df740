package org.countersignal.server.exchange;

/**
 * What a platform holds of one signal an exchange brought, as a report tells its source: the
 * opinion its reviewers' decisions add up to and how many of its submissions the signal matched.
 * The platform is this instance, or one that follows a feed of the exchange's bank here and whose
 * word this instance passes on.
 * The signal's type and value are all that name it: never the content, the account or the
 * submission behind the count.
 *
 * @param opinion {@link Opinion#POSITIVE_CLASS} (a case with a match of it was confirmed),
 *     {@link Opinion#NEGATIVE_CLASS} (one was rejected as a false positive),
 *     {@link Opinion#DISPUTED} (both); null for none yet
 * @param seen how many distinct submissions matched it
 * @param platform the instance id of the platform whose word this is, when this instance passes it
 *     on; null: this instance's own
 */
public record SignalOpinion(SignalKey signal, Opinion opinion, long seen, String platform) {

  /** This instance's own word. */
  public SignalOpinion(SignalKey signal, Opinion opinion, long seen) {
    this(signal, opinion, seen, null);
  }
}
