package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.countersignal.server.action.DecisionSource;
import org.countersignal.server.action.DecisionState;
import org.countersignal.server.action.SubmissionStatus;
import org.countersignal.server.auth.KeyStatus;
import org.countersignal.server.jobs.JobKind;
import org.countersignal.server.jobs.JobStatus;
import org.countersignal.server.review.AppealStatus;
import org.countersignal.server.review.CaseKind;
import org.countersignal.server.review.CaseStatus;
import org.countersignal.server.userreport.ReportReason;
import org.countersignal.server.userreport.ReportState;
import org.countersignal.server.userreport.ReporterKind;
import org.countersignal.server.webhook.DeliveryStatus;
import org.junit.jupiter.api.Test;

/**
 * The words statuses and kinds are stored and shown as. Rows already in databases hold them and
 * platforms read them, so renaming a constant must not change one: these lists are the contract.
 */
class StatusWordsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void storedAndShownWordsAreTheContract() throws Exception {
    assertThat(words(SubmissionStatus.values()))
        .containsExactly("clean", "matched", "in_review", "actioned", "violating", "benign", "reinstated");
    assertThat(words(DecisionState.values())).containsExactly("taken", "pending_review", "confirmed", "rejected", "reinstated");
    assertThat(words(DecisionSource.values())).containsExactly("rule", "review", "appeal", "takeover");
    assertThat(words(CaseStatus.values())).containsExactly("open", "escalated", "confirmed", "rejected", "upheld", "reinstated");
    assertThat(words(CaseKind.values())).containsExactly("match", "appeal", "report");
    assertThat(words(AppealStatus.values())).containsExactly("open", "upheld", "reinstated");
    assertThat(words(JobStatus.values())).containsExactly("queued", "running", "succeeded", "failed");
    assertThat(words(JobKind.values())).containsExactly("hash", "match", "bank");
    assertThat(words(DeliveryStatus.values())).containsExactly("pending", "delivered", "dead");
    assertThat(words(ReportState.values())).containsExactly("open", "violating", "no_violation");
    assertThat(words(ReporterKind.values())).containsExactly("user", "trusted_flagger");
    assertThat(words(ReportReason.values()))
        .containsExactly("terrorist_content", "violent_extremism", "glorification", "recruitment", "threat", "other");
    assertThat(words(KeyStatus.values())).containsExactly("active", "expired", "revoked");
  }

  @Test
  void jsonAndMessagesUseTheWordsAndReadThemBack() throws Exception {
    assertThat(JSON.writeValueAsString(List.of(SubmissionStatus.IN_REVIEW, DecisionState.PENDING_REVIEW, JobStatus.SUCCEEDED)))
        .isEqualTo("[\"in_review\",\"pending_review\",\"succeeded\"]");
    assertThat(JSON.readValue("\"dead\"", DeliveryStatus.class)).isEqualTo(DeliveryStatus.DEAD);
    assertThat("case is " + CaseStatus.ESCALATED).isEqualTo("case is escalated");
    assertThat(CaseStatus.fromWire("escalated")).isEqualTo(CaseStatus.ESCALATED);
    assertThat(CaseStatus.fromWire("ESCALATED")).isNull();
    assertThat(CaseStatus.OPEN.sql()).isEqualTo("'open'");
  }

  private static List<String> words(Enum<?>[] values) throws Exception {
    List<String> out = new java.util.ArrayList<>();
    for (Enum<?> value : values) {
      out.add((String) value.getClass().getMethod("wire").invoke(value));
    }
    return out;
  }
}
