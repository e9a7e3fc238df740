package org.countersignal.server.transparency;

import java.util.List;

/**
 * A published report checked: its stored document still has the checksum it was published with,
 * and its figures, counted again from the rows it names, are the figures it states.
 *
 * @param changed the figures whose totals differ now (empty when {@code reproduced})
 */
public record Verification(long id, boolean intact, boolean reproduced, String sha256, String figuresSha256, String figuresSha256Now,
    List<String> changed) {}
