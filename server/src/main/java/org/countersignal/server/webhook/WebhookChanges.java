package org.countersignal.server.webhook;

import java.util.List;

/** A new endpoint (POST) or changes to one (PATCH, where an absent field stays as it is). */
public record WebhookChanges(String url, String description, List<String> eventTypes, Boolean enabled) {}
