package org.countersignal.signals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.countersignal.signals.ContentException.Reason;
import org.countersignal.signals.digest.Digest;
import org.countersignal.signals.digest.DigestSignalType;
import org.countersignal.signals.document.DocumentExtractor;
import org.countersignal.signals.document.DocumentFormat;
import org.countersignal.signals.document.DocumentLimits;
import org.countersignal.signals.document.DocumentSignals;
import org.countersignal.signals.image.ImageDecoder;
import org.countersignal.signals.image.ImageFormat;
import org.countersignal.signals.pdq.Dihedral;
import org.countersignal.signals.pdq.PdqHash;
import org.countersignal.signals.pdq.PdqHasher;
import org.countersignal.signals.pdq.PdqSignal;
import org.countersignal.signals.pdq.PdqSignalType;
import org.countersignal.signals.text.PlainText;
import org.countersignal.signals.text.TextSignalType;
import org.countersignal.signals.text.TextSketcher;
import org.countersignal.signals.url.CanonicalUrl;
import org.countersignal.signals.url.UrlSignalType;
import org.countersignal.signals.vpdq.VideoFormat;
import org.countersignal.signals.vpdq.VideoLimits;
import org.countersignal.signals.vpdq.VpdqSignal;
import org.countersignal.signals.vpdq.VpdqSignalType;

/**
 * Computes every signal that applies to a piece of content: what the command line's
 * {@code hash} and the service's hash and match calls share. Thread-safe.
 */
public final class ContentHasher {

  /** One computed signal, kept with its type so it can be formatted and compared. */
  public record Computed<S>(SignalType<S> type, S value) {
    public String text() {
      return type.format(value);
    }
  }

  /**
   * All signals of one piece of content; {@code pdqVariants} only when asked for. {@code text} is
   * the text of a text post or document (what its text signal was computed from), else null;
   * {@code pageStarts} where its pages after the first start, for a document with pages;
   * {@code textQuery} the text's query sketches, for matching it, else null.
   */
  public record Result(ContentType contentType, List<Computed<?>> signals, Map<Dihedral, PdqHash> pdqVariants, String text,
      List<Integer> pageStarts, TextSketcher.Query textQuery) {

    public Result(ContentType contentType, List<Computed<?>> signals, Map<Dihedral, PdqHash> pdqVariants) {
      this(contentType, signals, pdqVariants, null, List.of(), null);
    }
  }

  private final PdqSignalType pdq;
  private final VpdqSignalType vpdq;
  private final DocumentSignals documents;
  private final boolean plainText;

  public ContentHasher(ImageDecoder decoder) {
    this(decoder, VideoLimits.DEFAULT);
  }

  public ContentHasher(ImageDecoder decoder, VideoLimits videoLimits) {
    this(decoder, videoLimits, DocumentLimits.DEFAULT, false);
  }

  /**
   * @param plainText whether bytes of no binary format are hashed as text; off by default because
   *     a folder of mixed files would otherwise bank every log and note as "text" content
   */
  public ContentHasher(ImageDecoder decoder, VideoLimits videoLimits, DocumentLimits documentLimits, boolean plainText) {
    this.pdq = new PdqSignalType(decoder);
    this.vpdq = new VpdqSignalType(videoLimits);
    this.documents = new DocumentSignals(new DocumentExtractor(documentLimits), decoder);
    this.plainText = plainText;
  }

  public PdqSignalType pdq() {
    return pdq;
  }

  /** Recognises the content type from the bytes themselves, never from a name. */
  public static ContentType detect(byte[] bytes) throws ContentException {
    return detect(bytes, false);
  }

  /** As {@link #detect(byte[])}; with {@code plainText}, other text-like bytes are TEXT. */
  public static ContentType detect(byte[] bytes, boolean plainText) throws ContentException {
    if (ImageFormat.sniff(bytes).isPresent()) {
      return ContentType.PHOTO;
    }
    if (VideoFormat.looksLikeVideo(bytes)) {
      return ContentType.VIDEO;
    }
    DocumentFormat document = DocumentFormat.sniff(bytes).orElse(null);
    if (document != null && document != DocumentFormat.PLAIN_TEXT) {
      return ContentType.DOCUMENT;
    }
    if (document == DocumentFormat.PLAIN_TEXT && plainText) {
      return ContentType.TEXT;
    }
    throw new ContentException(Reason.UNSUPPORTED_FORMAT,
        "unsupported content: not a recognised image (JPEG, PNG, GIF, BMP, WebP, TIFF), video (MP4, MOV, MKV, WebM, AVI, FLV, MPEG)"
            + " or document (PDF, DOCX, HTML" + (plainText ? ", plain text)" : "; plain text when enabled)"));
  }

