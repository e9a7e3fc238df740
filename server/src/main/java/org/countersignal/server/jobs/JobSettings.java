package org.countersignal.server.jobs;

import java.time.Duration;

/**
 * How video jobs run.
 *
 * @param maxVideoBytes largest video accepted, uploaded or fetched
 * @param workers videos hashed at once by this process (hashing takes a core each)
 * @param fetchTimeout longest a job may take to download a video from its URL
 * @param retention how long a finished job's result is kept
 * @param heartbeatInterval how often a running job says it is alive; a job whose process died is
 *     taken up again by another once several are missed
 */
public record JobSettings(long maxVideoBytes, int workers, Duration fetchTimeout, Duration retention, Duration heartbeatInterval) {

  public static final JobSettings DEFAULT = new JobSettings(256L * 1024 * 1024, 1, Duration.ofMinutes(10), Duration.ofDays(7),
      Duration.ofSeconds(5));

  public JobSettings {
    if (maxVideoBytes <= 0) {
      throw new IllegalArgumentException("maxVideoBytes must be positive");
    }
    if (workers < 0) {
      throw new IllegalArgumentException("workers must not be negative");
    }
  }

  public JobSettings withWorkers(int n) {
    return new JobSettings(maxVideoBytes, n, fetchTimeout, retention, heartbeatInterval);
  }

  public JobSettings withMaxVideoBytes(long n) {
    return new JobSettings(n, workers, fetchTimeout, retention, heartbeatInterval);
  }

  public JobSettings withHeartbeatInterval(Duration interval) {
    return new JobSettings(maxVideoBytes, workers, fetchTimeout, retention, interval);
  }
}
