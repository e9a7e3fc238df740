package org.countersignal.index.video;

import org.countersignal.index.hamming.Hash256;

/** One hashed frame of a video: its PDQ hash, quality (0..100) and time in seconds. */
public record VideoFrame(Hash256 hash, int quality, double seconds) {}
