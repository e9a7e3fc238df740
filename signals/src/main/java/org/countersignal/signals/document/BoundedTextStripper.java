package org.countersignal.signals.document;

import java.io.IOException;
import java.util.List;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.text.PDFTextStripper;
import org.countersignal.signals.ContentException;

/**
 * PDFBox's text stripper with the budget checked inside a page too: every 1,024 content-stream
 * operators for time, on every string for the character limit. A page whose content stream
 * never ends (or is merely enormous) is thus stopped, not just the next page.
 */
final class BoundedTextStripper extends PDFTextStripper {

  /** Carries a limit refusal through PDFBox, whose methods only declare IOException. */
  static final class LimitExceeded extends RuntimeException {
    private final ContentException refusal;

    LimitExceeded(ContentException refusal) {
      super(refusal.getMessage(), null, false, false);
      this.refusal = refusal;
    }

    ContentException refusal() {
      return refusal;
    }
  }

  private final Budget budget;
  private final int charsBefore;
  private long operators;
  private long chars;

  BoundedTextStripper(Budget budget, int charsBefore) {
    this.budget = budget;
    this.charsBefore = charsBefore;
  }

  @Override
  protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
    if ((++operators & 1023) == 0) {
      try {
        budget.checkTime();
      } catch (ContentException e) {
        throw new LimitExceeded(e);
      }
    }
    super.processOperator(operator, operands);
  }

  @Override
  protected void writeString(String text) throws IOException {
    chars += text.length();
    if (charsBefore + chars > budget.limits().maxChars()) {
      try {
        budget.checkChars((int) Math.min(Integer.MAX_VALUE, charsBefore + chars));
      } catch (ContentException e) {
        throw new LimitExceeded(e);
      }
    }
    super.writeString(text);
  }
}
