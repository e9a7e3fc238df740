package org.countersignal.signals.text;

import static org.countersignal.signals.text.MinHashParameters.BANDS;
import static org.countersignal.signals.text.MinHashParameters.ROWS;
import static org.countersignal.signals.text.MinHashParameters.SLOTS;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Near-duplicate index of text signals: MinHash sketches bucketed by LSH banding
 * ({@link MinHashParameters#BANDS} bands of {@link MinHashParameters#ROWS} slots), so a lookup
 * touches only the chunks that share at least one whole band with a query chunk, whatever the
 * number of banked documents. Candidates are then verified on the full sketch against the
 * threshold. Exact matches of the normalised text are found by its digest ({@link ExactTexts}).
 *
 * <p>Memory: per chunk, 16 band entries of 8 bytes in a {@link BandTable} (at 60–75 % load, about
 * 190 bytes), its 128-byte sketch for verification and its document's number; per document, 44
 * bytes for its exact digest and words. Sketches are kept in fixed pages, so the index grows without
 * ever copying them. Adds and lookups must not run concurrently; lookups may run concurrently with
 * each other.
 */
public final class TextIndex {

  /**
   * One banked document that matches a query.
   *
   * @param document the document number {@link #add} returned
   * @param distance differing slots of the closest sketch pair; 0 for the same normalised text
   * @param bankedFromWord first normalised word of the banked sketch of that closest pair
   * @param bankedToWord end (exclusive) of that sketch's words; the whole document for an exact
   *     or whole-text match
   * @param queryFromWord first normalised word of the first query chunk that matched this document
   *     within the threshold
   * @param queryToWord end (exclusive) of the last such query chunk
   * @param queryShare share (0..1) of the query's words covered by the query chunks that matched
   *     this document within the threshold; 1 for an exact or whole-text match
   */
  public record Match(int document, int distance, int bankedFromWord, int bankedToWord, int queryFromWord,
      int queryToWord, double queryShare) {}

  /** Sketches per page: 65,536 of 128 bytes, 8 MiB. */
  private static final int PAGE_BITS = 16;
  private static final int PAGE_MASK = (1 << PAGE_BITS) - 1;

  private ExactTexts exact = new ExactTexts();
  private BandTable bands = new BandTable();
  private char[][] sketchPages = new char[16][];
  private int[][] chunkDocumentPages = new int[16][];
  private int chunks;
  private int documents;
  /** Per document: its first sketch number, its number of chunk sketches (its whole sketch, if kept apart, follows them) and its words. */
  private int[] documentFirstSketch = new int[1024];
  private int[] documentChunks = new int[1024];
  private int[] documentWords = new int[1024];

  /** Adds a document's signal; returns its document number (0, 1, 2, ...). */
  public int add(TextSignal signal) {
    int document = documents++;
    if (document == documentWords.length) {
      documentFirstSketch = Arrays.copyOf(documentFirstSketch, document * 2);
      documentChunks = Arrays.copyOf(documentChunks, document * 2);
      documentWords = Arrays.copyOf(documentWords, document * 2);
    }
    documentFirstSketch[document] = chunks;
    documentChunks[document] = signal.chunks().size();
    documentWords[document] = signal.words();
    exact.add(document, signal.normalizedSha256());
    if (signal.whole() == null) {
      return document;
    }
    for (MinHashSketch chunk : signal.chunks()) {
      addChunk(document, chunk);
    }
    // A text of one chunk has its whole sketch as that chunk; only a longer one needs it apart.
    if (signal.chunks().size() != 1 || !signal.chunks().getFirst().equals(signal.whole())) {
      addChunk(document, signal.whole());
    }
    return document;
  }

  public int documents() {
    return documents;
  }

  public int chunks() {
    return chunks;
  }

  /** Writes the index, to be restored by {@link #readFrom}. */
  public void writeTo(IndexData.Sink out) throws IOException {
    out.putInt(documents);
    out.putInt(chunks);
    IndexData.putInts(out, documentFirstSketch, documents);
    IndexData.putInts(out, documentChunks, documents);
    IndexData.putInts(out, documentWords, documents);
    exact.writeTo(out, documents);
    bands.writeTo(out);
    for (int page = 0; page * (PAGE_MASK + 1) < chunks; page++) {
      int inPage = Math.min(PAGE_MASK + 1, chunks - page * (PAGE_MASK + 1));
      IndexData.putChars(out, sketchPages[page], inPage * SLOTS);
      IndexData.putInts(out, chunkDocumentPages[page], inPage);
    }
  }

  /**
   * The index {@link #writeTo} wrote, its arrays checked to agree with each other, so that a
   * damaged file fails here, not in a later lookup.
   */
  public static TextIndex readFrom(IndexData.Source in) throws IOException {
    TextIndex index = new TextIndex();
    // Each document has 48 bytes of the file (three ints, its digest, its previous), each chunk
    // 132 (its sketch and document number), which bounds what a damaged count may allocate.
    int documents = in.getLength(48);
    int chunks = IndexData.checked(in.getLength(SLOTS * 2 + 4), BandTable.MAX_CHUNKS, "chunks");
    int capacity = Math.max(1024, documents);
    index.documentFirstSketch = IndexData.getInts(in, capacity);
    index.documentChunks = IndexData.getInts(in, capacity);
    index.documentWords = IndexData.getInts(in, capacity);
    for (int d = 0; d < documents; d++) {
      IndexData.checked(index.documentFirstSketch[d], chunks, "first sketch");
      IndexData.checked(index.documentChunks[d], chunks - index.documentFirstSketch[d], "document chunks");
    }
    index.exact = ExactTexts.readFrom(in, documents);
    index.bands = BandTable.readFrom(in, chunks);
    int pages = (chunks + PAGE_MASK) >>> PAGE_BITS;
    index.sketchPages = new char[Math.max(16, pages)][];
    index.chunkDocumentPages = new int[Math.max(16, pages)][];
    for (int page = 0; page < pages; page++) {
      int inPage = Math.min(PAGE_MASK + 1, chunks - page * (PAGE_MASK + 1));
      // The first page of a small index keeps room to double into, as it does while growing.
      int size = pages == 1 ? Math.min(PAGE_MASK + 1, Math.max(256, Integer.highestOneBit(inPage) * 2)) : PAGE_MASK + 1;
      index.sketchPages[page] = IndexData.getChars(in, size * SLOTS);
      index.chunkDocumentPages[page] = IndexData.getInts(in, size);
      if (index.sketchPages[page].length != size * SLOTS || index.chunkDocumentPages[page].length != size) {
        throw new IOException("damaged text index: page " + page + " holds more sketches than a page");
      }
      for (int c = 0; c < inPage; c++) {
        IndexData.checked(index.chunkDocumentPages[page][c], documents - 1, "chunk document");
      }
    }
    index.documents = documents;
    index.chunks = chunks;
    return index;
  }

  /** Approximate heap bytes held by the index, for capacity planning. */
  public long approximateBytes() {
    long pages = 0;
    for (char[] page : sketchPages) {
      pages += page == null ? 0 : (long) page.length * 2;
    }
    for (int[] page : chunkDocumentPages) {
      pages += page == null ? 0 : (long) page.length * 4;
    }
    return bands.bytes() + pages + exact.bytes() + (long) documentWords.length * 12;
  }

  private void addChunk(int document, MinHashSketch sketch) {
    if (chunks >= BandTable.MAX_CHUNKS) {
      throw new IllegalStateException("text index is full (" + BandTable.MAX_CHUNKS + " chunks); split the bank into shards");
    }
    int page = chunks >>> PAGE_BITS;
    if (page == sketchPages.length) {
      sketchPages = Arrays.copyOf(sketchPages, page * 2);
      chunkDocumentPages = Arrays.copyOf(chunkDocumentPages, page * 2);
    }
    int offset = chunks & PAGE_MASK;
    if (sketchPages[page] == null) {
      // The first page starts small and doubles, so a small index stays small.
      int size = page == 0 ? 256 : PAGE_MASK + 1;
      sketchPages[page] = new char[size * SLOTS];
      chunkDocumentPages[page] = new int[size];
    } else if (offset == chunkDocumentPages[page].length) {
      sketchPages[page] = Arrays.copyOf(sketchPages[page], offset * 2 * SLOTS);
      chunkDocumentPages[page] = Arrays.copyOf(chunkDocumentPages[page], offset * 2);
    }
    System.arraycopy(sketch.slots(), 0, sketchPages[page], offset * SLOTS, SLOTS);
    chunkDocumentPages[page][offset] = document;
    int chunk = chunks++;
    for (int band = 0; band < BANDS; band++) {
      bands.insert(bandKey(sketch.slots(), band), chunk);
    }
  }

  static long bandKey(char[] slots, int band) {
    long packed = band;
    for (int r = 0; r < ROWS; r++) {
      packed = (packed << 16) | slots[band * ROWS + r];
    }
    // The band number is folded in so equal values in different bands never collide.
    return Mix.mix64(packed ^ ((long) band << 58) ^ 0x5851F42D4C957F2DL);
  }

  /**
   * Documents whose closest sketch pair differs in at most {@code threshold} slots (0 for an
   * identical normalised text), best distance per document, closest first. Safe to call from
   * several threads at once, as long as no {@link #add} runs meanwhile.
   */
  public List<Match> lookup(TextSketcher.Query query, int threshold) {
    Map<Integer, Hit> hits = new HashMap<>();
    exact.forEach(query.normalizedSha256(), document -> {
      Hit hit = hits.computeIfAbsent(document, d -> new Hit());
      hit.closer(0, -1);
      hit.wholeQuery = true;
    });
    if (query.whole() != null) {
      Candidates candidates = new Candidates();
      probe(query.whole(), threshold, hits, -1, null, candidates);
      List<MinHashSketch> chunks = query.chunks();
      for (int c = 0; c < chunks.size(); c++) {
        probe(chunks.get(c), threshold, hits, c, query.chunkWords().get(c), candidates);
      }
    }
    List<Match> matches = new ArrayList<>(hits.size());
    hits.forEach((document, hit) -> matches.add(match(document, hit, query.words())));
    matches.sort((a, b) -> a.distance() != b.distance()
        ? Integer.compare(a.distance(), b.distance()) : Integer.compare(a.document(), b.document()));
    return matches;
  }

  /**
   * Probes one query sketch: query chunk number {@code queryChunk} covering {@code queryWords}, or
   * the whole query ({@code -1}). A close pair shares many bands, so the candidates of all bands
   * are gathered, sorted and verified once each: verifying reads a sketch from memory, which at a
   * million documents is most of a lookup's time.
   */
  private void probe(MinHashSketch sketch, int threshold, Map<Integer, Hit> hits, int queryChunk,
      TextSpan queryWords, Candidates candidates) {
    char[] slots = sketch.slots();
    candidates.clear();
    long[] keys = candidates.keys;
    for (int band = 0; band < BANDS; band++) {
      keys[band] = bandKey(slots, band);
    }
    candidates.touched ^= bands.touch(keys);
    for (int band = 0; band < BANDS; band++) {
      bands.forEach(keys[band], candidates);
    }
    int[] sorted = candidates.sorted();
    // As for the bands: the candidates' sketches are read first, all at once, then compared.
    long seen = 0;
    for (int i = 0; i < candidates.size(); i++) {
      seen += sketchPages[sorted[i] >>> PAGE_BITS][(sorted[i] & PAGE_MASK) * SLOTS];
    }
    candidates.touched ^= seen;
    for (int i = 0; i < candidates.size(); i++) {
      int chunk = sorted[i];
      if (i > 0 && chunk == sorted[i - 1]) {
        continue;
      }
      int distance = MinHashSketch.distance(slots, 0, sketchPages[chunk >>> PAGE_BITS], (chunk & PAGE_MASK) * SLOTS);
      if (distance <= threshold) {
        Hit hit = hits.computeIfAbsent(chunkDocumentPages[chunk >>> PAGE_BITS][chunk & PAGE_MASK], d -> new Hit());
        hit.closer(distance, chunk);
        if (queryChunk < 0) {
          hit.wholeQuery = true;
        } else {
          hit.cover(queryChunk, queryWords);
        }
      }
    }
  }

  /** The chunk numbers one query sketch's bands hold, reused from sketch to sketch of a lookup. */
  private static final class Candidates implements BandTable.ChunkSink {
    private int[] chunks = new int[64];
    private int size;
    /** The band keys of the query sketch being probed. */
    final long[] keys = new long[BANDS];
    /** What {@link BandTable#touch} returned, kept so its reads are made. */
    long touched;

    @Override
    public void chunk(int chunk) {
      if (size == chunks.length) {
        chunks = Arrays.copyOf(chunks, size * 2);
      }
      chunks[size++] = chunk;
    }

    void clear() {
      size = 0;
    }

    int size() {
      return size;
    }

    int[] sorted() {
      Arrays.sort(chunks, 0, size);
      return chunks;
    }
  }

  private Match match(int document, Hit hit, int queryWords) {
    TextSpan banked = bankedWords(document, hit.sketch);
    if (hit.wholeQuery) {
      return new Match(document, hit.distance, banked.from(), banked.to(), 0, queryWords, 1.0);
    }
    double share = queryWords == 0 ? 1.0 : Math.min(1.0, (double) hit.coveredWords / queryWords);
    return new Match(document, hit.distance, banked.from(), banked.to(), hit.firstQueryWord, hit.coveredTo, share);
  }

  /** Words of banked sketch {@code sketch} ({@code -1}: the exact text, i.e. the whole document). */
  private TextSpan bankedWords(int document, int sketch) {
    int words = documentWords[document];
    int ordinal = sketch - documentFirstSketch[document];
    if (sketch < 0 || ordinal >= documentChunks[document]) {
      return new TextSpan(0, words);
    }
    return TextSketcher.chunkWords(words, ordinal);
  }

  /** What one lookup found for one banked document. Query chunks arrive in text order. */
  private static final class Hit {
    int distance = Integer.MAX_VALUE;
    int sketch = -1;
    boolean wholeQuery;
    int lastQueryChunk = -1;
    int firstQueryWord = -1;
    int coveredTo;
    int coveredWords;

    void closer(int candidate, int candidateSketch) {
      if (candidate < distance || (candidate == distance && candidateSketch < sketch)) {
        distance = candidate;
        sketch = candidateSketch;
      }
    }

    void cover(int queryChunk, TextSpan words) {
      if (queryChunk == lastQueryChunk) {
        return;
      }
      lastQueryChunk = queryChunk;
      if (firstQueryWord < 0) {
        firstQueryWord = words.from();
      }
      coveredWords += Math.max(0, words.to() - Math.max(words.from(), coveredTo));
      coveredTo = Math.max(coveredTo, words.to());
    }
  }
}
