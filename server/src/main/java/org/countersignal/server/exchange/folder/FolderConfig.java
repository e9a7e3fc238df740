package org.countersignal.server.exchange.folder;

/**
 * @param path the folder, relative to the server's exchange folder root (or absolute within it)
 * @param batchSize updates per applied batch (default {@link FolderExchange#DEFAULT_BATCH})
 */
public record FolderConfig(String path, Integer batchSize) {

  int batch() {
    return batchSize == null ? FolderExchange.DEFAULT_BATCH : batchSize;
  }
}
