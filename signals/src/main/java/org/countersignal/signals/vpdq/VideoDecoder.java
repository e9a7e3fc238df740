package org.countersignal.signals.vpdq;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_CAP_SLICE_THREADS;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB0;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swscale.SWS_AREA;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.ContentException.Reason;
import org.countersignal.signals.image.LumaImage;

/**
 * Decodes a video file's frames with FFmpeg (through its Java bindings) and hands each chosen
 * frame on as luminance, one at a time, so memory stays flat however long the video is. Frames
 * are converted to 8-bit RGB with swscale's area filter, as the reference vPDQ hasher does, so
 * that hashes agree with it. One decoder per call; safe to use from many threads at once.
 */
public final class VideoDecoder {

  /**
   * The containers a video may come in (FFmpeg's demuxer names). FFmpeg guesses the container from
   * the bytes, and some of its formats are scripts that name other files or URLs to read (a concat
   * list, an HLS playlist): an upload in such a format could make the server read a neighbouring
   * file or fetch a URL past the fetcher's guards. Only video containers are opened, from the
   * file itself. (Audio containers are opened too, to say that they hold no video.)
   */
  static final String CONTAINERS = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,flv,mpegts,mpeg,asf,ogg,gif,m4v,h264,hevc,wav,mp3,flac,aac";

  /** FFmpeg's AVERROR(EAGAIN) on Linux: the decoder wants more input before it can output. */
  private static final int AVERROR_EAGAIN = -11;

  /**
   * Loads FFmpeg's native libraries on first use rather than when this class is loaded, so that
   * tools which may see a video but mostly hash images do not pay for it at start-up.
   */
  private static final class Native {
    static {
      // FFmpeg logs every damaged packet to stderr; errors reach callers as exceptions instead.
      av_log_set_level(AV_LOG_FATAL);
    }

    static void load() {}
  }

  /**
   * Receives decoded frames in order. A frame's pixels are those of the next frame once
   * {@code accept} returns: one buffer serves the whole video, since a fresh one per frame (4 MB
   * for HD) cost zeroing and collecting it.
   */
  @FunctionalInterface
  public interface FrameSink {
    void accept(int frameNumber, double seconds, LumaImage frame) throws ContentException;
  }

  /** What the container says about the video stream. */
  public record StreamInfo(int width, int height, double frameRate, double durationSeconds, long declaredFrames) {}

  private final VideoLimits limits;

  public VideoDecoder(VideoLimits limits) {
    this.limits = limits;
  }

