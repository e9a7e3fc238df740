package org.countersignal.bench.text;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** Text set as the benchmarks' PDFs are: lines of at most 90 characters, Helvetica 10 pt, 50 lines a page. */
public final class PdfPages {

  public static final int LINE_CHARS = 90;
  public static final int LINES_A_PAGE = 50;

  private PdfPages() {}

  /** Adds {@code word} to the last line, or starts a new one when it would pass {@link #LINE_CHARS}. */
  public static void addWord(List<String> lines, String word) {
    if (lines.isEmpty() || lines.getLast().length() + word.length() > LINE_CHARS) {
      lines.add(word);
    } else {
      lines.set(lines.size() - 1, lines.getLast() + " " + word);
    }
  }

  /** The lines as a PDF; each must hold only what Helvetica can show (printable ASCII). */
  public static byte[] pdf(List<String> lines) throws IOException {
    try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      for (int from = 0; from < lines.size(); from += LINES_A_PAGE) {
        PDPage page = new PDPage();
        document.addPage(page);
        try (PDPageContentStream content = new PDPageContentStream(document, page)) {
          content.beginText();
          content.setFont(font, 10);
          content.setLeading(13);
          content.newLineAtOffset(40, 740);
          for (String line : lines.subList(from, Math.min(lines.size(), from + LINES_A_PAGE))) {
            content.showText(line);
            content.newLine();
          }
          content.endText();
        }
      }
      document.save(out);
      return out.toByteArray();
    }
  }
}
