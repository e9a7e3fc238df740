package org.countersignal.server.match;

/**
 * How many hits one match may return and record. A bank's threshold is the operator's choice, and
 * a wide one (PDQ 256 is every hash) turns each query into the whole bank: without a cap one
 * request of 64 values answered 320,000 hits and stored them all with its submission. The caps
 * keep the nearest hits, so they never drop a closer hit for a farther one.
 *
 * @param perQuery hits of one query signal (an image's eight PDQ variants count as one signal);
 *     100 by default: a hash near more entries than that says more about the threshold or the
 *     hash (a blank frame) than about the content, and the nearest hundred are enough to review
 * @param perResponse hits of one match: one {@code /match} call, one upload or URL, one item of
 *     a batch, the entries found in one video; 1,000 by default, ten times the per-signal cap
 *     (an image is matched by its PDQ, MD5 and SHA-256, a video by thousands of frames)
 * @param perBatch hits of one whole batch, and frame hits of one video before they are grouped
 *     per entry; 10,000 by default, which bounds one response and one request's stored rows to a
 *     few megabytes while a batch of 1,000 items can still have ten hits each
 */
public record HitLimits(int perQuery, int perResponse, int perBatch) {

  public static final HitLimits DEFAULT = new HitLimits(100, 1_000, 10_000);

  public HitLimits {
    atLeastOne("max-hits-per-query", perQuery);
    atLeastOne("max-hits-per-response", perResponse);
    atLeastOne("max-hits-per-batch", perBatch);
  }

  private static void atLeastOne(String setting, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(setting + " must be at least 1, got " + value);
    }
  }

  public HitLimits withPerQuery(int n) {
    return new HitLimits(n, perResponse, perBatch);
  }

  public HitLimits withPerResponse(int n) {
    return new HitLimits(perQuery, n, perBatch);
  }

  public HitLimits withPerBatch(int n) {
    return new HitLimits(perQuery, perResponse, n);
  }
}
