package org.countersignal.server.transparency;

import java.util.List;

/**
 * One point of TCO Regulation (EU) 2021/784 Art. 7(3), the least a transparency report must say:
 * what the point asks, the answer, and where the answer comes from ({@code recorded}: counted from
 * the ledger; {@code declared}: stated by the publisher, for what Countersignal does not see, such
 * as court proceedings; {@code generated}: written from the figures because the publisher stated
 * nothing).
 */
public record Article7(String point, String asks, String answer, Long figure, List<Figure.Count> detail, String basis) {}
