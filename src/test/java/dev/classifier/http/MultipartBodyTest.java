package dev.classifier.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.classifier.http.MultipartBody.MalformedException;
import dev.classifier.http.MultipartBody.Part;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The in-place multipart parser: exact slices, every malformation refused, linear time. */
class MultipartBodyTest {

  private static final String B = "xyz-boundary";

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String slice(byte[] body, Part part) {
    return new String(body, part.offset(), part.length(), StandardCharsets.ISO_8859_1);
  }

  @Test
  void partsAreSlicesOfTheBodyWithTheirNamesAndTypes() {
    byte[] body =
        bytes(
            "--"
                + B
                + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n"
                + "PNG\r\nDATA--\r\n--"
                + B
                + "\r\ncontent-disposition: form-data; name=note\r\n\r\n"
                + "hello\r\n--"
                + B
                + "--\r\nepilogue ignored");

    List<Part> parts = MultipartBody.parse(body, body.length, B);

    assertThat(parts).hasSize(2);
    assertThat(parts.get(0).name()).isEqualTo("image");
    assertThat(parts.get(0).contentType()).isEqualTo("image/png");
    assertThat(slice(body, parts.get(0))).isEqualTo("PNG\r\nDATA--");
    assertThat(parts.get(1).name()).isEqualTo("note");
    assertThat(parts.get(1).contentType()).isNull();
    assertThat(slice(body, parts.get(1))).isEqualTo("hello");
  }

  @Test
  void aPreambleAndTransportPaddingAreAllowedAndOnlyTheGivenLengthIsRead() {
    byte[] body =
        bytes(
            "preamble\r\n--"
                + B
                + " \t\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nX\r\n--"
                + B
                + "--GARBAGE PAST THE LENGTH");
    int length = body.length - " PAST THE LENGTH".length() - "GARBAGE".length();

    List<Part> parts = MultipartBody.parse(body, length, B);

    assertThat(parts).extracting(Part::name).containsExactly("image");
    assertThat(slice(body, parts.get(0))).isEqualTo("X");
  }

  @Test
  void anEmptyPartIsAZeroLengthSlice() {
    byte[] body =
        bytes(
            "--"
                + B
                + "\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\n\r\n--"
                + B
                + "--");
    assertThat(MultipartBody.parse(body, body.length, B).get(0).length()).isZero();
  }

  @Test
  void malformedBodiesAreRefusedSayingWhy() {
    String disposition = "Content-Disposition: form-data; name=\"image\"\r\n";
    assertMalformed("no boundary here", "no multipart boundary in the body");
    assertMalformed("--" + B + "\r\n" + disposition + "\r\nabc", "ends inside a part");
    assertMalformed("--" + B + "XX" + disposition, "not followed by a line break");
    assertMalformed("--" + B + "\r\n\r\nabc\r\n--" + B + "--", "no Content-Disposition header");
    assertMalformed(
        "--" + B + "\r\nContent-Type: image/png\r\n\r\nabc\r\n--" + B + "--", "no form-data name");
    assertMalformed(
        "--" + B + "\r\nContent-Disposition: attachment; name=\"x\"\r\n\r\nabc\r\n--" + B + "--",
        "is not form-data");
    assertMalformed("--" + B + "\r\nno colon here\r\n\r\nabc\r\n--" + B + "--", "malformed header");
    assertMalformed(
        "--" + B + "\r\nX-Long: " + "a".repeat(MultipartBody.MAX_HEADER_BYTES) + "\r\n\r\n",
        "headers do not end within 8192 bytes");
    assertThatThrownBy(() -> MultipartBody.parse(new byte[0], 0, ""))
        .isInstanceOf(MalformedException.class)
        .hasMessageContaining("boundary is missing");
    assertThatThrownBy(() -> MultipartBody.parse(new byte[0], 0, "b".repeat(71)))
        .hasMessageContaining("longer than 70");
  }

  @Test
  void atMost64PartsAreRead() {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 65; i++) {
      body.append("--")
          .append(B)
          .append("\r\nContent-Disposition: form-data; name=\"p\"\r\n\r\nx\r\n");
    }
    body.append("--").append(B).append("--");
    assertMalformed(body.toString(), "more than 64 multipart parts");
  }

  @Test
  void aBodyBuiltToDefeatNaiveSearchIsParsedInLinearTime() {
    // A boundary of a's and a body of a's: a naive search compares ~length x boundary bytes.
    String boundary = "a".repeat(69) + "b";
    byte[] content = bytes("a".repeat(4_000_000));
    byte[] head =
        bytes("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\n");
    byte[] tail = bytes("\r\n--" + boundary + "--");
    byte[] body = new byte[head.length + content.length + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(content, 0, body, head.length, content.length);
    System.arraycopy(tail, 0, body, head.length + content.length, tail.length);

    long start = System.nanoTime();
    List<Part> parts = MultipartBody.parse(body, body.length, boundary);
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(parts.get(0).length()).isEqualTo(4_000_000);
    assertThat(millis).as("4 MB of near-misses").isLessThan(2_000);
  }

  private static void assertMalformed(String body, String why) {
    byte[] bytes = bytes(body);
    assertThatThrownBy(() -> MultipartBody.parse(bytes, bytes.length, B))
        .isInstanceOf(MalformedException.class)
        .hasMessageContaining(why);
  }

  /**
   * The skipping search against the plain one on texts of two letters, where patterns recur inside
   * themselves: the case that exhausts its comparison budget and hands over to KMP mid-text.
   */
  @Test
  void theSkippingSearchFindsWhatAPlainScanFinds() {
    Random random = new Random(27);
    for (int round = 0; round < 20_000; round++) {
      byte[] needle = letters(random, 1 + random.nextInt(12), random.nextBoolean() ? 1 : 2);
      byte[] text = letters(random, random.nextInt(400), 2);
      int from = text.length == 0 ? 0 : random.nextInt(text.length);
      int to = from + random.nextInt(text.length - from + 1);

      int found = MultipartBody.find(text, from, to, new MultipartBody.Pattern(needle));

      assertThat(found).as("round %d", round).isEqualTo(plainFind(text, from, to, needle));
    }
  }

  @Test
  void aTextBuiltToDefeatSkippingIsStillSearchedToTheEnd() {
    // 'b' followed by 49 'a's against a text of 'a's: every window compares 49 bytes, then moves 1.
    byte[] needle = ("b" + "a".repeat(49)).getBytes(StandardCharsets.ISO_8859_1);
    byte[] text =
        ("a".repeat(100_000) + "b" + "a".repeat(49)).getBytes(StandardCharsets.ISO_8859_1);

    assertThat(MultipartBody.find(text, 0, text.length, new MultipartBody.Pattern(needle)))
        .isEqualTo(100_000);
  }

  private static byte[] letters(Random random, int length, int alphabet) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) ('a' + random.nextInt(alphabet));
    }
    return bytes;
  }

  private static int plainFind(byte[] text, int from, int to, byte[] needle) {
    for (int i = from; i + needle.length <= to; i++) {
      int j = 0;
      while (j < needle.length && text[i + j] == needle[j]) {
        j++;
      }
      if (j == needle.length) {
        return i;
      }
    }
    return -1;
  }
}
