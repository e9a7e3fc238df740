package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.COORDINATOR;
import static org.countersignal.server.auth.Role.CURATOR;
import static org.countersignal.server.auth.Role.MATCHER;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.countersignal.server.bank.EntryService;
import org.countersignal.server.bank.NewEntry;
import org.countersignal.server.signal.PdqType;
import org.countersignal.server.signal.ServerSignalType;
import org.countersignal.server.fetch.UrlFetcher;
import org.countersignal.server.hashing.HashingPool;
import org.countersignal.server.jobs.Job;
import org.countersignal.server.jobs.JobKind;
import org.countersignal.server.jobs.JobRequest;
import org.countersignal.server.jobs.VideoJobs;
import org.countersignal.server.match.HitParts;
import org.countersignal.server.match.MatchHit;
import org.countersignal.server.action.ActionPipeline;
import org.countersignal.server.discovery.Discovery;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.action.ContentInfo;
import org.countersignal.server.action.Media;
import org.countersignal.server.action.Outcome;
import org.countersignal.server.match.Matcher;
import org.countersignal.server.metrics.ServiceMetrics;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.ContentHasher;
import org.countersignal.signals.ContentType;
import org.countersignal.signals.pdq.Dihedral;
import org.countersignal.signals.pdq.PdqHash;
import org.countersignal.signals.pdq.PdqSignal;
import org.countersignal.signals.vpdq.VpdqSignal;

/**
 * Content in, signals (and matches) out: an uploaded body, a URL the service fetches, or a text
 * post in JSON. An image, a text or a document (PDF, DOCX, HTML) is hashed at once (200); a
 * video becomes a background job (202 with its location), because a long video takes minutes.
 * The content decides which, not the declared type. Content is also banked this way: an image,
 * text or document at once, a video by a job that adds the entry once it is hashed.
 *
 * <p>A document yields its text signal, its digests, the PDQ hashes of its embedded images and
 * the URLs it contains; a match looks each up in the banks of its type. Banking a document banks
 * its text and digests only: its pictures and links are often harmless on their own (a
 * manifesto links to news sites), so they are banked, when they should be, as entries of their own.
 */
final class ContentRoutes {

  /** Enough of the start of a body to recognise its format. */
  private static final int HEAD_BYTES = 4096;
  private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(30);
  private static final double MAX_SECONDS_PER_FRAME = 3600;

  /** Body of the URL routes. */
  record UrlRequest(String url, List<Long> banks, Boolean dihedral, Double secondsPerFrame, ContentInfo content, Boolean record) {}

  /** Body of {@code POST /api/v1/hash/text} and {@code /match/text}. */
  record TextRequest(String text, List<Long> banks, ContentInfo content, Boolean record) {}

  /** Body of {@code POST /api/v1/banks/{id}/entries/text}. */
  record EntryTextRequest(String text, List<String> labels, List<String> entities, String note, String provenance) {}

  /** Body of {@code POST /api/v1/banks/{id}/entries/url}. */
  record EntryUrlRequest(String url, List<String> labels, List<String> entities, String note, String provenance,
      Double secondsPerFrame) {}

  private final Matcher matcher;
  private final EntryService entries;
  private final ContentHasher hasher;
  private final HashingPool hashing;
  private final UrlFetcher fetcher;
  private final VideoJobs jobs;
  private final RequestBodies bodies;
  private final long maxImageBytes;
  private final Path scratch;
  private final ServiceMetrics metrics;
  private final ActionPipeline actions;
  private final HitParts parts;

  private final Discovery discovery;

  ContentRoutes(Matcher matcher, EntryService entries, ContentHasher hasher, HashingPool hashing, UrlFetcher fetcher, VideoJobs jobs,
      RequestBodies bodies, long maxImageBytes, Path scratch, ServiceMetrics metrics, ActionPipeline actions, HitParts parts,
      Discovery discovery) {
    this.parts = parts;
    this.discovery = discovery;
    this.hashing = hashing;
    this.actions = actions;
    this.matcher = matcher;
    this.entries = entries;
    this.hasher = hasher;
    this.fetcher = fetcher;
    this.jobs = jobs;
    this.bodies = bodies;
    this.maxImageBytes = maxImageBytes;
    this.scratch = scratch;
    this.metrics = metrics;
  }

