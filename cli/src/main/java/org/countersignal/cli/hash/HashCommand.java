package org.countersignal.cli.hash;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.ContentException.Reason;
import org.countersignal.signals.ContentHasher;
import org.countersignal.signals.image.ImageDecoder;
import org.countersignal.signals.ContentType;
import org.countersignal.signals.document.DocumentLimits;
import org.countersignal.signals.pdq.PdqSignal;
import org.countersignal.signals.text.TextSignal;
import org.countersignal.signals.url.CanonicalUrl;
import org.countersignal.signals.vpdq.VideoFormat;
import org.countersignal.signals.vpdq.VideoLimits;
import org.countersignal.signals.vpdq.VpdqFrame;
import org.countersignal.signals.vpdq.VpdqSignal;
import org.countersignal.signals.vpdq.VpdqText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code countersignal hash}: one JSON line per file, in the order the files were named (folders
 * walked in sorted order), hashed on all cores.
 */
@Command(
    name = "hash",
    mixinStandardHelpOptions = true,
    description = {
        "Computes the signals of files:",
        "  images: PDQ (with quality), MD5, SHA-256;",
        "  videos: vPDQ (PDQ of every frame), MD5, SHA-256;",
        "  documents (PDF, DOCX, HTML): text, its URLs, PDQ of embedded images, MD5, SHA-256.",
        "With --text or --url, the signals of a literal text post or URL instead of files.",
        "Prints one JSON object per file on stdout; a file that cannot be hashed gets an",
        "\"error\" field instead of \"signals\". Exit code 0 if all files hashed, 2 otherwise."
    })
public final class HashCommand implements Callable<Integer> {

  /** Files over this size are refused before being read into memory. */
  static final long DEFAULT_MAX_FILE_BYTES = 256L * 1024 * 1024;

  @Parameters(arity = "0..*", paramLabel = "PATH", description = "Files or folders (walked recursively).")
  List<Path> paths = List.of();

  @Option(names = "--text", paramLabel = "STRING",
      description = "Hash this literal text (repeatable): text signal, URLs in it, MD5 and SHA-256 of its UTF-8.")
  List<String> texts = List.of();

  @Option(names = "--url", paramLabel = "URL", description = "Hash this URL (repeatable): its canonical form.")
  List<String> urls = List.of();

  @Option(names = "--plain-text",
      description = "Hash files that are no image, video or document format as plain text.")
  boolean plainText;

