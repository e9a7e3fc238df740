package org.countersignal.server.order;

/** A content provider's complaint about content removed under an order, and its decision. */
public record Complaint(long id, long orderId, String complainant, String text, String status, String filedAt, String decidedAt,
    String decisionReason) {}
