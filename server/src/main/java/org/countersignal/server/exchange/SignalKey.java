package org.countersignal.server.exchange;

/**
 * A signal as exchanges key their updates: our signal type name and the signal's text form. Kinds
 * translate the field's names ({@code video_md5}, {@code raw_text}, ...) with {@link FieldSignals}.
 */
public record SignalKey(String type, String signal) {}
