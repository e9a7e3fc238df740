package org.countersignal.server.jobs;

import java.time.Duration;

/**
 * How video jobs run.
 *
 * @param maxVideoBytes largest video accepted, uploaded or fetched
 * @param workers videos hashed at once by this process (hashing takes a core each)
 * @param fetchTimeout longest a job may take to download a video from its URL
 * @param retention how long a finished job's result is kept
 */
public record JobSettings(long maxVideoBytes, int workers, Duration fetchTimeout, Duration retention) {

  public static final JobSettings DEFAULT = new JobSettings(256L * 1024 * 1024, 1, Duration.ofMinutes(10), Duration.ofDays(7));

  public JobSettings {
    if (maxVideoBytes <= 0) {
      throw new IllegalArgumentException("maxVideoBytes must be positive");
    }
    if (workers < 0) {
      throw new IllegalArgumentException("workers must not be negative");
    }
  }

  public JobSettings withWorkers(int n) {
    return new JobSettings(maxVideoBytes, n, fetchTimeout, retention);
  }

  public JobSettings withMaxVideoBytes(long n) {
    return new JobSettings(n, workers, fetchTimeout, retention);
  }
}