  /**
   * Decodes {@code file}, passing frames (numbered from 0 in decoding order) to {@code sink}:
   * every frame when {@code secondsPerFrame} is 0, otherwise every n-th frame with
   * {@code n = floor(secondsPerFrame * frameRate)}, at least 1, as the reference steps.
   */
  public StreamInfo decode(Path file, double secondsPerFrame, FrameSink sink) throws ContentException {
    if (secondsPerFrame < 0) {
      throw new IllegalArgumentException("secondsPerFrame must not be negative");
    }
    if (!Files.isRegularFile(file)) {
      throw new ContentException(Reason.UNREADABLE, "no such video file");
    }
    Native.load();
    AVFormatContext format = new AVFormatContext(null);
    AVCodecContext codec = null;
    AVPacket packet = null;
    AVFrame decoded = null;
    AVFrame rgb = null;
    Decoding state = null;
    try {
      AVDictionary options = new AVDictionary(null);
      av_dict_set(options, "format_whitelist", CONTAINERS, 0);
      av_dict_set(options, "protocol_whitelist", "file", 0);
      try {
        check(avformat_open_input(format, file.toString(), null, options), Reason.UNSUPPORTED_FORMAT,
            "not a video in a container this server opens (" + CONTAINERS + ")");
      } finally {
        av_dict_free(options);
      }
      check(avformat_find_stream_info(format, (AVDictionary) null), Reason.CORRUPT,
          "cannot read the video's stream information");
      int streamIndex = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
      if (streamIndex < 0) {
        throw new ContentException(Reason.UNSUPPORTED_FORMAT, "the file has no video stream (audio only?)");
      }
      AVStream stream = format.streams(streamIndex);
      AVCodecParameters parameters = stream.codecpar();
      int width = parameters.width();
      int height = parameters.height();
      if (width <= 0 || height <= 0) {
        throw new ContentException(Reason.CORRUPT, "the video declares an empty frame size " + width + "x" + height);
      }
      if ((long) width * height > limits.maxFramePixels()) {
        throw new ContentException(Reason.TOO_LARGE, String.format(
            "video frames of %dx%d exceed the limit of %,d pixels", width, height, limits.maxFramePixels()));
      }
      double frameRate = frameRate(stream);
      double declaredSeconds = format.duration() > 0 ? (double) format.duration() / AV_TIME_BASE : 0;
      if (declaredSeconds > limits.maxSeconds()) {
        throw new ContentException(Reason.TOO_LARGE, String.format(
            "video lasts %.0f s, over the limit of %.0f s", declaredSeconds, limits.maxSeconds()));
      }
      StreamInfo info = new StreamInfo(width, height, frameRate, declaredSeconds, stream.nb_frames());

      AVCodec decoder = avcodec_find_decoder(parameters.codec_id());
      if (decoder == null || decoder.isNull()) {
        throw new ContentException(Reason.UNSUPPORTED_FORMAT, "no decoder for this video codec");
      }
      codec = avcodec_alloc_context3(decoder);
      check(avcodec_parameters_to_context(codec, parameters), Reason.CORRUPT, "bad codec parameters");
      // Decoding threads inside one video would compete with the caller's own parallelism.
      codec.thread_count(1);
      check(avcodec_open2(codec, decoder, (org.bytedeco.ffmpeg.avutil.AVDictionary) null), Reason.CORRUPT,
          "cannot open the video decoder");

      packet = av_packet_alloc();
      decoded = av_frame_alloc();
      rgb = av_frame_alloc();
      // R, G, B and an unused byte: a pixel per int, which converts to luminance faster than RGB.
      rgb.format(AV_PIX_FMT_RGB0).width(width).height(height);
      // Alignment 1: rows are packed, so the frame reads out as one piece of memory.
      check(av_frame_get_buffer(rgb, 1), Reason.TOO_LARGE, "cannot allocate a frame buffer");

      int frameStep = Math.max(1, (int) (secondsPerFrame * frameRate));
      state = new Decoding(codec, decoded, rgb, width, height, frameRate, frameStep, sink);
      int read;
      while ((read = av_read_frame(format, packet)) >= 0) {
        try {
          if (packet.stream_index() == streamIndex) {
            state.send(packet);
          }
        } finally {
          av_packet_unref(packet);
        }
      }
      if (read != AVERROR_EOF && state.frameNumber == 0) {
        throw new ContentException(Reason.CORRUPT, "cannot read the video: " + describe(read));
      }
      state.send(null);
      if (state.frameNumber == 0) {
        throw new ContentException(Reason.CORRUPT, "the video has no decodable frames");
      }
      if (info.declaredFrames() > 0 && state.frameNumber < info.declaredFrames() * 0.98) {
        throw new ContentException(Reason.TRUNCATED, String.format(
            "the video ends after %d of the %d frames it declares", state.frameNumber, info.declaredFrames()));
      }
      return info;
    } finally {
      if (state != null) {
        state.close();
      }
      if (rgb != null) {
        av_frame_free(rgb);
      }
      if (decoded != null) {
        av_frame_free(decoded);
      }
      if (packet != null) {
        av_packet_free(packet);
      }
      if (codec != null) {
        avcodec_free_context(codec);
      }
      avformat_close_input(format);
    }
  }