  void register(RoutesConfig routes) {
    routes.post("/api/v1/hash", ctx -> upload(ctx, JobKind.HASH), ADMIN, MATCHER);
    routes.post("/api/v1/match/upload", ctx -> upload(ctx, JobKind.MATCH), ADMIN, MATCHER);
    routes.post("/api/v1/hash/url", ctx -> fromUrl(ctx, JobKind.HASH), ADMIN, MATCHER);
    routes.post("/api/v1/match/url", ctx -> fromUrl(ctx, JobKind.MATCH), ADMIN, MATCHER);
    routes.post("/api/v1/banks/{id}/entries/upload", this::entryFromUpload, ADMIN, CURATOR, COORDINATOR);
    routes.post("/api/v1/banks/{id}/entries/url", this::entryFromUrl, ADMIN, CURATOR, COORDINATOR);
    routes.post("/api/v1/hash/text", ctx -> fromText(ctx, JobKind.HASH), ADMIN, MATCHER);
    routes.post("/api/v1/match/text", ctx -> fromText(ctx, JobKind.MATCH), ADMIN, MATCHER);
    routes.post("/api/v1/banks/{id}/entries/text", this::entryFromText, ADMIN, CURATOR, COORDINATOR);
  }

  /** Lets the bodies of the upload routes, and only those, reach the size of a video. */
  void limitBodies(BodyLimits limits) {
    for (String path : List.of("/api/v1/hash", "/api/v1/match/upload", "/api/v1/banks/{id}/entries/upload")) {
      limits.route("POST", path, maxBodyBytes());
    }
  }

  /** Content types an upload may declare; the bytes decide what it is. */
  private static final List<String> UPLOAD_TYPES = List.of("image/", "video/", "text/", "application/octet-stream",
      "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/xhtml+xml");

  /** The largest body any upload may have: a video. */
  long maxBodyBytes() {
    return Math.max(maxImageBytes, jobs.settings().maxVideoBytes());
  }

  /**
   * An upload's body after the checks that need none of it, its recognised format, and whether
   * its content type declares it UTF-8 (then a text that is not is refused, not guessed at).
   */
  private record Upload(ContentType type, InputStream body, long declared, boolean utf8) {}

