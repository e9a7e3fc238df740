package org.countersignal.server.account;

/**
 * A takeover response as asked: the window the account was not its owner's, and optionally the
 * action to take on everything it posted then. Times are ISO-8601 with an offset; without an
 * action the call only lists (a dry run).
 */
public record TakeoverRequest(String from, String to, String action, String reason) {}
