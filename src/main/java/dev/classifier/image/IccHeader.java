package dev.classifier.image;

/**
 * Checks an embedded ICC profile's own size field before a reader sees the profile: TwelveMonkeys
 * (ColorProfiles.readProfile) and the JDK (ICC_Profile.getInstance(InputStream)) allocate the size
 * the profile's header declares before reading it, so a 1 KB profile declaring 2 GB costs 2 GB. A
 * profile whose declared size is not what it holds is treated like one over the size limit: not
 * read at all.
 */
final class IccHeader {

  /** The fixed ICC header: size, CMM, version, class, colour space, PCS, date, signature... */
  static final int HEADER_BYTES = 128;

  private IccHeader() {}

  /**
   * Whether the profile of {@code total} bytes, whose first bytes are at {@code b[at, end)},
   * declares a size of at least the header and at most {@code total}.
   */
  static boolean plausible(byte[] b, int at, int end, long total) {
    if (end - at < 4 || total < HEADER_BYTES) {
      return false;
    }
    long declared = Bytes.u32be(b, at);
    return declared >= HEADER_BYTES && declared <= total;
  }

  static boolean plausible(byte[] profile) {
    return profile != null && plausible(profile, 0, profile.length, profile.length);
  }
}