  public Result hash(byte[] bytes, boolean withDihedralVariants) throws ContentException {
    ContentType type = detect(bytes, plainText);
    List<Computed<?>> signals = new ArrayList<>(3);
    DocumentSignals.Result document = null;
    if (type == ContentType.DOCUMENT || type == ContentType.TEXT) {
      document = type == ContentType.DOCUMENT
          ? documents.ofDocument(bytes)
          : DocumentSignals.ofText(PlainText.decode(bytes, documents.limits().maxChars()));
      addTextSignals(document, signals);
    }
    Map<Dihedral, PdqHash> variants = null;
    if (pdq.appliesTo(type)) {
      PdqHasher.Result result = pdq.hashWithVariants(bytes);
      signals.add(new Computed<>(pdq, result.signal()));
      if (withDihedralVariants) {
        variants = result.variants();
      }
    }
    if (vpdq.appliesTo(type)) {
      signals.add(new Computed<>(vpdq, vpdq.hash(new Content(type, bytes))));
    }
    signals.add(new Computed<Digest>(DigestSignalType.MD5, DigestSignalType.MD5.digest(bytes)));
    signals.add(new Computed<Digest>(DigestSignalType.SHA256, DigestSignalType.SHA256.digest(bytes)));
    return document == null
        ? new Result(type, List.copyOf(signals), variants)
        : new Result(type, List.copyOf(signals), variants, document.extracted(), document.pageStarts(), document.query());
  }

  /**
   * The text signal and the URL signals of its links, then embedded images' PDQ (for documents),
   * all in one list; a reader tells the embedded PDQs from a photo's by the content type.
   */
  private void addTextSignals(DocumentSignals.Result result, List<Computed<?>> signals) {
    signals.add(new Computed<>(TextSignalType.INSTANCE, result.text()));
    for (CanonicalUrl url : result.urls()) {
      signals.add(new Computed<>(UrlSignalType.INSTANCE, url));
    }
    for (PdqSignal image : result.imagePdq()) {
      signals.add(new Computed<>(pdq, image));
    }
  }

  /** Signals of a literal text post: text, the URLs in it, and digests of its UTF-8 bytes. */
  public Result hashText(String text) throws ContentException {
    List<Computed<?>> signals = new ArrayList<>();
    DocumentSignals.Result document = DocumentSignals.ofText(text);
    addTextSignals(document, signals);
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    signals.add(new Computed<Digest>(DigestSignalType.MD5, DigestSignalType.MD5.digest(bytes)));
    signals.add(new Computed<Digest>(DigestSignalType.SHA256, DigestSignalType.SHA256.digest(bytes)));
    return new Result(ContentType.TEXT, List.copyOf(signals), null, text, List.of(), document.query());
  }

  /** The signal of a submitted URL: its canonical form. */
  public Result hashUrl(String url) throws ContentException {
    CanonicalUrl canonical = UrlSignalType.INSTANCE.hash(
        new Content(ContentType.URL, url.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    return new Result(ContentType.URL, List.of(new Computed<>(UrlSignalType.INSTANCE, canonical)), null);
  }

  /**
   * Hashes a video straight from its file, however large: FFmpeg reads the file itself and the
   * digests stream it, so the video never sits in memory whole.
   *
   * @param secondsPerFrame 0 hashes every frame; otherwise one frame per that many seconds
   */
  public Result hashVideoFile(Path file, double secondsPerFrame) throws ContentException {
    VpdqSignal signal = vpdq.hasher().hash(file, secondsPerFrame);
    return new Result(ContentType.VIDEO, List.of(
        new Computed<>(vpdq, signal),
        new Computed<Digest>(DigestSignalType.MD5, DigestSignalType.MD5.digest(file)),
        new Computed<Digest>(DigestSignalType.SHA256, DigestSignalType.SHA256.digest(file))), null);
  }
}
