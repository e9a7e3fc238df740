package org.countersignal.server.signal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.countersignal.index.hamming.MatchSink;
import org.countersignal.index.video.VideoFrame;
import org.countersignal.index.video.VideoIndex;
import org.countersignal.index.video.VideoMatch;
import org.countersignal.index.video.VideoMatchRules;

/**
 * Video entries' distinct good frames, keyed to their entry, searched video against video. Its
 * snapshot file is only a marker: the frames are read from the database when a snapshot is loaded
 * (videos are few next to images), and the replay after it is harmless because adding and
 * removing a video are idempotent.
 */
public final class VideoSignalIndex implements SignalIndex {

  private final VideoIndex videos = new VideoIndex(VideoMatchRules.DEFAULT.minQuality());
  private final VideoSource source;

  VideoSignalIndex(VideoSource source) {
    this.source = source;
  }

  static VideoSignalIndex loaded(VideoSource source) {
    VideoSignalIndex index = new VideoSignalIndex(source);
    source.forEachEnabled((id, video) -> index.videos.add(id, VpdqType.frames(video)));
    return index;
  }

  @Override
  public void add(long entryId, String value) {
    source.frames(entryId).ifPresent(video -> videos.add(entryId, VpdqType.frames(video)));
  }

  @Override
  public void remove(long entryId, String value) {
    videos.remove(entryId);
  }

  /** Videos match as wholes ({@link #searchVideo}), never one value at a time. */
  @Override
  public void search(String value, int threshold, MatchSink sink) {
    throw new UnsupportedOperationException("videos are matched with searchVideo");
  }

  /** Video entries the query video matches under {@code rules}. */
  public List<VideoMatch> searchVideo(List<VideoFrame> query, VideoMatchRules rules) {
    return videos.search(query, rules);
  }

  @Override
  public boolean compact() throws InterruptedException {
    return videos.compact();
  }

  @Override
  public long size() {
    return videos.size();
  }

  @Override
  public void writeSnapshot(Path file) throws IOException {
    Files.writeString(file, "video frames are read from the database\n", StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    videos.close();
  }
}
