package org.countersignal.signals.image;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.avcodec.AVCodecContext.FF_IDCT_INT;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PNG;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_WEBP;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avcodec.AV_EF_EXPLODE;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_BE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_PAL;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_FLAG_RGB;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_buffer_size;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_pix_fmt_desc_get;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.SWS_FULL_CHR_H_INT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.util.Optional;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVPixFmtDescriptor;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.countersignal.signals.ContentException;

/**
 * Still images decoded in memory by FFmpeg's own decoders (mjpeg, png, webp) through the Java
 * bindings that video decoding already ships, native libraries included: the fast JPEG path on
 * a machine without libjpeg-turbo. Like {@link TurboJpeg}, it declines (returns empty) whatever
 * it cannot decode cleanly, and the caller falls back to ImageIO, which then says precisely what
 * is wrong with the file. Thread-safe: every call has its own decoder.
 */
final class FfmpegImage {

  private static final Optional<FfmpegImage> INSTANCE = BundledNatives.open("FFmpeg", () -> {
    // FFmpeg logs each damaged image to stderr; here a damaged image is a fallback, not news.
    av_log_set_level(AV_LOG_FATAL);
    return new FfmpegImage();
  });

  private FfmpegImage() {}

  static Optional<FfmpegImage> load() {
    return INSTANCE;
  }

  /**
   * Decodes {@code data} (of a format {@link ImageHeader} reads) once its header passes
   * {@code acceptHeader}; empty when FFmpeg cannot decode it cleanly.
   */
  Optional<LumaImage> decode(ImageFormat format, byte[] data, long maxPixels, TurboJpeg.HeaderCheck acceptHeader)
      throws ContentException {
    Optional<ImageHeader> header = ImageHeader.read(format, data);
    if (header.isEmpty()) {
      return Optional.empty();
    }
    ImageHeader h = header.get();
    acceptHeader.check(h.width(), h.height(), 1);
    acceptHeader.check(h.width(), h.height(), h.bytesPerPixel());
    AVCodec decoder = avcodec_find_decoder(switch (format) {
      case JPEG -> AV_CODEC_ID_MJPEG;
      case PNG -> AV_CODEC_ID_PNG;
      case WEBP -> AV_CODEC_ID_WEBP;
      default -> throw new IllegalArgumentException("not an FFmpeg image format: " + format);
    });
    if (decoder == null || decoder.isNull()) {
      return Optional.empty();
    }
    AVCodecContext codec = avcodec_alloc_context3(decoder);
    if (codec == null || codec.isNull()) {
      return Optional.empty();
    }
    AVPacket packet = null;
    AVFrame frame = null;
    try {
      codec.thread_count(1);
      // A later frame header (a second SOF, an APNG frame) could declare more than the first:
      // FFmpeg refuses any frame over the limit itself.
      codec.max_pixels(Math.min(maxPixels, Integer.MAX_VALUE));
      // Truncated or damaged data fails instead of decoding to grey, so ImageIO can say which.
      codec.err_recognition(AV_EF_EXPLODE);
      // libjpeg's accurate integer IDCT, as libjpeg-turbo and ImageIO use: FFmpeg's faster
      // default rounds differently, enough to move the hash of a nearly flat photo.
      codec.idct_algo(FF_IDCT_INT);
      if (avcodec_open2(codec, decoder, (AVDictionary) null) < 0) {
        return Optional.empty();
      }
      packet = av_packet_alloc();
      if (av_new_packet(packet, data.length) < 0) {
        return Optional.empty();
      }
      packet.data().put(data, 0, data.length);
      frame = av_frame_alloc();
      if (avcodec_send_packet(codec, packet) < 0) {
        return Optional.empty();
      }
      if (avcodec_receive_frame(codec, frame) < 0) {
        // Some decoders hold the frame until told the input has ended.
        if (avcodec_send_packet(codec, null) < 0 || avcodec_receive_frame(codec, frame) < 0) {
          return Optional.empty();
        }
      }
      if (frame.width() != h.width() || frame.height() != h.height() || frame.decode_error_flags() != 0) {
        return Optional.empty();
      }
      return toLuma(frame);
    } finally {
      if (frame != null) {
        av_frame_free(frame);
      }
      if (packet != null) {
        av_packet_free(packet);
      }
      avcodec_free_context(codec);
    }
  }

