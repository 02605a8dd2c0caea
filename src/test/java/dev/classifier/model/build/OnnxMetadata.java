package dev.classifier.model.build;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a written model's {@code metadata_props} the way any ONNX reader would, for assertions on
 * the builder.
 */
final class OnnxMetadata {

  private static final int METADATA_PROPS_FIELD = ModelProto.METADATA_PROPS_FIELD_NUMBER;

  private OnnxMetadata() {}

  /**
   * Reads {@code metadata_props} by streaming over the model and skipping the (large) graph instead
   * of parsing it, so that checking a 90 MB model costs one sequential read and no heap.
   */
  static Map<String, String> read(Path model) {
    Map<String, String> metadata = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(model)) {
      CodedInputStream coded = CodedInputStream.newInstance(in, 1 << 16);
      for (int tag = coded.readTag(); tag != 0; tag = coded.readTag()) {
        if (WireFormat.getTagFieldNumber(tag) == METADATA_PROPS_FIELD
            && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          StringStringEntryProto entry = StringStringEntryProto.parseFrom(coded.readBytes());
          metadata.put(entry.getKey(), entry.getValue());
        } else if (!coded.skipField(tag)) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ONNX model metadata from " + model, e);
    }
    return metadata;
  }
}
