package dev.classifier.model;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The structure of an ONNX file's main graph without its weights: nodes, graph outputs, and the
 * name, type and shape of each initializer. Read by walking the protobuf wire format over the
 * memory-mapped file and skipping every weight, so a 90 MB model costs a few hundred kilobytes of
 * heap; {@link #load} then reads just the initializers asked for in a second pass.
 */
final class OnnxGraphIndex {

  /** ModelProto.graph, GraphProto.{node, initializer, output}, TensorProto.{dims, ...}. */
  private static final int MODEL_GRAPH = 7;

  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int GRAPH_OUTPUT = 12;
  private static final int TENSOR_DIMS = 1;
  private static final int TENSOR_DATA_TYPE = 2;
  private static final int TENSOR_NAME = 8;
  private static final int TENSOR_DATA_LOCATION = 14;

  /**
   * More nodes than any image model has (Xception: 250): bounds what a broken file can make us
   * hold.
   */
  static final int MAX_NODES = 100_000;

  /**
   * An initializer's header: enough to decide whether its data is wanted.
   *
   * @param ordinal its position among the graph's initializers, to find it again without parsing
   */
  record Initializer(String name, int ordinal, int dataType, long[] dims, boolean external) {}

  private final Path file;
  private final List<NodeProto> nodes;
  private final List<ValueInfoProto> outputs;
  private final Map<String, Initializer> initializers;
  private final Map<String, NodeProto> producers = new HashMap<>();
  private final Map<String, List<NodeProto>> consumers = new HashMap<>();

  private OnnxGraphIndex(
      Path file,
      List<NodeProto> nodes,
      List<ValueInfoProto> outputs,
      Map<String, Initializer> initializers) {
    this.file = file;
    this.nodes = nodes;
    this.outputs = outputs;
    this.initializers = initializers;
    for (NodeProto node : nodes) {
      node.getOutputList().forEach(output -> producers.put(output, node));
      node.getInputList()
          .forEach(input -> consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(node));
    }
  }

  static OnnxGraphIndex read(Path file) throws IOException {
    List<NodeProto> nodes = new ArrayList<>();
    List<ValueInfoProto> outputs = new ArrayList<>();
    Map<String, Initializer> initializers = new HashMap<>();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      CodedInputStream in = mapped(channel);
      forEachGraphField(
          in,
          (field, graph) -> {
            switch (field) {
              case GRAPH_NODE -> {
                if (nodes.size() == MAX_NODES) {
                  throw new IOException("more than " + MAX_NODES + " nodes in the graph");
                }
                nodes.add(NodeProto.parseFrom(graph.readBytes()));
              }
              case GRAPH_OUTPUT -> outputs.add(ValueInfoProto.parseFrom(graph.readBytes()));
              case GRAPH_INITIALIZER -> {
                Initializer header = readHeader(graph, initializers.size());
                initializers.put(header.name(), header);
              }
              default -> {
                return false;
              }
            }
            return true;
          });
    }
    return new OnnxGraphIndex(file, List.copyOf(nodes), List.copyOf(outputs), initializers);
  }

  List<NodeProto> nodes() {
    return nodes;
  }

  List<ValueInfoProto> outputs() {
    return outputs;
  }

  /** The node computing {@code value}, or null for a graph input, an initializer or an unknown. */
  NodeProto producer(String value) {
    return producers.get(value);
  }

  List<NodeProto> consumers(String value) {
    return consumers.getOrDefault(value, List.of());
  }

  Initializer initializer(String name) {
    return initializers.get(name);
  }

  /**
   * Reads the named initializers in full, streaming past all others.
   *
   * @throws IOException when the file changed since it was indexed
   */
  Map<String, TensorProto> load(Set<String> names) throws IOException {
    Set<Integer> wanted = new HashSet<>();
    for (String name : names) {
      Initializer header = initializers.get(name);
      if (header == null) {
        throw new IllegalArgumentException("no initializer " + name);
      }
      wanted.add(header.ordinal());
    }
    Map<String, TensorProto> tensors = new HashMap<>();
    int[] ordinal = {0};
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      CodedInputStream in = mapped(channel);
      forEachGraphField(
          in,
          (field, graph) -> {
            if (field != GRAPH_INITIALIZER || !wanted.contains(ordinal[0]++)) {
              return false; // skipped unread: the unwanted weights never reach the heap
            }
            TensorProto.Builder tensor = TensorProto.newBuilder();
            graph.readMessage(tensor, ExtensionRegistryLite.getEmptyRegistry());
            tensors.put(tensor.getName(), tensor.build());
            return true;
          });
    }
    if (!tensors.keySet().equals(names)) {
      throw new IOException(
          "initializers " + names + " not all found on the second read; the file changed?");
    }
    return tensors;
  }

  /**
   * The file mapped, not read: fields that are skipped are never paged in, and only the wanted
   * fields (nodes, the head's initializers) are copied, as they are read.
   */
  private static CodedInputStream mapped(FileChannel channel) throws IOException {
    if (channel.size() > Integer.MAX_VALUE) {
      throw new IOException("larger than the 2 GB a protobuf message can be");
    }
    // Through a stream whose skip moves the mapping's position: protobuf-java 4 decodes a direct
    // buffer given whole by first copying all of it onto the heap (199 MB allocated by the two
    // passes that read Xception's head, against 25 MB this way), and a stream decoder's skipField
    // calls skip.
    return CodedInputStream.newInstance(
        new MappedInputStream(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size())),
        64 * 1024);
  }

  /** A mapped file as an InputStream; skipping costs nothing and pages nothing in. */
  private static final class MappedInputStream extends java.io.InputStream {

    private final java.nio.ByteBuffer buffer;

    MappedInputStream(java.nio.ByteBuffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public int read() {
      return buffer.hasRemaining() ? buffer.get() & 0xFF : -1;
    }

    @Override
    public int read(byte[] into, int offset, int length) {
      if (length == 0) {
        return 0;
      }
      if (!buffer.hasRemaining()) {
        return -1;
      }
      int n = Math.min(length, buffer.remaining());
      buffer.get(into, offset, n);
      return n;
    }

    @Override
    public long skip(long n) {
      int skipped = (int) Math.max(0, Math.min(n, buffer.remaining()));
      buffer.position(buffer.position() + skipped);
      return skipped;
    }

    @Override
    public int available() {
      return buffer.remaining();
    }
  }

  @FunctionalInterface
  private interface GraphFieldReader {
    /**
     * Reads field {@code field} of the graph from {@code in}, or returns false to have it skipped.
     */
    boolean read(int field, CodedInputStream in) throws IOException;
  }

  /** Walks ModelProto to its graph and hands each field of the graph to {@code reader}. */
  private static void forEachGraphField(CodedInputStream in, GraphFieldReader reader)
      throws IOException {
    boolean sawGraph = false;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) != MODEL_GRAPH
          || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        in.skipField(tag);
        continue;
      }
      sawGraph = true;
      int limit = in.pushLimit(in.readRawVarint32());
      for (int field = in.readTag(); field != 0; field = in.readTag()) {
        boolean delimited =
            WireFormat.getTagWireType(field) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
        if (!delimited || !reader.read(WireFormat.getTagFieldNumber(field), in)) {
          in.skipField(field);
        }
      }
      in.popLimit(limit);
    }
    if (!sawGraph) {
      throw new IOException("not an ONNX model: no graph");
    }
  }

  /** Name, type, shape and data location of a TensorProto, skipping over its data. */
  private static Initializer readHeader(CodedInputStream graph, int ordinal) throws IOException {
    int limit = graph.pushLimit(graph.readRawVarint32());
    String name = "";
    int dataType = 0;
    List<Long> dims = new ArrayList<>();
    boolean external = false;
    for (int tag = graph.readTag(); tag != 0; tag = graph.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      int wire = WireFormat.getTagWireType(tag);
      if (field == TENSOR_NAME && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        name = graph.readStringRequireUtf8();
      } else if (field == TENSOR_DATA_TYPE && wire == WireFormat.WIRETYPE_VARINT) {
        dataType = graph.readInt32();
      } else if (field == TENSOR_DATA_LOCATION && wire == WireFormat.WIRETYPE_VARINT) {
        external = graph.readEnum() == TensorProto.DataLocation.EXTERNAL_VALUE;
      } else if (field == TENSOR_DIMS && wire == WireFormat.WIRETYPE_VARINT) {
        dims.add(graph.readInt64());
      } else if (field == TENSOR_DIMS && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int packed = graph.pushLimit(graph.readRawVarint32());
        while (graph.getBytesUntilLimit() > 0) {
          dims.add(graph.readInt64());
        }
        graph.popLimit(packed);
      } else {
        graph.skipField(tag);
      }
    }
    graph.popLimit(limit);
    return new Initializer(
        name, ordinal, dataType, dims.stream().mapToLong(Long::longValue).toArray(), external);
  }
}