  private Upload receive(Context ctx) throws IOException {
    String contentType = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT).strip();
    if (UPLOAD_TYPES.stream().noneMatch(contentType::startsWith)) {
      throw new RequestException(Kind.UNSUPPORTED_MEDIA_TYPE,
          "send the content's bytes with its own content type (image/*, video/*, text/*, application/pdf, the DOCX type)"
              + " or application/octet-stream (got " + (contentType.isEmpty() ? "none" : contentType) + ")");
    }
    long declared = ctx.contentLength();
    if (declared > maxBodyBytes()) {
      throw tooLarge(maxBodyBytes(), "an upload");
    }
    // Declared anything but a video: refused by its size before any of the body is read.
    if (!contentType.startsWith("video/") && !contentType.startsWith("application/octet-stream") && declared > maxImageBytes) {
      throw tooLarge(maxImageBytes, "an image, text or document");
    }
    InputStream body = new BufferedInputStream(ctx.bodyInputStream(), 64 * 1024);
    body.mark(HEAD_BYTES);
    byte[] head = body.readNBytes(HEAD_BYTES);
    body.reset();
    boolean utf8 = contentType.replace(" ", "").contains("charset=utf-8");
    // Bytes that merely look like text are read as text only when declared so (or undeclared):
    // a broken image declared image/png is refused as one, not hashed as a text.
    boolean plainText = contentType.startsWith("text/") || contentType.startsWith("application/octet-stream");
    return new Upload(recognise(head, plainText), body, declared, utf8);
  }

  /** The whole body of an upload hashed at once (an image, a text, a document), within its limit. */
  private byte[] contentBytes(Upload upload) throws IOException {
    if (upload.declared() > maxImageBytes) {
      throw tooLarge(maxImageBytes, "an image, text or document");
    }
    byte[] bytes = wholeWithinLimit(upload.body());
    if (upload.utf8() && upload.type() == ContentType.TEXT) {
      checkUtf8(bytes);
    }
    return bytes;
  }

  /** All of a body that is hashed at once, refused once it passes an image's, text's or document's limit. */
  private byte[] wholeWithinLimit(InputStream body) throws IOException {
    byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxImageBytes + 1));
    if (bytes.length > maxImageBytes) {
      throw tooLarge(maxImageBytes, "an image, text or document");
    }
    return bytes;
  }

  private static void checkUtf8(byte[] bytes) {
    try {
      java.nio.charset.StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes));
    } catch (java.nio.charset.CharacterCodingException e) {
      throw RequestException.invalid("body", "the body is declared UTF-8 (charset=utf-8) but is not valid UTF-8");
    }
  }

  private void upload(Context ctx, JobKind kind) throws IOException {
    Upload upload = receive(ctx);
    List<Long> banks = bankParam(ctx);
    boolean dihedral = Boolean.TRUE.equals(RequestBodies.booleanParam(ctx, "dihedral"));
    ContentInfo content = contentParams(ctx, kindOf(upload.type()));
    boolean record = ActionHits.record(ctx, ActionHits.recordParam(ctx));
    if (upload.type() == ContentType.VIDEO) {
      acceptVideo(ctx, upload.body(), new JobRequest(kind, banks, secondsPerFrame(ctx.queryParam("seconds_per_frame")),
          null, videoContent(content, kind), record && kind == JobKind.MATCH));
    } else {
      byte[] bytes = contentBytes(upload);
      ctx.json(hashed(ctx, hashContent(bytes, dihedral && kind == JobKind.MATCH), kind, banks, content, record, media(bytes)));
    }
  }

  private void fromUrl(Context ctx, JobKind kind) throws IOException {
    UrlRequest request = bodies.json(ctx, UrlRequest.class);
    double secondsPerFrame = request.secondsPerFrame() == null ? 0 : checkedSecondsPerFrame(request.secondsPerFrame());
    boolean record = ActionHits.record(ctx, request.record());
    try (UrlFetcher.Download download = fetcher.open(request.url(), maxBodyBytes(), FETCH_TIMEOUT)) {
      ContentType type = recognise(download.peek(HEAD_BYTES), true);
      if (type == ContentType.VIDEO) {
        // The job fetches the video itself: the caller gets its answer now, not after the download.
        accepted(ctx, jobs.submitUrl(new JobRequest(kind, request.banks(), secondsPerFrame, null,
                videoContent(request.content() == null ? null : request.content().checked("video"), kind),
                record && kind == JobKind.MATCH),
            Authenticator.principal(ctx), download.uri().toString()));
      } else {
        byte[] bytes = download.readAll(maxImageBytes);
        ctx.json(hashed(ctx, hashContent(bytes, Boolean.TRUE.equals(request.dihedral()) && kind == JobKind.MATCH), kind,
            request.banks(), request.content() == null ? null : request.content().checked(kindOf(type)), record, media(bytes)));
      }
    }
  }

  /** A text post given in JSON: hashed (text, its URLs, digests of its UTF-8 bytes) and, for a match, matched. */
  private void fromText(Context ctx, JobKind kind) {
    TextRequest request = bodies.json(ctx, TextRequest.class);
    ContentHasher.Result result = hashText(request.text());
    ctx.json(hashed(ctx, result, kind, request.banks(), request.content() == null ? null : request.content().checked("text"),
        ActionHits.record(ctx, request.record()), null));
  }

  /** Banks a text post given in JSON: its text signal and digests become one entry. */
  private void entryFromText(Context ctx) {
    long bankId = RequestBodies.id(ctx, "id");
    EntryTextRequest request = bodies.json(ctx, EntryTextRequest.class);
    ContentHasher.Result hashed = hashText(request.text());
    bank(ctx, bankId, hashed, new NewEntry(null, request.labels(), request.entities(), request.note(), request.provenance()));
  }

  private ContentHasher.Result hashText(String text) {
    if (text == null) {
      throw RequestException.invalid("text", "is required: the post's text");
    }
    return hash(() -> hasher.hashText(text));
  }

  /**
   * Banks an uploaded image: its PDQ hash and digests become one entry. Labels, entities, note
   * and provenance come as query parameters, since the body is the image.
   */
  private void entryFromUpload(Context ctx) throws IOException {
    long bankId = RequestBodies.id(ctx, "id");
    NewEntry details = new NewEntry(null, listParam(ctx, "labels"), listParam(ctx, "entities"), ctx.queryParam("note"),
        ctx.queryParam("provenance"));
    double secondsPerFrame = secondsPerFrame(ctx.queryParam("seconds_per_frame"));
    Upload upload = receive(ctx);
    if (upload.type() == ContentType.VIDEO) {
      // Checked now, so a bad label is a 422 here rather than a failed job later.
      entries.checkDetails(bankId, details);
      acceptVideo(ctx, upload.body(), bankJob(bankId, secondsPerFrame, details));
      return;
    }
    bank(ctx, bankId, hashContent(contentBytes(upload), false), details);
  }

  /**
   * Content an HMA route was given whole, hashed: the signals banks hold for its kind by type (a
   * video's frames under {@code vpdq} in the reference text format), the frames of a video, and
   * the hashing's result for other content (what banking it keeps beside the signals).
   */
  record Whole(ContentType type, Map<String, String> signals, VpdqSignal video, ContentHasher.Result hashed) {}

  /** How long an HMA route waits for a video's job: HMA answers a video's hashes in the response. */
  private static final Duration VIDEO_WAIT = Duration.ofMinutes(10);

  /**
   * Hashes an upload whose field named its kind: a video by a job this request waits for, other
   * content at once. Refused when the content is not the kind its field names.
   */
  Whole hashWhole(Principal caller, InputStream body, String kind) throws IOException {
    if ("video".equals(kind)) {
      Path spool = spool(body);
      try {
        return waitForVideo(jobs.submitUpload(new JobRequest(JobKind.HASH, List.of(), 0), caller, spool), caller);
      } finally {
        Files.deleteIfExists(spool);
      }
    }
    ContentHasher.Result hashed = hashContent(wholeWithinLimit(body), false);
    if (hashed.contentType() == ContentType.VIDEO) {
      throw RequestException.invalid(kind, "the " + kind + " field holds a video; send it as video");
    }
    return whole(hashed);
  }

  /** What a URL holds, fetched under the rules of {@code /api/v1/hash/url} and hashed: a video by a job this request waits for. */
  Whole hashWhole(Principal caller, String url) throws IOException {
    try (UrlFetcher.Download download = fetcher.open(url, maxBodyBytes(), FETCH_TIMEOUT)) {
      if (recognise(download.peek(HEAD_BYTES), true) == ContentType.VIDEO) {
        return waitForVideo(jobs.submitUrl(new JobRequest(JobKind.HASH, List.of(), 0), caller, download.uri().toString()), caller);
      }
      return whole(hashContent(download.readAll(maxImageBytes), false));
    }
  }

  private Whole whole(ContentHasher.Result hashed) {
    return new Whole(hashed.contentType(), signalTexts(hashed), null, hashed);
  }

  private Whole waitForVideo(Job job, Principal caller) {
    long deadline = System.nanoTime() + VIDEO_WAIT.toNanos();
    Job now = job;
    while (!now.finished()) {
      if (System.nanoTime() > deadline) {
        throw new RequestException(Kind.BUSY, "the video is still being hashed: job " + job.id() + " (GET /api/v1/jobs/" + job.id() + ")")
            .retryAfter(60);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RequestException(Kind.BUSY, "the server is stopping").retryAfter(HashingPool.RETRY_AFTER_SECONDS);
      }
      now = jobs.find(job.id(), caller).orElseThrow();
    }
    if (now.error() != null) {
      throw RequestException.invalid("video", now.error());
    }
    VpdqSignal frames = jobs.frames(job.id(), caller).orElseThrow();
    Map<String, String> signals = new LinkedHashMap<>();
    now.result().path("signals").properties().forEach(signal -> signals.put(signal.getKey(), signal.getValue().asText()));
    signals.put(matcher.catalog().video().name(), org.countersignal.signals.vpdq.VpdqText.format(frames));
    return new Whole(ContentType.VIDEO, signals, frames, null);
  }

  /** The largest body an HMA upload may have: a video's. */
  long maxWholeBytes() {
    return maxBodyBytes();
  }

  /** Banks hashed content as an upload to the bank is banked: the signals its kind keeps, their qualities and locations. */
  org.countersignal.server.bank.Entry bankHashed(Principal actor, long bankId, ContentHasher.Result hashed, NewEntry details) {
    NewEntry entry = new NewEntry(signalTexts(hashed), details.labels(), details.entities(), details.note(), details.provenance());
    return entries.create(actor, bankId, entry, qualities(hashed), locations(hashed));
  }

  /** Banks content an HMA route hashed whole: a video as its frames and digests. */
  org.countersignal.server.bank.Entry bankWhole(Principal actor, long bankId, Whole whole, NewEntry details) {
    if (whole.hashed() != null) {
      return bankHashed(actor, bankId, whole.hashed(), details);
    }
    return entries.create(actor, bankId, new NewEntry(whole.signals(), details.labels(), details.entities(), details.note(),
        details.provenance()));
  }

  /** Adds an entry of the signals the service computed from content that banks hold for its kind. */
  private void bank(Context ctx, long bankId, ContentHasher.Result hashed, NewEntry details) {
    ctx.status(201).json(bankHashed(Authenticator.principal(ctx), bankId, hashed, details));
  }

  private static JobRequest bankJob(long bankId, double secondsPerFrame, NewEntry details) {
    return new JobRequest(JobKind.BANK, List.of(bankId), secondsPerFrame, details);
  }

  /** Banks the image at a URL; the URL it was fetched from is the provenance unless one is given. */
  private void entryFromUrl(Context ctx) throws IOException {
    long bankId = RequestBodies.id(ctx, "id");
    EntryUrlRequest request = bodies.json(ctx, EntryUrlRequest.class);
    double secondsPerFrame = request.secondsPerFrame() == null ? 0 : checkedSecondsPerFrame(request.secondsPerFrame());
    try (UrlFetcher.Download download = fetcher.open(request.url(), maxBodyBytes(), FETCH_TIMEOUT)) {
      String provenance = request.provenance() != null ? request.provenance() : download.uri().toString();
      NewEntry details = new NewEntry(null, request.labels(), request.entities(), request.note(), provenance);
      if (recognise(download.peek(HEAD_BYTES), true) == ContentType.VIDEO) {
        entries.checkDetails(bankId, details);
        accepted(ctx, jobs.submitUrl(bankJob(bankId, secondsPerFrame, details), Authenticator.principal(ctx),
            download.uri().toString()));
      } else {
        bank(ctx, bankId, hashContent(download.readAll(maxImageBytes), false), details);
      }
    }
  }

  /**
   * The catalogue's type of a computed signal when banks hold it for this kind of content (an
   * image's PDQ hash, a document's text), else null: a document's pictures and links are looked up
   * but not banked with it.
   */
  private ServerSignalType bankedType(ContentHasher.Result result, ContentHasher.Computed<?> computed) {
    ServerSignalType type = matchedType(computed);
    return type != null && type.hashedFrom().contains(result.contentType()) ? type : null;
  }

  /** The catalogue's type of a computed signal looked up value by value, or null. */
  private ServerSignalType matchedType(ContentHasher.Computed<?> computed) {
    return matcher.catalog().find(computed.type().name()).filter(ServerSignalType::matchedByValue).orElse(null);
  }

  /** The signals an entry stores (an image's PDQ hash, a text's signal, and the digests), as text. */
  Map<String, String> signalTexts(ContentHasher.Result result) {
    Map<String, String> signals = new LinkedHashMap<>();
    for (ContentHasher.Computed<?> computed : result.signals()) {
      if (bankedType(result, computed) != null) {
        signals.put(computed.type().name(), computed.text());
      }
    }
    return signals;
  }

  /** Where the parts of each banked value lie in the content, for types that can say (a text's words and pages). */
  private Map<String, String> locations(ContentHasher.Result result) {
    Map<String, String> locations = new LinkedHashMap<>();
    for (ContentHasher.Computed<?> computed : result.signals()) {
      ServerSignalType type = bankedType(result, computed);
      String located = type == null ? null : type.locations(computed.value(), result.text(), result.pageStarts());
      if (located != null) {
        locations.put(type.name(), located);
      }
    }
    return locations;
  }

  /** The quality of each computed signal that has one, which the bank's floor is checked against. */
  private Map<String, Integer> qualities(ContentHasher.Result result) {
    Map<String, Integer> qualities = new LinkedHashMap<>();
    for (ContentHasher.Computed<?> computed : result.signals()) {
      ServerSignalType type = bankedType(result, computed);
      if (type != null && type.quality(computed.value()) >= 0) {
        qualities.put(type.name(), type.quality(computed.value()));
      }
    }
    return qualities;
  }

  /** {@code ?labels=a,b}: a comma-separated list, or null when absent. */
  private static List<String> listParam(Context ctx, String name) {
    String text = ctx.queryParam(name);
    if (text == null || text.isBlank()) {
      return null;
    }
    return java.util.Arrays.stream(text.split(",")).map(String::strip).filter(part -> !part.isEmpty()).toList();
  }

  private static ContentType recognise(byte[] head, boolean plainText) {
    try {
      return ContentHasher.detect(head, plainText);
    } catch (ContentException e) {
      throw unreadable();
    }
  }

  private static RequestException unreadable() {
    return new RequestException(Kind.UNSUPPORTED_MEDIA_TYPE,
        "the content is not something this service can read (images: JPEG, PNG, GIF, BMP, WebP, TIFF;"
            + " videos: MP4, MOV, MKV, WebM, AVI, FLV, MPEG; documents: PDF, DOCX, HTML; plain text in UTF-8 or UTF-16)");
  }

  /** The word a submission of this content is, when the caller does not say. */
  private static String kindOf(ContentType type) {
    return switch (type) {
      case PHOTO -> ContentInfo.PHOTO;
      case VIDEO -> "video";
      default -> "text";
    };
  }

  /** An image kept with a submission so reviewers can see it; texts and documents are reviewed by their hits' excerpts. */
  private static Media media(byte[] bytes) {
    String type = ActionHits.imageType(bytes);
    return type.startsWith("image/") ? new Media(bytes, type) : null;
  }

  private static RequestException tooLarge(long limit, String what) {
    return new RequestException(Kind.TOO_LARGE, what + " may have at most " + limit + " bytes");
  }

  private static void accepted(Context ctx, Job job) {
    ctx.status(202).header("Location", "/api/v1/jobs/" + job.id()).json(job);
  }

  /** Queues a job on an uploaded video: stored with the job, then its scratch copy is gone. */
  private void acceptVideo(Context ctx, InputStream body, JobRequest request) throws IOException {
    Path spool = spool(body);
    try {
      accepted(ctx, jobs.submitUpload(request, Authenticator.principal(ctx), spool));
    } finally {
      Files.deleteIfExists(spool);
    }
  }

  /** Writes a video body to a scratch file, refusing it once it passes the video limit. */
  private Path spool(InputStream body) throws IOException {
    Files.createDirectories(scratch);
    Path file = Files.createTempFile(scratch, "upload-", ".video");
    long limit = jobs.settings().maxVideoBytes();
    try (OutputStream out = Files.newOutputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      for (int n; (n = body.read(buffer)) >= 0; ) {
        total += n;
        if (total > limit) {
          throw tooLarge(limit, "a video");
        }
        out.write(buffer, 0, n);
      }
      return file;
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /**
   * The signals of hashed content and, for a match, its hits. An image hashed with its variants
   * (asked for with {@code dihedral}) has the PDQ hashes of all eight rotations and mirrors matched
   * (from one decode), and each PDQ hit says which variant matched, so a flipped or rotated
   * re-upload is found.
   */
  private Map<String, Object> hashed(Context ctx, ContentHasher.Result result, JobKind kind, List<Long> banks, ContentInfo content,
      boolean record, Media media) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("content_type", kindOf(result.contentType()));
    putSignals(out, result);
    if (JobKind.MATCH.equals(kind)) {
      List<Matcher.Query> queries = queries(result);
      Matcher.Found found = matcher.match(queries, banks);
      List<MatchHit> hits = parts.described(found.hits(), result);
      metrics.matched(queries, hits);
      out.put("matches", hits);
      out.put("truncated", found.truncated());
      if (!found.cancelled().isEmpty()) {
        out.put("cancelled", found.cancelled());
      }
      Outcome outcome = ActionHits.submit(actions, matcher.catalog(), ctx, content, record, queries, false, hits, media, discovery);
      if (outcome != null) {
        out.put("submission", outcome);
      }
    }
    return out;
  }

  /** Content details for a video job: only a match acts on them; the type defaults to video. */
  private static ContentInfo videoContent(ContentInfo content, JobKind kind) {
    if (content == null || !JobKind.MATCH.equals(kind)) {
      return null;
    }
    return ContentInfo.PHOTO.equals(content.type())
        ? new ContentInfo(content.id(), content.account(), content.amplifies(), "video", content.context(), content.accountAttributes())
        : content;
  }

  /**
   * Content details given with an upload, as query parameters ({@code content_id}, {@code account},
   * {@code amplifies}, {@code content_type}, {@code context}, {@code account_attributes}, repeated or
   * comma-separated); null when none is given. {@code detected}: what the content is when the
   * caller does not say.
   */
  private static ContentInfo contentParams(Context ctx, String detected) {
    String id = ctx.queryParam("content_id");
    String account = ctx.queryParam("account");
    String amplifies = ctx.queryParam("amplifies");
    String type = ctx.queryParam("content_type");
    String context = ctx.queryParam("context");
    List<String> attributes = new ArrayList<>();
    for (String given : ctx.queryParams("account_attributes")) {
      for (String attribute : given.split(",")) {
        if (!attribute.isBlank()) {
          attributes.add(attribute);
        }
      }
    }
    if (id == null && account == null && amplifies == null && type == null && context == null && attributes.isEmpty()) {
      return null;
    }
    return new ContentInfo(id, account, amplifies, type, context, attributes.isEmpty() ? null : attributes).checked(detected);
  }

  /**
   * The PDQ hash and quality of the image in the body (a livestream's frame the platform sent as
   * a picture), hashed on the hashing pool within an image's limit.
   */
  PdqSignal framePdq(Context ctx) throws IOException {
    Upload upload = receive(ctx);
    if (upload.type() != ContentType.PHOTO) {
      throw new RequestException(Kind.UNSUPPORTED_MEDIA_TYPE, "a frame is a picture (JPEG, PNG, WebP, GIF or BMP)");
    }
    ContentHasher.Result hashed = hashContent(contentBytes(upload), false);
    return hashed.signals().stream().map(ContentHasher.Computed::value).filter(PdqSignal.class::isInstance).map(PdqSignal.class::cast)
        .findFirst().orElseThrow(() -> new IllegalStateException("an image hashed without a PDQ hash"));
  }

  /** Hashes an image, a text or a document; the image's PDQ variants too when asked. */
  private ContentHasher.Result hashContent(byte[] bytes, boolean variants) {
    return hash(() -> hasher.hash(bytes, variants));
  }

  /** Runs a hashing task on the hashing pool, its failures as problem details. */
  private ContentHasher.Result hash(java.util.concurrent.Callable<ContentHasher.Result> task) {
    try {
      return hashing.run(task);
    } catch (InterruptedException e) {
      throw new RequestException(Kind.BUSY, "the server is stopping").retryAfter(HashingPool.RETRY_AFTER_SECONDS);
    } catch (ContentException e) {
      if (e.reason() == ContentException.Reason.UNSUPPORTED_FORMAT) {
        throw new RequestException(Kind.UNSUPPORTED_MEDIA_TYPE, "the body is not content this service can read: " + e.getMessage());
      }
      throw new RequestException(Kind.INVALID, "body", "the content could not be hashed (" + e.reason() + "): " + e.getMessage());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("hashing content failed", e);
    }
  }

  /**
   * The content's signals to look up, each with its quality and what its type searches with
   * beyond the value (a text's query chunks). With variants, an image's PDQ hash is looked up as
   * its eight variants (the identity among them), each named by the transform of a banked image
   * the upload is when it matches.
   */
  List<Matcher.Query> queries(ContentHasher.Result result) {
    List<Matcher.Query> list = new ArrayList<>();
    for (ContentHasher.Computed<?> computed : result.signals()) {
      ServerSignalType type = matchedType(computed);
      if (type == null) {
        continue;
      }
      int quality = type.quality(computed.value());
      if (computed.value() instanceof PdqSignal && result.pdqVariants() != null) {
        for (Map.Entry<Dihedral, PdqHash> variant : result.pdqVariants().entrySet()) {
          list.add(new Matcher.Query(type.name(), variant.getValue().toHex(), PdqType.variantName(variant.getKey()), quality));
        }
      } else {
        list.add(new Matcher.Query(type.name(), computed.text(), null, quality, type.probe(computed.value(), result)));
      }
    }
    return list;
  }

  /**
   * The image's signals as a request takes them, each type to its text, and beside them what the
   * types know of their values, fact by fact ({@code "quality": {"pdq": 87}}): a caller can post
   * {@code signals} unchanged to a match or a bank entry.
   */
  private void putSignals(Map<String, Object> out, ContentHasher.Result result) {
    Map<String, Object> signals = new LinkedHashMap<>();
    Map<String, Map<String, Object>> facts = new LinkedHashMap<>();
    for (ContentHasher.Computed<?> computed : result.signals()) {
      String name = computed.type().name();
      // A document may have several values of a type (its pictures' PDQ hashes, its links): a list.
      signals.merge(name, computed.text(), ContentRoutes::listed);
      matcher.catalog().find(name).ifPresent(type -> type.facts(computed.value())
          .forEach((fact, value) -> facts.computeIfAbsent(fact, f -> new LinkedHashMap<>()).merge(name, value, ContentRoutes::listed)));
    }
    out.put("signals", signals);
    out.putAll(facts);
  }

  private static Object listed(Object first, Object next) {
    List<Object> values = first instanceof List<?> list ? new ArrayList<>(list) : new ArrayList<>(List.of(first));
    values.add(next);
    return values;
  }

  /** {@code ?banks=1,2} on upload calls, whose body is the content. */
  private static List<Long> bankParam(Context ctx) {
    String text = ctx.queryParam("banks");
    if (text == null || text.isBlank()) {
      return null;
    }
    List<Long> ids = new ArrayList<>();
    for (String part : text.split(",")) {
      try {
        ids.add(Long.parseLong(part.strip()));
      } catch (NumberFormatException e) {
        throw new RequestException(Kind.MALFORMED, "banks", "query parameter 'banks' is a comma-separated list of bank ids");
      }
    }
    return ids;
  }

  private static double secondsPerFrame(String text) {
    if (text == null || text.isBlank()) {
      return 0;
    }
    try {
      return checkedSecondsPerFrame(Double.parseDouble(text.strip()));
    } catch (NumberFormatException e) {
      throw new RequestException(Kind.MALFORMED, "seconds_per_frame", "query parameter 'seconds_per_frame' must be a number");
    }
  }

  private static double checkedSecondsPerFrame(double value) {
    if (!(value >= 0 && value <= MAX_SECONDS_PER_FRAME)) {
      throw new RequestException(Kind.MALFORMED, "seconds_per_frame",
          "seconds_per_frame must be from 0 (every frame) to " + (int) MAX_SECONDS_PER_FRAME);
    }
    return value;
  }
}
