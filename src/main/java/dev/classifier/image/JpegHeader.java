package dev.classifier.image;

/**
 * What the JPEG structure scan found that the decoders need beyond the common {@link Scan}: the
 * frame's layout (for the memory estimate), how many scans there are (the ImageIO reader is told to
 * render only the last), and the metadata that decides between TurboJPEG and ImageIO.
 *
 * @param components colour components in the frame (1..4)
 * @param progressive SOF2: progressive DCT
 * @param multiScan whether libjpeg decodes through a whole-image coefficient buffer: progressive
 *     JPEGs, and sequential ones whose first scan does not carry every component
 * @param scans SOS markers; for a single-scan JPEG the walk stops at the first, so this is 1
 * @param coefficientBytes size of libjpeg's whole-image coefficient buffer (64 two-byte
 *     coefficients per block of every component, blocks padded to the sampling factors), which a
 *     multi-scan decode holds natively at full resolution even when it scales the output
 * @param segments orientation and colour management
 */
record JpegHeader(
    int components,
    boolean progressive,
    boolean multiScan,
    int scans,
    long coefficientBytes,
    JpegSegments segments) {}