  @Option(names = "--dihedral", description = "Also print the PDQ hash of each of the 8 rotations and mirrors.")
  boolean dihedral;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores, ${DEFAULT-VALUE}).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--max-pixels", paramLabel = "N",
      description = "Refuse images declaring more pixels than this (default ${DEFAULT-VALUE}).")
  long maxPixels = ImageDecoder.DEFAULT_MAX_PIXELS;

  @Option(names = "--max-file-size", paramLabel = "BYTES",
      description = "Refuse files larger than this (default ${DEFAULT-VALUE}).")
  long maxFileBytes = DEFAULT_MAX_FILE_BYTES;

  @Option(names = "--frames", paramLabel = "PATH",
      description = "Write each video's frame hashes (frame,quality,pdq,seconds per line) to PATH, "
          + "or, when PATH is a folder, to PATH/NAME.vpdq.txt for each video.")
  Path frames;

  @Option(names = "--seconds-per-frame", paramLabel = "S",
      description = "Hash one video frame every S seconds instead of every frame (default: every frame).")
  double secondsPerFrame;

  @Option(names = "--max-video-seconds", paramLabel = "S",
      description = "Refuse videos longer than this (default ${DEFAULT-VALUE}).")
  double maxVideoSeconds = VideoLimits.DEFAULT.maxSeconds();

  @Spec
  CommandSpec spec;

  private final ObjectMapper json = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    if (threads < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1");
    }
    if (secondsPerFrame < 0 || maxVideoSeconds <= 0) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--seconds-per-frame must not be negative and --max-video-seconds must be positive");
    }
    VideoLimits videoLimits = new VideoLimits(
        maxVideoSeconds, VideoLimits.DEFAULT.maxFramePixels(), VideoLimits.DEFAULT.maxFrames());
    if (paths.isEmpty() && texts.isEmpty() && urls.isEmpty()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give files, --text or --url");
    }
    ContentHasher hasher = new ContentHasher(new ImageDecoder(maxPixels), videoLimits, DocumentLimits.DEFAULT, plainText);
    PrintWriter out = spec.commandLine().getOut();
    boolean allHashed = true;
    for (String text : texts) {
      allHashed &= printNow(out, hashLiteral(() -> hasher.hashText(text), "text", text));
    }
    for (String url : urls) {
      allHashed &= printNow(out, hashLiteral(() -> hasher.hashUrl(url), "url", url));
    }
    // A bounded window of in-flight files keeps output in input order and memory flat.
    Deque<Future<ObjectNode>> window = new ArrayDeque<>();
    int windowSize = threads * 4;
    try (ExecutorService pool = Executors.newFixedThreadPool(threads);
        Stream<Path> files = expand(paths)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        window.add(pool.submit(() -> hashOne(hasher, file)));
        if (window.size() >= windowSize) {
          allHashed &= print(out, window.poll());
        }
      }
      while (!window.isEmpty()) {
        allHashed &= print(out, window.poll());
      }
    }
    out.flush();
    return allHashed ? 0 : 2;
  }

  private boolean print(PrintWriter out, Future<ObjectNode> pending) throws InterruptedException, IOException {
    ObjectNode line;
    try {
      line = pending.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("hashing failed unexpectedly", e.getCause());
    }
    out.println(json.writeValueAsString(line));
    return !line.has("error");
  }

  private boolean printNow(PrintWriter out, ObjectNode line) throws IOException {
    out.println(json.writeValueAsString(line));
    return !line.has("error");
  }

  private interface LiteralHash {
    ContentHasher.Result hash() throws ContentException;
  }

  /** A line for a literal text or URL: the input stands where a file's path would. */
  private ObjectNode hashLiteral(LiteralHash hash, String field, String input) {
    ObjectNode line = json.createObjectNode();
    line.put(field, input);
    try {
      ContentHasher.Result result = hash.hash();
      line.put("content_type", result.contentType().wireName());
      putSignals(line, result, null);
    } catch (ContentException e) {
      line.put("error", e.getMessage());
      line.put("reason", e.reason().name().toLowerCase(java.util.Locale.ROOT));
    }
    return line;
  }

  /**
   * The signals as the server's requests take them, each type to its text, or to a list of texts
   * where content holds several (a document's URLs and embedded images, any text's URLs); and beside
   * them what is known of each value, fact by fact and keyed by type as the server answers
   * ({@code "quality": {"pdq": 87}}, a list parallel to a list of values). A video's frames are no
   * text to print: its {@code video} summary stands beside the signals, the frames go to
   * {@code --frames}.
   */
  private void putSignals(ObjectNode line, ContentHasher.Result result, Path file) throws ContentException {
    ObjectNode signals = line.putObject("signals");
    boolean document = result.contentType() == ContentType.DOCUMENT;
    for (ContentHasher.Computed<?> signal : result.signals()) {
      String type = signal.type().name();
      switch (signal.value()) {
        case VpdqSignal video -> {
          summarise(line.putObject("video"), video);
          writeFrames(file, video);
        }
        case PdqSignal pdq when document -> {
          listed(signals, type).add(signal.text());
          listed(fact(line, "quality"), type).add(pdq.quality());
        }
        case PdqSignal pdq -> {
          signals.put(type, signal.text());
          fact(line, "quality").put(type, pdq.quality());
        }
        case CanonicalUrl url -> {
          listed(signals, type).add(signal.text());
          listed(fact(line, "shortener"), type).add(url.shortener());
        }
        case TextSignal text -> {
          signals.put(type, signal.text());
          fact(line, "exact").put(type, text.exactHex());
          fact(line, "words").put(type, text.words());
          fact(line, "chunks").put(type, text.chunks().size());
        }
        default -> signals.put(type, signal.text());
      }
    }
  }

  private static ObjectNode fact(ObjectNode line, String name) {
    return line.has(name) ? (ObjectNode) line.get(name) : line.putObject(name);
  }

  private static ArrayNode listed(ObjectNode node, String type) {
    return node.has(type) ? (ArrayNode) node.get(type) : node.putArray(type);
  }

  /** Named files as given, folders expanded to their regular files in sorted order. */
  private static Stream<Path> expand(List<Path> paths) {
    return paths.stream().flatMap(path -> {
      if (!Files.isDirectory(path)) {
        return Stream.of(path);
      }
      try {
        return Files.walk(path).filter(Files::isRegularFile).sorted();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private ObjectNode hashOne(ContentHasher hasher, Path file) {
    ObjectNode line = json.createObjectNode();
    line.put("path", file.toString());
    try {
      ContentHasher.Result result = isVideo(file)
          ? hasher.hashVideoFile(file, secondsPerFrame)
          : hasher.hash(read(file), dihedral);
      line.put("content_type", result.contentType().wireName());
      putSignals(line, result, file);
      if (result.pdqVariants() != null) {
        ObjectNode variants = line.putObject("pdq_dihedral");
        result.pdqVariants().forEach((symmetry, hash) -> variants.put(symmetry.wireName(), hash.toHex()));
      }
    } catch (ContentException e) {
      line.put("error", e.getMessage());
      line.put("reason", e.reason().name().toLowerCase(java.util.Locale.ROOT));
    }
    return line;
  }

  /** A video's frame count, good-quality and distinct frames, and length, for the JSON line. */
  private static void summarise(ObjectNode node, VpdqSignal video) {
    long good = video.frames().stream().filter(f -> f.quality() >= PdqSignal.MATCHING_QUALITY).count();
    long distinct = video.frames().stream().map(VpdqFrame::hash).distinct().count();
    node.put("frames", video.frames().size())
        .put("frames_quality_50", good)
        .put("distinct_frames", distinct)
        .put("seconds", Math.round(video.lastFrameSeconds() * 1000) / 1000.0);
  }

  private void writeFrames(Path video, VpdqSignal signal) throws ContentException {
    if (frames == null) {
      return;
    }
    Path target = Files.isDirectory(frames) ? frames.resolve(video.getFileName() + ".vpdq.txt") : frames;
    try {
      Files.writeString(target, VpdqText.format(signal));
    } catch (IOException e) {
      throw new ContentException(Reason.UNREADABLE, "cannot write the frame list to " + target + ": " + e.getMessage(), e);
    }
  }

  /** Videos are streamed from their files, never read whole; a peek at the header tells. */
  private static boolean isVideo(Path file) {
    byte[] header = new byte[1024];
    try (java.io.InputStream in = Files.newInputStream(file)) {
      int n = in.readNBytes(header, 0, header.length);
      return VideoFormat.looksLikeVideo(java.util.Arrays.copyOf(header, n));
    } catch (IOException e) {
      return false;
    }
  }

  private byte[] read(Path file) throws ContentException {
    try {
      long size = Files.size(file);
      if (size > maxFileBytes) {
        throw new ContentException(Reason.TOO_LARGE,
            String.format("file is %,d bytes, over the limit of %,d", size, maxFileBytes));
      }
      return Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ContentException(Reason.UNREADABLE, "no such file", e);
    } catch (IOException e) {
      throw new ContentException(Reason.UNREADABLE, "cannot read: " + e.getMessage(), e);
    }
  }
}
