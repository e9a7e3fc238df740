/*
 * JPEG decoding through the libjpeg API of the libjpeg-turbo inside Leptonica's native library
 * (org.bytedeco:leptonica), straight into the caller's buffer: RGBX, four bytes a pixel, for
 * colour; one byte a pixel for grey. Leptonica's own reader gives the same pixels but packs each
 * one into its 32-bit raster a byte at a time, which costs about a third of a photo's decoding.
 *
 * This file exists because libjpeg reports a fatal error by calling a function that must not
 * return, and the only way out of it is longjmp back to a setjmp in a C frame: Java cannot do
 * that. Everything else (which files to try, size limits, the fallbacks) is decided in Java
 * (LibjpegRgbx.java), which calls it through JNI: a native method costs a start nothing to bind,
 * where each foreign-function downcall has its stub generated at every start. Nothing is printed:
 * libjpeg's messages are dropped, and a file with any warning (damaged or truncated data) is
 * declined, as Leptonica's reader declines it by default.
 */
#include <jni.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <jpeglib.h>

enum { DECODED, DECLINED, FAILED };

struct escaping_error_manager {
  struct jpeg_error_mgr standard;
  jmp_buf escape;
};

static void escape(j_common_ptr cinfo) {
  longjmp(((struct escaping_error_manager *) cinfo->err)->escape, 1);
}

static void drop_message(j_common_ptr cinfo) {
  (void) cinfo;
}

/*
 * Decodes jpeg[0..size) into out, which holds width * height * (grey ? 1 : 4) bytes. The file
 * must be a sequential 8-bit JPEG of exactly that size, grey or YCbCr/RGB as `grey` says;
 * anything else is DECLINED before a pixel is decoded.
 */
static int decode(const unsigned char *jpeg, unsigned long size, int width, int height, int grey,
                  unsigned char *out) {
  struct jpeg_decompress_struct cinfo;
  struct escaping_error_manager error;
  cinfo.err = jpeg_std_error(&error.standard);
  error.standard.error_exit = escape;
  error.standard.output_message = drop_message;
  if (setjmp(error.escape)) {
    jpeg_destroy_decompress(&cinfo);
    return FAILED;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, jpeg, size);
  jpeg_read_header(&cinfo, TRUE);
  int colour = cinfo.num_components == 3
      && (cinfo.jpeg_color_space == JCS_YCbCr || cinfo.jpeg_color_space == JCS_RGB);
  int expected = grey ? cinfo.num_components == 1 && cinfo.jpeg_color_space == JCS_GRAYSCALE : colour;
  if (!expected || cinfo.image_width != (JDIMENSION) width || cinfo.image_height != (JDIMENSION) height
      || cinfo.progressive_mode || cinfo.data_precision != 8) {
    jpeg_destroy_decompress(&cinfo);
    return DECLINED;
  }
  cinfo.out_color_space = grey ? JCS_GRAYSCALE : JCS_EXT_RGBX;
  jpeg_start_decompress(&cinfo);
  if (cinfo.output_width != (JDIMENSION) width || cinfo.output_height != (JDIMENSION) height
      || cinfo.output_components != (grey ? 1 : 4)) {
    jpeg_destroy_decompress(&cinfo); /* never expected: the rows below would not fit `out` */
    return DECLINED;
  }
  size_t stride = (size_t) width * (grey ? 1 : 4);
  JSAMPROW rows[16];
  while (cinfo.output_scanline < cinfo.output_height) {
    JDIMENSION first = cinfo.output_scanline;
    JDIMENSION count = cinfo.output_height - first < 16 ? cinfo.output_height - first : 16;
    for (JDIMENSION i = 0; i < count; i++) {
      rows[i] = out + (first + i) * stride;
    }
    if (jpeg_read_scanlines(&cinfo, rows, count) == 0) {
      jpeg_destroy_decompress(&cinfo); /* a memory source never suspends; no loop without end */
      return DECLINED;
    }
  }
  jpeg_finish_decompress(&cinfo);
  long warnings = cinfo.err->num_warnings;
  jpeg_destroy_decompress(&cinfo);
  return warnings == 0 ? DECODED : DECLINED;
}

/*
 * LibjpegRgbx.decodePixels(byte[] jpeg, int width, int height, boolean grey): the address of a
 * buffer of malloc'ed memory holding the pixels, which the caller frees with freePixels, or 0 when
 * the file was declined or failed (or memory ran out).
 */
JNIEXPORT jlong JNICALL Java_org_countersignal_signals_image_LibjpegRgbx_decodePixels(
    JNIEnv *env, jclass cls, jbyteArray jpeg, jint width, jint height, jboolean grey) {
  (void) cls;
  unsigned char *out = malloc((size_t) width * (size_t) height * (grey ? 1 : 4));
  if (out == NULL) {
    return 0;
  }
  jsize length = (*env)->GetArrayLength(env, jpeg);
  jbyte *bytes = (*env)->GetByteArrayElements(env, jpeg, NULL);
  if (bytes == NULL) {
    free(out);
    return 0;
  }
  int result = decode((const unsigned char *) bytes, (unsigned long) length, width, height, grey, out);
  (*env)->ReleaseByteArrayElements(env, jpeg, bytes, JNI_ABORT);
  if (result != DECODED) {
    free(out);
    return 0;
  }
  return (jlong) (size_t) out;
}

JNIEXPORT void JNICALL Java_org_countersignal_signals_image_LibjpegRgbx_freePixels(
    JNIEnv *env, jclass cls, jlong pixels) {
  (void) env;
  (void) cls;
  free((void *) (size_t) pixels);
}
