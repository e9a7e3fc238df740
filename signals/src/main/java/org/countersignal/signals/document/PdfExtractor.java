package org.countersignal.signals.document;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionURI;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationLink;
import org.apache.pdfbox.text.PDFTextStripper;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.ContentException.Reason;

/** Text, link targets and embedded images of a PDF, read with Apache PDFBox. */
final class PdfExtractor {

  /** Images smaller than this on either side are ornaments and bullets, not pictures. */
  private static final int MIN_IMAGE_SIDE = 64;
  private static final List<String> KEEP_JPEG = List.of(COSName.DCT_DECODE.getName());

  private PdfExtractor() {}

  static ExtractedDocument extract(byte[] bytes, Budget budget) throws ContentException {
    DocumentLimits limits = budget.limits();
    // Scratch buffers stay in memory but are capped: a stream that inflates past the cap fails.
    MemoryUsageSetting memory = MemoryUsageSetting.setupMainMemoryOnly(Math.max(limits.maxUnpackedBytes(), bytes.length * 2L));
    try (PDDocument document = Loader.loadPDF(bytes, "", null, null, memory.streamCache)) {
      int pages = document.getNumberOfPages();
      if (pages > limits.maxPages()) {
        throw new ContentException(Reason.TOO_LARGE,
            String.format("PDF has %,d pages, over the limit of %,d", pages, limits.maxPages()));
      }
      StringBuilder text = new StringBuilder();
      List<String> links = new ArrayList<>();
      List<byte[]> images = new ArrayList<>();
      Map<Object, Boolean> seenImages = new IdentityHashMap<>();
      List<Integer> pageStarts = new ArrayList<>();
      int pageNumber = 0;
      for (PDPage page : document.getPages()) {
        pageNumber++;
        if (pageNumber > 1) {
          pageStarts.add(text.length());
        }
        budget.checkTime();
        PDFTextStripper stripper = new BoundedTextStripper(budget, text.length());
        stripper.setSortByPosition(false);
        stripper.setParagraphEnd("\n\n");
        stripper.setStartPage(pageNumber);
        stripper.setEndPage(pageNumber);
        text.append(stripper.getText(document));
        budget.checkChars(text.length());
        for (PDAnnotation annotation : page.getAnnotations()) {
          if (annotation instanceof PDAnnotationLink link && link.getAction() instanceof PDActionURI uri
              && uri.getURI() != null && links.size() < 10_000) {
            links.add(uri.getURI());
          }
        }
        collectImages(page.getResources(), images, seenImages, budget, 0);
      }
      return new ExtractedDocument(DocumentFormat.PDF, text.toString(), links, images, pageStarts);
    } catch (BoundedTextStripper.LimitExceeded e) {
      throw e.refusal();
    } catch (InvalidPasswordException e) {
      throw new ContentException(Reason.UNSUPPORTED_FORMAT,
          "PDF is encrypted with a password; submit the decrypted file", e);
    } catch (IOException | RuntimeException e) {
      // PDFBox reports broken files as IOExceptions and, for some structures, runtime exceptions.
      throw new ContentException(Reason.CORRUPT, "PDF cannot be read: " + e.getMessage(), e);
    } catch (OutOfMemoryError e) {
      throw new ContentException(Reason.TOO_LARGE, "PDF needs more memory than is allowed", e);
    }
  }

  private static void collectImages(PDResources resources, List<byte[]> images, Map<Object, Boolean> seen,
      Budget budget, int depth) throws IOException, ContentException {
    if (resources == null || depth > 8) {
      return;
    }
    for (COSName name : resources.getXObjectNames()) {
      if (images.size() >= budget.limits().maxImages()) {
        return;
      }
      budget.checkTime();
      PDXObject object = resources.getXObject(name);
      if (object == null || seen.put(object.getCOSObject(), Boolean.TRUE) != null) {
        continue;
      }
      if (object instanceof PDFormXObject form) {
        collectImages(form.getResources(), images, seen, budget, depth + 1);
      } else if (object instanceof PDImageXObject image) {
        try {
          byte[] encoded = encode(image, budget.limits());
          if (encoded != null) {
            images.add(encoded);
          }
        } catch (IOException | RuntimeException e) {
          // An image PDFBox cannot decode (JPEG 2000, JBIG2 without plugins) is skipped, not fatal.
        }
      }
    }
  }

  /** JPEGs are passed on as stored; anything else is decoded by PDFBox and re-encoded as PNG. */
  private static byte[] encode(PDImageXObject image, DocumentLimits limits) throws IOException {
    long pixels = (long) image.getWidth() * image.getHeight();
    if (image.getWidth() < MIN_IMAGE_SIDE || image.getHeight() < MIN_IMAGE_SIDE || pixels > limits.maxImagePixels()
        || image.isStencil()) {
      return null;
    }
    if ("jpg".equals(image.getSuffix())) {
      try (InputStream in = image.createInputStream(KEEP_JPEG)) {
        return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxBytes()));
      }
    }
    java.awt.image.BufferedImage decoded = image.getImage();
    if (decoded == null) {
      return null;
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    // In memory, whatever ImageIO's process-wide cache setting: it would buffer through a temporary file.
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(png)) {
      ImageIO.write(decoded, "png", out);
    }
    return png.toByteArray();
  }
}