  /** The decode loop's state: frame counter, converter and output buffers. */
  private final class Decoding implements AutoCloseable {
    private final AVCodecContext codec;
    private final AVFrame decoded;
    private final AVFrame rgb;
    private final int width;
    private final int height;
    private final double frameRate;
    private final int frameStep;
    private final FrameSink sink;
    /** Where swscale writes each frame, read from there a chunk at a time. */
    private final MemorySegment rgbPixels;
    private final float[] luma;
    private SwsContext scaler;
    private int scalerFormat = -1;
    private int frameNumber;
    private int framesHashed;

    Decoding(AVCodecContext codec, AVFrame decoded, AVFrame rgb, int width, int height,
        double frameRate, int frameStep, FrameSink sink) {
      this.codec = codec;
      this.decoded = decoded;
      this.rgb = rgb;
      this.width = width;
      this.height = height;
      this.frameRate = frameRate;
      this.frameStep = frameStep;
      this.sink = sink;
      this.rgbPixels = MemorySegment.ofAddress(rgb.data(0).address()).reinterpret(4L * width * height);
      this.luma = new float[width * height];
    }

    @Override
    public void close() {
      if (scaler != null) {
        sws_freeContext(scaler);
        scaler = null;
      }
    }

    /** Sends one packet (null: flush at the end) and handles every frame it completes. */
    void send(AVPacket packet) throws ContentException {
      int sent = avcodec_send_packet(codec, packet);
      if (sent < 0 && sent != AVERROR_EOF) {
        // A damaged packet: skip it as players do; a file with no good packets fails later.
        return;
      }
      while (true) {
        int received = avcodec_receive_frame(codec, decoded);
        if (received == AVERROR_EAGAIN || received == AVERROR_EOF) {
          return;
        }
        if (received < 0) {
          throw new ContentException(Reason.CORRUPT, "cannot decode a video frame: " + describe(received));
        }
        onFrame();
      }
    }

    private void onFrame() throws ContentException {
      int number = frameNumber++;
      double seconds = number / frameRate;
      if (seconds > limits.maxSeconds()) {
        throw new ContentException(Reason.TOO_LARGE, String.format(
            "video runs past the limit of %.0f s", limits.maxSeconds()));
      }
      if (number % frameStep != 0) {
        return;
      }
      if (++framesHashed > limits.maxFrames()) {
        throw new ContentException(Reason.TOO_LARGE, "video has more than " + limits.maxFrames() + " frames to hash");
      }
      if (decoded.width() != width || decoded.height() != height) {
        throw new ContentException(Reason.CORRUPT, "the frame size changes mid-video");
      }
      if (scaler == null || scalerFormat != decoded.format()) {
        if (scaler != null) {
          sws_freeContext(scaler);
        }
        scalerFormat = decoded.format();
        scaler = sws_getContext(width, height, scalerFormat, width, height, AV_PIX_FMT_RGB0, SWS_AREA,
            null, null, (DoublePointer) null);
        if (scaler == null || scaler.isNull()) {
          throw new ContentException(Reason.UNSUPPORTED_FORMAT, "cannot convert this pixel format to RGB");
        }
      }
      sws_scale(scaler, decoded.data(), decoded.linesize(), 0, height, rgb.data(), rgb.linesize());
      sink.accept(number, seconds, LumaImage.fromRgbx(rgbPixels, width, height, luma));
    }
  }

  private static double frameRate(AVStream stream) throws ContentException {
    AVRational rate = stream.avg_frame_rate();
    if (rate.num() == 0 || rate.den() == 0) {
      rate = stream.r_frame_rate();
    }
    if (rate.num() <= 0 || rate.den() <= 0) {
      throw new ContentException(Reason.CORRUPT, "the video declares no frame rate");
    }
    return (double) rate.num() / rate.den();
  }

  private static void check(int result, Reason reason, String message) throws ContentException {
    if (result < 0) {
      throw new ContentException(reason, message + " (" + describe(result) + ")");
    }
  }

  static String describe(int error) {
    byte[] buffer = new byte[256];
    av_strerror(error, buffer, buffer.length);
    int end = 0;
    while (end < buffer.length && buffer[end] != 0) {
      end++;
    }
    return new String(buffer, 0, end, StandardCharsets.UTF_8);
  }
}
