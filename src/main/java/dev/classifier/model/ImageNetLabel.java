package dev.classifier.model;

/** One ImageNet class in the Keras/Caffe class-index order: 281, n02123045, tabby. */
public record ImageNetLabel(int index, String wnid, String name) {}
