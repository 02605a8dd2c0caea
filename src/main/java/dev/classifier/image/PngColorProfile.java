package dev.classifier.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import org.w3c.dom.Node;

/**
 * The JDK's PNG reader parses an embedded ICC profile (iCCP chunk) but returns the pixels as if
 * they were sRGB. This re-labels an RGB image with its embedded profile so that {@link SrgbRows}
 * converts it like any other ICC-tagged image. A profile that is unreadable, too large or not RGB
 * leaves the image as sRGB, which is what PNG viewers without colour management show.
 */
final class PngColorProfile {

  /**
   * Real profiles are a few KB (at most a few hundred); anything bigger is a decompression bomb.
   */
  private static final int MAX_PROFILE_BYTES = 4 << 20;

  private PngColorProfile() {}

  static BufferedImage tagged(ImageReader reader, BufferedImage image) throws IOException {
    if (!(image.getColorModel() instanceof ComponentColorModel cm)
        || cm.getNumColorComponents() != 3) {
      return image;
    }
    ICC_Profile profile = embeddedProfile(reader.getImageMetadata(0));
    if (profile == null || profile.getColorSpaceType() != ColorSpace.TYPE_RGB) {
      return image;
    }
    ComponentColorModel tagged =
        new ComponentColorModel(
            new ICC_ColorSpace(profile),
            cm.getComponentSize(),
            cm.hasAlpha(),
            cm.isAlphaPremultiplied(),
            cm.hasAlpha() ? Transparency.TRANSLUCENT : Transparency.OPAQUE,
            cm.getTransferType());
    return new BufferedImage(tagged, image.getRaster(), cm.isAlphaPremultiplied(), null);
  }

  private static ICC_Profile embeddedProfile(IIOMetadata metadata) {
    if (metadata == null) {
      return null;
    }
    Node root = metadata.getAsTree("javax_imageio_png_1.0");
    for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
      if ("iCCP".equals(n.getNodeName())
          && ((IIOMetadataNode) n).getUserObject() instanceof byte[] compressed) {
        byte[] data = inflate(compressed);
        try {
          return data == null ? null : ICC_Profile.getInstance(data);
        } catch (IllegalArgumentException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static byte[] inflate(byte[] compressed) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(compressed);
      ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 4);
      byte[] chunk = new byte[8192];
      while (!inflater.finished()) {
        int n = inflater.inflate(chunk);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          return null;
        }
        out.write(chunk, 0, n);
        if (out.size() > MAX_PROFILE_BYTES) {
          return null;
        }
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      return null;
    } finally {
      inflater.end();
    }
  }
}
