package org.countersignal.server.statement;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One statement of reasons (DSA Art. 17) in the shape the Commission's DSA Transparency Database
 * takes it (Art. 24(5)): the body of {@code POST /api/v1/statement}, or one item of
 * {@code statements} in a batch. Field names are the database's once written in snake case;
 * a field left null is left out. No field holds personal data: the database forbids it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatementOfReasons(
    List<String> decisionVisibility,
    String decisionAccount,
    DecisionGround decisionGround,
    String decisionGroundReferenceUrl,
    String illegalContentLegalGround,
    String illegalContentExplanation,
    String incompatibleContentGround,
    String incompatibleContentExplanation,
    String category,
    List<String> categoryAddition,
    List<String> categorySpecification,
    List<String> contentType,
    String contentTypeOther,
    String contentDate,
    String applicationDate,
    String endDateVisibilityRestriction,
    String endDateAccountRestriction,
    String decisionFacts,
    SourceType sourceType,
    String sourceIdentity,
    String automatedDetection,
    AutomatedDecision automatedDecision,
    List<String> territorialScope,
    String puid) {

  /** The columns of the CSV export, in this order: every field, as the JSON names it. */
  static final List<String> FIELDS = List.of("decision_visibility", "decision_account", "decision_ground", "decision_ground_reference_url",
      "illegal_content_legal_ground", "illegal_content_explanation", "incompatible_content_ground", "incompatible_content_explanation",
      "category", "category_addition", "category_specification", "content_type", "content_type_other", "content_date", "application_date",
      "end_date_visibility_restriction", "end_date_account_restriction", "decision_facts", "source_type", "source_identity",
      "automated_detection", "automated_decision", "territorial_scope", "puid");
}
