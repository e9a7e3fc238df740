package org.countersignal.server.action;

/** Content bytes the platform sent with a submission, kept for review and preservation. */
public record Media(byte[] bytes, String mediaType) {}
