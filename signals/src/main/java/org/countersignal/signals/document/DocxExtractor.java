package org.countersignal.signals.document;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.ContentException.Reason;

/**
 * Text, hyperlinks and embedded images of a DOCX (Office Open XML), read with the JDK's ZIP and
 * StAX readers: the text of a DOCX is the {@code w:t} runs of its XML parts, which does not need
 * a 20 MB office library. External entities and DTDs are disabled; decompressed bytes are capped.
 */
final class DocxExtractor {

  private static final String W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
  private static final int MAX_ENTRIES = 10_000;

  private DocxExtractor() {}

  static ExtractedDocument extract(byte[] bytes, Budget budget) throws ContentException {
    DocumentLimits limits = budget.limits();
    if (!hasEndOfCentralDirectory(bytes)) {
      throw new ContentException(Reason.TRUNCATED, "DOCX is truncated: the ZIP directory at its end is missing");
    }
    StringBuilder body = new StringBuilder();
    StringBuilder notes = new StringBuilder();
    List<String> links = new ArrayList<>();
    List<byte[]> images = new ArrayList<>();
    boolean sawDocument = false;
    long unpacked = 0;
    int entries = 0;
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        budget.checkTime();
        if (++entries > MAX_ENTRIES) {
          throw new ContentException(Reason.TOO_LARGE, "DOCX has more than " + MAX_ENTRIES + " parts");
        }
        String name = entry.getName();
        long remaining = limits.maxUnpackedBytes() - unpacked;
        if (name.equals("word/document.xml")) {
          sawDocument = true;
          byte[] xml = readCapped(zip, remaining, limits);
          unpacked += xml.length;
          readText(xml, body, budget);
        } else if (name.matches("word/(header|footer|footnotes|endnotes)\\d*\\.xml")) {
          byte[] xml = readCapped(zip, remaining, limits);
          unpacked += xml.length;
          readText(xml, notes, budget);
        } else if (name.matches("word/_rels/document\\.xml\\.rels")) {
          byte[] xml = readCapped(zip, remaining, limits);
          unpacked += xml.length;
          readHyperlinks(xml, links);
        } else if (name.startsWith("word/media/") && images.size() < limits.maxImages()) {
          byte[] image = readCapped(zip, remaining, limits);
          unpacked += image.length;
          images.add(image);
        }
        budget.checkChars(body.length() + notes.length());
      }
    } catch (ZipException e) {
      throw new ContentException(Reason.CORRUPT, "DOCX is not a readable ZIP archive: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ContentException(Reason.CORRUPT, "DOCX cannot be read: " + e.getMessage(), e);
    }
    if (!sawDocument) {
      throw new ContentException(Reason.CORRUPT, "DOCX has no word/document.xml part");
    }
    if (!notes.isEmpty()) {
      body.append("\n\n").append(notes);
    }
    return new ExtractedDocument(DocumentFormat.DOCX, body.toString(), links, images);
  }

  /** The ZIP end record (PK 5 6) sits in the last 22 + 65,535 bytes; a cut-off file lacks it. */
  private static boolean hasEndOfCentralDirectory(byte[] bytes) {
    for (int i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--) {
      if (bytes[i] == 'P' && bytes[i + 1] == 'K' && bytes[i + 2] == 5 && bytes[i + 3] == 6) {
        return true;
      }
    }
    return false;
  }

  private static byte[] readCapped(InputStream in, long remaining, DocumentLimits limits)
      throws IOException, ContentException {
    byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, remaining + 1));
    if (data.length > remaining) {
      throw new ContentException(Reason.TOO_LARGE, String.format(
          "DOCX unpacks to more than %,d bytes (a zip bomb?)", limits.maxUnpackedBytes()));
    }
    return data;
  }

  private static XMLStreamReader reader(byte[] xml) throws XMLStreamException {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    return factory.createXMLStreamReader(new ByteArrayInputStream(xml));
  }

  private static void readText(byte[] xml, StringBuilder out, Budget budget) throws ContentException {
    try {
      XMLStreamReader r = reader(xml);
      boolean inText = false;
      int events = 0;
      while (r.hasNext()) {
        int event = r.next();
        if (++events % 65_536 == 0) {
          budget.checkTime();
          budget.checkChars(out.length());
        }
        if (event == XMLStreamConstants.START_ELEMENT && W.equals(r.getNamespaceURI())) {
          switch (r.getLocalName()) {
            case "t" -> inText = true;
            case "tab" -> out.append('\t');
            case "br", "cr" -> out.append('\n');
            default -> { }
          }
        } else if (event == XMLStreamConstants.END_ELEMENT && W.equals(r.getNamespaceURI())) {
          switch (r.getLocalName()) {
            case "t" -> inText = false;
            case "p" -> out.append("\n\n");
            default -> { }
          }
        } else if (inText && (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA)) {
          out.append(r.getText());
        }
      }
    } catch (XMLStreamException e) {
      throw new ContentException(Reason.CORRUPT, "DOCX XML is malformed: " + e.getMessage(), e);
    }
  }

  private static void readHyperlinks(byte[] xml, List<String> links) throws ContentException {
    try {
      XMLStreamReader r = reader(xml);
      while (r.hasNext()) {
        if (r.next() == XMLStreamConstants.START_ELEMENT && "Relationship".equals(r.getLocalName())
            && "External".equals(r.getAttributeValue(null, "TargetMode"))
            && String.valueOf(r.getAttributeValue(null, "Type")).endsWith("/hyperlink")
            && links.size() < 10_000) {
          links.add(r.getAttributeValue(null, "Target"));
        }
      }
    } catch (XMLStreamException e) {
      throw new ContentException(Reason.CORRUPT, "DOCX relationships are malformed: " + e.getMessage(), e);
    }
  }
}
