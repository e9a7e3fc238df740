package org.countersignal.server.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.countersignal.server.RequestException;
import org.countersignal.server.action.ActionPipeline;
import org.countersignal.server.action.ContentInfo;
import org.countersignal.server.action.Outcome;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.auth.Role;
import org.countersignal.server.bank.Entry;
import org.countersignal.server.bank.EntryService;
import org.countersignal.server.bank.NewEntry;
import org.countersignal.server.signal.PdqType;
import org.countersignal.server.fetch.UrlFetcher;
import org.countersignal.server.match.MatchHit;
import org.countersignal.server.match.Matcher;
import org.countersignal.server.match.VideoHit;
import org.countersignal.server.store.JsonText;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.ContentHasher;
import org.countersignal.signals.ContentType;
import org.countersignal.signals.vpdq.VpdqBinary;
import org.countersignal.signals.vpdq.VpdqFrame;
import org.countersignal.signals.vpdq.VpdqSignal;
import org.countersignal.signals.vpdq.VpdqText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Does one video job: gets the video (from the stored upload or its URL) into a temporary file,
 * hashes it with vPDQ, and for a match job looks its frames up in the image banks and its digests
 * in every bank. A video the service cannot read fails the job for good; anything else (the
 * database away, indexes still loading) is thrown so the scheduler tries again later.
 */
final class VideoJobRunner {

  private static final Logger LOG = LoggerFactory.getLogger(VideoJobRunner.class);
  private final JobStore store;
  private final UrlFetcher fetcher;
  private final ContentHasher hasher;
  private final Matcher matcher;
  private final EntryService entries;
  private final JobSettings settings;
  private final Path scratch;
  private final ActionPipeline actions;
  private volatile org.countersignal.server.discovery.Discovery discovery;

  /** Where a video that matched nothing leaves its frames for variant discovery. */
  void rememberUnmatchedIn(org.countersignal.server.discovery.Discovery discovery) {
    this.discovery = discovery;
  }

  VideoJobRunner(JobStore store, UrlFetcher fetcher, ContentHasher hasher, Matcher matcher, EntryService entries,
      JobSettings settings, Path scratch, ActionPipeline actions) {
    this.actions = actions;
    this.entries = entries;
    this.store = store;
    this.fetcher = fetcher;
    this.hasher = hasher;
    this.matcher = matcher;
    this.settings = settings;
    this.scratch = scratch;
  }

