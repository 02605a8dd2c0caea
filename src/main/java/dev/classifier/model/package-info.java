/**
 * The model file and what it records: provisioning, digest, metadata, labels and the classifier
 * head found in the graph. Imports nothing of the service above it (no core, door, http, inference
 * or image).
 */
package dev.classifier.model;
