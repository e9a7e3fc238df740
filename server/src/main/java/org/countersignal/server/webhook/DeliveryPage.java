package org.countersignal.server.webhook;

import java.util.List;

/** A page of deliveries; {@code nextAfter} is the cursor for the next page, or null at the end. */
public record DeliveryPage(List<WebhookDelivery> items, Long nextAfter) {}