  /**
   * Luminance of a decoded frame. JPEG's full-range YCbCr goes through libjpeg's own conversion
   * ({@link JpegColour}); an 8-bit grey plane is the luminance as it is; everything else goes
   * through swscale to RGB (or grey), as video does.
   */
  private static Optional<LumaImage> toLuma(AVFrame frame) {
    int width = frame.width();
    int height = frame.height();
    int format = frame.format();
    AVPixFmtDescriptor desc = av_pix_fmt_desc_get(format);
    if (desc == null || desc.isNull()) {
      return Optional.empty();
    }
    long flags = desc.flags();
    boolean rgbOrPalette = (flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL)) != 0;
    boolean eightBitPlanarLuma = !rgbOrPalette && (flags & AV_PIX_FMT_FLAG_BE) == 0
        && desc.comp(0).depth() == 8 && desc.comp(0).plane() == 0 && desc.comp(0).step() == 1
        && desc.comp(0).offset() == 0;
    boolean fullRange = format == AV_PIX_FMT_GRAY8 || frame.color_range() == AVCOL_RANGE_JPEG
        || name(format).startsWith("yuvj");
    if (eightBitPlanarLuma && fullRange && desc.nb_components() == 3 && desc.comp(1).plane() == 1
        && desc.comp(2).plane() == 2 && desc.log2_chroma_w() <= 1 && desc.log2_chroma_h() <= 1) {
      return Optional.of(JpegColour.luma(frame, desc.log2_chroma_w(), desc.log2_chroma_h()));
    }
    if (eightBitPlanarLuma && fullRange && desc.nb_components() == 1) {
      return Optional.of(fromPlane(frame.data(0), frame.linesize(0), width, height));
    }
    boolean grey = !rgbOrPalette && desc.nb_components() <= 2;
    return convert(frame, grey ? AV_PIX_FMT_GRAY8 : AV_PIX_FMT_RGB24);
  }

  private static String name(int format) {
    BytePointer name = av_get_pix_fmt_name(format);
    return name == null || name.isNull() ? "" : name.getString();
  }

  private static LumaImage fromPlane(BytePointer plane, int stride, int width, int height) {
    byte[] bytes = new byte[Math.multiplyExact(stride, height - 1) + width];
    plane.position(0).get(bytes, 0, bytes.length);
    float[] out = new float[Math.multiplyExact(width, height)];
    int p = 0;
    for (int y = 0; y < height; y++) {
      for (int i = y * stride, end = i + width; i < end; i++) {
        out[p++] = bytes[i] & 0xff;
      }
    }
    return new LumaImage(out, width, height);
  }

  private static Optional<LumaImage> convert(AVFrame frame, int target) {
    int width = frame.width();
    int height = frame.height();
    SwsContext scaler = sws_getContext(width, height, frame.format(), width, height, target,
        SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, null, null, (DoublePointer) null);
    if (scaler == null || scaler.isNull()) {
      return Optional.empty();
    }
    int channels = target == AV_PIX_FMT_RGB24 ? 3 : 1;
    // Rows packed (stride = width x channels), so the result copies out in one piece.
    try (BytePointer out = new BytePointer((long) av_image_get_buffer_size(target, width, height, 1));
        PointerPointer<BytePointer> planes = new PointerPointer<BytePointer>(1).put(0, out);
        IntPointer strides = new IntPointer(1).put(0, width * channels)) {
      if (sws_scale(scaler, frame.data(), frame.linesize(), 0, height, planes, strides) != height) {
        return Optional.empty();
      }
      byte[] pixels = new byte[Math.multiplyExact(width * channels, height)];
      out.get(pixels, 0, pixels.length);
      return Optional.of(channels == 3
          ? LumaImage.fromRgb(pixels, width, height)
          : LumaImage.fromGrey(pixels, width, height));
    } finally {
      sws_freeContext(scaler);
    }
  }
}
