package org.countersignal.bench.discovery;

/**
 * The near-miss band: an upload whose nearest banked hash is past the bank's threshold but
 * within {@code upper} is proposed for review, with that banked hash as its evidence.
 *
 * @param threshold the bank's match threshold; at or under it the upload is matched outright
 * @param upper the widest distance still proposed
 */
record Band(int threshold, int upper) {

  enum Outcome { MATCHED, PROPOSED, NOTHING, BELOW_QUALITY_FLOOR }

  Outcome classify(int distance, int quality, int qualityFloor) {
    if (quality < qualityFloor) {
      return Outcome.BELOW_QUALITY_FLOOR;
    }
    if (distance <= threshold) {
      return Outcome.MATCHED;
    }
    return distance <= upper ? Outcome.PROPOSED : Outcome.NOTHING;
  }

  @Override
  public String toString() {
    return (threshold + 1) + "–" + upper;
  }
}