  void run(long id) {
    JobStore.Row row = store.find(id).orElse(null);
    if (row == null || !store.markRunning(id)) {
      return; // deleted, or finished by an earlier execution
    }
    Path video = null;
    try {
      Files.createDirectories(scratch);
      video = Files.createTempFile(scratch, "job-" + id + "-", ".video");
      if (row.sourceUrl() != null) {
        download(row.sourceUrl(), video);
      } else if (!store.copyContent(id, video)) {
        store.fail(id, "the uploaded video is no longer stored");
        return;
      }
      requireVideo(video);
      JobRequest request = JobStore.request(row);
      ContentHasher.Result hashed = hasher.hashVideoFile(video, request.secondsPerFrame());
      VpdqSignal vpdq = (VpdqSignal) hashed.signals().getFirst().value();
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("content_type", "video");
      result.put("signals", signals(hashed));
      result.put("video", summary(vpdq));
      if (request.kind() == JobKind.MATCH) {
        Matched matched = match(hashed, vpdq, request);
        result.put("matches", matched.shown());
        result.put("truncated", matched.truncated());
        if (!matched.cancelled().isEmpty()) {
          result.put("cancelled", matched.cancelled());
        }
        // As for any lookup: recorded when the platform described the video or asked for it.
        Outcome outcome = null;
        if (request.content() != null || (request.record() && !matched.actionable().isEmpty())) {
          ContentInfo content = request.content() != null ? request.content() : new ContentInfo(null, null, null, "video").checked("video");
          outcome = actions.submit(new Principal(row.keyId(), Role.MATCHER), content, digests(hashed), matched.actionable(), null);
          result.put("submission", outcome);
        }
        if (discovery != null && matched.actionable().isEmpty() && (request.content() != null || request.record())) {
          discovery.rememberVideo(vpdq, request.content() == null ? null : request.content().id(),
              request.content() == null ? null : request.content().account(), outcome == null ? null : outcome.submissionId());
        }
      } else if (request.kind() == JobKind.BANK) {
        result.put("entry", bank(hashed, vpdq, request, row.keyId()));
      }
      store.succeed(id, JsonText.write(result), VpdqBinary.encode(vpdq));
      LOG.info("Video job {} done: {} frames hashed", id, vpdq.frames().size());
    } catch (ContentException e) {
      store.fail(id, "the video could not be hashed (" + e.reason() + "): " + e.getMessage());
    } catch (RequestException e) {
      if (e.kind() == RequestException.Kind.NOT_READY) {
        throw e;
      }
      store.fail(id, e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("video job " + id + ": scratch file failed", e);
    } finally {
      if (video != null) {
        try {
          Files.deleteIfExists(video);
        } catch (IOException e) {
          LOG.warn("Could not delete {}", video, e);
        }
      }
    }
  }

  private void download(String url, Path file) throws IOException {
    try (UrlFetcher.Download download = fetcher.open(url, settings.maxVideoBytes(), settings.fetchTimeout());
        OutputStream out = Files.newOutputStream(file)) {
      download.copyTo(out);
    }
  }

  private static void requireVideo(Path file) throws IOException, ContentException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(4096);
    }
    if (ContentHasher.detect(head) != ContentType.VIDEO) {
      throw new ContentException(ContentException.Reason.UNSUPPORTED_FORMAT, "the content is not a video this service can read");
    }
  }

  /**
   * The video's signals as a request takes them: its digests. Its vpdq signal is left out: what a
   * match or an entry takes as vpdq is the frames' text, served at the job's {@code frames_url}
   * (too long for a result), and the SHA-256 a banked video shows as its vpdq signal is its
   * identity, which no request takes back.
   */
  private static Map<String, Object> signals(ContentHasher.Result hashed) {
    Map<String, Object> signals = new LinkedHashMap<>();
    for (ContentHasher.Computed<?> computed : hashed.signals()) {
      if (!(computed.value() instanceof VpdqSignal)) {
        signals.put(computed.type().name(), computed.text());
      }
    }
    return signals;
  }

  /** What the hashing found of the video, beside its signals. */
  private static Map<String, Object> summary(VpdqSignal vpdq) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("frames", vpdq.frames().size());
    summary.put("distinct_frames", vpdq.frames().stream().map(VpdqFrame::hash).distinct().count());
    summary.put("seconds", vpdq.lastFrameSeconds());
    return summary;
  }

  /**
   * Each distinct good frame is looked up once; hits are then grouped per bank entry with the
   * stretches of the video they cover. Digest hits (the very same file was banked) come first.
   */
  /** What a match job shows the caller, and the hits rules act on (one per frame-matched entry, its closest frame). */
  /** {@code cancelled}: the hits negative banks cancelled, digests', frames' and the video's. */
  private record Matched(List<Object> shown, List<MatchHit> actionable, boolean truncated, List<Object> cancelled) {}

  /**
   * The video's signals looked up value by value (its digests), by type; its frames are looked up
   * as the images they are, and the video as a whole.
   */
  private Map<String, String> byValue(ContentHasher.Result hashed) {
    Map<String, String> signals = new LinkedHashMap<>();
    for (ContentHasher.Computed<?> computed : hashed.signals()) {
      matcher.catalog().find(computed.type().name())
          .filter(type -> type.matchedByValue() && type.hashedFrom().contains(hashed.contentType()))
          .ifPresent(type -> signals.put(type.name(), computed.text()));
    }
    return signals;
  }

  private Map<String, List<String>> digests(ContentHasher.Result hashed) {
    Map<String, List<String>> signals = new LinkedHashMap<>();
    byValue(hashed).forEach((type, text) -> signals.put(type, List.of(text)));
    return signals;
  }

  private Matched match(ContentHasher.Result hashed, VpdqSignal vpdq, JobRequest request) {
    // Every frame is looked up with its quality (the best of the frames sharing its hash), and
    // each bank's PDQ quality floor keeps the flat and nearly flat ones from matching.
    Map<String, List<VpdqFrame>> framesByHash = new LinkedHashMap<>();
    Map<String, Integer> qualityByHash = new LinkedHashMap<>();
    for (VpdqFrame frame : vpdq.frames()) {
      framesByHash.computeIfAbsent(frame.hash().toHex(), h -> new ArrayList<>()).add(frame);
      qualityByHash.merge(frame.hash().toHex(), frame.quality(), Math::max);
    }
    List<Matcher.Query> digests = new ArrayList<>();
    byValue(hashed).forEach((type, text) -> digests.add(new Matcher.Query(type, text)));
    // Caps as for any match: the digests' hits, the entries found in frames and the video's own
    // hits share the response's cap; the frame hits, one lookup per distinct frame, share the
    // batch's before they are grouped per entry.
    int cap = matcher.limits().perResponse();
    Matcher.Found digestHits = matcher.match(digests, request.banks());
    boolean truncated = digestHits.truncated();
    List<Object> matches = new ArrayList<>(digestHits.hits());
    List<MatchHit> actionable = new ArrayList<>(digestHits.hits());
    List<Object> cancelled = new ArrayList<>(digestHits.cancelled());
    List<Matcher.Query> frames = qualityByHash.entrySet().stream()
        .map(h -> new Matcher.Query(PdqType.NAME, h.getKey(), h.getValue())).toList();
    Matcher.Found frameHits = matcher.match(frames, request.banks(), matcher.limits().perBatch());
    truncated |= frameHits.truncated();
    cancelled.addAll(frameHits.cancelled());
    // A gap of more than a second or two sampled frames ends a segment.
    double gap = Math.max(1.0, 2 * request.secondsPerFrame());
    List<FrameMatches.VideoHit> found = FrameMatches.group(frameHits.hits(), framesByHash, gap);
    int room = Math.max(0, cap - matches.size());
    if (found.size() > room) {
      found = found.subList(0, room);
      truncated = true;
    }
    matches.addAll(found);
    Set<Long> shown = new HashSet<>();
    found.forEach(hit -> shown.add(hit.entryId()));
    Map<Long, MatchHit> closestFrame = new LinkedHashMap<>();
    for (MatchHit hit : frameHits.hits()) {
      if (shown.contains(hit.entryId())) {
        closestFrame.merge(hit.entryId(), hit, (a, b) -> b.distance() < a.distance() ? b : a);
      }
    }
    actionable.addAll(closestFrame.values());
    Matcher.FoundVideos videos = matcher.matchVideo(vpdq, request.banks(), Math.max(0, cap - matches.size()));
    truncated |= videos.truncated();
    cancelled.addAll(videos.cancelled());
    for (VideoHit hit : videos.hits()) {
      matches.add(hit);
      actionable.add(ActionPipeline.ruleHit(hit));
    }
    return new Matched(matches, actionable, truncated, cancelled);
  }

  /** Adds the video to the bank as an entry: its frames and its digests, with the caller's details. */
  private Entry bank(ContentHasher.Result hashed, VpdqSignal vpdq, JobRequest request, long keyId) {
    Map<String, String> signals = new LinkedHashMap<>();
    signals.put(matcher.catalog().video().name(), VpdqText.format(vpdq));
    signals.putAll(byValue(hashed));
    NewEntry details = request.entry();
    // The key that asked for the job is the entry's author in the audit log.
    Principal author = new Principal(keyId, Role.CURATOR);
    return entries.create(author, request.banks().getFirst(),
        new NewEntry(signals, details.labels(), details.entities(), details.note(), details.provenance()));
  }
}
