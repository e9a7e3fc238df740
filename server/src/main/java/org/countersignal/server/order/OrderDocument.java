package org.countersignal.server.order;

/** What is known of an order's document without its bytes. */
public record OrderDocument(String mediaType, String fileName, String sha256, long sizeBytes, String attachedAt) {}
