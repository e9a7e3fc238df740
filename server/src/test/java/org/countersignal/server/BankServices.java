package org.countersignal.server;

import org.countersignal.server.bank.BankService;
import org.countersignal.server.bank.EntryService;
import org.countersignal.server.bank.LabelTaxonomy;
import org.countersignal.server.bank.SignalCatalog;
import org.jdbi.v3.core.Jdbi;

/**
 * The bank and entry services over a database, without a server around them. After each change
 * they run {@code committed}: a follower's catch-up, as the server does, or nothing, as for
 * another process's writes, which a follower learns of only by polling.
 */
record BankServices(BankService banks, EntryService entries) {

  static BankServices over(Jdbi jdbi, Runnable committed) {
    SignalCatalog catalog = new SignalCatalog();
    LabelTaxonomy taxonomy = new LabelTaxonomy(jdbi);
    return new BankServices(new BankService(jdbi, catalog, taxonomy, committed), new EntryService(jdbi, catalog, taxonomy, committed));
  }
}
