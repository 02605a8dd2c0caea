package dev.classifier.model;

/**
 * One class of a model's output, e.g. 281, n02123045, tabby.
 *
 * @param id the label file's id column (a WordNet id for ImageNet), or null when the file has none
 */
public record ClassLabel(int index, String id, String name) {}
